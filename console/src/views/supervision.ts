// The closed loop's records on a project page 督办闭环: the interview 约谈 (L2, the committee leader, with the enterprise's
// commitments), each named department's decision in the joint assessment 联合研判 (L3, with a rectification plan), and
// the contract-compliance check 履约核查 (L4 on, clause by clause: an exit rests on a breach found). Each form is shown
// where the user's role may record it (a hint: the API decides); its rows' refusals land beside their fields. The exit
// decision (L5) follows it, on the same read of the project's supervision file.
import { useState } from 'preact/hooks';
import { WORK_OWNER_ROLES, type Role } from '../../../functions/kernel/domain/codes.ts';
import type { Api } from '../api.ts';
import type { T } from '../i18n.ts';
import { DEFAULT_ASSESSMENT_DEPARTMENTS } from '../../../functions/supervision/domain/assessment.ts';
import { assessmentPending, ladderRecords, linesOf, rowFields, rowsOf, withBooleans, WORK_ITEM_KEYS, workItemsWithoutChinese, type Identity } from '../logic.ts';
import { Field, FormError, html, Rows, Typed, useLoad, useSubmit } from '../ui.ts';
import { ExitDecision, type DecidableProject } from './decisions.ts';

/** A work item a record set (an interview's commitment, a rectification item): who does what by when. */
type Item = { item: string; itemEn?: string; owner: Role; dueDate: string };
interface Ladder {
  interviews: { number: number; heldOn: string; summary?: string; commitments?: Item[] }[];
  assessments: { round: number; rungSince: string; pending: Role[]; lapsed?: boolean; decisions: { department: Role; decision: string; comment?: string; plan?: Item[] }[]; outcome: { decision: string } | null }[];
  complianceChecks: { number: number; checkedOn: string; breach: boolean; recordedAt: string; summary?: string; findings?: { clause: string; finding: string; breached: boolean }[] }[];
}

const ITEM_KEYS = WORK_ITEM_KEYS;
const FINDING_KEYS = ['clause', 'finding', 'breached'] as const;

