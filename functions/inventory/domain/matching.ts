// Matching 要素匹配: candidates of a kind ranked against a project's needs, each with its score and the reasons for it
// in the words officials use (面积满足8,000 m² ≥ 需求7,500 m², 楼面荷载不足10 kN/m² < 需求15 kN/m², the console's column words: each figure with its unit, a square metre
// written m² as everywhere in zoneflow — the SI sign, never the compatibility character ㎡). Deterministic: the same inputs
// always give the same order (score, then code).
//
// A candidate *misfits* when a need it cannot meet is stated: area, floor load, clear height or power below the need,
// or a parcel planned for other industries. Misfits are listed apart with why, nearest first (the project's own park,
// then the fewest needs unmet, then code). Fitting candidates score out of 100:
//   40  fits every stated need
//   20  in the project's own park (0 elsewhere)
//   20  × how fully the area is used (need ÷ area): a 7,500 m² need in 8,000 m² scores 18.75, in 30,000 m² 5
//   10  industry cluster: planned for the project's industry (5 when planned for any)
//   10  parcels: 标准地 readiness, 2.5 an item done; facilities: 2.5 for each of floor load, clear height and power
//       stated as a need and met, plus 2.5 when the area need is stated
//   Rounded to one decimal. A need the project has not stated scores as met but says so in the reasons.
import { INDUSTRY_LABELS, inWords } from '#kernel/domain/codes.ts';
import { areaMu, isStandardLand, READINESS_ITEMS, READINESS_LABELS, READINESS_LABELS_EN, type FacilityFacts, type ParcelFacts, type Resource, type UnitKind } from './resource.ts';
import { SITE_MODE_OF } from './reservation.ts';

/** An industry in words. */
const industryName = (code: string, lang: 'zh' | 'en') => inWords(INDUSTRY_LABELS, code, lang);

export interface MatchNeeds {
  readonly areaM2?: number;
  readonly powerKva?: number;
  readonly floorLoadKnM2?: number;
  readonly clearHeightM?: number;
}

export interface MatchProject {
  readonly park: string;
  readonly industry: string;
  readonly needs?: MatchNeeds;
  /** 摘地 land takes a parcel, 租赁 lease a facility: the other kind never fits (a reservation of it is refused). */
  readonly siteMode?: string;
}

export interface Reason {
  readonly zh: string;
  readonly en: string;
}

export interface Match {
  readonly resourceId: string;
  readonly code: string;
  readonly park: string;
  readonly score: number;
  readonly fits: boolean;
  readonly reasons: readonly Reason[];
  /** Not confirmed for its period 待核实: what it states may be out of date (ranked below a confirmed equal). */
  readonly stale: boolean;
}

/** A stale candidate's cost in score: below an otherwise equal confirmed one, not out of the list. */
const STALE_PENALTY = 10;
const STALE_REASON: Reason = { zh: '信息待核实：本期尚未确认在库，预留前请与管理单位核实', en: 'Not confirmed for this period: check it is still as stated before reserving' };

/** A figure as officials write it: thousands grouped, at most two decimals (133,334.5, not 133334.5). */
const fmt = (n: number) => (Math.round(n * 100) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 });

interface Check {
  readonly ok: boolean;
  readonly reason: Reason;
}

/** A stated minimum need against what the candidate offers. */
function atLeast(label: { zh: string; en: string }, unit: string, offered: number, needed: number | undefined): Check | undefined {
  if (needed === undefined) return undefined;
  return offered >= needed
    ? { ok: true, reason: { zh: `${label.zh}满足${fmt(offered)}${unit} ≥ 需求${fmt(needed)}${unit}`, en: `${label.en} ${fmt(offered)} ${unit.trim()} ≥ need ${fmt(needed)} ${unit.trim()}` } }
    : { ok: false, reason: { zh: `${label.zh}不足${fmt(offered)}${unit} < 需求${fmt(needed)}${unit}`, en: `${label.en} too small: ${fmt(offered)} ${unit.trim()} < need ${fmt(needed)} ${unit.trim()}` } };
}

