// What holds a project on the escalation ladder 督办事由, in words: the item and the date its kind is about — overdue work
// by its due date, an unanswered letter by its reply-by day, a missed completion by its planned date, a stalled site by
// its last progress report. Shared by the notices and the console (importing only what has no imports: the console
// bundles it as it is). Chinese wording puts no space beside a date; a label typed in English only is marked as typed.
import { typedZh } from '../../kernel/domain/typed.ts';

/** A trigger as stored on the project (`kind` absent on a record older than the kinds). */
export interface TriggerLike {
  readonly kind?: string;
  readonly label: string;
  readonly labelEn?: string;
  readonly since: string;
}

export function triggerWords(t: TriggerLike): { zh: string; en: string } {
  const en = t.labelEn ?? t.label;
  const label = typedZh(t.label);
  switch (t.kind) {
    case 'letter_unanswered':
      return { zh: `${label}（回复期限${t.since}）`, en: `${en} (reply due ${t.since})` };
    case 'completion_overdue':
      return { zh: `${label}（计划竣工${t.since}）`, en: `${en} (planned for ${t.since})` };
    case 'stalled':
      return { zh: `${label}（${t.since}以来未报建设进度）`, en: `${en} (no progress reported since ${t.since})` };
    default:
      // Overdue work (a task, the start of works): since its due date.
      return { zh: `${label}逾期（期限${t.since}）`, en: `${en} overdue (due ${t.since})` };
  }
}
