// When the local runtime runs a scheduled job next (EventBridge Scheduler's cron on AWS), on the business clock.

/**
 * The next run of a job with `cron` (hh:mm in Asia/Shanghai, UTC+8 without DST, or every minute) after `after` — the
 * start, or the slot just run — not after the moment a run ended: on a fast clock a run can outlast the next slot (a
 * catch-up at 00:06 that ends past the digest's 08:30), which is then run late rather than skipped to the next day.
 * Fallen further behind (`now` past later slots), a daily job runs the latest slot it missed, once — the jobs catch up
 * by themselves — and an every-minute job goes on from `now`: never a growing backlog.
 */
export function nextSlot(after: Date, now: Date, cron: { readonly hour: string; readonly minute: string }): Date {
  if (cron.minute === '*' && cron.hour === '*') {
    const minuteAfter = (t: Date) => new Date(Math.floor(t.getTime() / 60_000) * 60_000 + 60_000);
    const at = minuteAfter(after);
    return at.getTime() < now.getTime() ? minuteAfter(now) : at;
  }
  const at = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), Number(cron.hour) - 8, Number(cron.minute)));
  while (at.getTime() <= after.getTime()) at.setTime(at.getTime() + 86_400_000);
  while (at.getTime() + 86_400_000 <= now.getTime()) at.setTime(at.getTime() + 86_400_000);
  return at;
}