const AREA = { zh: '面积', en: 'Area' };

/** `parkEn`: a park's English name, when the zone's parks give one (the English reasons name the park by it). */
export function matchOne(project: MatchProject, resource: Resource<UnitKind>, stale = false, parkEn: (name: string) => string | undefined = () => undefined): Match {
  const needs = project.needs ?? {};
  const f = resource.facts;
  const checks: Check[] = [];
  const reasons: Reason[] = [];
  const notStated: { zh: string; en: string }[] = [];
  let score = 0;

  if (project.siteMode !== undefined && SITE_MODE_OF[resource.kind] !== project.siteMode) {
    checks.push({
      ok: false,
      reason: project.siteMode === 'land' ? { zh: '项目为摘地方式：需要地块，不租厂房', en: 'The project takes land: it holds a parcel, not a facility' } : { zh: '项目为租赁方式：需要厂房，不摘地块', en: 'The project leases: it holds a facility, not a parcel' },
    });
  }
  const area = atLeast(AREA, ' m²', f.areaM2, needs.areaM2);
  if (area) checks.push(area);
  else notStated.push({ zh: '面积', en: 'area' });

  let detail = 0;
  if (resource.kind === 'facilities') {
    const fac = f as FacilityFacts;
    const more = [
      [atLeast({ zh: '楼面荷载', en: 'Floor load' }, ' kN/m²', fac.floorLoadKnM2, needs.floorLoadKnM2), { zh: '楼面荷载', en: 'floor load' }],
      [atLeast({ zh: '净高', en: 'Clear height' }, ' m', fac.clearHeightM, needs.clearHeightM), { zh: '净高', en: 'clear height' }],
      // The facility's 供电容量 (what it supplies) against the project's 用电负荷 (the load it draws): unstated, the need is named.
      [atLeast({ zh: '供电容量', en: 'Power' }, ' kVA', fac.powerKva, needs.powerKva), { zh: '用电负荷', en: 'power load' }],
    ] as const;
    for (const [check, name] of more) {
      if (check) checks.push(check);
      else notStated.push(name);
    }
    detail = 2.5 * more.filter(([check]) => check?.ok).length;
  }

  const industries = (f as ParcelFacts | FacilityFacts).industries ?? [];
  const industryOk = industries.length === 0 || industries.includes(project.industry);
  if (industries.length > 0) {
    checks.push(
      industryOk
        ? { ok: true, reason: { zh: `产业集群匹配（${industryName(project.industry, 'zh')}）`, en: `Planned for the project's industry (${industryName(project.industry, 'en')})` } }
        : { ok: false, reason: { zh: `产业不符：规划为${industries.map((i) => industryName(i, 'zh')).join('、')}`, en: `Planned for other industries: ${industries.map((i) => industryName(i, 'en')).join(', ')}` } },
    );
  }

  const fits = checks.every((c) => c.ok);
  reasons.push(...checks.filter((c) => (fits ? c.ok : !c.ok)).map((c) => c.reason));
  if (fits) {
    score += 40;
    if (f.park === project.park) {
      score += 20;
      reasons.push({ zh: `位于本园区（${f.park}）`, en: `In the project's park (${parkEn(f.park) ?? f.park})` });
    } else {
      reasons.push({ zh: `位于其他园区（${f.park}）`, en: `In another park (${parkEn(f.park) ?? f.park})` });
    }
    if (needs.areaM2 !== undefined) {
      const use = needs.areaM2 / f.areaM2;
      score += 20 * use;
      reasons.push({ zh: `面积利用率${Math.round(use * 100)}%（${fmt(areaMu(f.areaM2))}亩）`, en: `Area used ${Math.round(use * 100)}% (${fmt(areaMu(f.areaM2))} mu)` });
    }
    score += industries.length > 0 ? 10 : 5;
    if (resource.kind === 'parcels') {
      const p = f as ParcelFacts;
      const done = READINESS_ITEMS.filter((i) => p.readiness[i] !== null);
      const undone = READINESS_ITEMS.filter((i) => p.readiness[i] === null);
      score += 2.5 * done.length;
      reasons.push(
        isStandardLand(p)
          ? { zh: '标准地：4项条件均已具备', en: 'Standard land: all four readiness items done' }
          : { zh: `标准地条件${done.length}/4，未完成：${undone.map((i) => READINESS_LABELS[i]).join('、')}`, en: `Readiness ${done.length}/4, not done: ${undone.map((i) => READINESS_LABELS_EN[i]).join(', ')}` },
      );
      reasons.push(p.supply === 'stock' ? { zh: '存量可出让', en: 'Stock land, ready to transfer' } : { zh: '增量用地，需报批', en: 'Incremental land, approval needed' });
    } else {
      score += detail + (needs.areaM2 !== undefined ? 2.5 : 0);
    }
    if (notStated.length) reasons.push({ zh: `项目未填报需求：${notStated.map((n) => n.zh).join('、')}`, en: `Needs not stated: ${notStated.map((n) => n.en).join(', ')}` });
    if (stale) score -= STALE_PENALTY;
  }
  if (stale) reasons.push(STALE_REASON);
  return { resourceId: resource.id, code: f.code, park: f.park, score: fits ? Math.round(Math.max(0, score) * 10) / 10 : 0, fits, reasons, stale };
}