export function Supervision({ api, p, me, t, done, recorded }: { api: Api; p: DecidableProject; me?: Identity; t: T; done: () => void; recorded?: boolean }) {
  const onLadder = p.status === 'ACTIVE' && p.escalation.level >= 2;
  // The file is read on the ladder, and after it too while the project has records on it (an extension or the work done
  // put the ladder back, an exit ended it): what was said and agreed stays readable on the page.
  const read = onLadder || !!recorded;
  const ladder = useLoad(() => (read ? api.get<Ladder>(`/projects/${p.id}/ladder`) : Promise.resolve(undefined)), [p.id, read, p.escalation.level, p.status]);
  // The departments that decide the joint assessment, as configured (for a stay raised before rounds were opened at the raise).
  const atL3 = onLadder && p.escalation.level === 3;
  const named = useLoad(() => (atL3 ? api.get<{ doc: { assessmentDepartments?: Role[] } }>('/config/escalation') : Promise.resolve(undefined)), [atL3]);
  const pending = assessmentPending(p, ladder.data?.assessments ?? [], named.data?.doc.assessmentDepartments ?? DEFAULT_ASSESSMENT_DEPARTMENTS);
  const may = ladderRecords(me, p, ladder.data ? pending : [], ladder.data?.complianceChecks);
  const after = () => (ladder.reload(), done());
  if (!read) return null;
  const name = (x: Item) => (t.lang === 'en' && x.itemEn ? x.itemEn : x.item);
  const items = (list: readonly Item[] | undefined, what: string) =>
    list?.length ? html`<ul class="ladder-items" aria-label=${what}>${list.map((x) => html`<li><${Typed} text=${name(x)} t=${t} />${t.open}${t.role(x.owner)}${t.lang === 'zh' ? '，' : ', '}${x.dueDate}${t.close}</li>`)}</ul>` : null;
  const itemColumns = (what: string) => [
    { key: 'item', label: what },
    { key: 'itemEn', label: t.t('itemEn') },
    { key: 'owner', label: t.t('followUpOwner'), options: WORK_OWNER_ROLES.map((r) => [r, t.role(r)] as const) },
    { key: 'dueDate', label: t.t('dueDate'), type: 'date' },
  ];
  return html`<section aria-labelledby="sup-h" data-testid="supervision">
    <h2 id="sup-h">${t.t('supervision')}</h2>
    ${ladder.data && !ladder.data.interviews.length && !ladder.data.assessments.length && !ladder.data.complianceChecks.length
      ? html`<p data-testid="ladder-empty">${t.t('ladderNone')}</p>`
      : null}
    ${ladder.data
      ? html`<ul data-testid="ladder-file">
          ${ladder.data.interviews.map(
            (i) => html`<li data-interview=${i.number}>${t.t('interview')} #${i.number} · ${i.heldOn}${i.summary ? html` · <bdi>${i.summary}</bdi>` : null}
              ${items(i.commitments, t.t('commitments'))}</li>`,
          )}
          ${ladder.data.assessments.map(
            (a) => html`<li data-round=${a.round}>${t.t('assessment')} · ${t.beside(t.t('round'), a.round)} · ${a.outcome ? t.assessmentDecision(a.outcome.decision) : a.lapsed ? t.t('assessmentLapsed') : `${t.t('admissionPending')}${t.colon}${a.pending.map((r) => t.role(r)).join(t.listSep)}`}
              ${a.decisions.length
                ? html`<ul>${a.decisions.map((d) => html`<li data-decided=${d.department}>${t.role(d.department)}${t.colon}${t.assessmentDecision(d.decision)}${d.comment ? html` · <bdi>${d.comment}</bdi>` : null}${items(d.plan, t.t('rectification'))}</li>`)}</ul>`
                : null}</li>`,
          )}
          ${ladder.data.complianceChecks.map(
            (c) => html`<li data-check=${c.number}>${t.t('complianceCheck')} #${c.number} · ${c.checkedOn} · ${c.breach ? t.t('breach') : t.t('noBreach')}${c.summary ? html` · <bdi>${c.summary}</bdi>` : null}
              ${c.findings?.length ? html`<ul>${c.findings.map((f) => html`<li><bdi>${f.clause}</bdi>${t.colon}<bdi>${f.finding}</bdi>${t.open}${f.breached ? t.t('breach') : t.t('noBreach')}${t.close}</li>`)}</ul>` : null}</li>`,
          )}
        </ul>`
      : null}
    ${may.interview ? html`<${InterviewForm} api=${api} id=${p.id} t=${t} done=${after} columns=${itemColumns(t.t('commitment'))} />` : null}
    ${may.assessment ? html`<${AssessmentForm} api=${api} id=${p.id} t=${t} done=${after} columns=${itemColumns(t.t('rectification'))} />` : null}
    ${may.compliance ? html`<${ComplianceForm} api=${api} id=${p.id} t=${t} done=${after} />` : null}
  </section>
  <${ExitDecision} api=${api} p=${p} me=${me} t=${t} done=${after} ladder=${ladder.data} />`;
}

type Columns = { key: string; label: string; type?: string; options?: readonly (readonly [string, string])[] }[];

