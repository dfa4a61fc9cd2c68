// The console's pure rules: who sees which action (hints; the API decides), problem+json onto form fields, the ledger
// query, the progress line, the ordering of My work, and reading the token's identity.
import { describe, expect, it } from 'vitest';
import {
  backOnlyByExit,
  projectLit,
  owedAtGate,
  caseClosed,
  taskLight,
  rerouteWindow,
  keepUnfinished,
  unfinishedOf,
  rerouteFields,
  rerouteTold,
  rerouteRefusedSaid,
  cursorRefused,
  REROUTE_CALLS,
  type Rerouted,
  exitUnderWay,
  calendarYearsToCheck,
  mayOpenInventory,
  canAcknowledge,
  canAllocateFund,
  canDecideExit,
  canExtend,
  canRegister,
  datesOf,
  parseDoc,
  canReportProduction,
  canComplete,
  canRecordMeeting,
  canReportProgress,
  canReserve,
  decodeIdentity,
  lastRejection,
  previousRejections,
  mayFilterByMatrix,
  auditChanges,
  configNote,
  percentProblem,
  timelineShown,
  gateWords,
  pctText,
  progressDrops,
  exportPath,
  hashFilters,
  issuableSeries,
  letterAddressees,
  isStaff,
  assessmentPending,
  ladderRecords,
  mayReserveFrom,
  reservable,
  mayKeep,
  ledgerQuery,
  pendingAdmission,
  pendingApprovals,
  problemToForm,
  raceLost,
  refusalDetail,
  drawableQuotas,
  quotaLabel,
  canRelease,
  bucketLabel,
  bucketRowLabel,
  drawableBuckets,
  exitCourse,
  ladderRecorded,
  extensionInForce,
  inLanguage,
  amountsInWan,
  canAmendMeeting,
  canAmendContract,
  mayQueryAudit,
  mayReadDepartmentReport,
  auditSubject,
  auditSubjectWords,
  EMPTY_PAGES_READ_ON,
  readPages,
  canEditProject,
  changedTerms,
  changesOf,
  shownValue,
  canManageFund,
  canRedriveExit,
  canResumeWorkflow,
  recentQuarters,
  registrationBody,
  resourceBody,
  resourcePatch,
  shownFact,
  emptiedFacts,
  deficienciesWithoutChinese,
  workItemsWithoutChinese,
  typedInEnglishOnly,
  EDITABLE_FACTS,
  areaM2Of,
  muToM2,
  numberText,
  periodText,
  rowFields,
  rowsOf,
  WORK_ITEM_KEYS,
  wanToYuan,
  numberOf,
  withBooleans,
  shanghaiDate,
  shanghaiInstant,
  soonestFirst,
  stageSteps,
  type GateLike,
  type Identity,
  yuanText,
  projectNamed,
  noticeState,
} from '../../console/src/logic.ts';
import { translator } from '../../console/src/i18n.ts';
import { areaMu } from '../../functions/inventory/domain/resource.ts';

const as = (roles: Identity['roles'], extra: Partial<Identity> = {}): Identity => ({ sub: 's', name: 'n', roles, ...extra });
/** The project acted on: a park center of 汇通产业园 and enterprise ent-a act on it; others of their role do not. */
const proj = { id: 'p1', park: '汇通产业园', investor: { enterpriseId: 'ent-a' } };
const center = (park = '汇通产业园') => as(['park_center'], { park });
const ent = (enterprise = 'ent-a') => as(['enterprise'], { enterprise });

const gate = (over: Partial<GateLike> = {}): GateLike => ({
  stage: 'SIGNING',
  open: true,
  round: 1,
  requiredApprovals: ['committee_leader', 'investment_dept', 'resources_bureau'],
  approvals: [],
  meetingRequired: true,
  meetingRecorded: false,
  ...over,
});

describe('actions the console offers', () => {
  it('the inventory page is in the menu of those who read an inventory or the fund', () => {
    for (const role of ['resources_bureau', 'park_center', 'investment_dept', 'scitech_dept', 'committee_leader', 'discipline_office', 'soe', 'eco_bureau', 'construction_dept', 'ops'] as const) expect(mayOpenInventory(as([role])), role).toBe(true);
    for (const role of ['supervision_office', 'approval_office', 'enterprise'] as const) expect(mayOpenInventory(as([role])), role).toBe(false);
    expect(mayOpenInventory(undefined)).toBe(false);
    // As the zone configured it, once read: a published readers list widens (or narrows) the menu.
    const kinds = { parcels: { owners: ['resources_bureau'] }, facilities: { owners: ['soe'] }, energy: { owners: ['eco_bureau'] }, environment: { owners: ['eco_bureau'] }, utilities: { owners: ['park_center'] } } as never;
    expect(mayOpenInventory(as(['supervision_office']), { readers: ['supervision_office'], kinds })).toBe(true);
    expect(mayOpenInventory(as(['investment_dept']), { readers: [], kinds })).toBe(false);
  });

  it('while an exit is under way nothing it closes is offered (the API refuses each with a 409); once done, the project is EXITED', () => {
    const exiting = { ...proj, status: 'ACTIVE', stage: 'CONSTRUCTION' as const, escalation: { level: 5, since: '2026-11-02' }, exit: { status: 'running' } };
    const task = { lead: 'investment_dept' as const, status: 'open', startedDate: '2026-11-30' };
    const meetingGate = gate({ meetingRequired: true, meetingRecorded: false });
    expect(exitUnderWay(exiting)).toBe(true);
    expect(exitUnderWay({ ...exiting, exit: { status: 'failed' } })).toBe(true);
    expect(exitUnderWay({ ...exiting, exit: { status: 'done' } })).toBe(false);
    expect(exitUnderWay({ ...exiting, exit: null })).toBe(false);
    const leader = as(['committee_leader', 'investment_dept', 'ops']);
    // The same project with no exit decided offers each of them (so each line below can fail).
    const open = { ...exiting, exit: null };
    for (const [p, offered] of [[open, true], [exiting, false]] as const) {
      expect(canComplete(leader, task, p), 'complete').toBe(offered);
      expect(pendingApprovals(leader, meetingGate, p).length > 0, 'approve').toBe(offered);
      expect(canRecordMeeting(leader, meetingGate, p), 'meeting').toBe(offered);
      expect(canAmendMeeting(leader, gate({ meetingRecorded: true }), p), 'amend meeting').toBe(offered);
      expect(canReportProgress(center(), p), 'progress').toBe(offered);
      expect(canReportProduction(center(), { ...p, stage: 'OPERATION' }), 'production').toBe(offered);
      expect(canAmendContract(leader, p), 'amend contract').toBe(offered);
      expect(canReserve(center(), p), 'reserve').toBe(offered);
      expect(canAllocateFund(leader, p), 'fund').toBe(offered);
      expect(ladderRecords(leader, p).interview, 'interview').toBe(offered);
    }
  });

  it('a closed case (exited, completed, not admitted) awaits nothing at its gate, and its withdrawn work shows no light', () => {
    // Seen live: an exit decided while the LANDING gate was shut left it listing 待审批 under each approver and 尚缺 a
    // parcel (the one the exit had just reclaimed), and each task the exit withdrew lit 绿灯.
    const leader = as(['committee_leader', 'investment_dept', 'resources_bureau']);
    const meetingGate = gate({ meetingRequired: true, meetingRecorded: false });
    for (const status of ['EXITED', 'COMPLETED', 'REJECTED']) {
      const p = { ...proj, status, exit: status === 'EXITED' ? { status: 'done' } : null };
      expect(caseClosed(p), status).toBe(true);
      expect(pendingApprovals(leader, meetingGate, p), status).toEqual([]);
      expect(canRecordMeeting(leader, meetingGate, p), status).toBe(false);
      expect(canAmendMeeting(leader, gate({ meetingRecorded: true }), p), status).toBe(false);
    }
    // The same gate on an active case offers them (so each line above can fail).
    const active = { ...proj, status: 'ACTIVE', exit: null };
    expect(caseClosed(active)).toBe(false);
    expect(pendingApprovals(leader, meetingGate, active)).toEqual(['committee_leader', 'investment_dept', 'resources_bureau']);
    expect(canRecordMeeting(leader, meetingGate, active)).toBe(true);
    expect(canAmendMeeting(leader, gate({ meetingRecorded: true }), active)).toBe(true);
    // A project's light only while its work is under way (the export and ?light= list no other).
    expect(projectLit('ACTIVE')).toBe(true);
    for (const status of ['PENDING_ADMISSION', 'EXITED', 'COMPLETED', 'REJECTED']) expect(projectLit(status), status).toBe(false);
    // The task's light cell: withdrawn and not started show none; done late says so; the rest the API's light.
    expect(taskLight({ status: 'withdrawn', startedDate: '2026-03-08', light: 'green' })).toBe('none');
    expect(taskLight({ status: 'open', startedDate: null, light: 'green' })).toBe('none');
    expect(taskLight({ status: 'done', startedDate: '2026-03-08', light: 'green', completion: { late: true } })).toBe('late');
    expect(taskLight({ status: 'done', startedDate: '2026-03-08', light: 'green' })).toBe('green');
    expect(taskLight({ status: 'open', startedDate: '2026-03-08', light: 'red' })).toBe('red');
  });

  it('the gate names the 容缺 documents still owed, soonest due first — an earlier stage’s too (the gate opened without them)', () => {
    const owed = (id: string, over: Record<string, unknown> = {}) => ({ id, kind: 'obligation', stage: 'SIGNING', status: 'open', dueDate: '2026-03-20', ...over });
    const tasks = [
      { id: 'SIGNING.pre_site_selection', kind: 'matrix', stage: 'SIGNING', status: 'done_with_deficiencies', dueDate: '2026-03-09' },
      owed('SIGNING.pre_site_selection.obligation-1'),
      owed('SIGNING.pre_site_selection.obligation-2', { dueDate: '2026-03-12' }),
      owed('SIGNING.pre_site_selection.obligation-3', { status: 'done' }),
      owed('LANDING.land_transfer.obligation-1', { stage: 'LANDING', dueDate: '2026-04-30' }),
    ];
    // (Seen live: the SIGNING gate passed, its 用地预审意见 still owed vanished from the LANDING gate's panel.)
    expect(owedAtGate(tasks).map((x) => x.id)).toEqual(['SIGNING.pre_site_selection.obligation-2', 'SIGNING.pre_site_selection.obligation-1', 'LANDING.land_transfer.obligation-1']);
    expect(owedAtGate(tasks.slice(0, 1))).toEqual([]);
  });

  it('a transferred parcel or leased facility offers no 释放 and says it comes back only through the exit', () => {
    const active = { ...proj, status: 'ACTIVE', exit: null };
    for (const status of ['transferred', 'leased']) {
      expect(canRelease(center(), active, { status }), status).toBe(false);
      expect(backOnlyByExit(center(), active, { status }), status).toBe(true);
      // Not to those who keep no reservations of the project, nor once its exit is under way.
      expect(backOnlyByExit(as(['investment_dept']), active, { status }), status).toBe(false);
      expect(backOnlyByExit(center(), { ...active, exit: { status: 'running' } }, { status }), status).toBe(false);
    }
    expect(canRelease(center(), active, { status: 'reserved' })).toBe(true);
    expect(backOnlyByExit(center(), active, { status: 'reserved' })).toBe(false);
  });

  it('a task is completed by its lead department once started and while open', () => {
    const task = { lead: 'investment_dept' as const, status: 'open', startedDate: '2026-11-30' };
    expect(canComplete(as(['investment_dept']), task, proj)).toBe(true);
    expect(canComplete(as(['resources_bureau']), task, proj)).toBe(false);
    // Recurring work (建设推进会) is held by reporting progress: no 办结 button (the API refuses it).
    expect(canComplete(as(['investment_dept']), { ...task, kind: 'recurring' }, proj)).toBe(false);
    expect(canComplete(as(['investment_dept']), { ...task, startedDate: null }, proj)).toBe(false);
    expect(canComplete(as(['investment_dept']), { ...task, status: 'done' }, proj)).toBe(false);
    expect(canComplete(undefined, task, proj)).toBe(false);
    const parkTask = { ...task, lead: 'park_center' as const };
    expect(canComplete(center(), parkTask, proj)).toBe(true);
    expect(canComplete(center('科创城'), parkTask, proj)).toBe(false);
  });

  it('an approver approves an open gate once per round', () => {
    expect(pendingApprovals(as(['investment_dept']), gate(), proj)).toEqual(['investment_dept']);
    expect(pendingApprovals(as(['investment_dept']), gate({ open: false }), proj)).toEqual([]);
    expect(pendingApprovals(as(['investment_dept']), gate({ approvals: [{ role: 'investment_dept', decision: 'approve', round: 1 }] }), proj)).toEqual([]);
    // A decision of an earlier round (the gate was reopened) does not count.
    expect(pendingApprovals(as(['investment_dept']), gate({ round: 2, approvals: [{ role: 'investment_dept', decision: 'reject', round: 1 }] }), proj)).toEqual(['investment_dept']);
    expect(pendingApprovals(as(['eco_bureau']), gate(), proj)).toEqual([]);
    // An enterprise's view of the gate has no approver list.
    expect(pendingApprovals(as(['enterprise']), { stage: 'SIGNING', open: true }, proj)).toEqual([]);
  });

  it('the meeting is recorded by the committee leader or the park center, once, on an open gate that needs one', () => {
    expect(canRecordMeeting(as(['committee_leader']), gate(), proj)).toBe(true);
    expect(canRecordMeeting(center(), gate(), proj)).toBe(true);
    // A park center acts in its own park only (a user with another staff role reads every park's projects).
    expect(canRecordMeeting(as(['park_center', 'supervision_office'], { park: '科创城' }), gate(), proj)).toBe(false);
    expect(canRecordMeeting(as(['investment_dept']), gate(), proj)).toBe(false);
    expect(canRecordMeeting(as(['committee_leader']), gate({ meetingRecorded: true }), proj)).toBe(false);
    expect(canRecordMeeting(as(['committee_leader']), gate({ meetingRequired: false }), proj)).toBe(false);
    expect(canRecordMeeting(as(['committee_leader']), gate({ open: false }), proj)).toBe(false);
  });

  it('progress is reported by the enterprise or the park center on an active project under construction', () => {
    const building = { ...proj, status: 'ACTIVE', stage: 'CONSTRUCTION' as const };
    expect(canReportProgress(ent(), building)).toBe(true);
    expect(canReportProgress(center(), building)).toBe(true);
    expect(canReportProgress(ent('ent-b'), building)).toBe(false);
    expect(canReportProgress(center('科创城'), building)).toBe(false);
    expect(canReportProgress(as(['committee_leader']), building)).toBe(false);
    expect(canReportProgress(ent(), { ...building, status: 'EXITED' })).toBe(false);
    expect(canReportProgress(ent(), { ...building, stage: 'LANDING' })).toBe(false);
  });

  it('resources are reserved by the park center or the resources bureau, for an active project', () => {
    const active = { ...proj, status: 'ACTIVE' };
    expect(canReserve(center(), active)).toBe(true);
    expect(canReserve(center('科创城'), active)).toBe(false);
    expect(canReserve(as(['resources_bureau']), active)).toBe(true);
    expect(canReserve(as(['investment_dept']), active)).toBe(false);
    expect(canReserve(center(), { ...active, status: 'PENDING_ADMISSION' })).toBe(false);
    // The sites offered: a park center's own park's, the resources bureau's anywhere in the zone.
    expect(mayReserveFrom(center(), proj, '汇通产业园')).toBe(true);
    expect(mayReserveFrom(center(), proj, '科创城')).toBe(false);
    expect(mayReserveFrom(as(['resources_bureau']), proj, '科创城')).toBe(true);
    // Offered: what fits first, then the project's own kind's misfits (a site to adapt); never the other kind's, which
    // the API refuses — a land project is offered no facility at all unless one fits (none can).
    const fit = { park: '汇通产业园', fits: true, id: 'a' };
    const misfit = { park: '汇通产业园', fits: false, id: 'b' };
    const elsewhere = { park: '科创城', fits: true, id: 'c' };
    const land = { ...proj, siteMode: 'land' };
    expect(reservable(center(), land, 'parcels', [fit, misfit, elsewhere]).map((m) => m.id)).toEqual(['a', 'b']);
    expect(reservable(center(), land, 'facilities', [misfit]).map((m) => m.id)).toEqual([]);
    expect(reservable(center(), { ...proj, siteMode: 'lease' }, 'facilities', [misfit]).map((m) => m.id)).toEqual(['b']);
    expect(reservable(as(['resources_bureau']), land, 'parcels', [fit, elsewhere]).map((m) => m.id)).toEqual(['a', 'c']);
  });

  it('a letter is acknowledged by its addressee only, and only once', () => {
    const toEnt = { to: { kind: 'enterprise' as const, enterpriseId: 'ent-a' }, status: 'sent' };
    expect(canAcknowledge(as(['enterprise'], { enterprise: 'ent-a' }), toEnt)).toBe(true);
    expect(canAcknowledge(as(['enterprise'], { enterprise: 'ent-b' }), toEnt)).toBe(false);
    expect(canAcknowledge(as(['enterprise'], { enterprise: 'ent-a' }), { ...toEnt, status: 'acknowledged' })).toBe(false);
    const toPark = { to: { kind: 'department' as const, role: 'park_center' as const, park: '汇通产业园' }, status: 'overdue' };
    expect(canAcknowledge(as(['park_center'], { park: '汇通产业园' }), toPark)).toBe(true);
    expect(canAcknowledge(as(['park_center'], { park: '科创城' }), toPark)).toBe(false);
    expect(canAcknowledge(as(['construction_dept']), { to: { kind: 'department', role: 'construction_dept' }, status: 'sent' })).toBe(true);
  });
});

