// Queries of a fixed shape that run often with other values (a public link's load, the re-check of
// a batch of links): Kysely builds and compiles them once, and each run only puts its values in.
// Building and compiling cost more than SQLite takes to run such a query. They still run through
// Kysely as raw SQL, so plugins (the /metrics query timing, tests' query counters) see every run.
import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { Dialect } from './dialect.js';

export interface Precompiled {
  /** The SQL split at its parameters. */
  fragments: string[];
  parameters: unknown[];
  /** Where each value of a run goes among the parameters. */
  at: number[];
}

/**
 * Compiles `query`, built with `marks` (values no real input can be) where a run's values go,
 * and remembers where each mark landed.
 */
export function precompile(query: Compilable, dialect: Dialect, marks: readonly unknown[]): Precompiled {
  const q = query.compile();
  // Values are always parameters here (no literals in the text): PostgreSQL numbers them $1.., SQLite writes ?.
  const fragments = q.sql.split(dialect === 'postgres' ? /\$\d+/ : '?');
  const at = marks.map((m) => q.parameters.indexOf(m));
  if (fragments.length !== q.parameters.length + 1 || at.some((i) => i < 0)) throw new Error('a precompiled query did not compile as expected');
  return { fragments, parameters: [...q.parameters], at };
}

/** The precompiled query with `values` in place of its marks, in order, ready to execute. */
export function withValues<R>(c: Precompiled, values: readonly unknown[]): RawBuilder<R> {
  const parameters = c.parameters.slice();
  c.at.forEach((i, j) => (parameters[i] = values[j]));
  return sql<R>(Object.assign(c.fragments.slice(), { raw: c.fragments }), ...parameters);
}
