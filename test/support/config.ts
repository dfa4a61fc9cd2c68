// Test support: configuration v1 published without the calendar (integration tests that need configuration only), and
// parks of a test's own added to the zone's list.
import { CONFIG_NAMES, DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { SEED_NOTE } from '../../functions/reference/domain/seed-note.ts';
import { transact } from '../../functions/kernel/store/client.ts';
import { forgetReferenceData, getConfig, putConfigVersion } from '../../functions/reference/store/reference.ts';

/** Publishes version 1 of each configuration that has no stored version yet. */
export async function seedConfig(now: Date): Promise<string[]> {
  const written = await Promise.all(
    CONFIG_NAMES.map(async (name) => {
      if ((await getConfig(name)).version > 0) return undefined;
      await transact([
        putConfigVersion({ name, version: 1, doc: DEFAULT_CONFIG[name], publishedAt: now.toISOString(), publishedBy: 'seed', note: SEED_NOTE }),
      ]);
      return name;
    }),
  );
  return written.filter((n): n is (typeof CONFIG_NAMES)[number] => n !== undefined);
}

/** Publishes the next version of one configuration (over the one in force), as ops would: for a test's own settings. */
export async function publishTestConfig<N extends (typeof CONFIG_NAMES)[number]>(name: N, doc: (typeof DEFAULT_CONFIG)[N], note: string): Promise<void> {
  const current = await getConfig(name, 'fresh');
  await transact([putConfigVersion({ name, version: current.version + 1, doc, publishedAt: new Date().toISOString(), publishedBy: 'test', note })]);
  forgetReferenceData();
}

/**
 * Adds parks to the zone's list (configuration `parks`, the next version over the one in force), as ops would before
 * anyone names them: for a test whose projects or records are in parks of its own (临港园, 园区3, …).
 */
export async function addParks(...names: string[]): Promise<void> {
  const current = await getConfig('parks', 'fresh');
  const missing = [...new Set(names)].filter((name) => !current.doc.parks.some((p) => p.name === name));
  if (missing.length === 0) return;
  const doc = { parks: [...current.doc.parks, ...missing.map((name) => ({ name }))] };
  await transact([putConfigVersion({ name: 'parks', version: current.version + 1, doc, publishedAt: new Date().toISOString(), publishedBy: 'test', note: 'parks the test names' })]);
  forgetReferenceData();
}