describe('problem+json in forms', () => {
  it('puts each error beside its field and keeps the rest for the form', () => {
    const p = problemToForm(
      { title: 'Request is not valid', detail: 'heldOn: is required', errors: [{ path: 'heldOn', message: 'is required' }, { path: 'followUps[0].dueDate', message: 'bad date' }, { path: 'other', message: 'x' }] },
      ['heldOn', 'followUps'],
    );
    // An entry inside a field is named with its message (#1: the first).
    expect(p.fields).toEqual({ heldOn: 'is required', followUps: '#1 dueDate: bad date' });
    expect(p.general).toBe('other: x');
    // A query parameter the API names (a report's period) is the filter form's field of that name.
    expect(problemToForm({ errors: [{ path: 'query.from', code: 'out_of_range', message: 'must be on or before 2026-03-01' }] }, ['from', 'to']).fields).toEqual({ from: 'must be on or before 2026-03-01' });
  });

  it('says in Chinese what a message it cannot translate is about, from the error\'s code, keeping the English after it', () => {
    const zh = problemToForm({ errors: [{ path: 'findings', code: 'state', message: 'in force already' }, { path: 'name', code: 'required', message: 'is required' }, { path: 'note', message: 'something new' }, { path: 'kind', code: 'later_code', message: 'new words' }] }, ['findings', 'name', 'note', 'kind'], 'zh');
    // Translated messages stay as they are; an unknown code (the list grows) or none leaves the English alone.
    expect(zh.fields).toEqual({ findings: '当前状态不允许（in force already）', name: '必填', note: 'something new', kind: 'new words' });
    expect(problemToForm({ errors: [{ path: 'findings', code: 'duplicate', message: 'clause 3 is listed twice' }] }, ['findings'], 'en').fields).toEqual({ findings: 'clause 3 is listed twice' });
  });

  it('shows the detail when an error names only the record the page acts on (a path parameter: the allocation released, the letter answered)', () => {
    const released = { status: 409, title: 'Conflict with the current state', detail: 'Allocation fal-1 was released', errors: [{ path: 'path.aid', code: 'state', message: 'released' }] };
    expect(problemToForm(released, ['amountCny', 'spentOn', 'note', 'payee'], 'en')).toEqual({ fields: {}, general: 'Allocation fal-1 was released' });
    expect(problemToForm(released, ['amountCny', 'spentOn', 'note', 'payee'], 'zh').general).toBe(problemToForm({ ...released, errors: undefined }, ['amountCny'], 'zh').general);
  });

  it('shows the detail when no error names a field (a 409, a 403)', () => {
    expect(problemToForm({ title: 'Conflict', detail: 'the gate is not open' }, ['decision'])).toEqual({ fields: {}, general: 'the gate is not open' });
    // In the Chinese page the common field messages are Chinese; the rest (dates, bounds) kept; unknown ones as given.
    const zh = problemToForm({ errors: [{ path: 'name', message: 'is required' }, { path: 'jobs', message: 'Invalid input: expected int, received number' }, { path: 'dueDate', message: 'must be after 2026-12-02' }, { path: 'note', message: 'something new' }] }, ['name', 'jobs', 'dueDate', 'note'], 'zh');
    expect(zh.fields).toEqual({ name: '必填', jobs: '须为整数', dueDate: '须晚于2026-12-02', note: 'something new' });
    expect(problemToForm({ errors: [{ path: 'name', message: 'is required' }] }, ['name'], 'en').fields).toEqual({ name: 'is required' });
    // An empty text field (a reason, a reply) is a required one left blank, said as 'is required' is: not 至少 1 个字.
    expect(inLanguage('must have at least 1 character', 'zh')).toBe('必填');
    expect(inLanguage('must have at least 2 characters', 'zh')).toBe('至少2个字');
    expect(inLanguage('must have at least 1 item', 'zh')).toBe('至少1项');
    expect(inLanguage('must be > 0', 'zh')).toBe('须大于0');
    // A quarter of production figures filed meanwhile by someone else (409 on quarter).
    expect(inLanguage('filed already: a correction needs If-Match', 'zh')).toBe('该季度数据已报送（刷新页面后可查看并更正）');
    // A payment's day refused (the spending form's spentOn): beside the field, in Chinese.
    const afterExit = problemToForm({ status: 409, detail: 'Project prj-1 was decided to exit 退出 on 2026-11-21: the fund pays it nothing after that day', errors: [{ path: 'spentOn', code: 'out_of_range', message: 'on or before 2026-11-21, the day the exit was decided' }] }, ['amountCny', 'spentOn', 'note', 'payee'], 'zh');
    expect(afterExit).toEqual({ fields: { spentOn: '项目已于2026-11-21决定退出，此后的支出不再记录（不得晚于2026-11-21）' }, general: undefined });
    expect(inLanguage('on or before today, 2026-11-30', 'zh')).toBe('不得晚于今天（2026-11-30）');
    expect(inLanguage('on or after 2026-03-02, the day the allocation was made', 'zh')).toBe('不得早于资金安排之日（2026-03-02）');
    expect(problemToForm({ title: 'Forbidden' }, [])).toEqual({ fields: {}, general: 'Forbidden' });
    // On a Chinese page the refusal is said first in Chinese by its status, its English detail after it.
    expect(problemToForm({ status: 403, title: 'Not allowed', detail: 'Only ops may do that' }, [], 'zh').general).toBe('无权办理：Only ops may do that');
    expect(problemToForm({ status: 409, detail: 'the gate is not open' }, ['decision'], 'zh').general).toBe('与当前状态冲突：the gate is not open');
    expect(problemToForm({ status: 409, detail: 'the gate is not open' }, ['decision'], 'en').general).toBe('the gate is not open');
    // A detail naming something in Chinese (the gate's name) is still the API's English: led in Chinese all the same —
    // the gate's refusals said whole in Chinese.
    expect(problemToForm({ status: 409, detail: 'Project prj-1 has no record 备案 of that kind' }, [], 'zh').general).toBe('与当前状态冲突：Project prj-1 has no record 备案 of that kind');
    expect(problemToForm({ status: 409, detail: "The 落地转段会议 gate is not open: the stage's required tasks are not done" }, ['decision'], 'zh').general).toBe('落地转段会议尚未开启：本阶段必办任务尚未全部办结；页面已刷新');
    expect(problemToForm({ status: 409, detail: "The 落地转段会议 gate is not open yet: its meeting is recorded once the stage's tasks are done" }, [], 'zh').general).toBe('落地转段会议尚未开启：本阶段任务办结后方可记录转段会议；页面已刷新');
    expect(problemToForm({ status: 409, detail: "The 落地转段会议 gate is not open: the stage's required tasks are not done" }, ['decision'], 'en').general).toBe("The 落地转段会议 gate is not open: the stage's required tasks are not done");
    // An English sentence that begins with a Chinese name (a utility's label is its park and kind: a reservation released
    // from another tab after it was leased) is the API's English all the same: led in Chinese. The page's own Chinese
    // wording (a stale record) is not.
    expect(problemToForm({ status: 409, detail: '汇通产业园 power is leased: it comes back to the inventory only through the exit procedure (land reclaimed)', errors: [{ path: 'path.rid', code: 'state', message: 'leased: released only through the exit procedure' }] }, [], 'zh').general).toBe(
      '与当前状态冲突：汇通产业园 power is leased: it comes back to the inventory only through the exit procedure (land reclaimed)',
    );
    expect(problemToForm({ status: 412, detail: '保存未成功：此记录在您打开后已被他人修改，页面已载入最新内容。请核对后再保存。', errors: [] }, [], 'zh').general).toBe('保存未成功：此记录在您打开后已被他人修改，页面已载入最新内容。请核对后再保存。');
    // A write that kept losing its race to others at the same moment (409 concurrent-change): the request was fine and
    // nothing was written, so the page says to retry, not that the project's state forbids it.
    const raced = { status: 409, type: 'https://zoneflow.dev/problems/concurrent-change', title: 'The record is changing right now', detail: 'The record kept changing while your request was being applied (other changes to it at the same moment); nothing was written. Retry the request' };
    expect(problemToForm(raced, ['number'], 'zh').general).toBe(`记录正被他人同时修改，本次未写入任何内容，请稍后重新提交：${raced.detail}`);
    expect(problemToForm(raced, ['number'], 'en').general).toBe(raced.detail);
    // A button's write (no form) says the same; any other refusal keeps the page's usual 出错 line.
    expect(raceLost(raced, 'zh')).toBe(`记录正被他人同时修改，本次未写入任何内容，请稍后重新提交：${raced.detail}`);
    expect(raceLost(raced, 'en')).toBe(raced.detail);
    expect(raceLost({ status: 409, type: 'https://zoneflow.dev/problems/conflict', detail: 'the parcel is held' }, 'zh')).toBeUndefined();
    expect(raceLost(undefined, 'zh')).toBeUndefined();
    // A detail already in Chinese (the page's own words for a record changed meanwhile) is not led again.
    expect(problemToForm({ status: 412, detail: '保存未成功：此记录在您打开后已被他人修改' }, [], 'zh').general).toBe('保存未成功：此记录在您打开后已被他人修改');
    // A 403 naming its field (registering another department's track) is said beside that field.
    expect(problemToForm({ status: 403, detail: 'Only scitech_dept creates scitech projects', errors: [{ path: 'track', code: 'not_allowed', message: 'scitech projects are registered by scitech_dept' }] }, ['track'], 'zh')).toEqual({ fields: { track: '科创项目由科技服务中心登记' }, general: undefined });
  });

  it('says the refusals any form meets — another official saved first, a reused key, a role that may not, a site another project took — whole in the page’s language', () => {
    // As the API answers them (seen on the project page: 无权办理：This action needs one of the roles: committee_leader).
    // (It names the header, If-Match, which no form has: the page says the refusal whole, not "If-Match: …".)
    const stale = { status: 412, type: 'https://zoneflow.dev/problems/stale-version', title: 'Version does not match', detail: 'Project prj-1 is at version 7, not 1', errors: [{ path: 'If-Match', code: 'stale', message: 'the record has changed since this version: read it again' }] };
    // Said as the inventory's record form says it, with the version the record is at now where the API names it (the ops
    // editors publish over it).
    expect(problemToForm(stale, ['name'], 'zh').general).toBe('保存未成功：此记录在您打开后已被他人修改（现为版本7），页面已载入最新内容。请核对后再保存。');
    expect(problemToForm(stale, ['name'], 'en').general).toBe('Not saved: someone changed this record after you opened it (it is at version 7 now). The page now shows the current record; check it and save again.');
    expect(problemToForm({ ...stale, detail: translator('zh').t('staleRecord') }, [], 'zh').general).toBe(translator('zh').t('staleRecord'));
    expect(problemToForm({ ...stale, detail: translator('en').t('staleRecord') }, [], 'en').general).toBe(translator('en').t('staleRecord'));
    const reused = { status: 422, type: 'https://zoneflow.dev/problems/idempotency-key-reused', title: 'Idempotency-Key reused', detail: 'This Idempotency-Key was used with a different request; use a new key', errors: [{ path: 'Idempotency-Key', code: 'duplicate', message: 'used already with a different request: send a new key' }] };
    expect(problemToForm(reused, ['reason'], 'zh').general).toBe('未保存：本次提交与此前一次提交的内容不同，未写入任何内容，请再次提交');
    expect(problemToForm(reused, ['reason'], 'en').general).not.toMatch(/Idempotency-Key/);
    const role = { status: 403, type: 'https://zoneflow.dev/problems/forbidden', title: 'Not allowed', detail: 'This action needs one of the roles: committee_leader' };
    expect(problemToForm(role, ['reason'], 'zh').general).toBe('无权办理：此事项由管委会分管领导办理');
    expect(problemToForm(role, ['reason'], 'en').general).toBe('Not allowed: this is done by Committee leader in charge');
    expect(problemToForm({ ...role, detail: 'Reserving resources is for: park_center, resources_bureau (of the project’s park)' }, [], 'zh').general).toBe('无权办理：此事项由园区事业服务中心、规划和自然资源局开发区分局办理');
    // The site another project reserved first (409 on resourceId): said as that, not 当前状态不允许（reserved）.
    const held = { status: 409, detail: '土地 JZ2026-01 is reserved by another project: nothing was reserved', errors: [{ path: 'resourceId', code: 'state', message: 'reserved' }] };
    expect(problemToForm(held, ['kind', 'resourceId'], 'zh').fields).toEqual({ resourceId: '已被其他项目预留' });
    // And on an English page not the bare state word, which reads as if this project held it.
    expect(problemToForm(held, ['kind', 'resourceId'], 'en').fields).toEqual({ resourceId: 'reserved by another project' });
    expect(inLanguage('leased', 'en')).toBe('leased to another project');
    expect(inLanguage('must be > 0', 'en')).toBe('must be > 0');
    // More of a quota than remains (409 on amount): its unit said in Chinese too.
    expect(inLanguage('at most 120 t remain', 'zh')).toBe('余额仅120吨');
    expect(inLanguage('at most 47,000 tce remain', 'zh')).toBe('余额仅47,000吨标准煤');
    expect(inLanguage('at most 59,500 kVA remain', 'zh')).toBe('余额仅59,500 kVA');
    // A record the reader may not see (or that is not there): not 不存在或无权查看: No project prj-9.
    expect(refusalDetail({ status: 404, type: 'https://zoneflow.dev/problems/not-found', detail: 'No project prj-9' }, 'zh')).toBe('项目 prj-9 不存在或无权查看');
    expect(refusalDetail({ status: 404, detail: 'No project prj-9' }, 'en')).toBeUndefined();
    expect(refusalDetail({ status: 409, detail: 'the gate is not open' }, 'zh')).toBeUndefined();
  });

  it('says the exit rung’s rarer 409s whole in Chinese — an exit decided twice, a decision after the ladder left L5, a project exited or being exited — and leaves the English page the API’s words', () => {
    const conflict = (detail: string) => ({ status: 409, type: 'https://zoneflow.dev/problems/conflict', title: 'Conflict', detail });
    const zh = (detail: string) => problemToForm(conflict(detail), ['decision', 'reason', 'newDueDate'], 'zh').general;
    // (Seen on the page as 与当前状态冲突：The exit of project … — an English sentence after a Chinese lead.)
    expect(zh('The exit of project prj-7 is decided (exit-prj-7-1)')).toBe('项目 prj-7 的退出已经决定（退出程序已决定），不能再次决定；页面已刷新');
    expect(zh('The exit of project prj-7 is running (exit-prj-7-1)')).toBe('项目 prj-7 的退出已经决定（退出程序执行中），不能再次决定；页面已刷新');
    expect(zh("The exit decision is taken at the ladder's exit rung (L5); project prj-7 is at L0")).toBe('退出决定只在督办 L5（退出程序）作出：项目 prj-7 现处于 L0，页面已刷新');
    expect(zh("The exit decision is taken at the ladder's exit rung (L5); project prj-7 is at L4")).toBe('退出决定只在督办 L5（退出程序）作出：项目 prj-7 现处于 L4，页面已刷新');
    expect(zh('Project prj-7 is EXITED')).toBe('项目 prj-7 现为“已退出”，此事项不能办理');
    expect(zh('A gate decision: project prj-7 is COMPLETED')).toBe('项目 prj-7 现为“已达产”，此事项不能办理');
    expect(zh('No extension: project prj-7 is being exited 退出程序 (failed, exit-prj-7-1)')).toBe('项目 prj-7 正在退出程序中（执行失败），此事项不再办理');
    expect(zh('No compliance check 履约核查 (L4) of this climb is on record for project prj-7: an exit rests on one (record it at exit pending)')).toBe('项目 prj-7 本轮督办尚无履约核查记录：退出须以认定违约的履约核查为据，请先记录履约核查或决定延期');
    expect(zh('The compliance check no. 2 (2026-11-30) found no clause breached: extend instead of exiting')).toBe('第2号履约核查（2026-11-30）未认定违约：不能退出，请决定延期');
    expect(zh("The interview 约谈 is the ladder's L2 rung; project prj-7 is at L0")).toBe('约谈在督办 L2 记录：项目 prj-7 现处于 L0，页面已刷新');
    expect(zh('The project is EXITED: nothing to extend')).toBe('项目已退出，无需延期');
    // An English page keeps the API's own sentence, whole and with no lead.
    expect(problemToForm(conflict('The exit of project prj-7 is decided (exit-prj-7-1)'), ['decision'], 'en').general).toBe('The exit of project prj-7 is decided (exit-prj-7-1)');
    // A status the page has no word for is not guessed at.
    expect(refusalDetail(conflict('Project prj-7 is SOMETHING'), 'zh')).toBeUndefined();
    // An exit on a check that found no breach names the decision sent (errors[] at `decision`): said on that field in
    // Chinese, not as 当前状态不允许 and the API's English.
    const noBreach = { ...conflict('The compliance check no. 2 (2026-11-30) found no clause breached: extend instead of exiting'), errors: [{ path: 'decision', code: 'state', message: 'compliance check no. 2 found no clause breached: only extend' }] };
    expect(problemToForm(noBreach, ['decision', 'reason', 'newDueDate'], 'zh')).toEqual({ fields: { decision: '第2号履约核查未认定违约：只能决定延期' }, general: undefined });
    expect(problemToForm(noBreach, ['decision', 'reason', 'newDueDate'], 'en').fields).toEqual({ decision: 'compliance check no. 2 found no clause breached: only extend' });
  });

  it('says a list past the cap of open follow-ups and obligations in Chinese, on the list it names', () => {
    const capped = { status: 409, detail: 'This project already carries 198 open follow-ups …', errors: [{ path: 'followUps', code: 'state', message: '3 to add; the project has room for 2 (198 of 200 open: config/limits openItemsPerProject)' }] };
    expect(problemToForm(capped, ['followUps'], 'zh').fields).toEqual({ followUps: '新增3项，本项目仅可再增2项（未办结198项，上限200项：config/limits openItemsPerProject）' });
  });

  it('says the remaining common API messages in Chinese: parks, dates against today or a meeting, what remains, bounds, a readiness date in the future', () => {
    const zh = (m: string) => inLanguage(m, 'zh');
    expect(zh("不存在园区 is not one of the zone's parks: 汇通产业园, 科创城, 智造港 (GET /config/parks; ops add a park with PUT /config/parks)")).toBe('不存在园区不是本区的园区（本区园区：汇通产业园, 科创城, 智造港）');
    expect(zh('文物勘探 cannot be done in the future (today is 2026-12-03)')).toBe('文物勘探的完成日期不得晚于今天（2026-12-03）');
    expect(zh('must not be after today (2026-12-02)')).toBe('不得晚于今天（2026-12-02）');
    expect(zh('must not be before the meeting (2026-11-30)')).toBe('不得早于会议日期（2026-11-30）');
    expect(zh('must be after today (2026-12-02) and on or before 2027-12-02')).toBe('须晚于今天（2026-12-02），且不晚于2027-12-02');
    expect(zh('must be on or before 2027-01-20 (10 working days)')).toBe('不得晚于2027-01-20（10个工作日内）');
    expect(zh('must lie between 2026-11-20 (the rung began) and today (2026-12-02)')).toBe('须在所属督办等级开始之日（2026-11-20）至今天（2026-12-02）之间');
    expect(zh('at most 1000万元 remain')).toBe('余额仅1000万元');
    expect(zh('at most 50万元')).toBe('至多50万元');
    expect(zh('must be ≥ 0')).toBe('须不小于0');
    expect(zh('must be ≤ 1000000000万元')).toBe('须不大于1000000000万元');
    expect(zh('must be a valid YYYY-MM-DD date')).toBe('请填写有效日期（年-月-日）');
    expect(zh('held by a project')).toBe('已被项目占用');
    expect(zh('locked after admission: use a contract amendment')).toBe('准入后不能直接修改：请通过合同变更');
    expect(zh('clause 第五条 is listed twice')).toBe('条款“第五条”重复');
    expect(zh('环评批复 is also listed as handed in (documents[1])')).toBe('“环评批复”已列为已交材料，不能同时容缺');
    expect(zh('选址意见书 is owed already by SIGNING.pre_site_selection.obligation-1 (due 2026-12-10)')).toBe('“选址意见书”已有容缺补正事项（SIGNING.pre_site_selection.obligation-1，期限2026-12-10），请按该事项补交');
    expect(zh('补充用地资料 (resources_bureau) is agreed already')).toBe('“补充用地资料”已列为该单位的事项，不能重复');
    expect(zh('a meeting record holds at most 100 follow-ups: it has 80, 20 more fit')).toBe('一份会议记录至多100项跟进事项：已有80项，还可增加20项');
    expect(zh("a round's rectification plan holds at most 75 items: the departments named 66 before, 9 more fit")).toBe('本轮整改计划（各部门合计）至多75项：其他部门已提出66项，还可提出9项');
    expect(zh('a decision to continue names at least one rectification item')).toBe('继续推进须列出至少一项整改事项');
    // None of these is left in English on the Chinese page; the English page keeps the API's words.
    expect(inLanguage('at most 1000 万元 remain', 'en')).toBe('at most 1000 万元 remain');
  });

  it('writes the API’s messages in Chinese as the notices write Chinese: no space beside a date or figure, kept beside an English name', () => {
    const zh = (m: string) => inLanguage(m, 'zh');
    // (Seen on the page as 须大于 0, 余额仅 120 吨, 不得晚于 2027-01-20（10 个工作日内） beside the notices' 期限2026-12-07.)
    expect(zh('must be > 0')).toBe('须大于0');
    expect(zh('must have at least 2 characters')).toBe('至少2个字');
    expect(zh('must be a date in 2027')).toBe('须为2027年内的日期');
    expect(zh('must be after 2026-12-02')).toBe('须晚于2026-12-02');
    expect(zh('must be after today (2026-12-02) and on or before 2027-12-02')).toBe('须晚于今天（2026-12-02），且不晚于2027-12-02');
    expect(zh('must be on or before 2027-01-20 (10 working days)')).toBe('不得晚于2027-01-20（10个工作日内）');
    expect(zh('at most 120 t remain')).toBe('余额仅120吨');
    expect(zh('at most 47,000 tce remain')).toBe('余额仅47,000吨标准煤');
    expect(zh('at most 59,500 kVA remain')).toBe('余额仅59,500 kVA');
    expect(zh('3 to add; the project has room for 2 (198 of 200 open: config/limits openItemsPerProject)')).toBe('新增3项，本项目仅可再增2项（未办结198项，上限200项：config/limits openItemsPerProject）');
    expect(zh('选址意见书 is owed already by SIGNING.pre_site_selection.obligation-1 (due 2026-12-10)')).toBe('“选址意见书”已有容缺补正事项（SIGNING.pre_site_selection.obligation-1，期限2026-12-10），请按该事项补交');
    // A park's name: Chinese beside Chinese, an English one keeps its space.
    expect(zh("不存在园区 is not one of the zone's parks: 汇通产业园, 科创城 (GET /config/parks; ops add a park with PUT /config/parks)")).toBe('不存在园区不是本区的园区（本区园区：汇通产业园, 科创城）');
    expect(zh("Nowhere Park is not one of the zone's parks: 汇通产业园 (GET /config/parks)")).toBe('Nowhere Park 不是本区的园区（本区园区：汇通产业园）');
    // A bound in yuan said in 万元 beside a 万元 field, and the page's own refusals.
    expect(problemToForm({ errors: [{ path: 'amountCny', message: 'at most 500000' }] }, ['amountCny'], 'zh').fields).toEqual({ amountCny: '至多50万元' });
    expect(refusalDetail({ status: 409, detail: 'The compliance check no. 2 (2026-11-30) found no clause breached: extend instead of exiting' }, 'zh')).toBe('第2号履约核查（2026-11-30）未认定违约：不能退出，请决定延期');
    expect(refusalDetail({ status: 412, type: 'https://zoneflow.dev/problems/stale-version', detail: 'Resource par-1 is at version 3' }, 'zh')).toBe('保存未成功：此记录在您打开后已被他人修改（现为版本3），页面已载入最新内容。请核对后再保存。');
    // Names and codes in English keep their spaces: 项目 prj-9.
    expect(refusalDetail({ status: 404, detail: 'No project prj-9' }, 'zh')).toBe('项目 prj-9 不存在或无权查看');
  });

  it('puts a nested path on the form’s field of that name (investor.name), the longest that matches', () => {
    const p = problemToForm({ errors: [{ path: 'investor.name', message: 'required' }, { path: 'targets.jobs', message: 'too many' }, { path: 'needs', message: 'x' }] }, ['investor.name', 'investor.enterpriseId', 'targets.jobs', 'name']);
    expect(p.fields).toEqual({ 'investor.name': 'required', 'targets.jobs': 'too many' });
    expect(p.general).toBe('needs: x');
  });

  it('says the bounds of a field typed in 万元 in 万元 (the API counts yuan); other fields as the API says them', () => {
    const p = problemToForm(
      { errors: [{ path: 'amountCny', message: 'at most 500000' }, { path: 'targets.taxCny', message: 'must be ≤ 10000000000000' }, { path: 'rentCnyPerM2Month', message: 'must be ≤ 1000' }, { path: 'totalInvestmentCny', message: 'must be > 0' }] },
      ['amountCny', 'targets.taxCny', 'rentCnyPerM2Month', 'totalInvestmentCny'],
    );
    // (An English page says them in its field's unit, not in 万元: "at most 1000 万元 remain" was seen there.)
    expect(p.fields).toEqual({ amountCny: 'at most 50 × 10,000 yuan', 'targets.taxCny': 'must be ≤ 1000000000 × 10,000 yuan', rentCnyPerM2Month: 'must be ≤ 1000', totalInvestmentCny: 'must be > 0' });
    expect(problemToForm({ status: 409, errors: [{ path: 'amountCny', code: 'too_big', message: 'at most 10000000 remain' }] }, ['amountCny'], 'zh').fields).toEqual({ amountCny: '余额仅1000万元' });
    // Dates, decimals and codes inside a message are not amounts.
    expect(amountsInWan('due 2026-12-01, 0.5 of fa-12345, 12345')).toBe('due 2026-12-01, 0.5 of fa-12345, 1.2345万元');
  });

  it('says in words, on a Chinese page, a refusal of what the project lacks or of a round moved on (no field of the form names it)', () => {
    // Completing 土地清单 before any parcel is reserved: the department is told what is missing and who reserves it.
    const lacking = { status: 409, detail: '土地清单/配套完善 needs the project to hold a 土地 reservation: POST /projects/p/reservations', errors: [{ path: 'reservation', code: 'required', message: 'no parcels reservation held' }] };
    expect(problemToForm(lacking, ['note', 'documents'], 'zh').general).toBe('资源预留：项目尚未预留土地（由园区事业服务中心或规划和自然资源局在“资源预留”中预留）');
    expect(problemToForm({ ...lacking, errors: [{ path: 'reservation', code: 'required', message: 'no facilities reservation held' }] }, ['note'], 'zh').general).toContain('项目尚未预留闲置厂房/楼宇');
    expect(problemToForm({ status: 409, errors: [{ path: 'round', code: 'state', message: 'the gate is in round 2' }] }, ['decision', 'comment'], 'zh').general).toBe('会签轮次：转段已进入第2轮（页面已刷新，请按最新情况重新提交）');
    // The English page keeps the API's words.
    expect(problemToForm(lacking, ['note'], 'en').general).toBe('reservation: no parcels reservation held');
  });

  it('does not repeat the detail when the fields already say it', () => {
    expect(problemToForm({ detail: 'note: too long', errors: [{ path: 'note', message: 'too long' }] }, ['note']).general).toBeUndefined();
  });
});

