/**
 * Render the difference between two texts as a unified diff (`diff -u`,
 * `git diff` style), for `waymark fix --dry-run`. The `diff` package finds
 * the hunks; this file only prints them the way GNU diff does. Pure.
 */
import { structuredPatch } from 'diff';

export interface UnifiedDiffOptions {
  /** Label on the `---` line, e.g. `a/docs/x.md`. */
  oldLabel: string;
  /** Label on the `+++` line, e.g. `b/docs/x.md`. */
  newLabel: string;
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
}

/** `start,count` of a hunk side as `diff -u` prints it: a one-line side drops `,1`, an empty side names the line before it. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** CRLF and lone CR end lines as LF does, so a fix that keeps line endings shows only its real edits. */
const toLf = (text: string): string => text.replace(/\r\n?/g, '\n');

/**
 * The unified diff from `oldText` to `newText`, or `''` when they have the
 * same lines.
 *
 * @example
 * unifiedDiff('a\nb\n', 'a\nc\n', { oldLabel: 'a/x', newLabel: 'b/x' })
 * // → '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n'
 */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  const patch = structuredPatch(options.oldLabel, options.newLabel, toLf(oldText), toLf(newText), undefined, undefined, {
    context: options.context ?? 3,
  });
  if (patch.hunks.length === 0) return '';
  const out = [`--- ${options.oldLabel}`, `+++ ${options.newLabel}`];
  for (const hunk of patch.hunks) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`, ...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}
