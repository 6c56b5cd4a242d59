// A section of BENCHMARKS.md that one phase owns between two markers, so a run of that phase
// alone (BENCH_ONLY=name) rewrites it and every other run carries it over unchanged.
import os from 'node:os';
import type { BenchRow } from './util.js';

export interface Section {
  name: string;
  begin: string;
  end: string;
  text: string;
}

export const markers = (name: string) => ({ begin: `<!-- ${name}: written by BENCH_ONLY=${name} -->`, end: `<!-- /${name} -->` });

/** The 1-minute load average: the machine is shared, so every figure says how busy it was. */
export const load1 = () => os.loadavg()[0].toFixed(1);

export function section(name: string, title: string, intro: string[], rows: BenchRow[], notes: string[]): Section {
  const { begin, end } = markers(name);
  const text = [
    begin,
    `## ${title}`,
    '',
    ...intro,
    '',
    '| Benchmark | Result | Baseline (same run) | Ratio | Target | Met |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((x) => `| ${x.name} | ${x.value} | ${x.baseline} | ${x.ratio} | ${x.target} | ${x.met ? 'yes' : '**no**'} |`),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    end,
  ].join('\n');
  return { name, begin, end, text };
}
