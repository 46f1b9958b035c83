/** Two rows reused across calls: suggestions compare thousands of short names. */
let previousRow = new Int32Array(258);
let currentRow = new Int32Array(258);

/**
 * Levenshtein distance between `a` and `b`, or `max + 1` as soon as it must
 * exceed `max`. Only the diagonal band of width `2 * max + 1` is computed
 * (cells outside it cannot be within `max`), so a call costs
 * O(min(|a|, |b|) · max) rather than O(|a| · |b|).
 *
 * @example
 * editDistanceWithin('deploy', 'deplyo', 2) // → 2
 * editDistanceWithin('deploy', 'rollback', 2) // → 3
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  if (previousRow.length < b.length + 2) {
    previousRow = new Int32Array(b.length + 2);
    currentRow = new Int32Array(b.length + 2);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j <= max ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const low = Math.max(1, i - max);
    const high = Math.min(b.length, i + max);
    current[low - 1] = low === 1 && i <= max ? i : over;
    let rowMin = current[low - 1];
    const ch = a.charCodeAt(i - 1);
    for (let j = low; j <= high; j++) {
      let value = previous[j - 1] + (ch === b.charCodeAt(j - 1) ? 0 : 1);
      if (previous[j] + 1 < value) value = previous[j] + 1;
      if (current[j - 1] + 1 < value) value = current[j - 1] + 1;
      if (value > over) value = over;
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (high < b.length) current[high + 1] = over;
    if (rowMin > max) return over;
    [previous, current] = [current, previous];
  }
  return Math.min(previous[b.length], over);
}
