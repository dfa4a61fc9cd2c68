// Record ids: a readable prefix, the creation time (so ids sort roughly by age) and randomness against collisions.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(prefix: string, now: Date): string {
  const rand = [...randomBytes(8)].map((b) => ALPHABET[b % 36]).join('');
  return `${prefix}-${now.getTime().toString(36)}-${rand}`;
}
