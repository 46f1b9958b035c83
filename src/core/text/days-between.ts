const DAY_MS = 86_400_000;

/**
 * Whole days from `from` to `to`, both `YYYY-MM-DD` (UTC midnight, so no
 * daylight-saving hour skews the count); undefined when either is not a date.
 *
 * @example
 * daysBetween('2026-01-20', '2026-02-01') // → 12
 */
export function daysBetween(from: string, to: string): number | undefined {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return Math.round((end - start) / DAY_MS);
}
