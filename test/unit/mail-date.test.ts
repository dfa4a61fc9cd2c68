// A local mail (.eml in MAIL_DIR) is dated on the business clock, as its delivery is: on a runtime started at another
// instant or running fast, the file's Date: header and the delivery's `at` tell the same day.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'zf-mail-date-'));
Object.assign(process.env, { MAIL_DIR: dir, ZONEFLOW_CLOCK_START: '2027-01-22T01:00:00Z', ZONEFLOW_TIME_SCALE: '1' });
const { transport } = await import('../../functions/notifications/transport.ts');

it('dates a local mail on the business clock', async () => {
  await transport.mail({ id: 'n-1', to: ['land@zone.example.cn'], subject: '红灯', text: '已逾期' });
  const [file] = readdirSync(dir);
  const date = /^Date: (.+)$/m.exec(readFileSync(join(dir, file!), 'utf8'))?.[1];
  expect(date).toMatch(/^Fri, 22 Jan 2027 01:00:0\d GMT\r?$/);
});