describe('registration and the leaders’ decisions', () => {
  it('registers through an investment department only', () => {
    expect(canRegister(as(['investment_dept']))).toBe(true);
    expect(canRegister(as(['scitech_dept']))).toBe(true);
    expect(canRegister(as(['committee_leader']))).toBe(false);
    expect(canRegister(undefined)).toBe(false);
  });

  it('builds the body: 万元 into whole yuan, numbers as numbers, empty fields and empty groups left out, non-numbers as typed', () => {
    const body = registrationBody({ name: ' 项目 ', 'investor.name': '企业', 'investor.enterpriseId': 'ent-b', track: 'industrial', totalInvestmentCny: '8000.5', 'targets.outputValueCny': '', 'targets.jobs': '120', 'needs.areaM2': 'abc', park: '' });
    expect(body).toEqual({ name: '项目', investor: { name: '企业', enterpriseId: 'ent-b' }, track: 'industrial', totalInvestmentCny: 80_005_000, targets: { jobs: 120 }, needs: { areaM2: 'abc' } });
    expect(JSON.parse(JSON.stringify(registrationBody({})))).toEqual({ investor: {} });
  });

  it('asks for admission from each required decider the user holds, once, while pending', () => {
    const p = { status: 'PENDING_ADMISSION', admission: { required: ['investment_dept', 'committee_leader'] as Identity['roles'], decisions: [{ role: 'investment_dept' as const }] } };
    expect(pendingAdmission(as(['committee_leader']), p)).toEqual(['committee_leader']);
    expect(pendingAdmission(as(['investment_dept']), p)).toEqual([]);
    expect(pendingAdmission(as(['committee_leader']), { ...p, status: 'ACTIVE' })).toEqual([]);
    expect(pendingAdmission(as(['committee_leader']), { status: 'PENDING_ADMISSION' })).toEqual([]);
  });

  it('offers the leader an extension on L1–L4 and the exit decision at L5 (not once an exit is under way)', () => {
    const leader = as(['committee_leader']);
    const at = (level: number, extra: object = {}) => ({ ...proj, status: 'ACTIVE', escalation: { level, since: '2026-10-08' }, ...extra });
    expect([0, 1, 4, 5].map((l) => canExtend(leader, at(l)))).toEqual([false, true, true, false]);
    expect([4, 5].map((l) => canDecideExit(leader, at(l)))).toEqual([false, true]);
    expect(canDecideExit(leader, at(5, { exit: { status: 'decided' } }))).toBe(false);
    expect(canDecideExit(as(['supervision_office']), at(5))).toBe(false);
    expect(canExtend(leader, { ...at(2), status: 'EXITED' })).toBe(false);
  });
});

describe('lists in forms and figures', () => {
  it('names each row’s fields as the API’s paths and keeps every row where the user sees it (an empty field left out)', () => {
    expect(rowFields('deficiencies', ['document', 'dueDate'], 2)).toEqual(['deficiencies[0].document', 'deficiencies[0].dueDate', 'deficiencies[1].document', 'deficiencies[1].dueDate']);
    const values = { 'deficiencies[0].document': ' 环评批复 ', 'deficiencies[0].dueDate': '', 'deficiencies[1].document': '', 'deficiencies[1].dueDate': '2027-01-05' };
    expect(rowsOf(values, 'deficiencies', ['document', 'dueDate'], 2)).toEqual([{ document: '环评批复' }, { dueDate: '2027-01-05' }]);
    expect(rowsOf(values, 'deficiencies', ['document', 'dueDate'], 0)).toEqual([]);
  });

  it('asks for a 容缺 document’s Chinese name before sending one typed only in English (its obligation would read 容缺补正：<English>)', () => {
    const values = {
      'deficiencies[0].document': 'Environmental impact report', 'deficiencies[0].documentEn': '',
      'deficiencies[1].document': '用地预审意见', 'deficiencies[1].documentEn': 'Land pre-review opinion',
      'deficiencies[2].document': 'ISO 9001认证证书', 'deficiencies[2].documentEn': '',
      'deficiencies[3].document': '  ', 'deficiencies[3].documentEn': 'Fire permit',
      'deficiencies[4].document': ' EIA ', 'deficiencies[4].documentEn': 'EIA approval',
    };
    // An empty name is the API's to name (required); one with a Chinese character is a Chinese name, Latin letters and all.
    expect(deficienciesWithoutChinese(values, 5, '中文名称')).toEqual({ fields: { 'deficiencies[0].document': '中文名称', 'deficiencies[4].document': '中文名称' } });
    expect(deficienciesWithoutChinese(values, 2, '中文名称')).toEqual({ fields: { 'deficiencies[0].document': '中文名称' } });
    expect(deficienciesWithoutChinese(values, 0, '中文名称')).toBeUndefined();
    expect(deficienciesWithoutChinese({ 'deficiencies[0].document': '环评批复' }, 1, '中文名称')).toBeUndefined();
  });

  it('asks a work item typed with no Chinese character (a meeting’s follow-up, a commitment, a rectification item) for its Chinese name', () => {
    const values = {
      'followUps[0].item': 'Submit the EIA report', 'followUps[0].itemEn': '',
      'followUps[1].item': '补充环评材料', 'followUps[1].itemEn': 'Supplement the EIA',
      'followUps[2].item': '  ',
      'followUps[3].item': 'EIA 报告',
    };
    // The English goes in its own column: the item names the task on the Chinese page, the ledger and the notices.
    expect(workItemsWithoutChinese(values, 'followUps', 4, '中文名称')).toEqual({ fields: { 'followUps[0].item': '中文名称' } });
    expect(workItemsWithoutChinese(values, 'followUps', 0, '中文名称')).toBeUndefined();
    expect(workItemsWithoutChinese({ 'plan[0].item': '整改' }, 'plan', 1, '中文名称')).toBeUndefined();
  });

  it('marks on the Chinese page a name recorded in English only, shown as typed; never on the English page', () => {
    expect(typedInEnglishOnly('Submit the EIA report', 'zh')).toBe(true);
    expect(typedInEnglishOnly('Submit the EIA report', 'en')).toBe(false);
    expect(typedInEnglishOnly('补充 EIA 报告', 'zh')).toBe(false);
    expect(typedInEnglishOnly('容缺补正：用地预审意见', 'zh')).toBe(false);
    // Digits and signs alone are not English.
    expect(typedInEnglishOnly('2027-01', 'zh')).toBe(false);
  });

  it('sends a work item’s English name (itemEn) with its row when filled, and none when left empty', () => {
    const values = {
      'commitments[0].item': '恢复施工', 'commitments[0].itemEn': ' Resume construction ', 'commitments[0].owner': 'enterprise', 'commitments[0].dueDate': '2027-01-05',
      'commitments[1].item': '补充资料', 'commitments[1].itemEn': '  ', 'commitments[1].owner': 'park_center', 'commitments[1].dueDate': '2027-01-06',
    };
    expect(rowsOf(values, 'commitments', WORK_ITEM_KEYS, 2)).toEqual([
      { item: '恢复施工', itemEn: 'Resume construction', owner: 'enterprise', dueDate: '2027-01-05' },
      { item: '补充资料', owner: 'park_center', dueDate: '2027-01-06' },
    ]);
    expect(rowFields('plan', WORK_ITEM_KEYS, 1)).toEqual(['plan[0].item', 'plan[0].itemEn', 'plan[0].owner', 'plan[0].dueDate']);
  });

  it('offers the quarter of the business date and the three before it, across a year end', () => {
    expect(recentQuarters('2027-02-10')).toEqual(['2027Q1', '2026Q4', '2026Q3', '2026Q2']);
    expect(recentQuarters('2026-12-31', 2)).toEqual(['2026Q4', '2026Q3']);
    expect(recentQuarters('2026-07-01', 1)).toEqual(['2026Q3']);
  });

  it('turns 万元 into whole yuan and typed numbers into numbers; anything else, or a fraction of a yuan, is sent for the API to name', () => {
    expect(wanToYuan('12000.5')).toBe(120_005_000);
    expect(wanToYuan('1.15')).toBe(11_500);
    expect(wanToYuan('1e3')).toBe(10_000_000);
    expect(wanToYuan(' 0.00001 ')).toBeCloseTo(0.1);
    expect(wanToYuan('')).toBeUndefined();
    expect(wanToYuan('abc')).toBe('abc');
    expect(numberOf('250')).toBe(250);
    expect(numberOf('-5')).toBe(-5);
    expect(numberOf('1.5')).toBe(1.5);
    expect(numberOf('1e3')).toBe(1000);
    expect(numberOf(undefined)).toBeUndefined();
    expect(numberOf('x')).toBe('x');
  });

  it('names the entry inside a field: a configuration’s path, a calendar’s line', () => {
    expect(problemToForm({ errors: [{ path: 'doc.tasks[7].limitWd', message: 'must be ≥ 1' }] }, ['doc', 'note']).fields).toEqual({ doc: 'tasks[7].limitWd: must be ≥ 1' });
    expect(problemToForm({ errors: [{ path: 'holidays[2]', message: 'must be a real date' }] }, ['holidays']).fields).toEqual({ holidays: '#3: must be a real date' });
  });

  it('asks for production figures from the enterprise or park center of a project in operation', () => {
    const operating = { ...proj, status: 'ACTIVE', stage: 'OPERATION' as const };
    expect(canReportProduction(ent(), operating)).toBe(true);
    expect(canReportProduction(center(), operating)).toBe(true);
    expect(canReportProduction(center('科创城'), operating)).toBe(false);
    expect(canReportProduction(as(['committee_leader']), operating)).toBe(false);
    expect(canReportProduction(ent(), { ...operating, stage: 'CONSTRUCTION' })).toBe(false);
    expect(canReportProduction(ent(), { ...operating, status: 'COMPLETED', stage: 'PRODUCING' })).toBe(false);
  });
});

describe('recovery, corrections and the fund', () => {
  it('offers ops the resume of a failed lifecycle and the redrive of a failed exit, and nothing else', () => {
    expect(canResumeWorkflow(as(['ops']), { workflow: { status: 'failed' } })).toBe(true);
    expect(canResumeWorkflow(as(['ops']), { workflow: { status: 'start_failed' } })).toBe(true);
    expect(canResumeWorkflow(as(['ops']), { workflow: { status: 'running' } })).toBe(false);
    expect(canResumeWorkflow(as(['committee_leader']), { workflow: { status: 'failed' } })).toBe(false);
    expect(canResumeWorkflow(as(['ops']), {})).toBe(false);
    expect(canRedriveExit(as(['ops']), { exit: { status: 'failed' } })).toBe(true);
    expect(canRedriveExit(as(['ops']), { exit: { status: 'running' } })).toBe(false);
    expect(canRedriveExit(as(['supervision_office']), { exit: { status: 'failed' } })).toBe(false);
    expect(canRedriveExit(as(['ops']), { exit: null })).toBe(false);
  });

  it('offers a recorded meeting’s correction to the committee leader and park centers; spending to ops and the leader', () => {
    const recorded = { stage: 'SIGNING', open: true, meetingRequired: true, meetingRecorded: true } as never;
    expect(canAmendMeeting(as(['committee_leader']), recorded, proj)).toBe(true);
    expect(canAmendMeeting(center(), recorded, proj)).toBe(true);
    expect(canAmendMeeting(center('科创城'), recorded, proj)).toBe(false);
    expect(canAmendMeeting(as(['investment_dept']), recorded, proj)).toBe(false);
    expect(canAmendMeeting(as(['committee_leader']), { ...(recorded as object), meetingRecorded: false } as never, proj)).toBe(false);
    expect(canManageFund(as(['ops']))).toBe(true);
    expect(canManageFund(as(['committee_leader']))).toBe(true);
    expect(canManageFund(as(['resources_bureau']))).toBe(false);
  });
});

