/**
 * Compare strings by UTF-16 code unit, the same on every machine: no locale,
 * so sorted reports and pages are byte-identical wherever they are built.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
