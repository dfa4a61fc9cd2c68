// Which of the holdings a project lists are back in the inventory already: read from the holdings' own records, in the
// project's partition of the projects table — and nothing else, so a reader of a project (GET /projects/{id}) can ask
// without carrying the inventory's tables in its bundle.
import type { Project } from '#projects/domain/project.ts';
import { allocationsByIds } from './store/allocations.ts';
import { reservationsByIds } from './store/reservations.ts';

/**
 * The holdings a project lists that are back in the inventory already: what a release of everything (a rejection, when
 * its holdings took several transactions) gave back before it died or lost its race. Such a project is not to be
 * decided otherwise — its record would keep phantom holdings — until the release is sent again and finishes.
 */
export async function releasedMeanwhile(project: Pick<Project, 'id' | 'reservations' | 'fundAllocations'>): Promise<string[]> {
  if (!project.reservations?.length && !project.fundAllocations?.length) return [];
  const [reservations, allocations] = await Promise.all([reservationsByIds(project.id, (project.reservations ?? []).map((r) => r.id)), allocationsByIds(project.id, (project.fundAllocations ?? []).map((a) => a.id))]);
  const released = new Set([...reservations.filter((r) => r.status === 'released').map((r) => r.id), ...allocations.filter((a) => a.status === 'released').map((a) => a.id)]);
  return [...(project.reservations ?? []), ...(project.fundAllocations ?? [])].map((h) => h.id).filter((id) => released.has(id));
}

/**
 * The project as every answer shows it (GET /projects/{id}, and each write that answers with the project): without the
 * holdings a release of everything that died between its transactions gave back already — their own records say so.
 * Read only while such a release can be under way (a project pending admission, or one being exited, that lists
 * holdings); any other project as it is.
 */
export async function withoutReleasedMeanwhile<P extends Pick<Project, 'id' | 'status' | 'exit' | 'reservations' | 'fundAllocations'>>(project: P): Promise<P> {
  if (project.status !== 'PENDING_ADMISSION' && !project.exit) return project;
  const back = new Set(await releasedMeanwhile(project));
  if (!back.size) return project;
  return { ...project, reservations: project.reservations?.filter((r) => !back.has(r.id)), fundAllocations: project.fundAllocations?.filter((a) => !back.has(a.id)) };
}