describe('editing a project and amending its contract', () => {
  const record = { name: '甲项目', investor: { name: '甲公司', enterpriseId: 'ent-a' }, totalInvestmentCny: 1_250_000_000, industry: 'nev', targets: { outputValueCny: 500_000_000, jobs: 300 }, needs: { areaM2: 20_000, areaMu: 30 } };

  it('prefills amounts in 万元 and the rest as stored; an absent field empty', () => {
    expect(shownValue(record, 'totalInvestmentCny')).toBe('125000');
    expect(shownValue(record, 'targets.outputValueCny')).toBe('50000');
    expect(shownValue(record, 'targets.jobs')).toBe('300');
    expect(shownValue(record, 'investor.name')).toBe('甲公司');
    expect(shownValue(record, 'targets.taxCny')).toBe('');
  });

  it('sends only what changed, in the API’s shape: yuan, a group’s changed fields (an emptied one as null), investor as { name }', () => {
    const shown = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, shownValue(record, k)]));
    const keys = ['name', 'investor.name', 'totalInvestmentCny', 'industry', 'targets.outputValueCny', 'targets.taxCny', 'targets.jobs', 'needs.areaM2'];
    expect(changesOf(shown(keys), record, keys)).toEqual({});
    expect(changesOf({ ...shown(keys), totalInvestmentCny: '130000', 'targets.taxCny': '800' }, record, keys)).toEqual({ totalInvestmentCny: 1_300_000_000, targets: { taxCny: 8_000_000 } });
    expect(changesOf({ ...shown(keys), 'investor.name': ' 甲股份公司 ', 'targets.jobs': '' }, record, keys)).toEqual({ investor: { name: '甲股份公司' }, targets: { jobs: null } });
    // A required field emptied is sent empty, for the API to name it (not dropped as if unchanged).
    expect(changesOf({ ...shown(keys), name: '  ', totalInvestmentCny: '' }, record, keys)).toEqual({ name: '', totalInvestmentCny: '' });
    // What is not a number goes as typed, for the API to name the field.
    expect(changesOf({ ...shown(keys), 'needs.areaM2': 'abc' }, record, keys)).toEqual({ needs: { areaM2: 'abc' } });
    // A group is sent with its changed fields only (the API merges them): the view's computed area in 亩 is not sent.
    expect(changesOf({ ...shown(keys), 'needs.areaM2': '20000', 'needs.powerKva': '800' } as Record<string, string>, record, [...keys, 'needs.powerKva'])).toEqual({ needs: { powerKva: 800 } });
  });

  it('says what an amendment changed, term by term in the form’s order, before and after as the form shows them (万元)', () => {
    const terms = ['totalInvestmentCny', 'industry', 'targets.outputValueCny', 'targets.taxCny', 'targets.jobs'];
    // As the API records an amendment: each contract field changed with before and after, a group whole.
    const changes = {
      totalInvestmentCny: { before: 200_000_000, after: 90_000_000 },
      targets: { before: { outputValueCny: 500_000_000, jobs: 300 }, after: { outputValueCny: 500_000_000, taxCny: 8_000_000 } },
    };
    expect(changedTerms(changes, terms)).toEqual([
      { key: 'totalInvestmentCny', before: '20000', after: '9000' },
      { key: 'targets.taxCny', before: null, after: '800' },
      { key: 'targets.jobs', before: '300', after: null },
    ]);
    expect(changedTerms({ industry: { before: 'new_energy', after: 'biomedicine' } }, terms)).toEqual([{ key: 'industry', before: 'new_energy', after: 'biomedicine' }]);
    // A group set where there was none; a field the list does not name is not said.
    expect(changedTerms({ targets: { before: null, after: { jobs: 120 } }, name: { before: '甲', after: '乙' } }, terms)).toEqual([{ key: 'targets.jobs', before: null, after: '120' }]);
  });

  it('lets the track’s department edit an open project, and the committee leader amend an admitted one', () => {
    expect(canEditProject(as(['investment_dept']), { track: 'industrial', status: 'ACTIVE' })).toBe(true);
    expect(canEditProject(as(['investment_dept']), { track: 'scitech', status: 'ACTIVE' })).toBe(false);
    expect(canEditProject(as(['scitech_dept']), { track: 'scitech', status: 'PENDING_ADMISSION' })).toBe(true);
    expect(canEditProject(as(['investment_dept']), { track: 'industrial', status: 'EXITED' })).toBe(false);
    expect(canEditProject(as(['investment_dept']), { track: 'industrial', status: 'REJECTED' })).toBe(false);
    // PATCH /projects/{id} takes a COMPLETED project's descriptive fields (it refuses EXITED and REJECTED only).
    expect(canEditProject(as(['investment_dept']), { track: 'industrial', status: 'COMPLETED' })).toBe(true);
    expect(canEditProject(as(['scitech_dept']), { track: 'scitech', status: 'COMPLETED' })).toBe(true);
    expect(canAmendContract(as(['committee_leader']), { status: 'ACTIVE' })).toBe(true);
    expect(canAmendContract(as(['committee_leader']), { status: 'PENDING_ADMISSION' })).toBe(false);
    expect(canAmendContract(as(['investment_dept']), { status: 'ACTIVE' })).toBe(false);
  });
});

describe('reports', () => {
  it('gives the department report to the supervision office, the committee leader and a park center (its own park’s row), the audit to the discipline and supervision offices', () => {
    expect(mayReadDepartmentReport(as(['supervision_office']))).toBe(true);
    expect(mayReadDepartmentReport(as(['committee_leader']))).toBe(true);
    expect(mayReadDepartmentReport(as(['park_center']))).toBe(true);
    expect(mayQueryAudit(as(['discipline_office']))).toBe(true);
    expect(mayQueryAudit(as(['supervision_office']))).toBe(true);
    expect(mayQueryAudit(as(['committee_leader']))).toBe(false);
  });

  it('reads what an audit event is about: a project by its id, a record with what names it, a configuration, a calendar year, a department, a channel', () => {
    expect(auditSubject({ subject: 'PROJECT#prj-a-1' })).toEqual({ kind: 'project', id: 'prj-a-1' });
    expect(auditSubject({ subject: 'CONFIG#channels' })).toEqual({ kind: 'config', name: 'channels' });
    expect(auditSubject({ subject: 'CALENDAR#2027' })).toEqual({ kind: 'calendar', year: '2027' });
    expect(auditSubject({ subject: 'FUND#2027', subjectName: '2027 年度前期工作经费' })).toEqual({ kind: 'fund', year: '2027' });
    expect(auditSubject({ subject: 'CHANNEL#ops-mail' })).toEqual({ kind: 'channel', id: 'ops-mail' });
    expect(auditSubject({ subject: 'DEPARTMENT#park_center#科创城' })).toEqual({ kind: 'department', role: 'park_center', park: '科创城' });
    expect(auditSubject({ subject: 'DEPARTMENT#resources_bureau' })).toEqual({ kind: 'department', role: 'resources_bureau' });
    // A new record's event carries its facts (its code); a change only what changed: the kind, by its id's prefix.
    expect(auditSubject({ subject: 'RESOURCE#fac-mx6-ab', after: { facts: { code: 'HT-B1', park: '汇通产业园', areaM2: 12000 } } })).toEqual({ kind: 'resource', id: 'fac-mx6-ab', resourceKind: 'facilities', facts: { code: 'HT-B1', park: '汇通产业园' } });
    expect(auditSubject({ subject: 'RESOURCE#env-x-1', after: { facts: { year: 2026, pollutant: 'COD', totalTonnes: 1 } } })).toMatchObject({ resourceKind: 'environment', facts: { year: 2026, pollutant: 'COD' } });
    expect(auditSubject({ subject: 'RESOURCE#par-x-1', before: { status: 'available' }, after: { status: 'reserved' } })).toEqual({ kind: 'resource', id: 'par-x-1', resourceKind: 'parcels', facts: {} });
    // What the zone called the record or the project when the event was recorded (subjectName), when the API sends it.
    expect(auditSubject({ subject: 'RESOURCE#par-x-1', subjectName: 'HT-2026-07', after: { status: 'reserved' } })).toEqual({ kind: 'resource', id: 'par-x-1', resourceKind: 'parcels', facts: {}, name: 'HT-2026-07' });
    expect(auditSubject({ subject: 'PROJECT#prj-a-1', subjectName: '新能源电池项目' })).toEqual({ kind: 'project', id: 'prj-a-1', name: '新能源电池项目' });
    expect(auditSubject({ subject: 'PROJECT#prj-a-1', subjectName: null })).toEqual({ kind: 'project', id: 'prj-a-1' });
    expect(auditSubject({ subject: 'JOB#x' })).toEqual({ kind: 'other', key: 'JOB#x' });
    expect(auditSubject({ subject: 'PROJECT' })).toEqual({ kind: 'other', key: 'PROJECT' });
  });

  it('names a calendar year, a fund year and an inventory record in the audit as the pages name them (工作日历（2027年）, 能耗指标：2026年)', () => {
    const zh = translator('zh');
    const en = translator('en');
    const park = (p: string) => (p === '汇通产业园' ? 'Huitong Industrial Park' : p);
    // (The audit query read 工作日历2027, 项目前期保障经费2027, 能耗指标 2026 and 环境容量 2026 COD.)
    expect(auditSubjectWords(auditSubject({ subject: 'CALENDAR#2027' }), zh)).toBe('工作日历（2027年）');
    expect(auditSubjectWords(auditSubject({ subject: 'FUND#2027' }), zh)).toBe('项目前期保障经费（2027年）');
    expect(auditSubjectWords(auditSubject({ subject: 'FUND#2027' }), en)).toBe('Pre-work fund 2027');
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#ene-x-1', after: { facts: { year: 2026, totalTce: 1 } } }), zh)).toBe('能耗指标：2026年');
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#env-x-1', after: { facts: { year: 2026, pollutant: 'SO2', totalTonnes: 1 } } }), zh)).toBe('环境容量：2026年 SO₂');
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#utl-x-1', after: { facts: { park: '汇通产业园', utility: 'power', capacity: 1 } } }), zh)).toBe('水电气热：汇通产业园供电');
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#utl-x-1', after: { facts: { park: '汇通产业园', utility: 'power', capacity: 1 } } }), en, park)).toBe('Utilities: Huitong Industrial Park Power');
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#par-x-1', after: { facts: { code: 'JZ2026-01' } } }), zh)).toBe('土地：JZ2026-01');
    // Nothing that names it in the event: what the zone called it then, else nothing (the page shows the id).
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#par-x-1', subjectName: 'HT-2026-07', after: { status: 'reserved' } }), zh)).toBe('土地：HT-2026-07');
    expect(auditSubjectWords(auditSubject({ subject: 'RESOURCE#par-x-1', after: { status: 'reserved' } }), zh)).toBeUndefined();
  });

  it('names a gate in the page’s language: the configuration’s English name, else the stage it closes', () => {
    const gates = [{ stage: 'LANDING', name: { zh: '开工节点', en: 'Groundbreaking milestone' } }];
    const stage = (s: string) => translator('en').stage(s);
    expect(gateWords({ stage: 'LANDING', name: '开工节点' }, 'zh', gates, stage)).toBe('开工节点');
    expect(gateWords({ stage: 'LANDING', name: '开工节点' }, 'en', gates, stage)).toBe('Groundbreaking milestone');
    expect(gateWords({ stage: 'SIGNING', name: '开工节点' }, 'en', gates, stage)).toBe('Groundbreaking milestone');
    expect(gateWords({ stage: 'LANDING', name: '开工节点' }, 'en', undefined, stage)).toBe('Landing & land transfer');
    // The API's own English name comes first (an enterprise reads no configuration); Chinese pages keep the Chinese.
    expect(gateWords({ stage: 'LANDING', name: '开工节点', nameEn: 'Works start gate' }, 'en', gates, stage)).toBe('Works start gate');
    expect(gateWords({ stage: 'LANDING', name: '开工节点', nameEn: 'Works start gate' }, 'zh', gates, stage)).toBe('开工节点');
  });

  it('names the mechanism’s own actors as the system, a person by name', () => {
    expect(translator('zh').actor('system:workflow', 'zoneflow workflow')).toBe('系统');
    expect(translator('en').actor('system:workflow', 'zoneflow workflow')).toBe('System');
    expect(translator('zh').actor('system:seed', 'zoneflow seed')).toBe('系统（初始化）');
    expect(translator('zh').actor('dev-ops', '平台运维（开发）')).toBe('平台运维（开发）');
    expect(translator('zh').actor(undefined, undefined)).toBe('');
  });

  it('says a parcel’s land use in English when it is one of the national land-use classes (工业用地 read as typed on the English page), other words as typed', () => {
    expect(translator('en').landUse('工业用地')).toBe('Industrial land');
    expect(translator('en').landUse(' 科研用地 ')).toBe('Scientific research land');
    expect(translator('en').landUse('物流仓储用地')).toBe('Logistics & warehousing land');
    expect(translator('zh').landUse('工业用地')).toBe('工业用地');
    expect(translator('en').landUse('一类工业用地（M1）')).toBe('一类工业用地（M1）');
    expect(translator('en').landUse('Industrial')).toBe('Industrial');
  });

  it('names the configuration documents in words, in both languages', () => {
    for (const name of ['matrix', 'escalation', 'lights', 'classification', 'recurring', 'limits', 'inventory', 'funds', 'letters', 'parks', 'channels']) {
      expect(translator('zh').config(name), name).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(translator('en').config(name), name).not.toBe(name);
    }
  });
});

describe('letters and fund', () => {
  it('offers the series the role issues; the committee leader any', () => {
    const series = { urging: { from: 'supervision_office' as const }, notice: { from: 'committee_leader' as const } };
    expect(issuableSeries(as(['supervision_office']), series)).toEqual(['urging']);
    expect(issuableSeries(as(['committee_leader']), series)).toEqual(['urging', 'notice']);
    expect(issuableSeries(as(['resources_bureau']), series)).toEqual([]);
    expect(issuableSeries(as(['committee_leader']), undefined)).toEqual([]);
    // A series only the mechanism issues (the exit letter) is offered to no one.
    expect(issuableSeries(as(['committee_leader']), { ...series, exit: { from: 'committee_leader', manual: false } })).toEqual(['urging', 'notice']);
    expect(issuableSeries(as(['committee_leader']), { ...series, exit: { from: 'committee_leader' } })).toEqual(['urging', 'notice']);
  });

  it('offers no letter about a closed case; while an exit is under way only a series that asks no reply', () => {
    const series = { urging: { from: 'supervision_office' as const, replyWd: 5 }, notice: { from: 'committee_leader' as const, replyWd: 0 } };
    const leader = as(['committee_leader']);
    expect(issuableSeries(leader, series, { status: 'ACTIVE' })).toEqual(['urging', 'notice']);
    expect(issuableSeries(leader, series, { status: 'EXITED' })).toEqual([]);
    expect(issuableSeries(leader, series, { status: 'REJECTED' })).toEqual([]);
    expect(issuableSeries(leader, series, { status: 'ACTIVE', exit: { status: 'running' } })).toEqual(['notice']);
    expect(issuableSeries(leader, series, { status: 'ACTIVE', exit: { status: 'done' } })).toEqual(['urging', 'notice']);
  });

  it('addresses a letter to the departments given work, not the sender’s own office, the discipline office nor ops', () => {
    const to = letterAddressees('supervision_office');
    expect(to).not.toContain('supervision_office');
    expect(to).not.toContain('discipline_office');
    expect(to).not.toContain('ops');
    expect(to).not.toContain('enterprise');
    expect(to).toContain('committee_leader');
    expect(to).toContain('park_center');
    expect(letterAddressees('committee_leader')).toContain('supervision_office');
    expect(letterAddressees('committee_leader')).not.toContain('committee_leader');
  });

  it('allocates pre-work fund as ops or the committee leader, to an active project', () => {
    expect(canAllocateFund(as(['ops']), { status: 'ACTIVE' })).toBe(true);
    expect(canAllocateFund(as(['committee_leader']), { status: 'ACTIVE' })).toBe(true);
    expect(canAllocateFund(as(['committee_leader']), { status: 'PENDING_ADMISSION' })).toBe(false);
    expect(canAllocateFund(as(['investment_dept']), { status: 'ACTIVE' })).toBe(false);
  });
});

describe('ops edits', () => {
  it('reads dates one a line, or separated by commas or spaces; keeps what is not a date for the API to name', () => {
    expect(datesOf('2027-01-01\n 2027-02-06,2027-02-07、2027-13-01  ')).toEqual(['2027-01-01', '2027-02-06', '2027-02-07', '2027-13-01']);
    expect(datesOf('')).toEqual([]);
  });

  it('parses a configuration typed as JSON, or says why not', () => {
    expect(parseDoc('{"yellowBeforeWd":2}')).toEqual({ doc: { yellowBeforeWd: 2 } });
    expect('error' in parseDoc('{ "yellowBeforeWd": 2,')).toBe(true);
    expect('error' in parseDoc(undefined)).toBe(true);
  });
});

