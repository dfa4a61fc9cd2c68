// The timeline as the investing enterprise sees it: milestones only, the exit among them as it was told of it.
import { describe, expect, it } from 'vitest';
import { presentEventToEnterprise } from '../../functions/projects/present-timeline.ts';

const event = (action: string, after: Record<string, unknown> = {}) => ({ at: '2026-12-02T02:00:00Z', action, before: {}, after });

describe('the enterprise timeline', () => {
  it('shows the exit decided and done, and nothing of its internal steps', () => {
    expect(presentEventToEnterprise(event('exit.decided', { reason: '内部研判：违约' }))).toEqual({ at: '2026-12-02T02:00:00Z', action: 'exit.decided', label: '启动退出程序', details: {} });
    expect(presentEventToEnterprise(event('exit.completed'))).toMatchObject({ label: '项目已退出', details: {} });
    for (const internal of ['exit.checked', 'exit.released', 'exit.letter_issued', 'exit.redrive_requested', 'escalation.raised']) expect(presentEventToEnterprise(event(internal))).toBeUndefined();
  });
});
