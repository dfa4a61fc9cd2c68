// The reuse notice 盘活再利用: a parcel or facility that becomes available again (released, reclaimed on exit) is
// offered, in the same transaction, to the SIGNING projects it fits — each project's park service center is told, with
// the match reasons. Read from the ledger's SIGNING index (bounded: a few hundred projects at most are read).
import type { Notice } from '#notifications/domain/notices.ts';
import { queryLedger } from '#projects/store/ledger.ts';
import type { Project } from '#projects/domain/project.ts';
import { reuseCandidates } from './domain/matching.ts';
import { labelOf } from './domain/reservation.ts';
import { isUnitKind, type Resource, type UnitKind } from './domain/resource.ts';

const PAGES = 5;

export async function signingProjects(): Promise<Project[]> {
  const projects: Project[] = [];
  let startKey: Record<string, string> | undefined;
  for (let page = 0; page < PAGES; page++) {
    const out = await queryLedger({ filters: { stage: 'SIGNING' }, limit: 100, startKey });
    projects.push(...out.items);
    startKey = out.lastKey;
    if (!startKey) break;
  }
  return projects;
}

/** The notices that offer `resource` (as it is once available again) to the SIGNING projects it fits. */
export async function reuseNotices(resource: Resource, exceptProject: string | undefined, limit: number): Promise<Notice[]> {
  if (!isUnitKind(resource.kind) || limit === 0) return [];
  const unit = resource as Resource<UnitKind>;
  const candidates = reuseCandidates(unit, await signingProjects(), exceptProject, limit);
  return candidates.map(({ project, match }) => ({
    kind: 'resource.available',
    project: { id: project.id, name: project.name, park: project.park, investor: project.investor },
    resource: { kind: resource.kind, label: labelOf(resource), id: resource.id, park: unit.facts.park },
    score: match.score,
    reasons: match.reasons.map((r) => r.zh),
  }));
}
