// After `stryker run`: the mutation score per domain file, from Stryker's JSON report (bench/results/mutation.json),
// printed and written to bench/results/mutation-summary.json. Score = killed (incl. timeouts) / (all − ignored −
// compile errors), the same formula as Stryker's "mutation score". Exits non-zero when a file is under the target.
import { readFile, writeFile } from 'node:fs/promises';

const TARGET = 80;
interface Mutant { readonly status: string }
const report = JSON.parse(await readFile(new URL('results/mutation.json', import.meta.url), 'utf8')) as { files: Record<string, { mutants: Mutant[] }> };

const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => {
    const count = (...s: string[]) => mutants.filter((m) => s.includes(m.status)).length;
    const detected = count('Killed', 'Timeout');
    const valid = mutants.length - count('Ignored', 'CompileError', 'RuntimeError');
    return { file, mutants: valid, killed: detected, survived: count('Survived'), noCoverage: count('NoCoverage'), score: valid ? Math.round((1000 * detected) / valid) / 10 : 100 };
  })
  .sort((a, b) => a.score - b.score);
const total = rows.reduce((t, r) => ({ mutants: t.mutants + r.mutants, killed: t.killed + r.killed }), { mutants: 0, killed: 0 });
const overall = Math.round((1000 * total.killed) / total.mutants) / 10;
const below = rows.filter((r) => r.mutants > 0 && r.score < TARGET);

for (const r of rows) console.log(`${r.score.toFixed(1).padStart(5)}%  ${String(r.killed).padStart(4)}/${String(r.mutants).padEnd(4)} survived ${String(r.survived).padStart(3)}, no coverage ${String(r.noCoverage).padStart(3)}  ${r.file}`);
console.log(`overall ${overall}% (${total.killed}/${total.mutants}); target ≥ ${TARGET}% per file: ${below.length ? `below: ${below.map((r) => r.file).join(', ')}` : 'met'}`);
await writeFile(new URL('results/mutation-summary.json', import.meta.url), JSON.stringify({ measuredAt: new Date().toISOString(), target: TARGET, overall, files: rows }, null, 2));
if (below.length) process.exitCode = 1;
