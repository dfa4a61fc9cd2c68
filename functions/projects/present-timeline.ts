// The timeline as the investing enterprise sees it: the milestones of its own project, from an explicit list of event
// kinds and fields — never who on the staff acted, their comments, admission reasons or internal notes.
import { STAGE_LABELS, type Stage } from '#kernel/domain/codes.ts';

interface Event {
  readonly at: string;
  readonly action: string;
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

const stageLabel = (s: unknown) => (typeof s === 'string' && s in STAGE_LABELS ? STAGE_LABELS[s as Stage].zh : String(s));
const pick = (o: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));

/** The enterprise's view of one audit event, or undefined when the event is internal. */
export function presentEventToEnterprise(e: Event): { at: string; action: string; label: string; details: Record<string, unknown> } | undefined {
  const view = (label: string, details: Record<string, unknown> = {}) => ({ at: e.at, action: e.action, label, details });
  switch (e.action) {
    case 'project.created':
      return view('项目登记');
    case 'admission.approve':
      return e.after.status === 'ACTIVE' ? view('准入通过') : undefined;
    case 'admission.reject':
      return view('准入未通过');
    case 'stage.entered':
      return view(`进入${stageLabel(e.after.stage)}阶段`, pick(e.after, ['stage']));
    case 'stage.passed':
      return view(`通过${String(e.after.gate ?? '转段')}`, { from: e.before.stage, to: e.after.stage });
    case 'task.completed':
    case 'task.completed_with_deficiencies':
      return view(e.action === 'task.completed' ? '任务办结' : '任务容缺办结', pick(e.after, ['taskId', 'status']));
    case 'progress.reported':
      return view('报告建设进度', { progress: pick((e.after.progress ?? {}) as Record<string, unknown>, ['constructionPct', 'equipmentPct', 'reportedOn']) });
    case 'production.reported':
      return view('报送达产数据', e.after);
    case 'contract.amended':
      return view('合同变更', pick(e.after, ['totalInvestmentCny', 'industry', 'targets']));
    // The exit 退出程序 as the enterprise was told it (its notices and the exit letter): decided, then done.
    case 'exit.decided':
      return view('启动退出程序');
    case 'exit.completed':
      return view('项目已退出');
    default:
      return undefined;
  }
}
