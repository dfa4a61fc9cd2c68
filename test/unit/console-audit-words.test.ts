// Every field the API writes into an audit event's before/after has a word on the console's audit page (变更前后): the
// fields are read from the writers themselves (functions/), with the TypeScript checker, so a writer that records a new
// field fails this test until the console says it in words, in Chinese and in English.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { auditChanges } from '../../console/src/logic.ts';
import { translator } from '../../console/src/i18n.ts';
import { ESCALATION_LEVELS } from '../../functions/kernel/domain/codes.ts';
import { DEFAULT_FUNDS_CONFIG } from '../../functions/inventory/domain/fund.ts';
import { DEFAULT_LETTERS_CONFIG } from '../../functions/supervision/domain/letter.ts';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Files whose before/after the checker cannot read, each for a reason: they pass on a change made elsewhere (a diff()
 * of two records, an event the domain built, publishedChange's), and that elsewhere is read here instead — or they read
 * events, not write them.
 */
const PASSED_ON = new Set([
  'functions/kernel/store/audit.ts', // auditOp itself
  'functions/kernel/domain/values.ts', // diff() itself: read where it is called
  'functions/reference/domain/config.ts', // publishedChange's comparison of two documents, recorded under `doc`
  'functions/projects/change.ts', // the unit of work: a diff of the project, the domain's events
  'functions/inventory/change.ts', // a diff of the record
  'functions/projects/http/create-project.ts', // a diff of the project
  'functions/reference/http/put-calendar.ts', // a diff of the calendar year
  'functions/reference/http/put-config.ts', // publishedChange
  'functions/notifications/http/put-channels.ts', // publishedChange, and the channels' ids
  'functions/lifecycle/steps/enter-stage.ts', // entry.ts's event
  'functions/supervision/http/decide-exit.ts', // exit.ts's event
  'functions/supervision/http/send-letter.ts', // notices.ts's event
]);
/** Files that present audit events (the timeline, the audit query): they write none. */
const READERS = new Set(['functions/inventory/present.ts', 'functions/supervision/http/query-audit.ts', 'functions/projects/present-timeline.ts']);
/** The configuration documents (ConfigDocs), whose settings a publication records under `doc`. */
const CONFIG_DOCS = 'functions/reference/domain/config.ts';
/** A meeting amendment records the terms it changed by name (meeting.ts amendMeeting): the terms an amendment may change. */
const AMENDED_TERMS: Readonly<Record<string, readonly string[]>> = { 'functions/lifecycle/http/amend-meeting.ts': ['heldOn', 'attendees', 'decisions', 'followUps'] };

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/**
 * The dotted keys the console's audit page lists (auditLeaves: a record's fields one by one, a list as one value), of
 * every before/after the writers record: an object literal with an `action` and its `before`/`after` (an audit event, the
 * domain's AuditRecord), or its `audit` details (a ProjectChange); auditOp's change; both sides of diff(); a function
 * that returns a change ({ before: Record<string, unknown> … }, publishedChange). A key under a map (a quarter, a
 * bucket) is `*`; `?` after it: a map of values the checker cannot see into. `opaque`: the places with a side it
 * cannot read at all.
 */
function auditedKeys(): { keys: Map<string, Set<string>>; opaque: Set<string>; codes: Map<string, Set<string>>; items: Map<string, Record<string, unknown>[]> } {
  const files = sourceFiles(join(ROOT, 'functions'));
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options;
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const keys = new Map<string, Set<string>>();
  const opaque = new Set<string>();
  const codes = new Map<string, Set<string>>();
  // A list of records (a configuration's rules): records such a list may hold, each code its fields take in one of them.
  const items = new Map<string, Record<string, unknown>[]>();
  const add = (key: string, where: string) => keys.set(key, (keys.get(key) ?? new Set()).add(where));
  const isRecord = (t: ts.Type) =>
    !!(t.flags & ts.TypeFlags.Object) && !checker.isArrayType(t) && !checker.isTupleType(t) && t.getSymbol()?.getName() !== 'Date' && !t.getProperty('_zod');
  const isAnything = (t: ts.Type) => !!(t.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any));
  function leaves(type: ts.Type, prefix: string, where: string, skip: readonly string[] = [], depth = 0): void {
    if (depth > 8) return;
    if (isAnything(type)) {
      if (!prefix) opaque.add(where);
      else add(`${prefix}?`, where);
      return;
    }
    for (const part of type.isUnion() ? type.types : [type]) {
      if (!isRecord(part)) continue;
      for (const prop of checker.getPropertiesOfType(part)) {
        if (skip.includes(prop.getName())) continue;
        const key = prefix ? `${prefix}.${prop.getName()}` : prop.getName();
        const declared = checker.getTypeOfSymbol(prop);
        const members = (t: ts.Type) => (t.isUnion() ? t.types : [t]);
        const value = members(declared).filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
        const records = value.filter(isRecord);
        // A value, or a record that may be null (listed as one value then): a key of its own.
        if (records.length < value.length || value.length === 0 || members(declared).some((t) => t.flags & ts.TypeFlags.Null)) add(key, where);
        // A code (a union of string literals: a status, a kind, a rung): each of them.
        const literals = value.flatMap((t) => (t.isStringLiteral() ? [t.value] : []));
        if (literals.length) codes.set(key, new Set([...(codes.get(key) ?? []), ...literals]));
        // A list: of codes (each of them, as above), or of records (records it may hold, for their words).
        for (const list of value.filter((t) => checker.isArrayType(t))) {
          const elem = checker.getTypeArguments(list as ts.TypeReference)[0];
          if (!elem) continue;
          const elemLiterals = members(elem).flatMap((t) => (t.isStringLiteral() ? [t.value] : []));
          if (elemLiterals.length) codes.set(key, new Set([...(codes.get(key) ?? []), ...elemLiterals]));
          if (members(elem).some(isRecord) && members(elem).every((t) => isRecord(t) || t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined))) items.set(key, [...(items.get(key) ?? []), ...samples(members(elem).find(isRecord)!)]);
        }
        for (const r of records) leaves(r, key, where, [], depth + 1);
      }
      for (const index of checker.getIndexInfosOfType(part)) {
        const key = prefix ? `${prefix}.*` : '*';
        if (isAnything(index.type)) {
          if (!prefix) opaque.add(where);
          else add(`${key}?`, where);
        } else if (isRecord(checker.getNonNullableType(index.type))) leaves(checker.getNonNullableType(index.type), key, where, [], depth + 1);
        else add(key, where);
      }
    }
  }
  /** Records of a record type: a field's codes taken in turn (one record a code), a text 'x', a number 1, a list of one, a record as its first. */
  function samples(record: ts.Type): Record<string, unknown>[] {
    const fields = checker.getPropertiesOfType(record).map((prop) => {
      const t = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
      const one = (u: ts.Type): unknown[] => {
        const literals = (u.isUnion() ? u.types : [u]).flatMap((m) => (m.isStringLiteral() ? [m.value] : []));
        if (literals.length) return literals;
        if (u.flags & ts.TypeFlags.NumberLike) return [1];
        if (u.flags & ts.TypeFlags.BooleanLike) return [true];
        if (u.flags & ts.TypeFlags.StringLike) return ['x'];
        if (isRecord(u)) return [samples(u)[0]];
        return [];
      };
      const values = checker.isArrayType(t) ? one(checker.getTypeArguments(t as ts.TypeReference)[0]!).map((v) => [v]) : one(t);
      return [prop.getName(), values] as const;
    });
    const n = Math.max(1, ...fields.map(([, v]) => v.length));
    return Array.from({ length: n }, (_, i) => Object.fromEntries(fields.flatMap(([name, v]) => (v.length ? [[name, v[i % v.length]]] : []))));
  }
  const sides = (type: ts.Type, where: string) => {
    for (const side of ['before', 'after']) {
      const p = checker.getNonNullableType(type).getProperty(side);
      if (p) leaves(checker.getTypeOfSymbol(p), '', where);
    }
  };
  const returnsChange = (n: ts.Node): boolean => {
    for (let f: ts.Node | undefined = n.parent; f; f = f.parent) {
      if (ts.isFunctionLike(f)) return !!f.type && /before: Record<string, unknown>/.test(f.type.getText());
    }
    return false;
  };
  for (const sf of program.getSourceFiles()) {
    const file = relative(ROOT, sf.fileName);
    if (!file.startsWith('functions/') || READERS.has(file)) continue;
    const at = (n: ts.Node) => (PASSED_ON.has(file) ? `${file}` : `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        // diff() leaves out the record's version and updatedAt.
        if (n.expression.text === 'diff') for (const a of n.arguments) leaves(checker.getTypeAtLocation(a), '', at(n), ['version', 'updatedAt']);
        if (n.expression.text === 'auditOp' && n.arguments[3]) sides(checker.getTypeAtLocation(n.arguments[3]), at(n));
      }
      if (ts.isObjectLiteralExpression(n)) {
        const named = new Map(n.properties.flatMap((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) ? [[p.name.getText(), p] as const] : [])));
        const valueOf = (p: ts.PropertyAssignment | ts.ShorthandPropertyAssignment): ts.Node => (ts.isPropertyAssignment(p) ? p.initializer : p.name);
        if (named.has('action')) {
          for (const side of ['before', 'after']) {
            const p = named.get(side);
            if (p) leaves(checker.getTypeAtLocation(valueOf(p)), '', at(n));
          }
          const audit = named.get('audit');
          if (audit) sides(checker.getTypeAtLocation(valueOf(audit)), at(n));
        } else if (named.has('before') && named.has('after') && returnsChange(n)) {
          for (const side of ['before', 'after']) leaves(checker.getTypeAtLocation(valueOf(named.get(side)!)), '', at(n));
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    for (const term of AMENDED_TERMS[file] ?? []) add(term, file);
    // A published configuration records the settings it changed under `doc` (publishedChange): each document's settings,
    // read from ConfigDocs, so a setting added to a document fails here until the page says it in words.
    if (file === CONFIG_DOCS) {
      const docs = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ConfigDocs')!;
      for (const doc of checker.getPropertiesOfType(checker.getTypeAtLocation(docs))) leaves(checker.getTypeOfSymbol(doc), 'doc', `${file} ConfigDocs.${doc.getName()}`);
    }
  }
  return { keys, opaque, codes, items };
}

/**
 * The maps whose keys are codes, with codes they hold (the defaults': a letter series, a fund bucket, a rung): the page
 * names the key in words. Any other map's key is one shown as it is (SHOWN_AS_KEYED).
 */
const CODED_KEYS: Readonly<Record<string, readonly string[]>> = {
  'doc.series.*': Object.keys(DEFAULT_LETTERS_CONFIG.series),
  'budgetCny.*': DEFAULT_FUNDS_CONFIG.buckets.map((b) => b.code),
  'escalation.rungsSince.*': ESCALATION_LEVELS,
};
/** The maps keyed by what is shown as it is: a quarter (2027Q1), a channel's id. */
const SHOWN_AS_KEYED = new Set(['production.*', '*', 'queued.*', 'doc.*']);

/** A record holding `x` at a dotted key (a map's key `*` as one the zone would have: 2027Q1). */
function holding(key: string, value: unknown = 'x'): Record<string, unknown> {
  const path = key.replace(/\?$/, '').split('.').map((s) => (s === '*' ? '2027Q1' : s));
  const out: Record<string, unknown> = {};
  let at = out;
  path.forEach((s, i) => {
    if (i === path.length - 1) at[s] = value;
    else at = (at[s] = {}) as Record<string, unknown>;
  });
  return out;
}

describe('the audit page says every recorded field in words', () => {
  const { keys, opaque, codes, items } = auditedKeys();

  it('reads the writers: the fields of the project, the tasks’ events, the inventory, the ladder, the configuration', () => {
    // The reading itself: were it to find nothing, nothing below would be checked.
    for (const key of ['name', 'stage', 'workflow.status', 'escalation.next.step', 'facts.code', 'gateApprovers', 'gateKept.because', 'tasks', 'production.*.outputValueCny', 'budgetCny.*', 'changed', 'doc.*?', 'doc.yellowBeforeWd', 'doc.priorityUpgrade.enabled', 'doc.kinds.parcels.refresh', 'doc.series.*.pattern', 'window.workingDays', 'heldOn'])
      expect([...keys.keys()], key).toContain(key);
    expect(keys.size).toBeGreaterThan(150);
    // The version and updatedAt a diff leaves out are not listed for it.
    expect(keys.get('updatedAt') ?? new Set()).not.toContain('functions/projects/change.ts');
  });

  it('has no writer whose before or after it cannot read (else: name what it passes on in PASSED_ON)', () => {
    expect([...opaque].filter((w) => !PASSED_ON.has(w.replace(/:\d+$/, '')) && !AMENDED_TERMS[w.replace(/:\d+$/, '')])).toEqual([]);
  });

  for (const lang of ['zh', 'en'] as const) {
    it(`gives each a word in ${lang === 'zh' ? 'Chinese' : 'English'}, not its key`, () => {
      const t = translator(lang);
      const unsaid = [...keys].flatMap(([key, where]) => {
        const line = auditChanges({}, holding(key), t).find((l) => l.key === key.replace(/\?$/, '').replace(/\*/g, '2027Q1'));
        // Not its key, nor a part of it (配置内容（yellowBeforeWd）): only a map's key (a quarter, 2027Q1) may be shown as it is.
        const named = key.replace(/\?$/, '').split('.').filter((part) => part !== '*');
        const said = line !== undefined && line.label !== line.key && !named.some((part) => new RegExp(`[（(]${part}[）)]`).test(line.label)) && (lang === 'en' || /[\u4e00-\u9fff]/.test(line.label));
        return said ? [] : [`${key} (${[...where].slice(0, 2).join(', ')}): ${line?.label ?? 'no line'}`];
      });
      expect(unsaid).toEqual([]);
    });

    it(`lists the settings a published configuration changed in ${lang === 'zh' ? 'Chinese' : 'English'} words, not their keys`, () => {
      const t = translator(lang);
      const settings = [...new Set([...keys.keys()].flatMap((k) => (/^doc\.[A-Za-z]/.test(k) ? [k.split('.')[1]!] : [])))];
      expect(settings).toContain('yellowBeforeWd');
      const raw = settings.filter((setting) => {
        const line = auditChanges({}, { changed: [setting] }, t).find((l) => l.key === 'changed');
        return !line?.after || line.after === setting || (lang === 'zh' && !/[\u4e00-\u9fff]/.test(line.after));
      });
      expect(raw).toEqual([]);
    });

    it(`names a map's key that is a code (a letter series, a fund bucket, a rung) in ${lang === 'zh' ? 'Chinese' : 'English'} words, not the code`, () => {
      const t = translator(lang);
      const maps = [...new Set([...keys.keys()].flatMap((k) => (k.includes('*') ? [k.replace(/\?$/, '').slice(0, k.lastIndexOf('*') + 1)] : [])))];
      expect(maps).toContain('doc.series.*');
      // A new map: its keys are codes (CODED_KEYS) or shown as they are (SHOWN_AS_KEYED) — said here either way.
      expect(maps.filter((m) => !CODED_KEYS[m] && !SHOWN_AS_KEYED.has(m))).toEqual([]);
      const raw = Object.entries(CODED_KEYS).flatMap(([map, held]) =>
        [...keys.keys()].filter((k) => k.startsWith(map)).flatMap((k) =>
          held.flatMap((code) => {
            const at = k.replace(/\?$/, '').replace(map, map.replace(/\*$/, code));
            const line = auditChanges({}, holding(at.replace(code, '*').replace(/\*/, code)), t).find((l) => l.key === at);
            return line && !line.label.includes(`${t.open}${code}${t.close}`) ? [] : [`${at}: ${line?.label ?? 'no line'}`];
          }),
        ),
      );
      expect(raw).toEqual([]);
    });

    it(`says each rule of a list (a configuration's task links, a gate's needs) in ${lang === 'zh' ? 'Chinese' : 'English'} words, not … nor its codes`, () => {
      const t = translator(lang);
      expect([...items.keys()]).toEqual(expect.arrayContaining(['doc.taskLinks', 'doc.gateNeeds']));
      const raw = [...items].flatMap(([key, records]) =>
        records.flatMap((record) => {
          const line = auditChanges({}, holding(key, [record]), t).find((l) => l.key === key);
          const shown = line?.after ?? '';
          const codesIn = Object.values(record).flat().filter((v): v is string => typeof v === 'string' && v !== 'x');
          const rawCode = lang === 'zh' && codesIn.some((c) => new RegExp(`(^|[^A-Za-z0-9_])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).test(shown));
          return !shown || shown.includes('…') || rawCode ? [`${key}: ${JSON.stringify(record)} → ${shown}`] : [];
        }),
      );
      expect(raw).toEqual([]);
    });

    it(`shows each code a field holds in ${lang === 'zh' ? 'Chinese' : 'English'} words, not the code`, () => {
      const t = translator(lang);
      expect(codes.get('workflow.status')).toContain('start_failed');
      const raw = [...codes].flatMap(([key, values]) =>
        [...values].flatMap((code) => {
          const line = auditChanges({}, holding(key, code), t).find((l) => l.key === key.replace(/\*/g, '2027Q1'));
          return line && line.after !== code ? [] : [`${key}: ${code}`];
        }),
      );
      expect(raw).toEqual([]);
    });
  }
});
