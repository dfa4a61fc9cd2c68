// Where a notification id places it in its inbox (notifications/domain/inbox.ts placeOfId): the exact key of a
// generated id, the Shanghai day of a digest's, nothing for anything else.
import { describe, expect, it } from 'vitest';
import { notificationId, placeOfId } from '../../functions/notifications/domain/inbox.ts';

describe('placeOfId', () => {
  it('gives a generated id its exact key: its instant, in base-36 milliseconds, then the id', () => {
    const at = new Date('2026-11-27T18:55:03.916Z');
    for (const order of [0, 2, 500]) {
      const id = notificationId(at, order);
      expect(id).toHaveLength(16);
      expect(placeOfId(id)).toEqual({ seq: `2026-11-27T18:55:03.916Z#${id}` });
    }
    // The ids of one change sort as it raised them (the same instant, then the order).
    expect(notificationId(at, 1, () => 0.9) < notificationId(at, 2, () => 0.1)).toBe(true);
  });

  it('gives a digest id its day in Shanghai (midnight to midnight, UTC keys)', () => {
    expect(placeOfId('dg202611270123456789abcdef')).toEqual({ from: '2026-11-26T16:00:00.000Z', to: '2026-11-27T16:00:00.000Z' });
  });

  it('places nothing else: wrong length, before 2000, upper case, a digest of no real day', () => {
    for (const id of ['abc', '0000000000000000', 'MWZCCLBG002G0NVB', 'dg20261332' + '0123456789abcdef', 'dg2026112' + '0123456789abcdef']) expect(placeOfId(id), id).toBeUndefined();
  });
});
