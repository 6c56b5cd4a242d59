// A partial run (BENCH_ONLY) of the main table's phases updates its own rows of BENCHMARKS.md in
// place, so one figure can be measured again without the hour-long full run; the rest stays as the
// last run wrote it, and a line under the header says which rows came from which partial run.
import type { BenchRow } from './util.js';

/** Rows are matched by name with their numbers left out (a row's name may carry a count). */
const identity = (name: string) => name.replace(/[\d,.]+/g, '#').trim();
/** Notes are matched by their first words (a phase's note starts with the phase's name). */
const noteKey = (note: string) => note.slice(0, 28);

export function updateRows(text: string, rows: BenchRow[], notes: string[], phases: string, at: Date, load: number): string {
  const lines = text.split('\n');
  const tableEnd = () => {
    const start = lines.findIndex((l) => l.startsWith('| Benchmark |'));
    let i = start + 2;
    while (i < lines.length && lines[i].startsWith('|')) i++;
    return { start, end: i };
  };
  for (const r of rows) {
    const line = `| ${r.name} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met ? 'yes' : '**no**'} |`;
    const { start, end } = tableEnd();
    const at = lines.findIndex((l, i) => i > start && i < end && identity(l.split(' | ')[0].slice(2)) === identity(r.name));
    if (at >= 0) lines[at] = line;
    else lines.splice(end, 0, line);
  }
  for (const n of notes) {
    const at = lines.findIndex((l) => l.startsWith('- ') && noteKey(l.slice(2)) === noteKey(n));
    if (at >= 0) lines[at] = `- ${n}`;
  }
  const stamp = `Rows of \`BENCH_ONLY=${phases} npm run bench\``;
  const fresh = `${stamp} updated on ${at.toISOString()} (1-minute load average ${load.toFixed(1)} at the start).`;
  const old = lines.findIndex((l) => l.startsWith(stamp));
  if (old >= 0) lines[old] = fresh;
  else lines.splice(lines.findIndex((l) => l.startsWith('Written by')) + 1, 0, fresh);
  return lines.join('\n');
}