describe('inventory keepers', () => {
  it('a kind is kept by its owners; a park center only in its own park', () => {
    expect(mayKeep(as(['soe']), ['soe', 'park_center'], '科创城')).toBe(true);
    expect(mayKeep(as(['park_center'], { park: '汇通产业园' }), ['soe', 'park_center'], '汇通产业园')).toBe(true);
    expect(mayKeep(as(['park_center'], { park: '汇通产业园' }), ['soe', 'park_center'], '科创城')).toBe(false);
    expect(mayKeep(as(['committee_leader']), ['soe', 'park_center'], '科创城')).toBe(false);
    expect(mayKeep(as(['soe']), undefined, '科创城')).toBe(false);
  });

  it('a new record’s body: numbers as numbers, readiness not done as null, empty fields left out', () => {
    expect(resourceBody('parcels', { code: 'P-1', park: '汇通产业园', areaM2: '8000', use: '工业用地', supply: 'stock', 'readiness.relicSurvey': '2026-10-01' })).toEqual({
      code: 'P-1', park: '汇通产业园', areaM2: 8000, use: '工业用地', supply: 'stock',
      readiness: { relicSurvey: '2026-10-01', landApproval: null, clearanceList: null, infrastructure: null },
    });
    expect(JSON.parse(JSON.stringify(resourceBody('facilities', { code: 'F', areaM2: 'x', rentCnyPerM2Month: '11.5', powerKva: '-5', facilityType: 'factory' })))).toEqual({ code: 'F', areaM2: 'x', rentCnyPerM2Month: 11.5, powerKva: -5, facilityType: 'factory' });
  });

  it('a parcel’s area typed in 亩 is sent in m² — to the cent, so the API’s 亩 of it is the figure typed', () => {
    const body = resourceBody('parcels', { code: 'P-2', areaM2: '200', areaUnit: 'mu' });
    expect(body.areaM2).toBe(133_333.33);
    expect(areaMu(body.areaM2 as number)).toBe(200);
    for (const mu of [0.01, 0.5, 1, 12.34, 99.99, 150_000]) expect(areaMu(muToM2(mu)), String(mu)).toBe(mu);
    // In m² as typed; not a number: as typed, for the API to name.
    expect(resourceBody('parcels', { areaM2: '8000', areaUnit: 'm2' }).areaM2).toBe(8000);
    expect(resourceBody('parcels', { areaM2: '二百', areaUnit: 'mu' }).areaM2).toBe('二百');
    expect(areaM2Of('', 'mu')).toBeUndefined();
  });

  it('a new quota’s or utility’s body: the API’s fields, numbers as numbers', () => {
    expect(resourceBody('energy', { year: '2027', totalTce: '60000' })).toEqual({ year: 2027, totalTce: 60_000 });
    expect(resourceBody('environment', { year: '2027', pollutant: 'SO2', totalTonnes: '12.5' })).toEqual({ year: 2027, pollutant: 'SO2', totalTonnes: 12.5 });
    expect(resourceBody('utilities', { park: ' 汇通产业园 ', utility: 'gas', capacity: '5000', unit: 'm3/d' })).toEqual({ park: '汇通产业园', utility: 'gas', capacity: 5000, unit: 'm3/d' });
    expect(JSON.parse(JSON.stringify(resourceBody('energy', { year: '', totalTce: '' })))).toEqual({});
  });

  const parcel = { id: 'par-1', code: 'JZ-1', park: '汇通产业园', areaM2: 133_334, areaMu: 200, use: '工业用地', supply: 'stock', readiness: { relicSurvey: '2026-08-04', landApproval: null, clearanceList: null, infrastructure: null }, status: 'available' };
  const shown = (record: Record<string, unknown>, kind: Parameters<typeof resourcePatch>[0], areaUnit?: string) =>
    Object.fromEntries([...EDITABLE_FACTS[kind].map((k) => [`facts.${k}`, shownFact(record, k, areaUnit)]), ['status', String(record.status)], ...(areaUnit ? [['areaUnit', areaUnit]] : [])]);

  it('an edit sends only the facts changed: nothing when the form is as it opened', () => {
    expect(resourcePatch('parcels', shown(parcel, 'parcels', 'mu'), parcel)).toEqual({ facts: undefined, status: undefined });
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'mu'), 'facts.use': '仓储用地' }, parcel)).toEqual({ facts: { use: '仓储用地' } });
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'mu'), status: 'retired' }, parcel)).toEqual({ status: 'retired' });
  });

  it('an edited area is sent in m² whichever unit it was typed in; the same figure in the other unit is a change', () => {
    expect(shownFact(parcel, 'areaM2', 'mu')).toBe('200');
    expect(shownFact(parcel, 'areaM2', 'm2')).toBe('133334');
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'mu'), 'facts.areaM2': '210' }, parcel).facts).toEqual({ areaM2: 140_000 });
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'm2'), 'facts.areaM2': '140000' }, parcel).facts).toEqual({ areaM2: 140_000 });
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'm2'), 'facts.areaM2': '200' }, parcel).facts).toEqual({ areaM2: 200 });
  });

  it('a readiness date changed sends the readiness whole (the API takes it whole), an emptied date as not done', () => {
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'mu'), 'facts.readiness.landApproval': '2026-09-13' }, parcel).facts).toEqual({
      readiness: { relicSurvey: '2026-08-04', landApproval: '2026-09-13', clearanceList: null, infrastructure: null },
    });
    expect(resourcePatch('parcels', { ...shown(parcel, 'parcels', 'mu'), 'facts.readiness.relicSurvey': '' }, parcel).facts).toEqual({
      readiness: { relicSurvey: null, landApproval: null, clearanceList: null, infrastructure: null },
    });
  });

  it('a quota’s or utility’s edit: its total or capacity and unit; a required fact emptied is told before sending', () => {
    const energy = { id: 'ene-1', year: 2026, totalTce: 50_000, status: 'available' };
    expect(resourcePatch('energy', { ...shown(energy, 'energy'), 'facts.totalTce': '55000' }, energy)).toEqual({ facts: { totalTce: 55_000 } });
    const power = { id: 'utl-1', park: '汇通产业园', utility: 'power', capacity: 60_000, unit: 'kVA', status: 'available' };
    expect(resourcePatch('utilities', { ...shown(power, 'utilities'), 'facts.capacity': '60', 'facts.unit': 'MW' }, power)).toEqual({ facts: { capacity: 60, unit: 'MW' } });
    expect(emptiedFacts('energy', { ...shown(energy, 'energy'), 'facts.totalTce': ' ' }, '必填')).toEqual({ fields: { 'facts.totalTce': '必填' } });
    // A readiness date may be empty (not done); a facility's type left unstated stays so.
    expect(emptiedFacts('parcels', { ...shown(parcel, 'parcels', 'mu'), 'facts.readiness.relicSurvey': '' }, '必填')).toBeUndefined();
    const facility = { id: 'fac-1', code: 'F', park: 'p', owner: 'o', areaM2: 10, floorLoadKnM2: 1, clearHeightM: 1, powerKva: 1, rentCnyPerM2Month: 1, status: 'reserved' };
    expect(resourcePatch('facilities', { ...shown(facility, 'facilities'), status: '' }, facility)).toEqual({ facts: undefined, status: undefined });
  });

  it('figures with thousands separators, periods in words', () => {
    expect(numberText(133_334, 'zh')).toBe('133,334');
    expect(numberText(133_333.333, 'en')).toBe('133,333.33');
    expect(numberText(undefined, 'zh')).toBe('—');
    expect(periodText('2026Q4', 'zh')).toBe('2026年第4季度');
    expect(periodText('2026Q4', 'en')).toBe('2026 Q4');
    expect(periodText('2026', 'zh')).toBe('2026年度');
    expect(periodText('2026', 'en')).toBe('2026');
    expect(periodText(null, 'en')).toBe('—');
  });

  it('says a confirmation with its period and day, a pollutant with its subscripts, a unit in words, in both languages', () => {
    const zh = translator('zh');
    const en = translator('en');
    expect(zh.confirmedRecord('JZ-1', '2026', '2026-12-02')).toBe('已确认在库：JZ-1（2026年度，2026-12-02）');
    expect(en.confirmedRecord('JZ-1', '2026Q4', '2026-12-02')).toBe('Confirmed: JZ-1 (2026 Q4, 2026-12-02)');
    expect(['SO2', 'NH3-N', 'NOx', 'VOCs', 'COD'].map(zh.pollutant)).toEqual(['SO₂', 'NH₃-N', 'NOₓ', 'VOCs', 'COD']);
    expect([zh.unit('t/d'), en.unit('t/d'), zh.unit('tce'), en.unit('m3/d'), zh.unit('kWh')]).toEqual(['吨/日', 't/d', '吨标准煤', 'm³/d', 'kWh']);
    expect([zh.utility('heat'), en.utility('heat')]).toEqual(['供热', 'Heat']);
  });

  it('says a green task’s yellow date as its yellow light, as the Chinese does (not “Green yellow from …”)', () => {
    expect(translator('zh').t('yellowFrom')).toBe('黄灯');
    expect(translator('en').t('yellowFrom')).toBe('Yellow light from');
  });
});

describe('quotas reserved and an exit’s course', () => {
  const zh = translator('zh');
  const en = translator('en');
  const quotas = [
    { id: 'ene-1', label: '2025 能耗指标', remaining: 900, unit: 'tce' },
    { id: 'ene-2', label: '2026 能耗指标', remaining: 50_000, unit: 'tce' },
    { id: 'ene-3', label: '2027 能耗指标', remaining: 0, unit: 'tce' },
  ];
  it('offers a park center this year’s quotas and later ones with something left, and only its project’s park’s utilities', () => {
    expect(drawableQuotas('energy', quotas, proj, 2026).map((q) => q.id)).toEqual(['ene-2']);
    const utilities = [
      { id: 'utl-1', label: '汇通产业园 power', remaining: 60_000, unit: 'kVA' },
      { id: 'utl-2', label: '科创城 water', remaining: 100, unit: 't/d' },
    ];
    expect(drawableQuotas('utilities', utilities, proj, 2026).map((q) => q.id)).toEqual(['utl-1']);
  });

  it('offers a release of what is only reserved: land transferred or a facility leased comes back only through an exit', () => {
    const active = { ...proj, status: 'ACTIVE' };
    expect(canRelease(center(), active, { status: 'reserved' })).toBe(true);
    expect(canRelease(center(), active, { status: 'transferred' })).toBe(false);
    expect(canRelease(as(['resources_bureau']), active, { status: 'leased' })).toBe(false);
    expect(canRelease(center('科创城'), active, { status: 'reserved' })).toBe(false);
  });

  it('names a quota in the page’s language, not by the API’s label (汇通产业园 power on a Chinese page)', () => {
    expect(quotaLabel('utilities', '汇通产业园 power', zh)).toBe('汇通产业园供电');
    expect(quotaLabel('utilities', '汇通产业园 power', en, () => 'Huitong Industrial Park')).toBe('Huitong Industrial Park Power');
    expect(quotaLabel('energy', '2026 能耗指标', en)).toBe('2026 Energy quota');
    expect(quotaLabel('environment', '2026 SO2', zh)).toBe('2026年 SO₂');
    expect(quotaLabel('parcels', 'JZ2026-01', en)).toBe('JZ2026-01');
  });

  it('names a fund bucket in the page’s language where the year’s fund is not read (not 2026 · clearance)', () => {
    expect(bucketLabel('clearance', 'zh')).toBe('进地清单');
    expect(bucketLabel('clearance', 'en')).toBe('Land clearance list');
    expect(bucketLabel('clearance', 'zh', [{ code: 'clearance', name: '进地清单（2026）' }])).toBe('进地清单（2026）');
    expect(bucketLabel('unknown_bucket', 'zh')).toBe('unknown_bucket');
  });

  it('shows a retired fund bucket as such, with its code (a changed code leaves two of one name), and offers no allocation from it', () => {
    const old = { code: 'clearance', name: '进地清单', nameEn: 'Land clearance list', retired: true };
    const now = { code: 'land_clearance', name: '进地清单', nameEn: 'Land clearance list', retired: false };
    expect(bucketRowLabel(old, 'zh')).toBe('进地清单（已停用 · clearance）');
    expect(bucketRowLabel(old, 'en')).toBe('Land clearance list (retired · clearance)');
    expect(bucketRowLabel(now, 'zh')).toBe('进地清单');
    expect(bucketRowLabel({ code: 'x', name: '旧科目' }, 'en')).toBe('旧科目');
    expect(drawableBuckets([old, now, { code: 'relic_survey', name: '文物勘探', nameEn: 'Relic survey', retired: false }]).map((b) => b.code)).toEqual(['land_clearance', 'relic_survey']);
  });

  it('tells an exit’s steps with their times and each holding it gave back: land, a quota’s amount, a fund allocation', () => {
    const course = exitCourse(
      { steps: { check: '2026-05-10T13:58:00.000Z', release: '2026-05-10T14:49:00.000Z' }, released: ['rsv-1', 'rsv-2', 'alc-1', 'rsv-9'], letter: null },
      [
        { id: 'rsv-1', kind: 'parcels', resourceLabel: 'JZ2026-01', amount: 133_334, unit: 'm2' },
        { id: 'rsv-2', kind: 'energy', resourceLabel: '2026 能耗指标', amount: 3000, unit: 'tce' },
      ],
      [{ id: 'alc-1', bucket: 'clearance', released: { returnedCny: 500_000 } }],
    );
    expect(course.steps).toEqual([
      { step: 'check', at: '2026-05-10T13:58:00.000Z' },
      { step: 'release', at: '2026-05-10T14:49:00.000Z' },
      { step: 'letter', at: null },
      { step: 'close', at: null },
    ]);
    expect(course.released).toEqual([
      { what: 'reservation', id: 'rsv-1', kind: 'parcels', label: 'JZ2026-01', amount: 133_334, unit: 'm2' },
      { what: 'reservation', id: 'rsv-2', kind: 'energy', label: '2026 能耗指标', amount: 3000, unit: 'tce' },
      { what: 'allocation', id: 'alc-1', bucket: 'clearance', returnedCny: 500_000 },
      { what: 'unknown', id: 'rsv-9' },
    ]);
    expect(zh.exitGaveBack('parcels', 'JZ2026-01', '133,334 m²')).toBe('土地 JZ2026-01 收回入库（盘活）');
    expect(en.exitGaveBack('energy', '2026 Energy quota', '3,000 tce')).toBe('2026 Energy quota: 3,000 tce back to the quota');
    // A figure beside Chinese as the notices write it (3,000吨标准煤退回指标; 余额38万元吗), the two values kept apart.
    expect(zh.exitGaveBack('energy', '2026年能耗指标', '3,000吨标准煤')).toBe('2026年能耗指标 3,000吨标准煤退回指标');
    expect(zh.allocationReleaseAsk('进地清单', '38万元')).toBe('确定释放“进地清单”的余额38万元吗？余额退回经费科目，本项目不能再从该笔安排中支出。');
    expect(zh.exitStep('letter')).toBe('发出退出函');
  });
});

describe('the closed loop’s records', () => {
  const at = (level: number, extra: object = {}) => ({ ...proj, status: 'ACTIVE', escalation: { level, since: '2026-10-08' }, ...extra });
  it('offers the joint assessment at L3 before any round exists: every named department may open it', () => {
    const named = ['investment_dept', 'resources_bureau'] as const;
    expect(assessmentPending(at(3), [], named)).toEqual(named);
    // This stay's round: its pending departments; concluded: none; a round of an earlier stay does not count.
    expect(assessmentPending(at(3), [{ rungSince: '2026-10-08', pending: ['resources_bureau'], outcome: null }], named)).toEqual(['resources_bureau']);
    expect(assessmentPending(at(3), [{ rungSince: '2026-10-08', pending: [], outcome: { decision: 'continue' } }], named)).toEqual([]);
    expect(assessmentPending(at(3), [{ rungSince: '2026-09-01', pending: [], outcome: { decision: 'continue' } }], named)).toEqual(named);
    expect(assessmentPending(at(4), [], named)).toEqual([]);
    expect(ladderRecords(as(['resources_bureau']), at(3), assessmentPending(at(3), [], named))).toMatchObject({ assessment: true });
  });

  it('says an extension while it is in force, not one whose date has passed (the ladder climbed again since)', () => {
    expect(extensionInForce('2026-07-31', '2026-07-31')).toBe(true);
    expect(extensionInForce('2026-07-31', '2027-01-07')).toBe(false);
    expect(extensionInForce(null, '2026-07-01')).toBe(false);
    expect(extensionInForce('2026-07-31', undefined)).toBe(false);
  });

  it('keeps the supervision file on the page once the ladder is put back or the project exited, while it has records', () => {
    expect(ladderRecorded([{ action: 'escalation.raised' }, { action: 'escalation.interview' }, { action: 'escalation.reset' }])).toBe(true);
    expect(ladderRecorded([{ action: 'escalation.compliance_check' }])).toBe(true);
    // Rungs raised and lapsed with nothing recorded: no file to show off the ladder.
    expect(ladderRecorded([{ action: 'escalation.raised' }, { action: 'letter.issued' }])).toBe(false);
    expect(ladderRecorded(undefined)).toBe(false);
  });

  it('offers the interview from L2 to the leader, the assessment at L3 to a department still to decide, the check from L4', () => {
    expect(ladderRecords(as(['committee_leader']), at(1))).toEqual({ interview: false, assessment: false, compliance: false });
    expect(ladderRecords(as(['committee_leader']), at(2))).toEqual({ interview: true, assessment: false, compliance: false });
    expect(ladderRecords(as(['resources_bureau']), at(3), ['resources_bureau'])).toMatchObject({ assessment: true });
    expect(ladderRecords(as(['resources_bureau']), at(3), ['park_center'])).toMatchObject({ assessment: false });
    expect(ladderRecords(as(['supervision_office']), at(4))).toEqual({ interview: false, assessment: false, compliance: true });
    expect(ladderRecords(as(['supervision_office']), at(5, { exit: { status: 'decided' } }))).toMatchObject({ compliance: false });
    expect(ladderRecords(as(['committee_leader']), { ...at(4), status: 'EXITED' })).toEqual({ interview: false, assessment: false, compliance: false });
    // A park center decides the assessment of its own park's projects only.
    expect(ladderRecords(center(), at(3), ['park_center'])).toMatchObject({ assessment: true });
    expect(ladderRecords(as(['park_center', 'supervision_office'], { park: '科创城' }), at(3), ['park_center'])).toMatchObject({ assessment: false });
    // At exit pending a check is offered only while this climb has none (the one that raised it counts; an earlier climb's does not).
    expect(ladderRecords(as(['supervision_office']), at(5), [], [{ recordedAt: '2026-10-08T03:00:00.000Z' }])).toMatchObject({ compliance: false });
    expect(ladderRecords(as(['supervision_office']), at(5), [], [{ recordedAt: '2026-06-01T03:00:00.000Z' }])).toMatchObject({ compliance: true });
    expect(ladderRecords(as(['supervision_office']), at(4), [], [{ recordedAt: '2026-10-08T03:00:00.000Z' }])).toMatchObject({ compliance: true });
  });

  it('turns a yes/no row field into a boolean, leaving an unchosen one out', () => {
    expect(withBooleans([{ clause: 'a', breached: 'yes' }, { clause: 'b', breached: 'no' }, { clause: 'c' }], 'breached')).toEqual([{ clause: 'a', breached: true }, { clause: 'b', breached: false }, { clause: 'c' }]);
  });
});

