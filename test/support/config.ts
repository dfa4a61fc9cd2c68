// Test support: configuration v1 published without the calendar (integration tests that need configuration only).
import { CONFIG_NAMES, DEFAULT_CONFIG } from '../../functions/reference/domain/config.ts';
import { transact } from '../../functions/kernel/store/client.ts';
import { getConfig, putConfigVersion } from '../../functions/reference/store/reference.ts';

/** Publishes version 1 of each configuration that has no stored version yet. */
export async function seedConfig(now: Date): Promise<string[]> {
  const written = await Promise.all(
    CONFIG_NAMES.map(async (name) => {
      if ((await getConfig(name)).version > 0) return undefined;
      await transact([
        putConfigVersion({ name, version: 1, doc: DEFAULT_CONFIG[name], publishedAt: now.toISOString(), publishedBy: 'seed', note: 'defaults from domain.md' }),
      ]);
      return name;
    }),
  );
  return written.filter((n): n is (typeof CONFIG_NAMES)[number] => n !== undefined);
}
