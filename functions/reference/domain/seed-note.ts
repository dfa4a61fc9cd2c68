// The note the seed publishes each configuration's version 1 with (GET /config/{name} `note`, the audit's
// config.published): in Chinese, as the zone's officials read it — and the English one earlier seeds stored, which the
// console says in the page's words too. No imports: the console bundles it as it is.

/** The seed's note on a built-in configuration it publishes. */
export const SEED_NOTE = '内置默认配置（系统初始化）';

/** Whether a configuration version's note is the seed's, as it writes it now or as an earlier seed wrote it. */
export const isSeedNote = (note: unknown): boolean => note === SEED_NOTE || note === 'defaults from domain.md';