describe('views', () => {
  it('asks GET /projects with the filters that are set', () => {
    expect(ledgerQuery({ stage: 'LANDING', light: 'red', park: ' ', track: '' })).toBe('/projects?stage=LANDING&light=red&limit=100');
    expect(ledgerQuery({ park: '汇通产业园' }, 20)).toBe(`/projects?park=${encodeURIComponent('汇通产业园').replace(/%20/g, '+')}&limit=20`);
  });

  it('reads the ledger filters from the hash and exports with the same filters', () => {
    expect(hashFilters('#/ledger?light=red&park=%E6%B1%87%E9%80%9A&bogus=1')).toEqual({ light: 'red', park: '汇通' });
    expect(hashFilters('#/ledger')).toEqual({});
    // A coded filter the dropdowns do not offer (an edited or old link) is left out, as the page shows it ("all"): the
    // API would answer the ledger's query with a 400 only.
    expect(hashFilters('#/ledger?escalation=1&light=purple&stage=LANDING&status=&track=industrial&category=big')).toEqual({ stage: 'LANDING', track: 'industrial' });
    expect(hashFilters('#/ledger?escalation=URGING_LETTER&category=major&status=ACTIVE')).toEqual({ escalation: 'URGING_LETTER', category: 'major', status: 'ACTIVE' });
    expect(hashFilters('#/ledger?escalation=NONE')).toEqual({});
    expect(exportPath('csv', { stage: 'LANDING', light: 'red', park: '' })).toBe('/reports/ledger.csv?stage=LANDING&light=red');
    expect(exportPath('xlsx', {})).toBe('/reports/ledger.xlsx');
    // The file after the first: the cursor the previous file named (X-Next-Cursor), with the same filters.
    expect(exportPath('csv', { light: 'red' }, 'v1.abc')).toBe('/reports/ledger.csv?light=red&cursor=v1.abc');
    expect(exportPath('xlsx', {}, '')).toBe('/reports/ledger.xlsx');
    // The ladder's rung too (the supervision office's view: every project at 履约核查).
    expect(hashFilters('#/ledger?escalation=COMPLIANCE_CHECK')).toEqual({ escalation: 'COMPLIANCE_CHECK' });
    expect(exportPath('csv', { escalation: 'EXIT_PENDING' })).toBe('/reports/ledger.csv?escalation=EXIT_PENDING');
    // The English page's file is the English one (?lang=en), every file of it; the Chinese page asks as before.
    expect(exportPath('csv', { light: 'red' }, undefined, 'en')).toBe('/reports/ledger.csv?light=red&lang=en');
    expect(exportPath('xlsx', {}, 'v1.abc', 'en')).toBe('/reports/ledger.xlsx?cursor=v1.abc&lang=en');
    expect(exportPath('xlsx', { light: 'red' }, undefined, 'zh')).toBe('/reports/ledger.xlsx?light=red');
  });

  it('filters the ledger by matrix version for ops and the committee leader only (the API refuses others 403): in the query and the hash, not in the export', () => {
    const leader = { sub: 'l', roles: ['committee_leader'] } as unknown as Identity;
    const ops = { sub: 'o', roles: ['ops'] } as unknown as Identity;
    const office = { sub: 's', roles: ['supervision_office'] } as unknown as Identity;
    expect([leader, ops, office, undefined].map(mayFilterByMatrix)).toEqual([true, true, false, false]);
    expect(hashFilters('#/ledger?matrixVersion=2&light=red', leader)).toEqual({ light: 'red', matrixVersion: '2' });
    expect(hashFilters('#/ledger?matrixVersion=2', ops)).toEqual({ matrixVersion: '2' });
    // Another role's link naming it: left out (the page would be a 403 in place of the ledger), as is a version that is none.
    expect(hashFilters('#/ledger?matrixVersion=2&light=red', office)).toEqual({ light: 'red' });
    expect(hashFilters('#/ledger?matrixVersion=2')).toEqual({});
    expect(hashFilters('#/ledger?matrixVersion=0', leader)).toEqual({});
    expect(hashFilters('#/ledger?matrixVersion=v2', leader)).toEqual({});
    expect(ledgerQuery({ light: 'red', matrixVersion: '2' })).toBe('/projects?light=red&matrixVersion=2&limit=100');
    // The export routes take GET /projects' filters, the matrix version too: the file holds what the page lists.
    expect(exportPath('csv', { light: 'red', matrixVersion: '2' })).toBe('/reports/ledger.csv?light=red&matrixVersion=2');
    expect(exportPath('xlsx', { matrixVersion: '2' }, 'v1.abc', 'en')).toBe('/reports/ledger.xlsx?matrixVersion=2&cursor=v1.abc&lang=en');
  });

  it('says what an audit event changed field by field (变更前后): the field in the page’s words, before → after as the pages show values', () => {
    const zh = translator('zh');
    const en = translator('en');
    // A project registered: every field new (nothing before), in the words the pages use; what did not change is left out.
    const created = auditChanges(
      {},
      {
        name: '甲项目',
        investor: { name: '甲公司', enterpriseId: 'ent-a' },
        totalInvestmentCny: 300_000_000,
        targets: { outputValueCny: 45_000_000 },
        stage: 'SIGNING',
        status: 'PENDING_ADMISSION',
        createdAt: '2026-12-07T16:29:05.606Z',
        admission: { required: ['investment_dept', 'park_center'], decisions: [] },
        taskIds: ['a', 'b', 'c', 'd', 'e'],
        dedicatedTeam: null,
      },
      zh,
    );
    expect(created).toEqual([
      { key: 'name', label: '项目名称', before: null, after: '甲项目' },
      { key: 'investor.name', label: '投资主体', before: null, after: '甲公司' },
      { key: 'investor.enterpriseId', label: '企业账号', before: null, after: 'ent-a' },
      { key: 'totalInvestmentCny', label: '总投资', before: null, after: '3亿元' },
      { key: 'targets.outputValueCny', label: '年产值', before: null, after: '4,500万元' },
      { key: 'stage', label: '阶段', before: null, after: '招商签约' },
      { key: 'status', label: '状态', before: null, after: '待准入' },
      // An instant at its Shanghai time; every recorded field in words (console-audit-words.test.ts reads them all).
      { key: 'createdAt', label: '登记时间', before: null, after: '2026-12-08 00:29' },
      // Departments by their names; a long list shortened, with its count.
      { key: 'admission.required', label: '准入审议部门', before: null, after: '产业规划与创新管理部、园区事业服务中心' },
      { key: 'admission.decisions', label: '准入意见', before: null, after: '无' },
      { key: 'taskIds', label: '任务编号', before: null, after: 'a、b、c等5项' },
      { key: 'dedicatedTeam', label: '专班', before: null, after: '无' },
    ]);
    // A change: before → after, the fields that stayed the same left out.
    expect(auditChanges({ status: 'PENDING_ADMISSION', stage: 'SIGNING', light: 'green' }, { status: 'ACTIVE', stage: 'SIGNING', light: 'red' }, zh)).toEqual([
      { key: 'status', label: '状态', before: '待准入', after: '推进中' },
      { key: 'light', label: '亮灯', before: '绿灯', after: '红灯' },
    ]);
    // A field removed: its value before, nothing after; the English page in English.
    expect(auditChanges({ plannedCompletion: '2027-06-30' }, {}, en)).toEqual([{ key: 'plannedCompletion', label: 'Planned completion', before: '2027-06-30', after: null }]);
    expect(auditChanges(undefined, undefined, zh)).toEqual([]);
  });

  it('says the audit’s changes in the event’s own terms: a rung (not the project’s name), a record’s status, no line that shows nothing changed', () => {
    const zh = translator('zh');
    // An escalation event's `name` is its rung: 督办等级 in words, not 项目名称 URGING_LETTER → INTERVIEW.
    expect(auditChanges({ name: 'URGING_LETTER', level: 1 }, { name: 'INTERVIEW', level: 2 }, zh, 'escalation.raised')).toEqual([
      { key: 'name', label: '督办等级', before: '发函督促', after: '约谈企业' },
      { key: 'level', label: '督办级别', before: '1', after: '2' },
    ]);
    expect(auditChanges({}, { name: '甲项目' }, zh, 'project.created')).toEqual([{ key: 'name', label: '项目名称', before: null, after: '甲项目' }]);
    // A record's status (an inventory record's) in words too.
    expect(auditChanges({}, { status: 'available' }, zh, 'inventory.created')).toEqual([{ key: 'status', label: '状态', before: null, after: zh.resourceStatus('available') }]);
    expect(zh.resourceStatus('available')).not.toBe('available');
    // A field that was empty and now holds a record (its fields listed) is not also a line 无 → 无; nor is one whose
    // change the page cannot show (an instant moved within its minute).
    expect(auditChanges({ workflow: null }, { workflow: { status: 'starting', startedAt: '2026-12-07T16:29:05.543Z' } }, zh)).toEqual([
      { key: 'workflow.status', label: '流程状态', before: null, after: '启动中' },
      { key: 'workflow.startedAt', label: '流程启动时间', before: null, after: '2026-12-08 00:29' },
    ]);
    expect(auditChanges({ workflow: { startedAt: '2026-12-07T16:29:05.543Z' } }, { workflow: { startedAt: '2026-12-07T16:29:05.641Z' } }, zh)).toEqual([]);
  });

  it('says a field inside a record by the record’s word and its own, a quarter beside its figures, and the codes in words', () => {
    const zh = translator('zh');
    const en = translator('en');
    // A re-pin that moved a gate's approvers: the departments by name, under 转段审批部门.
    expect(auditChanges({ gateApprovers: ['investment_dept', 'natural_resources'] }, { note: '改按新版', gateApprovers: ['investment_dept'] }, zh, 'matrix.repinned')).toEqual([
      { key: 'note', label: '说明', before: null, after: '改按新版' },
      { key: 'gateApprovers', label: '转段审批部门', before: zh.role('investment_dept') + '、' + zh.role('natural_resources'), after: zh.role('investment_dept') },
    ]);
    // The ladder's state inside the project: 督办·触发事由 with the trigger's kind and the next step in words.
    expect(auditChanges({}, { escalation: { trigger: { kind: 'task_overdue' }, next: { step: 'INTERVIEW', dueDate: '2027-01-08' } } }, zh)).toEqual([
      { key: 'escalation.trigger.kind', label: '督办·触发类型', before: null, after: '事项逾期' },
      { key: 'escalation.next.step', label: '督办·下一步', before: null, after: '约谈企业' },
      { key: 'escalation.next.dueDate', label: '督办·下一步日期', before: null, after: '2027-01-08' },
    ]);
    // A quarter's production figures: the quarter beside each figure.
    expect(auditChanges({}, { '2027Q1': { jobs: 120 } }, en, 'production.reported')).toEqual([{ key: '2027Q1.jobs', label: 'Jobs (2027Q1)', before: null, after: '120' }]);
    // A task's status, a gate kept and why, a reservation's effect: words, not codes.
    expect(auditChanges({ taskId: 't1', status: 'open' }, { taskId: 't1', status: 'done_with_deficiencies' }, zh, 'task.completed_with_deficiencies')).toEqual([{ key: 'status', label: '状态', before: '办理中', after: '容缺办结' }]);
    expect(auditChanges({}, { gateKept: { because: 'decided' }, effect: 'link' }, en)).toEqual([
      { key: 'gateKept.because', label: 'Kept because', before: null, after: 'This round has decisions, which stand' },
      { key: 'effect', label: 'Resource after completion', before: null, after: 'Linked (still reserved)' },
    ]);
    // A year as a year (2026, not 2,026); a reason the system records as a code in words, one typed as typed.
    expect(auditChanges({}, { allocation: 'fal-1', year: 2026, amountCny: 500_000 }, zh, 'fund.allocated')).toEqual([
      { key: 'allocation', label: '资金安排编号', before: null, after: 'fal-1' },
      { key: 'year', label: '年度', before: null, after: '2026' },
      { key: 'amountCny', label: '金额', before: null, after: '50万元' },
    ]);
    expect(auditChanges({}, { facts: { year: 2027 } }, en)[0]).toMatchObject({ label: 'Year', after: '2027' });
    expect(auditChanges({ version: 4 }, { version: 5, reason: 'lights.changed' }, zh, 'workflow.recompute_requested')[1]).toEqual({ key: 'reason', label: '理由', before: null, after: '亮灯规则已调整' });
    expect(auditChanges({ level: 2 }, { level: 0, reason: 'trigger cleared' }, en, 'escalation.reset')[1]).toMatchObject({ key: 'reason', after: 'Trigger cleared' });
    expect(auditChanges({}, { reason: '投资额调整' }, zh, 'contract.amended')[0]).toMatchObject({ after: '投资额调整' });
    // A field no one has a word for yet is still shown, by its key.
    expect(auditChanges({}, { someNewField: 1 }, zh)).toEqual([{ key: 'someNewField', label: 'someNewField', before: null, after: '1' }]);
  });

  it('says a built-in configuration’s note in the page’s words: the seed’s note, and the English one an older seed wrote (defaults from domain.md)', async () => {
    const { SEED_NOTE } = await import('../../functions/reference/domain/seed-note.ts');
    const zh = translator('zh');
    expect(SEED_NOTE).toMatch(/[\u4e00-\u9fff]/);
    for (const note of [SEED_NOTE, 'defaults from domain.md']) {
      expect(auditChanges({ version: 0 }, { version: 1, note }, zh)).toEqual([
        { key: 'version', label: '版本', before: '0', after: '1' },
        { key: 'note', label: '说明', before: null, after: '内置默认配置（系统初始化）' },
      ]);
      expect(configNote(note, zh)).toBe('内置默认配置（系统初始化）');
      expect(configNote(note, translator('en'))).toBe('Built-in defaults (initial setup)');
    }
    // A note ops wrote is theirs, as written.
    expect(configNote('调整黄灯提前量', zh)).toBe('调整黄灯提前量');
  });

  it('refuses empty or out-of-range percentages before sending (an empty field is not 0)', () => {
    const words = { required: 'required', range: 'range' };
    const names = ['constructionPct', 'equipmentPct'];
    expect(percentProblem({ constructionPct: '', equipmentPct: ' ' }, names, words)).toEqual({ fields: { constructionPct: 'required', equipmentPct: 'required' } });
    expect(percentProblem({ constructionPct: '101', equipmentPct: '-1' }, names, words)).toEqual({ fields: { constructionPct: 'range', equipmentPct: 'range' } });
    expect(percentProblem({ constructionPct: '0', equipmentPct: '37.5' }, names, words)).toBeUndefined();
  });

  it('tells a percentage typed lower than the last report (empty or not a number not compared); a percentage as 35.5%', () => {
    const last = { constructionPct: 35.5, equipmentPct: 10 };
    expect(progressDrops({ constructionPct: '20', equipmentPct: '10' }, last)).toEqual(['constructionPct']);
    expect(progressDrops({ constructionPct: '35.5', equipmentPct: '9.9' }, last)).toEqual(['equipmentPct']);
    expect(progressDrops({ constructionPct: '', equipmentPct: 'x' }, last)).toEqual([]);
    expect(progressDrops({ constructionPct: '0' }, null)).toEqual([]);
    expect(pctText(35.5)).toBe('35.5%');
    expect(pctText(undefined)).toBe('—');
  });

  it('leaves the system’s routine evaluations out of the timeline unless asked for; what people did and the mechanism decided stays', () => {
    const events = [
      { action: 'task.completed', actor: 'dev-investment_dept' },
      { action: 'stage.evaluated', actor: 'system:workflow' },
      { action: 'workflow.running', actor: 'system:workflow' },
      { action: 'task.overdue', actor: 'system:workflow' },
      { action: 'escalation.raised', actor: 'system:workflow' },
      { action: 'stage.evaluated', actor: 'dev-ops' },
    ];
    expect(timelineShown(events, false)).toEqual({ shown: [events[0], events[3], events[4], events[5]], hidden: 2 });
    expect(timelineShown(events, true)).toEqual({ shown: events, hidden: 0 });
  });

  it('finds the rejection that ended the gate’s previous round in the timeline', () => {
    const events = [
      { at: '2026-11-01T02:00:00Z', action: 'gate.reject', actorName: '甲', after: { stage: 'SIGNING', role: 'investment_dept', comment: '材料不全', round: 1 } },
      { at: '2026-11-02T02:00:00Z', action: 'gate.approve', actorName: '乙', after: { stage: 'SIGNING', role: 'committee_leader', round: 2 } },
      { at: '2026-11-03T02:00:00Z', action: 'gate.reject', actorName: '丙', after: { stage: 'LANDING', role: 'investment_dept', comment: '另一阶段', round: 1 } },
    ];
    expect(lastRejection(events, 'SIGNING', 2)).toMatchObject({ role: 'investment_dept', by: '甲', comment: '材料不全', round: 1 });
    expect(lastRejection(events, 'SIGNING', 1)).toBeUndefined();
    expect(lastRejection(events, 'CONSTRUCTION', 2)).toBeUndefined();
  });

  it('reads why the gate’s round began from the gate view (previousRound), named as the timeline names the approver; the timeline alone only without it', () => {
    const previousRound = {
      round: 1,
      rejections: [
        { role: 'investment_dept', by: 'dev-investment', at: '2026-11-01T02:00:00Z', comment: '材料不全' },
        { role: 'committee_leader', by: 'dev-leader', at: '2026-11-01T03:00:00Z' },
      ],
    };
    // The timeline has the first rejection only (with the approver's name), and another stage's.
    const events = [
      { at: '2026-11-01T02:00:00Z', action: 'gate.reject', actor: 'dev-investment', actorName: '甲', after: { stage: 'SIGNING', role: 'investment_dept', comment: '材料不全', round: 1 } },
      { at: '2026-11-03T02:00:00Z', action: 'gate.reject', actor: 'dev-x', actorName: '丙', after: { stage: 'LANDING', role: 'investment_dept', comment: '另一阶段', round: 1 } },
    ];
    const gate = { stage: 'SIGNING' as const, open: true, round: 2 };
    expect(previousRejections({ ...gate, previousRound }, events)).toEqual([
      { at: '2026-11-01T02:00:00Z', role: 'investment_dept', by: '甲', comment: '材料不全', round: 1 },
      { at: '2026-11-01T03:00:00Z', role: 'committee_leader', by: 'dev-leader', comment: undefined, round: 1 },
    ]);
    // Round 1 (previousRound null): none, whatever the timeline holds.
    expect(previousRejections({ ...gate, round: 1, previousRound: null }, events)).toEqual([]);
    // An older API's gate (no previousRound): the timeline's rejection.
    expect(previousRejections(gate, events)).toEqual([{ at: '2026-11-01T02:00:00Z', role: 'investment_dept', by: '甲', comment: '材料不全', round: 1 }]);
    expect(previousRejections({ ...gate, round: 1 }, [])).toEqual([]);
  });

  it('draws the progress line: earlier stages done, the current one marked', () => {
    expect(stageSteps('LANDING', 'ACTIVE').map((s) => s.state)).toEqual(['done', 'current', 'todo', 'todo', 'todo', 'todo']);
    expect(stageSteps('PRODUCING', 'COMPLETED').every((s) => s.state === 'done')).toBe(true);
  });

  it('orders my tasks soonest due first, undated last', () => {
    expect(soonestFirst([{ dueDate: null }, { dueDate: '2026-12-07' }, { dueDate: '2026-11-30' }]).map((t) => t.dueDate)).toEqual(['2026-11-30', '2026-12-07', null]);
  });

  it('checks the calendar from last year to two years ahead of the business date', () => {
    expect(calendarYearsToCheck('2026-11-30')).toEqual([2025, 2026, 2027, 2028]);
    expect(calendarYearsToCheck('2031-01-01')).toEqual([2030, 2031, 2032, 2033]);
  });
});