/** Candidates ranked: fitting ones best first, misfits apart (each with why); ties broken by code. `staleOf`: whether a
 * record is not confirmed for its period (the route's `today`). */
export function rankMatches(project: MatchProject, candidates: readonly Resource<UnitKind>[], staleOf: (r: Resource<UnitKind>) => boolean = () => false, parkEn?: (name: string) => string | undefined): { items: Match[]; misfits: Match[] } {
  const all = candidates.filter((c) => c.status === 'available').map((c) => matchOne(project, c, staleOf(c), parkEn));
  const byCode = (a: Match, b: Match) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const byRank = (a: Match, b: Match) => b.score - a.score || byCode(a, b);
  // Misfits (candidates to adapt, 改造升级) nearest first: the project's own park (where its park center may reserve),
  // then the fewest needs unmet (a misfit's reasons are what it does not meet), then code. A short page (`limit`)
  // then holds the ones worth a look.
  const elsewhere = (m: Match) => (m.park === project.park ? 0 : 1);
  const byNearest = (a: Match, b: Match) => elsewhere(a) - elsewhere(b) || a.reasons.length - b.reasons.length || byCode(a, b);
  return { items: all.filter((m) => m.fits).sort(byRank), misfits: all.filter((m) => !m.fits).sort(byNearest) };
}

/** What the reuse notice needs of a project. */
export interface ReuseProject extends MatchProject {
  readonly id: string;
  readonly name: string;
  readonly investor: { readonly enterpriseId: string };
  readonly siteMode: string;
  readonly stage: string;
  readonly status: string;
  readonly reservations?: readonly { readonly kind: string }[];
}

/**
 * The exit → reuse loop 盘活再利用: when a parcel or facility becomes available again, the SIGNING projects still
 * looking for one of its kind (site mode fits, none held) that it fits, best match first, at most `limit`.
 */
export function reuseCandidates<P extends ReuseProject>(resource: Resource<UnitKind>, projects: readonly P[], exceptProject: string | undefined, limit: number): { project: P; match: Match }[] {
  const siteMode = resource.kind === 'parcels' ? 'land' : 'lease';
  return projects
    .filter((p) => p.id !== exceptProject && p.stage === 'SIGNING' && (p.status === 'ACTIVE' || p.status === 'PENDING_ADMISSION') && p.siteMode === siteMode)
    .filter((p) => !(p.reservations ?? []).some((h) => h.kind === resource.kind))
    .map((project) => ({ project, match: matchOne(project, { ...resource, status: 'available' }) }))
    .filter((c) => c.match.fits)
    .sort((a, b) => b.match.score - a.match.score || (a.project.id < b.project.id ? -1 : 1))
    .slice(0, limit);
}
