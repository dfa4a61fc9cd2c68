// The console's paged lists (ui.ts usePages) rendered by Preact itself, its effects run at once (no browser frame to wait
// for): which answer a list shows when reads cross — a filter changed, the next page asked for.
import { h, options, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePages, type Paged } from '../../../console/src/ui.ts';

type Page = { items: string[]; nextCursor?: string | null };

/** A reader whose answers the test gives, path by path, when it chooses. */
function heldReader() {
  const asked = new Map<string, (p: Page) => void>();
  const get = <T,>(path: string): Promise<T> => new Promise<T>((resolve) => asked.set(path, resolve as (p: Page) => void));
  const answer = async (path: string, page: Page) => {
    const give = asked.get(path);
    if (!give) throw new Error(`${path} was not asked for (asked: ${[...asked.keys()].join(', ')})`);
    asked.delete(path);
    give(page);
    await settle();
  };
  return { get, answer, asked };
}

/** Lets promises, Preact's renders and effects run out (effects are run at once: options.requestAnimationFrame). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

/** A DOM parent enough for a component that renders nothing. */
const parent = () => ({ childNodes: [], firstChild: null, ownerDocument: null, nodeType: 1, appendChild: (c: unknown) => c, insertBefore: (c: unknown) => c, removeChild: () => undefined }) as unknown as Element;

describe('a paged list (usePages)', () => {
  let raf: typeof options.requestAnimationFrame;
  beforeEach(() => {
    raf = options.requestAnimationFrame;
    options.requestAnimationFrame = (cb: () => void) => cb();
  });
  afterEach(() => {
    options.requestAnimationFrame = raf;
  });

  it('whose next page is asked for with none to read (a filter just changed) still shows the new filter’s list when it arrives', async () => {
    const reader = heldReader();
    let list: Paged<string> | undefined;
    const List = ({ q }: { q: string }) => {
      list = usePages<string>((c) => `/audit?q=${q}${c ? `&cursor=${c}` : ''}`, [q], { get: reader.get });
      return null;
    };
    const root = parent();
    render(h(List, { q: 'a' }), root);
    await settle();
    await reader.answer('/audit?q=a', { items: ['a1'], nextCursor: 'c2' });
    expect(list!.items).toEqual(['a1']);
    expect(list!.hasMore).toBe(true);

    // Another filter: its first page is being read, nothing is left to read past it yet — and 更多 is pressed.
    render(h(List, { q: 'b' }), root);
    await settle();
    expect([...reader.asked.keys()]).toEqual(['/audit?q=b']);
    list!.more();
    await settle();
    expect([...reader.asked.keys()]).toEqual(['/audit?q=b']);

    await reader.answer('/audit?q=b', { items: ['b1'], nextCursor: null });
    expect(list!.items).toEqual(['b1']);
    expect(list!.loading).toBe(false);
    render(null, root);
  });

  it('reads the next page on 更多 and shows it after the first', async () => {
    const reader = heldReader();
    let list: Paged<string> | undefined;
    const List = () => {
      list = usePages<string>((c) => `/audit${c ? `?cursor=${c}` : ''}`, [], { get: reader.get });
      return null;
    };
    const root = parent();
    render(h(List, {}), root);
    await settle();
    await reader.answer('/audit', { items: ['1'], nextCursor: 'c2' });
    list!.more();
    await settle();
    await reader.answer('/audit?cursor=c2', { items: ['2'], nextCursor: null });
    expect(list!.items).toEqual(['1', '2']);
    expect(list!.hasMore).toBe(false);
    render(null, root);
  });
});
