// The reference-data custom resource: on every deploy (Create and Update) it ensures the reference data the product
// cannot run without (reference/store/bootstrap.ts); Delete leaves it (the tables are retained).
import { log } from '#kernel/runtime/log.ts';
import { ensureReferenceData } from '#reference/store/bootstrap.ts';

export { ensureReferenceData };

/** The CloudFormation custom resource event (the fields this handler reads). */
interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
}

const PHYSICAL_ID = 'zoneflow-reference-data';

/** Custom resource handler: Create and Update ensure the reference data; Delete leaves it (the tables are retained). */
export async function handler(event: CustomResourceEvent): Promise<void> {
  let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
  let reason = 'reference data in place';
  let data: Record<string, string> = {};
  try {
    if (event.RequestType !== 'Delete') {
      const report = await ensureReferenceData(new Date());
      log.info('reference data ensured', { ...report });
      data = { calendarYears: String(report.calendarYears.length), configs: report.configs.join(',') || 'none', parkTasksRekeyed: String(report.parkTasksRekeyed), openTasksIndexed: String(report.openTasksIndexed), projectsReindexed: String(report.projectsReindexed), reindexFinished: String(report.reindexFinished), lettersIndexed: String(report.lettersIndexed) };
      reason = `calendar years loaded: ${report.calendarYears.length}; configurations published: ${report.configs.join(', ') || 'none'}`;
    }
  } catch (err) {
    log.error('reference data bootstrap failed', { err });
    status = 'FAILED';
    reason = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 500);
  }
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: event.PhysicalResourceId ?? PHYSICAL_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed S3 URL is signed without a content type: send none.
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '' } });
  if (!res.ok) throw new Error(`CloudFormation response refused: ${res.status}`);
}
