// The channels configuration, versioned like every configuration document (the reference store's versioned
// documents: pk CONFIG#channels, one item per version): what is stored holds no credential, only the secret store's
// names for them.
import type { WriteOp } from '#kernel/store/client.ts';
import { DEFAULT_RETRY, NO_CHANNELS, type ChannelsDoc } from '#notifications/domain/channels.ts';
import { newestVersion, putVersion } from '#reference/store/versions.ts';

export interface ChannelsVersion {
  readonly name: 'channels';
  readonly version: number;
  readonly doc: ChannelsDoc;
  readonly publishedAt: string;
  readonly publishedBy: string;
  readonly note?: string;
}

/** The version in force; version 0 (no channel: in-app only) until ops publish one. */
export async function getChannels(): Promise<ChannelsVersion> {
  const stored = (await newestVersion('channels')) as ChannelsVersion | undefined;
  if (!stored) return { name: 'channels', version: 0, doc: NO_CHANNELS, publishedAt: '1970-01-01T00:00:00.000Z', publishedBy: 'built-in default' };
  return { ...stored, doc: { ...stored.doc, retry: { ...DEFAULT_RETRY, ...stored.doc.retry } } };
}

/** Stores version `c.version`; fails when someone published it first. */
export const putChannelsVersion = (c: ChannelsVersion): WriteOp => putVersion(c);
