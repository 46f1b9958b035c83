/**
 * Render the difference between two texts as a unified diff (`diff -u`,
 * `git diff` style), for `waymark fix --dry-run`. The `diff` package finds
 * the hunks; this file only prints them the way GNU diff does. Pure.
 */
import { diffArrays, structuredPatch } from 'diff';

import type { Hunk } from '../history/line-map.ts';

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

/** A text's lines for comparison; a last line without its newline differs from the same line with one, as in git. */
function lineKeys(text: string): string[] {
  if (text === '') return [];
  const lines = toLf(text).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\u0000';
  return lines;
}

/**
 * The change blocks between two texts in `--unified=0` terms (what
 * `src/core/history/line-map.ts` reads from git): each run of removed and
 * added lines, with git's convention for an empty side (its start is the
 * line after which the change sits).
 */
export function lineChanges(oldText: string, newText: string): Hunk[] {
  const hunks: Hunk[] = [];
  let oldLine = 0;
  let newLine = 0;
  let open: Hunk | undefined;
  for (const part of diffArrays(lineKeys(oldText), lineKeys(newText))) {
    if (!part.added && !part.removed) {
      if (open) hunks.push(open);
      open = undefined;
      oldLine += part.count;
      newLine += part.count;
      continue;
    }
    open ??= { oldStart: oldLine, oldCount: 0, newStart: newLine, newCount: 0 };
    if (part.removed) {
      if (open.oldCount === 0) open.oldStart = oldLine + 1;
      open.oldCount += part.count;
      oldLine += part.count;
    } else {
      if (open.newCount === 0) open.newStart = newLine + 1;
      open.newCount += part.count;
      newLine += part.count;
    }
  }
  if (open) hunks.push(open);
  return hunks;
}

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