describe('dates, times and amounts as the zone reads them', () => {
  it('shows instants at their Shanghai date and time; calendar dates as they are', () => {
    // 16:30 UTC on the 30th is half past midnight on the 1st in Shanghai.
    expect(shanghaiInstant('2026-11-30T16:30:00.000Z')).toBe('2026-12-01 00:30');
    expect(shanghaiDate('2026-11-30T16:30:00.000Z')).toBe('2026-12-01');
    expect(shanghaiDate('2026-12-31T15:59:59Z')).toBe('2026-12-31');
    expect(shanghaiDate('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(shanghaiDate('2026-11-30')).toBe('2026-11-30');
    expect(shanghaiInstant('2026-11-30')).toBe('2026-11-30');
    expect(shanghaiDate(null)).toBe('—');
    expect(shanghaiInstant(undefined)).toBe('—');
  });

  it('shows small investments in 万元, large ones in 亿元', () => {
    expect(yuanText(2_500_000_000, 'zh')).toBe('25亿元');
    expect(yuanText(3_000_000, 'zh')).toBe('300万元');
    expect(yuanText(45_600, 'zh')).toBe('4.56万元');
    expect(yuanText(800, 'zh')).toBe('800元');
    expect(yuanText(3_000_000, 'en')).toBe('CNY 3 M');
    expect(yuanText(45_600, 'en')).toBe('CNY 45,600');
    expect(yuanText(undefined, 'zh')).toBe('—');
  });

  it('shows an amount to the yuan: a fund bucket with 3,995,000 left is not CNY 4 M, nor 1,005,000 allocated CNY 1.01 M', () => {
    expect(yuanText(3_995_000, 'en')).toBe('CNY 3.995 M');
    expect(yuanText(1_005_000, 'en')).toBe('CNY 1.005 M');
    expect(yuanText(12_345_678, 'en')).toBe('CNY 12.345678 M');
    expect(yuanText(12_345, 'zh')).toBe('1.2345万元');
    expect(yuanText(123_456_789, 'zh')).toBe('1.23456789亿元');
    expect(yuanText(99_999_999, 'zh')).toBe('9,999.9999万元');
  });
});

describe('the token', () => {
  const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

  it('reads a dev token (roles claim, Chinese name)', () => {
    const id = decodeIdentity(jwt({ sub: 'dev-ops', name: '平台运维（开发）', roles: ['ops'], department: '平台运维' }));
    expect(id).toMatchObject({ sub: 'dev-ops', name: '平台运维（开发）', roles: ['ops'], department: '平台运维' });
    expect(isStaff(id)).toBe(true);
  });

  it('reads a Cognito ID token (groups, custom attributes)', () => {
    const id = decodeIdentity(jwt({ sub: 'u1', email: 'a@b.cn', 'cognito:groups': ['enterprise'], 'custom:enterprise': 'ent-a' }));
    expect(id).toMatchObject({ name: 'a@b.cn', roles: ['enterprise'], enterprise: 'ent-a' });
    expect(isStaff(id)).toBe(false);
  });

  it('is undefined for what is not a JWT', () => {
    expect(decodeIdentity('garbage')).toBeUndefined();
    expect(decodeIdentity('a.!!!.c')).toBeUndefined();
  });
});

describe('the console’s words are the product’s', () => {
  it('names each rung of the ladder as the default escalation configuration does (L3 is 联合研判)', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    const { DEFAULT_CONFIG } = await import('../../functions/reference/domain/config.ts');
    const zh = translator('zh');
    const rungs = DEFAULT_CONFIG.escalation.rungs;
    expect(rungs.length).toBe(5);
    for (const rung of rungs) expect(zh.escalation(rung.code), rung.code).toBe(rung.name.zh);
  });

  it('names the investor 投资主体 as the ledger export does (the register form, the edit form and the project page use this word)', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    const { LEDGER_COLUMNS, headerIn } = await import('../../functions/reports/domain/ledger.ts');
    const investor = LEDGER_COLUMNS.find((c) => c.key === 'investor')!;
    expect(translator('zh').t('investor')).toBe(headerIn(investor, 'zh'));
    expect(translator('en').t('investor')).toBe(headerIn(investor, 'en'));
  });

  it('words a rung as the notices and the ledger export do (督办升级L2：约谈企业, 督办等级 L2：约谈企业): one wording', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    const { render } = await import('../../functions/notifications/domain/notices.ts');
    const { ledgerRow } = await import('../../functions/reports/domain/ledger.ts');
    const zh = translator('zh');
    const en = translator('en');
    const notice = render({ kind: 'escalation.raised', project: { id: 'prj-a', name: '甲项目', park: '汇通产业园' }, to: 'committee_leader', level: 2, rung: '约谈企业', rungEn: 'Interview', trigger: '开工逾期', dueDate: '2026-12-07' } as never);
    expect(notice.zh.title).toBe(`督办升级${zh.rung(2, 'INTERVIEW')}`);
    expect(zh.rung(2, 'INTERVIEW')).toBe('L2：约谈企业');
    expect(notice.en.title).toBe(`Escalated to ${en.rung(2, 'INTERVIEW')}`);
    const row = (lang: 'zh' | 'en') => ledgerRow({ id: 'prj-a', name: '甲项目', park: '汇通产业园', investor: { name: '甲公司' }, track: 'industrial', stage: 'SIGNING', status: 'ACTIVE', light: 'red', escalation: { level: 2, name: 'INTERVIEW' }, createdAt: '2026-11-01T00:00:00.000Z' } as never, lang);
    expect(row('zh').escalation).toBe(zh.rung(2, 'INTERVIEW'));
    expect(row('en').escalation).toBe(en.rung(2, 'INTERVIEW'));
  });

  it('has words for the audit actions of records that are not projects (departments, inventory, calendar, configuration, deliveries)', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    const zh = translator('zh');
    for (const action of ['department.noticed', 'inventory.created', 'inventory.updated', 'inventory.confirmed', 'inventory.retired', 'resource.reclaimed', 'exit.extended', 'calendar.put', 'calendar.seeded', 'config.published', 'deliveries.retried']) {
      expect(zh.action(action), action).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('says a project’s power need 用电负荷 and a facility’s 供电容量 as the matching reasons do — two things, two words', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    const { matchOne } = await import('../../functions/inventory/domain/matching.ts');
    const zh = translator('zh');
    // (The register form asked for 用电负荷 and the facility list headed the facility's capacity 用电负荷 too.)
    expect(zh.t('needPowerKva')).toBe('用电负荷 kVA');
    expect(zh.t('powerKva')).toBe('供电容量 kVA');
    const facility = { id: 'fac-1', kind: 'facilities', status: 'available', version: 1, facts: { code: 'HT-C9', park: '汇通产业园', owner: 'o', areaM2: 6_000, floorLoadKnM2: 15, clearHeightM: 9, powerKva: 1_000, rentCnyPerM2Month: 11 } } as never;
    const project = { industry: 'nev', park: '汇通产业园', siteMode: 'lease' } as never;
    const told = matchOne({ ...(project as object), needs: { powerKva: 1_500 } } as never, facility).reasons.map((r) => r.zh);
    expect(told.some((r) => r.startsWith(zh.t('powerKva').replace(' kVA', '')))).toBe(true);
    const unstated = matchOne({ ...(project as object), needs: { areaM2: 100 } } as never, facility).reasons.map((r) => r.zh);
    expect(unstated.at(-1)).toContain(zh.t('needPowerKva').replace(' kVA', ''));
  });

  it('has Chinese words for every action the API audits (the timeline and the audit query showed inventory.stale, matrix.repinned as codes)', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const audited = new Set<string>();
    for (const file of files('functions')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/auditOp\([^,]+,\s*['`]([a-z_]+\.[a-z_]+)['`]/g)) audited.add(m[1]!);
      for (const m of text.matchAll(/\baction: '([a-z_]+\.[a-z_]+)'/g)) audited.add(m[1]!);
    }
    // A link's effect on a reservation is audited as resource.${status}: a parcel transferred, a facility leased.
    for (const status of ['transferred', 'leased']) audited.add(`resource.${status}`);
    expect(audited.size).toBeGreaterThan(40);
    const zh = translator('zh');
    expect([...audited].filter((action) => !/[\u4e00-\u9fff]/.test(zh.action(action) ?? ''))).toEqual([]);
  });

  it('offers the audit query every action it has words for, once each, by its words', async () => {
    const { translator } = await import('../../console/src/i18n.ts');
    for (const lang of ['zh', 'en'] as const) {
      const t = translator(lang);
      const choices = t.actions();
      expect(choices.length).toBeGreaterThan(30);
      expect(new Set(choices.map(([code]) => code)).size).toBe(choices.length);
      for (const [code, words] of choices) expect(words, code).toBe(t.action(code));
    }
    expect(translator('zh').actions()).toContainEqual(['task.completed', translator('zh').action('task.completed')]);
  });
});

describe('reading a paged list', () => {
  // A list served as pages: `pages[i]` answers cursor `c${i}` (the first page no cursor).
  const served = (pages: number[][]) => {
    const asked: (string | undefined)[] = [];
    const get = async (cursor: string | undefined) => {
      asked.push(cursor);
      const i = cursor === undefined ? 0 : Number(cursor.slice(1));
      return { items: pages[i]!, nextCursor: i + 1 < pages.length ? `c${i + 1}` : null };
    };
    return { get, asked };
  };

  it('reads one page when one is asked for, and hands back the cursor to go on from', async () => {
    const list = served([[1, 2], [3], [4]]);
    expect(await readPages(list.get, undefined, 1)).toEqual({ pages: [{ cursor: undefined, items: [1, 2] }], next: 'c1' });
    expect(await readPages(list.get, 'c1', 5)).toEqual({ pages: [{ cursor: 'c1', items: [3] }, { cursor: 'c2', items: [4] }], next: null });
  });

  it('reads past pages of nothing that have a cursor, so a selective filter does not stop on an empty page', async () => {
    const list = served([[], [], [], [7, 8], [9]]);
    const read = await readPages(list.get, undefined, 1);
    expect(read.pages.flatMap((p) => p.items)).toEqual([7, 8]);
    expect(read.next).toBe('c4');
    expect(list.asked).toEqual([undefined, 'c1', 'c2', 'c3']);
  });

  it('reads past a bounded number of empty pages, then shows what it has with the cursor', async () => {
    const list = served([...Array.from({ length: EMPTY_PAGES_READ_ON + 5 }, () => []), [1]]);
    const read = await readPages(list.get, undefined, 1);
    expect(list.asked).toHaveLength(EMPTY_PAGES_READ_ON + 1);
    expect(read.pages.flatMap((p) => p.items)).toEqual([]);
    expect(read.next).toBe(`c${EMPTY_PAGES_READ_ON + 1}`);
  });

  it('an empty last page ends the list', async () => {
    const list = served([[1], []]);
    expect(await readPages(list.get, undefined, 3)).toEqual({ pages: [{ cursor: undefined, items: [1] }, { cursor: 'c1', items: [] }], next: null });
  });
});

describe('the project a 资源匹配 field names', () => {
  const projects = [
    { id: 'prj-a', name: '示例项目' },
    { id: 'prj-b', name: '同名项目' },
    { id: 'prj-c', name: '同名项目' },
  ];
  it('takes an id as typed, a name that one project has, and says when none or several have it', () => {
    expect(projectNamed(' prj-zzz ', projects)).toEqual({ id: 'prj-zzz' });
    expect(projectNamed('示例项目', projects)).toEqual({ id: 'prj-a' });
    expect(projectNamed('同名项目', projects)).toEqual({ problem: 'many' });
    expect(projectNamed('没有的项目', projects)).toEqual({ problem: 'none' });
    expect(projectNamed('  ', projects)).toEqual({ problem: 'empty' });
  });
});

describe('routing a window of notices again (重新路由通知)', () => {
  // A window of `calls` answers: call i (cursor `r${i}`, the first none) examines 200 notices, queues 1 on land-ht and
  // i on ops-mail, and says more until the last. `fail`: the call numbers (cursor index) that answer a problem instead.
  const served = (calls: number, fail: number[] = []) => {
    const asked: { body: Record<string, unknown>; n: number }[] = [];
    const send = async (body: { from: string; to?: string; cursor?: string }, n: number): Promise<Rerouted> => {
      asked.push({ body, n });
      const i = body.cursor === undefined ? 0 : Number(body.cursor.slice(1));
      if (fail.includes(i)) throw Object.assign(new Error('Too many requests'), { status: 429 });
      const more = i + 1 < calls;
      return { examined: 200, routed: 1 + (i > 0 ? 1 : 0), queued: { 'land-ht': 1, ...(i > 0 ? { 'ops-mail': i } : {}) }, superseded: i === 1 ? 1 : 0, more, cursor: more ? `r${i + 1}` : null };
    };
    return { send, asked };
  };
  const window = { from: '2026-12-01T00:00:00+08:00', to: '2026-12-02T00:00:00+08:00' };

  it('goes on while the API says more, the totals summed per channel', async () => {
    const api = served(3);
    expect(await rerouteWindow(api.send, window)).toEqual({ window, examined: 600, routed: 5, superseded: 1, queued: { 'land-ht': 3, 'ops-mail': 3 }, calls: 3, done: true, cursor: null });
    expect(api.asked).toEqual([
      { body: window, n: 0 },
      { body: { ...window, cursor: 'r1' }, n: 1 },
      { body: { ...window, cursor: 'r2' }, n: 2 },
    ]);
  });

  it('stops at its bound of calls with the cursor to go on from, and a second run of the same window goes on from it', async () => {
    const api = served(REROUTE_CALLS + 3);
    const first = await rerouteWindow(api.send, window);
    expect(first).toMatchObject({ examined: 200 * REROUTE_CALLS, calls: REROUTE_CALLS, done: false, cursor: `r${REROUTE_CALLS}` });
    expect(api.asked).toHaveLength(REROUTE_CALLS);
    const second = await rerouteWindow(api.send, { ...window }, first);
    expect(api.asked.slice(REROUTE_CALLS)).toEqual([10, 11, 12].map((i) => ({ body: { ...window, cursor: `r${i}` }, n: i })));
    const opsMail = Array.from({ length: REROUTE_CALLS + 3 }, (_, i) => i).reduce((a, b) => a + b, 0);
    expect(second).toEqual({ window, examined: 200 * (REROUTE_CALLS + 3), routed: 2 * (REROUTE_CALLS + 3) - 1, superseded: 1, queued: { 'land-ht': REROUTE_CALLS + 3, 'ops-mail': opsMail }, calls: REROUTE_CALLS + 3, done: true, cursor: null });
  });

  it('a window without `to` goes on as it was sent (no `to`: its cursor keeps the first call’s end)', async () => {
    const api = served(3);
    const open = { from: window.from };
    const first = await rerouteWindow(api.send, open, undefined, 2);
    expect(first).toMatchObject({ window: open, done: false, cursor: 'r2' });
    expect(await rerouteWindow(api.send, { from: window.from, to: undefined }, first)).toMatchObject({ done: true, calls: 3, examined: 600 });
    expect(api.asked.map((a) => a.body)).toEqual([open, { ...open, cursor: 'r1' }, { ...open, cursor: 'r2' }]);
  });

  it('another from or to starts the window over: the cursor is of the window it came from', async () => {
    const api = served(5);
    const first = await rerouteWindow(api.send, window, undefined, 2);
    const later = { ...window, to: '2026-12-03T00:00:00+08:00' };
    expect(await rerouteWindow(api.send, later, first, 1)).toEqual({ window: later, examined: 200, routed: 1, superseded: 0, queued: { 'land-ht': 1 }, calls: 1, done: false, cursor: 'r1' });
    expect(api.asked[2]).toEqual({ body: later, n: 0 });
    // Without to, it is another window too.
    await rerouteWindow(api.send, { from: window.from }, first, 1);
    expect(api.asked[3]).toEqual({ body: { from: window.from }, n: 0 });
    // A window done is routed again from its start.
    const done = await rerouteWindow(served(1).send, window);
    expect(await rerouteWindow(api.send, window, done, 1)).toMatchObject({ calls: 1, examined: 200 });
    expect(api.asked[4]).toEqual({ body: window, n: 0 });
  });

  it('a call refused mid-way keeps what the calls before it did, and the window goes on from the call that failed', async () => {
    const api = served(6, [3]);
    const failed = await rerouteWindow(api.send, window);
    expect(failed).toMatchObject({ examined: 600, routed: 5, queued: { 'land-ht': 3, 'ops-mail': 3 }, calls: 3, done: false, cursor: 'r3', error: { message: 'Too many requests', status: 429 } });
    expect(api.asked).toHaveLength(4);
    // Tried again (the same call: the same cursor and number, so the same Idempotency-Key), it goes on to the end.
    const ok = served(6);
    const rest = await rerouteWindow(ok.send, window, failed);
    expect(ok.asked[0]).toEqual({ body: { ...window, cursor: 'r3' }, n: 3 });
    expect(rest).toEqual({ window, examined: 1200, routed: 11, superseded: 1, queued: { 'land-ht': 6, 'ops-mail': 15 }, calls: 6, done: true, cursor: null });
    // A first call refused: nothing done, the window not begun.
    expect(await rerouteWindow(served(2, [0]).send, window)).toMatchObject({ examined: 0, calls: 0, done: false, cursor: null, error: { status: 429 } });
  });

  it('a window whose cursor the API refuses is abandoned: no cursor to send again, and the next run starts it over', async () => {
    const api = served(REROUTE_CALLS + 3);
    const first = await rerouteWindow(api.send, window);
    // The window resumed too long after it began: the API refuses its cursor (400 naming cursor), for good.
    const tooOld = { status: 400, title: 'Validation failed', detail: 'This window (from 2026-12-01T00:00:00.000Z) can no longer be continued: … Route a new window starting at most 31 days ago', errors: [{ path: 'cursor', code: 'out_of_range', message: 'too old' }] };
    const refusing = async (): Promise<Rerouted> => {
      throw Object.assign(new Error(tooOld.detail), { problem: tooOld });
    };
    const refused = await rerouteWindow(refusing, window, first);
    expect(refused).toMatchObject({ examined: 200 * REROUTE_CALLS, calls: REROUTE_CALLS, done: false, cursor: null, abandoned: true, error: { problem: tooOld } });
    // Submitted again, the window starts from its start (no cursor, the first call's number).
    const again = served(1);
    const over = await rerouteWindow(again.send, window, refused);
    expect(over).toMatchObject({ calls: 1, examined: 200, done: true });
    expect(over.abandoned).toBeUndefined();
    expect(again.asked).toEqual([{ body: window, n: 0 }]);
    // Only a refusal of the cursor abandons the window: another 400, a 429, or a first call (no cursor) refused on cursor do not.
    const refusedWith = (problem: unknown) => async (): Promise<Rerouted> => {
      throw Object.assign(new Error('refused'), { problem });
    };
    for (const [problem, resume] of [[{ ...tooOld, errors: [{ path: 'from', code: 'out_of_range', message: 'x' }] }, first], [{ ...tooOld, status: 429 }, first], [tooOld, undefined]] as const) {
      const kept = await rerouteWindow(refusedWith(problem), window, resume);
      expect(kept.cursor).toBe(resume?.cursor ?? null);
      expect(kept.abandoned).toBeUndefined();
    }
    expect(cursorRefused(new Error('network'))).toBe(false);
    expect(cursorRefused(undefined)).toBe(false);
    expect(cursorRefused({ problem: { status: 400, errors: [null, { path: 'cursor' }] } })).toBe(true);
  });
});

describe('a window of 重新路由通知 left unfinished, kept across a reload (sessionStorage, per signed-in user)', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
  };
  const window = { from: '2026-12-01T00:00:00+08:00', to: '2026-12-02T00:00:00+08:00' };
  const unfinished = { window, examined: 2000, routed: 10, superseded: 1, queued: { 'land-ht': 10 }, calls: 10, done: false, cursor: 'c10' };

  it('is read back as it was kept, for the same user only; the error of a call refused is not kept', () => {
    const s = memory();
    keepUnfinished(s, 'u-ops-1', { ...unfinished, error: new Error('Too many requests') });
    expect(unfinishedOf(s, 'u-ops-1')).toEqual(unfinished);
    expect(unfinishedOf(s, 'u-ops-2')).toBeUndefined();
    // Without `to` (止 left empty) it stays without.
    keepUnfinished(s, 'u-ops-2', { ...unfinished, window: { from: window.from } });
    expect(unfinishedOf(s, 'u-ops-2')).toEqual({ ...unfinished, window: { from: window.from } });
  });

  it('is dropped once the window is done, or given one nothing was done on (no call answered)', () => {
    const s = memory();
    keepUnfinished(s, 'u-ops-1', unfinished);
    keepUnfinished(s, 'u-ops-1', { ...unfinished, done: true, cursor: null });
    expect(s.m.size).toBe(0);
    keepUnfinished(s, 'u-ops-1', unfinished);
    keepUnfinished(s, 'u-ops-1', undefined);
    expect(s.m.size).toBe(0);
    keepUnfinished(s, 'u-ops-1', unfinished);
    keepUnfinished(s, 'u-ops-1', { ...unfinished, window: { from: window.from }, calls: 0, examined: 0, cursor: null, error: new Error('refused') });
    expect(unfinishedOf(s, 'u-ops-1')).toBeUndefined();
    // A window whose cursor the API refused can no longer be finished: dropped, not shown as unfinished forever.
    keepUnfinished(s, 'u-ops-1', unfinished);
    keepUnfinished(s, 'u-ops-1', { ...unfinished, cursor: null, abandoned: true, error: new Error('refused') });
    expect(s.m.size).toBe(0);
    expect(unfinishedOf(s, 'u-ops-1')).toBeUndefined();
  });

  it('anything else stored there (another version, hand-edited, broken JSON) is no window: dropped', () => {
    const s = memory();
    for (const bad of ['{', 'null', '[]', JSON.stringify({ ...unfinished, cursor: 5 }), JSON.stringify({ ...unfinished, window: { to: window.to } }), JSON.stringify({ ...unfinished, queued: { x: 'many' } }), JSON.stringify({ ...unfinished, done: true }), JSON.stringify({ ...unfinished, calls: -1 })]) {
      s.m.set('zoneflow.reroute.u-ops-1', bad);
      expect(unfinishedOf(s, 'u-ops-1'), bad).toBeUndefined();
      expect(s.m.size, bad).toBe(0);
    }
    // A storage that refuses (private mode, full): the window stays in the page only, nothing thrown.
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => { throw new Error('denied'); } };
    expect(() => keepUnfinished(refusing, 'u-ops-1', unfinished)).not.toThrow();
    expect(unfinishedOf(refusing, 'u-ops-1')).toBeUndefined();
  });

  it('gives the form its 起 and 止 back as typed (Beijing wall time): submitted again, they are the same window', () => {
    expect(rerouteFields(window)).toEqual({ from: '2026-12-01T00:00', to: '2026-12-02T00:00' });
    expect(rerouteFields({ from: '2026-12-01T08:30:15+08:00' })).toEqual({ from: '2026-12-01T08:30:15', to: '' });
  });

  it('its status line: no space before the full-width parenthesis in Chinese, one before "(" in English', () => {
    expect(rerouteTold(translator('zh'), unfinished)).toBe('已检查通知2000；重新排队10（land-ht 10）；往日每日提醒不再补发1（尚未完成：以相同的起止时间再次提交，从此处继续）');
    expect(rerouteTold(translator('zh'), { ...unfinished, queued: {}, superseded: 0, error: new Error('x') })).toBe('已检查通知2000；重新排队10（在此中断：以相同的起止时间再次提交，从此处继续）');
    expect(rerouteTold(translator('en'), { ...unfinished, superseded: 0 })).toMatch(/^\S.* 10 \(land-ht 10\) \(not finished: submit the same window again to go on from here\)$/);
    expect(rerouteTold(translator('zh'), { ...unfinished, done: true, cursor: null })).not.toContain('尚未完成');
    // Its cursor refused: what was done, and that it cannot be continued — not 尚未完成; the form says why.
    const abandoned = { ...unfinished, queued: {}, superseded: 0, cursor: null, abandoned: true, error: new Error('x') };
    expect(rerouteTold(translator('zh'), abandoned)).toBe('已检查通知2000；重新排队10（无法继续，已不再保留）');
    expect(rerouteTold(translator('en'), abandoned)).toMatch(/ 10 \(cannot be continued; no longer kept\)$/);
    const problem = { status: 400, detail: 'This window can no longer be continued: route a new window starting at most 31 days ago', errors: [{ path: 'cursor' }] };
    expect(rerouteRefusedSaid(translator('zh'), { problem })).toBe(`未完成的时间段无法继续，已不再保留（再次提交将从“起”重新开始）：${problem.detail}`);
    expect(rerouteRefusedSaid(translator('en'), { problem })).toBe(`The unfinished window could not be continued and is no longer kept (submitted again, it starts over from its beginning): ${problem.detail}`);
    expect(rerouteRefusedSaid(translator('en'), new Error('offline'))).toMatch(/: offline$/);
  });
});

describe('the ledger page beside the ledger it exports', () => {
  it('names each column as the CSV/XLSX does (督办等级, 未办结事项 …), in Chinese and in English', async () => {
    const { LEDGER_COLUMNS } = await import('../../functions/reports/domain/ledger.ts');
    const { LEDGER_PAGE_COLUMNS } = await import('../../console/src/logic.ts');
    const csv = (key: string) => LEDGER_COLUMNS.find((c) => c.key === key)!;
    const zh = translator('zh');
    const en = translator('en');
    expect(LEDGER_PAGE_COLUMNS.map((c) => zh.t(c.label))).toEqual(LEDGER_PAGE_COLUMNS.map((c) => csv(c.column).header));
    expect(LEDGER_PAGE_COLUMNS.map((c) => en.t(c.label))).toEqual(LEDGER_PAGE_COLUMNS.map((c) => csv(c.column).headerEn));
  });

  it('names the project’s investor and the park report’s columns as the exports head them (投资主体, 项目总数), not a second word for each', async () => {
    const { LEDGER_COLUMNS } = await import('../../functions/reports/domain/ledger.ts');
    const { PARKS_CSV_HEADINGS } = await import('../../functions/reports/domain/parks.ts');
    const zh = translator('zh');
    // (The project page said 投资方 and the park report's page 项目数 beside the files' 投资主体 and 项目总数.)
    expect(zh.t('investor')).toBe(LEDGER_COLUMNS.find((c) => c.key === 'investor')!.header);
    const pageColumns = ['park', 'projectsTotal', 'activeProjects', 'redLights', 'yellowLights', 'onLadder', 'openTasks', 'overdueTasks', 'parcelsAvailable', 'facilitiesAvailable'] as const;
    expect(pageColumns.map((w) => zh.t(w)).filter((words) => !PARKS_CSV_HEADINGS.includes(words))).toEqual([]);
  });
});

describe('a project’s reservations after they went back', () => {
  it('lists what the project holds, then what it held and released (latest first), so an exited project shows its land taken back rather than nothing', async () => {
    const { reservationsHeldAndReleased } = await import('../../console/src/logic.ts');
    const parcel = { id: 'rsv-1', kind: 'parcels', status: 'released', released: { at: '2026-05-10T14:49:00.000Z', by: 'system', reason: '项目退出，收回要素' } };
    const energy = { id: 'rsv-2', kind: 'energy', status: 'released', released: { at: '2026-03-01T02:00:00.000Z', by: 'u-1', reason: '指标调整' } };
    const facility = { id: 'rsv-3', kind: 'facilities', status: 'leased', released: null };
    // After the exit: nothing held, both released ones told, the exit's reclaim first.
    expect(reservationsHeldAndReleased([energy, parcel])).toEqual({ held: [], released: [parcel, energy] });
    // While one is held: it is listed as held, the released one as history.
    expect(reservationsHeldAndReleased([energy, facility])).toEqual({ held: [facility], released: [energy] });
    expect(reservationsHeldAndReleased([])).toEqual({ held: [], released: [] });
  });
});

describe('the reports page beside the reports it exports', () => {
  it('names open and overdue work 在办事项 and 逾期事项 as the parks CSV and the ledger do — one word for one thing, on every page', async () => {
    const { PARKS_CSV_HEADINGS } = await import('../../functions/reports/domain/parks.ts');
    const zh = translator('zh');
    expect([zh.t('openTasks'), zh.t('overdueTasks')]).toEqual(['在办事项', '逾期事项']);
    expect(PARKS_CSV_HEADINGS).toEqual(expect.arrayContaining([zh.t('openTasks'), zh.t('overdueTasks')]));
    // The ledger's hint and the department report's note name the reports' column by the same word.
    expect(zh.t('unfinishedTasksHint')).toBe('含尚未开始的事项；统计报表的“在办事项”只计已开始办理的事项。');
    expect(zh.t('departmentReportBasis')).toMatch(/^在办事项、逾期事项为当前数；/);
    // What is available, as the CSV heads it (可用地块, not 可供地块 beside it; 厂房/楼宇, the inventory's kind).
    expect([zh.t('parcelsAvailable'), zh.t('facilitiesAvailable')]).toEqual(['可用地块', '可用厂房/楼宇']);
    expect(PARKS_CSV_HEADINGS).toEqual(expect.arrayContaining([zh.t('parcelsAvailable'), zh.t('facilitiesAvailable')]));
    // A period is from one day 至 another in Chinese, not a dash.
    expect(zh.span('2026-12-01', '2026-12-07')).toBe('2026-12-01至2026-12-07');
    expect(translator('en').span('2026-12-01', '2026-12-07')).toBe('2026-12-01 – 2026-12-07');
    // A year's heading: the year in brackets with 年 in Chinese (not the figure run into the label), plain in English.
    expect(zh.ofYear(zh.t('preworkFund'), 2026)).toBe('项目前期保障经费（2026年）');
    expect(translator('en').ofYear(translator('en').t('preworkFund'), 2026)).toBe('Pre-work fund 2026');
    expect(zh.ofYear(zh.t('preworkFund'), undefined)).toBe('项目前期保障经费');
  });
});

describe('a park center whose token names no park', () => {
  it('is told so, and what to do, in the page’s language — not a bare English sentence after 无权操作', () => {
    for (const detail of [
      "Your token names no park: a park center keeps the 闲置厂房/楼宇 records of its own park — ask ops to set your account's park (custom:park), then sign in again",
      "Your token names no park: a park center keeps its own park's ledger — ask ops to set your account's park (custom:park), then sign in again",
    ]) {
      expect(refusalDetail({ status: 403, detail }, 'zh')).toBe('无权办理：您的账号未设置所属园区，园区事业服务中心只办理本园区的事务。请联系平台运维为账号设置所属园区后重新登录');
      expect(refusalDetail({ status: 403, detail }, 'en')).toBe("Not allowed: your account names no park, and a park service center acts only in its own park. Ask ops to set your account's park, then sign in again");
    }
    expect(inLanguage("your token names no park: a park center keeps the facilities records of its own park — ask ops to set your account's park (custom:park), then sign in again", 'zh')).toBe('您的账号未设置所属园区：请联系平台运维设置后重新登录');
  });
});

describe('the ladder line’s next step', () => {
  it('gives its date as the ladder’s words give the trigger’s (预选址逾期（期限2026-11-20）): 下一步：约谈企业（期限2026-12-07）', () => {
    const zh = translator('zh');
    expect(zh.nextStepBy('约谈企业', '2026-12-07', false)).toBe('下一步：约谈企业（期限2026-12-07）');
    expect(zh.nextStepBy('约谈企业', '2027-01-11', true)).toBe('下一步：约谈企业（期限2027-01-11，暂估）');
    expect(translator('en').nextStepBy('Interview', '2026-12-07', false)).toBe('Next: Interview 2026-12-07');
    expect(translator('en').nextStepBy('Interview', '2027-01-11', true)).toBe('Next: Interview 2027-01-11 (estimated)');
  });
});

describe('a channel’s last notice sent without an answer (运维 → 通知投递)', () => {
  it('is told as a swallowing channel until a later notice is answered, then as mended (the group may still lack that one)', () => {
    const zh = translator('zh');
    const en = translator('en');
    expect(zh.unconfirmedHint('2026-12-01 09:59', null)).toBe('发出未获应答（群里可能未收到）：2026-12-01 09:59');
    expect(zh.unconfirmedHint('2026-12-01 09:59', '2026-12-02 10:00')).toBe('发出未获应答（群里可能未收到）：2026-12-01 09:59；此后已恢复应答（最近2026-12-02 10:00）');
    expect(en.unconfirmedHint('2026-12-01 09:59', null)).toBe('sent with no answer (the group may not have it): 2026-12-01 09:59');
    expect(en.unconfirmedHint('2026-12-01 09:59', '2026-12-02 10:00')).toBe('sent with no answer (the group may not have it): 2026-12-01 09:59; answered again since (last 2026-12-02 10:00)');
  });
});

describe('a Chinese label beside its date or figure (one rule with the notices: 回复期限2026-12-07, （期限2026-12-07）)', () => {
  it('takes no space in Chinese, and keeps it in English and beside an English word', () => {
    const zh = translator('zh');
    const en = translator('en');
    expect(zh.beside('投递进程占用至', '2026-12-02 10:01')).toBe('投递进程占用至2026-12-02 10:01');
    expect(zh.beside('已重新排队', '3')).toBe('已重新排队3');
    expect(zh.beside('重新投递', 'ops-mail')).toBe('重新投递 ops-mail');
    expect(en.beside('held by a dispatcher until', '2026-12-02 10:01')).toBe('held by a dispatcher until 2026-12-02 10:01');
    expect(zh.unread(3)).toBe('未读3');
    expect(en.unread(3)).toBe('3 unread');
    expect(zh.quotaLeft('120', '500', '吨')).toBe('剩余120 / 500吨');
    expect(zh.quotaLeft('120', '500', 'tce')).toBe('剩余120 / 500 tce');
    expect(zh.allocationReleased('10 万元', '2026-12-07')).toBe('已释放（2026-12-07），退回10 万元');
    expect(zh.afterPublish('4')).toBe('已发布。4个在办项目正在重新计算期限与黄灯日期。');
    expect(zh.progressDrop('施工进度', '35%')).toBe('施工进度低于上次报送的35%：如确属进度调整，可直接报送。');
  });
});

describe('a letter’s line on the project page', () => {
  it('names its date 回复期限, as the notices and the daily digest name it — not 期限, a task’s word', () => {
    expect(translator('zh').replyByOn('2026-12-07')).toBe('回复期限2026-12-07');
    expect(translator('en').replyByOn('2026-12-07')).toBe('Reply by 2026-12-07');
  });
});

describe('the pre-work fund’s name', () => {
  it('is the mechanism’s 项目前期保障经费 on every page (not 前期工作经费 in one place and 前期经费 in another)', () => {
    const zh = translator('zh');
    expect([zh.t('preworkFund'), zh.config('funds')]).toEqual(['项目前期保障经费', '项目前期保障经费']);
    // The bucket named as the fund's heading names its year (项目前期保障经费（2026年）), no space between Chinese words.
    expect(zh.exitFundBack('进地清单', '10万元')).toBe('项目前期保障经费（进地清单）退回10万元');
  });
});

describe('a task withdrawn with its project’s exit', () => {
  it('is 已撤销 on the page and the timeline, as the API’s refusal names it (withdrawn 已撤销) and the withdrawals of lights are 撤销', () => {
    const zh = translator('zh');
    expect([zh.t('withdrawn'), zh.action('task.withdrawn')]).toEqual(['已撤销', '任务撤销']);
  });
});

describe('a notification in My work', () => {
  it('voided by a re-pin (voidedAt, voidedBy gate.open_withdrawn) shows as void — 已撤回, not a plain read one; the others read or unread as they stand', () => {
    const voided = { read: true, voidedAt: '2026-12-07T08:00:00.000Z', voidedBy: 'gate.open_withdrawn' };
    expect(noticeState(voided, false)).toBe('void');
    expect(noticeState(voided, true)).toBe('void');
    expect(noticeState({ read: true, voidedAt: null, voidedBy: null }, false)).toBe('read');
    expect(noticeState({ read: false, voidedAt: null, voidedBy: null }, false)).toBe('unread');
    // Marked read here since the list was read.
    expect(noticeState({ read: false, voidedAt: null, voidedBy: null }, true)).toBe('read');
    // An API before voidedAt: read or unread, as it says.
    expect([noticeState({ read: true }, false), noticeState({ read: false }, false)]).toEqual(['read', 'unread']);
    expect([translator('zh').t('noticeVoid'), translator('en').t('noticeVoid')]).toEqual(['已撤回', 'Withdrawn']);
  });
});