function InterviewForm({ api, id, t, done, columns }: { api: Api; id: string; t: T; done: () => void; columns: Columns }) {
  const [count, setCount] = useState(0);
  const s = useSubmit(
    ['heldOn', 'attendees', 'summary', ...rowFields('commitments', ITEM_KEYS, count)],
    (v, key) => api.send('POST', `/projects/${id}/interviews`, { heldOn: v.heldOn || undefined, attendees: linesOf(v.attendees), summary: v.summary?.trim() || undefined, commitments: rowsOf(v, 'commitments', ITEM_KEYS, count) }, { idempotencyKey: key }),
    () => (setCount(0), done()),
    (v) => workItemsWithoutChinese(v, 'commitments', count, t.t('deficiencyInChinese')),
  );
  return html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('recordInterview')}>
    <h3>${t.t('recordInterview')}</h3>
    <${Field} name="heldOn" type="date" label=${t.t('heldOn')} problem=${s.problem} />
    <${Field} name="attendees" multiline label=${t.t('attendees')} problem=${s.problem} />
    <${Field} name="summary" multiline=${3} label=${t.t('summary')} problem=${s.problem} />
    <${Rows} list="commitments" legend=${t.t('commitments')} columns=${columns} count=${count} setCount=${setCount} problem=${s.problem} add=${t.t('addRow')} remove=${t.t('removeRow')} choose=${t.t('choose')} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('recordInterview')}</button>
  </form>`;
}

function AssessmentForm({ api, id, t, done, columns }: { api: Api; id: string; t: T; done: () => void; columns: Columns }) {
  const [count, setCount] = useState(0);
  const s = useSubmit(
    ['decision', 'comment', ...rowFields('plan', ITEM_KEYS, count)],
    (v, key) => api.send('POST', `/projects/${id}/assessments`, { decision: v.decision || undefined, comment: v.comment?.trim() || undefined, plan: count ? rowsOf(v, 'plan', ITEM_KEYS, count) : undefined }, { idempotencyKey: key }),
    () => (setCount(0), done()),
    (v) => workItemsWithoutChinese(v, 'plan', count, t.t('deficiencyInChinese')),
  );
  return html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('recordAssessment')}>
    <h3>${t.t('recordAssessment')}</h3>
    <${Field} name="decision" label=${t.t('decision')} problem=${s.problem}>
      <option value="" selected>${t.t('choose')}</option>
      <option value="continue">${t.assessmentDecision('continue')}</option>
      <option value="proceed">${t.assessmentDecision('proceed')}</option>
    </${Field}>
    <${Field} name="comment" multiline label=${t.t('comment')} problem=${s.problem} />
    <${Rows} list="plan" legend=${t.t('rectificationPlan')} columns=${columns} count=${count} setCount=${setCount} problem=${s.problem} add=${t.t('addRow')} remove=${t.t('removeRow')} choose=${t.t('choose')} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('recordAssessment')}</button>
  </form>`;
}

function ComplianceForm({ api, id, t, done }: { api: Api; id: string; t: T; done: () => void }) {
  const [count, setCount] = useState(1);
  const s = useSubmit(
    ['checkedOn', 'summary', ...rowFields('findings', FINDING_KEYS, count)],
    (v, key) => api.send('POST', `/projects/${id}/compliance-checks`, { checkedOn: v.checkedOn || undefined, summary: v.summary?.trim() || undefined, findings: withBooleans(rowsOf(v, 'findings', FINDING_KEYS, count), 'breached') }, { idempotencyKey: key }),
    () => (setCount(1), done()),
  );
  const columns = [
    { key: 'clause', label: t.t('clause') },
    { key: 'finding', label: t.t('finding') },
    { key: 'breached', label: t.t('breached'), options: [['yes', t.t('yes')], ['no', t.t('no')]] as const },
  ];
  return html`<form onSubmit=${s.onSubmit} noValidate aria-label=${t.t('recordCompliance')}>
    <h3>${t.t('recordCompliance')}</h3>
    <${Field} name="checkedOn" type="date" label=${t.t('checkedOn')} problem=${s.problem} />
    <${Rows} list="findings" legend=${t.t('findings')} columns=${columns} count=${count} setCount=${setCount} problem=${s.problem} add=${t.t('addRow')} remove=${t.t('removeRow')} choose=${t.t('choose')} />
    <${Field} name="summary" multiline=${3} label=${t.t('summary')} problem=${s.problem} />
    <${FormError} problem=${s.problem} />
    <button type="submit" disabled=${s.busy}>${t.t('recordCompliance')}</button>
  </form>`;
}
