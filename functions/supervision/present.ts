// Letters as clients see them (api.md v1.1 field names), and the printable A4 page 公文 of one letter.
import { ROLE_LABELS } from '#kernel/domain/codes.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { ASSESSMENT_LEVEL, type Assessment } from './domain/assessment.ts';
import { addresseeName, chineseDate, letterStatus, type Letter } from './domain/letter.ts';

export const presentLetter = (l: Letter, today: string) => ({
  id: l.id,
  number: l.number,
  series: l.series,
  projectId: l.projectId,
  projectName: l.projectName,
  from: l.from,
  fromName: ROLE_LABELS[l.from].zh,
  to: l.to,
  toName: addresseeName(l.to),
  subject: l.subject,
  body: l.body,
  issuedAt: l.issuedAt,
  issuedOn: l.issuedOn,
  replyBy: l.replyBy,
  /** The working days from its issue the reply was asked within (letters issued since 2026-12-01). */
  ...(l.replyWd !== undefined && l.replyBy !== null ? { replyWd: l.replyWd } : {}),
  status: letterStatus(l, today),
  ack: l.ack ? { by: l.ack.by, byName: l.ack.byName, at: l.ack.at, reply: l.ack.reply } : null,
});

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The body's paragraphs as the page sets them: one per line, each indented by its own first line (公文 正文: every
 * paragraph two characters in) — without a salutation the body repeats (the mechanism's urging and exit letters open
 * with `<addressee>：`, and a hand-written body may too), which the page writes on its own line above (主送) already.
 */
function paragraphs(body: string, salutation: string): string[] {
  const text = body.startsWith(`${salutation}：`) || body.startsWith(`${salutation}:`) ? body.slice(salutation.length + 1) : body;
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A self-contained A4 page (print from the browser): red header, number, addressee, body, issuer and date; escaped. */
export function letterPage(l: Letter, today: string): string {
  const v = presentLetter(l, today);
  const body = paragraphs(v.body, v.toName).map((p) => `<p class="body">${escape(p)}</p>`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(v.number)} ${escape(v.subject)}</title>
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong", "STFangsong", "仿宋", serif; font-size: 16pt; line-height: 28pt; color: #000; max-width: 156mm; margin: 0 auto; }
.head { color: #c00; text-align: center; font-family: "SimSun", "宋体", serif; font-size: 26pt; letter-spacing: 2pt; border-bottom: 2px solid #c00; padding-bottom: 8pt; }
.number { text-align: center; margin: 12pt 0 18pt; }
h1 { font-family: "SimHei", "黑体", sans-serif; font-size: 20pt; text-align: center; font-weight: normal; margin: 18pt 0; }
.body { text-indent: 2em; margin: 0; }
.sign { text-align: right; margin-top: 36pt; }
.ack { border-top: 1px solid #999; margin-top: 24pt; font-size: 12pt; line-height: 20pt; white-space: pre-wrap; }
@media screen { body { margin: 24px auto; } }
</style></head>
<body>
<div class="head">${escape(v.fromName)}</div>
<div class="number">${escape(v.number)}</div>
<h1>${escape(v.subject)}</h1>
<p>${escape(v.toName)}：</p>
${body.join('\n')}
${v.replyBy ? `<p class="body">请于${escape(chineseDate(v.replyBy))}前回复。</p>` : ''}
<p class="sign">${escape(v.fromName)}<br>${escape(chineseDate(v.issuedOn))}</p>
${v.ack ? `<div class="ack">已签收：${escape(v.ack.byName)}，${escape(chineseDate(shanghaiDate(new Date(v.ack.at))))}。回复：${escape(v.ack.reply)}</div>` : ''}
</body></html>
`;
}

/**
 * A joint assessment round 联合研判 with who is still to decide. `open`: the round still takes decisions — concluded
 * (`outcome`), or lapsed (the project left that stay on the L3 rung: its window ended and the ladder climbed, or it was
 * reset) it takes none, and nobody is pending; `undecided` names who never decided, open or not. `escalation`: the project's ladder as it stands (when the caller has it).
 */
export const presentAssessment = (a: Assessment, escalation?: { readonly level: number; readonly since: string | null }) => {
  const lapsed = !a.outcome && escalation !== undefined && !(escalation.level === ASSESSMENT_LEVEL && escalation.since === a.rungSince);
  const open = !a.outcome && !lapsed;
  const undecided = a.departments.filter((d) => !a.decisions.some((x) => x.department === d));
  return {
    round: a.round,
    rungSince: a.rungSince,
    departments: a.departments,
    decisions: a.decisions.map(({ department, decision, comment, plan, by, at }) => ({ department, departmentName: ROLE_LABELS[department].zh, decision, comment, plan: plan ?? [], by, at })),
    pending: open ? undecided : [],
    // Who never decided, whatever became of the round: a lapsed round's missing departments (supervision's question).
    undecided,
    outcome: a.outcome,
    open,
    lapsed,
    startedAt: a.startedAt,
  };
};
