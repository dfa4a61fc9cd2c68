// For tests on the system clock that expect a rung of the escalation ladder raised "today" in a store with no calendar
// loaded (Monday–Friday are its working days): a rung is raised on working days only, so on a Saturday or Sunday
// (Shanghai) the business clock starts on the coming Monday at this time of day. On a weekday it is the system's.
// Call before the product's clock is first imported (it reads ZONEFLOW_CLOCK_START once).

/** Moves the business clock to the coming Monday when today (Shanghai) is a weekend; returns the days moved. */
export function startOnWorkday(now = new Date()): number {
  const weekday = new Date(now.getTime() + 8 * 3_600_000).getUTCDay();
  const ahead = weekday === 6 ? 2 : weekday === 0 ? 1 : 0;
  if (ahead > 0) process.env.ZONEFLOW_CLOCK_START = new Date(now.getTime() + ahead * 86_400_000).toISOString();
  return ahead;
}
