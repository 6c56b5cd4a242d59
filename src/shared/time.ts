// Times are stored as epoch milliseconds (portable across SQLite and PostgreSQL) and
// travel over the API as ISO 8601 UTC strings.
export const nowMs = (): number => Date.now();

export function toIso(ms: number): string;
export function toIso(ms: number | null | undefined): string | null;
export function toIso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();
}

export function fromIso(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export const DAY_MS = 86_400_000;

/** The start (00:00 UTC) of the day `ms` falls in. */
export const startOfUtcDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/** The newest of some ISO times (nulls and unparseable ones skipped), as given; null when none. */
export function latestIso(times: readonly (string | null | undefined)[]): string | null {
  let latest: string | null = null;
  let latestMs = -Infinity;
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (ms > latestMs) {
      latest = t as string;
      latestMs = ms;
    }
  }
  return latest;
}
