// The console's colours meet WCAG 2.x AA: 4.5:1 for text on its background (the pairs styles.css actually uses), read
// from console/styles.css itself so a palette change that breaks contrast fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const css = readFileSync(new URL('../../console/styles.css', import.meta.url), 'utf8');
const vars = Object.fromEntries([...css.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})/g)].map((m) => [m[1]!, m[2]!]));
const colour = (c: string) => (c.startsWith('--') ? vars[c.slice(2)]! : c);

/** WCAG relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(colour(a)), luminance(colour(b))].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('console colours (WCAG AA, 4.5:1 for text)', () => {
  const pairs: [string, string, string][] = [
    ['body text', '--ink', '#ffffff'],
    ['labels and table heads on white', '--muted', '#ffffff'],
    ['table heads on their band', '--muted', '--bg'],
    ['links', '--accent', '#ffffff'],
    ['red light', '--red', '#ffffff'],
    ['yellow light', '--yellow', '#ffffff'],
    ['green light', '--green', '#ffffff'],
    ['buttons', '#ffffff', '--accent'],
    ['header', '#ffffff', '#0f2f57'],
    ['current stage', '#ffffff', '--accent'],
    ['done stage', '#14532d', '#dff3e4'],
    ['errors', '--red', '#ffffff'],
  ];
  it.each(pairs)('%s', (_what, fg, bg) => {
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('reads the palette from the stylesheet', () => {
    expect(Object.keys(vars)).toEqual(expect.arrayContaining(['ink', 'muted', 'bg', 'accent', 'red', 'yellow', 'green']));
  });
});
