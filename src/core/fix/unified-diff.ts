/**
 * Render the difference between two texts as a unified diff (`diff -u`,
 * `git diff` style), for `waymark fix --dry-run`. Line-based Myers diff. Pure.
 */

import type { Hunk } from '../history/line-map.ts';

export interface UnifiedDiffOptions {
  /** Label on the `---` line, e.g. `a/docs/x.md`. */
  oldLabel: string;
  /** Label on the `+++` line, e.g. `b/docs/x.md`. */
  newLabel: string;
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
}

interface Side {
  lines: string[];
  /** Comparison keys: the line, marked when it is a last line without a line break. */
  keys: string[];
  missingFinalNewline: boolean;
}

type Op = { kind: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };

function readSide(text: string): Side {
  if (text === '') return { lines: [], keys: [], missingFinalNewline: false };
  const lines = text.split(/\r\n|\n|\r/);
  const missingFinalNewline = lines[lines.length - 1] !== '';
  if (!missingFinalNewline) lines.pop();
  const keys = lines.map((line, index) => (missingFinalNewline && index === lines.length - 1 ? `${line}\u0000` : line));
  return { lines, keys, missingFinalNewline };
}

/** Shortest edit script between `a` and `b` (Myers, O((N+M)·D)). */
function editScript(a: string[], b: string[]): Array<' ' | '-' | '+'> {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from the end to recover the path.
  const ops: Array<' ' | '-' | '+'> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const before = trace[d];
    const k = x - y;
    const down = k === -d || (k !== d && before[offset + k - 1] < before[offset + k + 1]);
    const previousK = down ? k + 1 : k - 1;
    const previousX = d === 0 ? 0 : before[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push(' ');
      x--;
      y--;
    }
    if (d > 0) {
      ops.push(down ? '+' : '-');
      if (down) y--;
      else x--;
    }
  }
  return ops.reverse();
}

function toOps(oldSide: Side, newSide: Side): Op[] {
  const ops: Op[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const kind of editScript(oldSide.keys, newSide.keys)) {
    const text = kind === '+' ? newSide.lines[newLine] : oldSide.lines[oldLine];
    ops.push({ kind, text, oldLine, newLine });
    if (kind !== '+') oldLine++;
    if (kind !== '-') newLine++;
  }
  return ops;
}

/** `start,count` of a hunk side, in the shape `diff -u` prints it. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/**
 * The change blocks between two texts in `--unified=0` terms (what
 * `src/core/history/line-map.ts` reads from git): each run of removed and
 * added lines, with git's convention for an empty side (its start is the
 * line after which the change sits).
 */
export function lineChanges(oldText: string, newText: string): Hunk[] {
  const hunks: Hunk[] = [];
  let run: Op[] = [];
  const close = () => {
    if (run.length === 0) return;
    const removed = run.filter((op) => op.kind === '-');
    const added = run.filter((op) => op.kind === '+');
    hunks.push({
      oldStart: removed.length ? removed[0].oldLine + 1 : run[0].oldLine,
      oldCount: removed.length,
      newStart: added.length ? added[0].newLine + 1 : run[0].newLine,
      newCount: added.length,
    });
    run = [];
  };
  for (const op of toOps(readSide(oldText), readSide(newText))) {
    if (op.kind === ' ') close();
    else run.push(op);
  }
  close();
  return hunks;
}

export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  const context = options.context ?? 3;
  const oldSide = readSide(oldText);
  const newSide = readSide(newText);
  const ops = toOps(oldSide, newSide);
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  if (changed.length === 0) return '';
  const out = [`--- ${options.oldLabel}`, `+++ ${options.newLabel}`];
  let cursor = 0;
  while (cursor < changed.length) {
    const first = Math.max(changed[cursor] - context, 0);
    let last = changed[cursor];
    // Merge changes whose context would touch or overlap.
    while (cursor + 1 < changed.length && changed[cursor + 1] - last <= 2 * context + 1) last = changed[++cursor];
    cursor++;
    const end = Math.min(last + context, ops.length - 1);
    const slice = ops.slice(first, end + 1);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? slice[0].oldLine : slice.find((op) => op.kind !== '+')!.oldLine;
    const newStart = newCount === 0 ? slice[0].newLine : slice.find((op) => op.kind !== '-')!.newLine;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) {
      out.push(`${op.kind}${op.text}`);
      const lastOld = op.kind !== '+' && op.oldLine === oldSide.lines.length - 1 && oldSide.missingFinalNewline;
      const lastNew = op.kind !== '-' && op.newLine === newSide.lines.length - 1 && newSide.missingFinalNewline;
      if (lastOld || lastNew) out.push('\\ No newline at end of file');
    }
  }
  return `${out.join('\n')}\n`;
}
