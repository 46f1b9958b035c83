/**
 * Read unified diffs (`git diff -M`, `git log -p`, `git diff-tree --stdin -p`)
 * into change blocks, and carry an old line range forward through them: did
 * the lines stay, move, follow a renamed file, get rewritten or deleted?
 * Pure: text in, data out.
 */

/** One block of changed lines, in git's `--unified=0` convention. */
export interface Hunk {
  /** First removed line; when nothing was removed, the line after which lines were inserted. */
  oldStart: number;
  oldCount: number;
  /** First added line; when nothing was added, the line after which lines were removed. */
  newStart: number;
  newCount: number;
}

type FileStatus = 'modified' | 'added' | 'deleted' | 'renamed' | 'copied';

/** What one diff says about one file. */
export interface FileDiff {
  /** Path before (absent for an added file). */
  oldPath?: string;
  /** Path after (absent for a deleted file). */
  newPath?: string;
  status: FileStatus;
  /** Git printed "Binary files … differ": lines cannot be followed. */
  binary?: boolean;
  /** Change blocks, in file order, never including context lines. */
  hunks: Hunk[];
}

/** Diffs printed under one `<tree> <tree>` header of `git diff-tree --stdin`, or a whole plain diff. */
export interface DiffSection {
  /** The header line (`<old> <new>` object ids), absent for a plain diff. */
  header?: string;
  files: FileDiff[];
}

/** Where an old line range is now. */
export type LineMapping =
  | { kind: 'unchanged' }
  | { kind: 'moved'; path: string; start: number; end: number }
  | { kind: 'renamed'; path: string; start: number; end: number }
  | { kind: 'deleted'; path: string; file: boolean }
  /**
   * `exact`: the first and last line survived, so `start..end` still frames the same block.
   * `similarity`: how much of the old and new ranges is the same code (see {@link lineSimilarity}).
   */
  | { kind: 'rewritten'; path: string; start: number; end: number; exact: boolean; similarity: number };

const SECTION_HEADER = /^[0-9a-f]{7,64} [0-9a-f]{7,64}$/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Parse a plain unified diff: every file it mentions. */
export function parseUnifiedDiff(text: string): FileDiff[] {
  return parseDiffSections(text).flatMap((section) => section.files);
}

/**
 * Parse diff text that may carry section headers: by default the
 * `<tree> <tree>` lines of `git diff-tree --stdin`; `git log -p` callers pass
 * a pattern for their own `--format` line. Lines inside a hunk are never
 * taken for headers (they start with `+`, `-`, ` ` or `\`).
 */
export function parseDiffSections(text: string, header: RegExp = SECTION_HEADER, bodiesSkipped = false): DiffSection[] {
  const sections: DiffSection[] = [{ files: [] }];
  let file: FileDiff | undefined;
  let block: HunkReader | undefined;
  for (const line of text.split('\n')) {
    if (block && block.wants()) {
      if (block.read(line)) continue;
    }
    if (block) {
      block.finish();
      block = undefined;
    }
    if (line.startsWith('\\')) continue;
    if (header.test(line)) {
      sections.push({ header: line, files: [] });
      file = undefined;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      file = startFile(line.slice('diff --git '.length));
      sections[sections.length - 1].files.push(file);
      continue;
    }
    if (!file) continue;
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      block = new HunkReader(file, hunk);
      if (bodiesSkipped) block.takeBody();
      continue;
    }
    readFileHeader(file, line);
  }
  block?.finish();
  return sections.filter((section, index) => index > 0 || section.files.length > 0);
}

const latin1 = new TextDecoder('latin1');
// As `Buffer.toString('utf8')` decodes git's output: a byte-order mark is kept.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * `--unified=0` diff output (`git diff-tree --stdin -p -U0`) with the hunks'
 * bodies left out, for {@link parseDiffSections} with `bodiesSkipped`: the
 * same sections, files and hunks as the whole text gives, since a hunk with no
 * context lines is one block the size its header says. Only the lines outside
 * hunk bodies are decoded: on a 750-file repository the base diffs print
 * 12 MB, of which the headers are a few hundred KB (decoding and splitting it
 * all was ~0.2 s of a cold check, with its garbage). Undefined when a body is
 * not the plain `-`/`+` shape its header counts (a context line, output cut
 * short): read the whole text then.
 */
export function skimHunkBodies(bytes: Uint8Array, header: RegExp = SECTION_HEADER): string | undefined {
  const kept: Uint8Array[] = [];
  let size = 0;
  let inFile = false;
  let at = 0;
  const lineEnd = (from: number) => {
    const end = bytes.indexOf(10, from);
    return end < 0 ? bytes.length : end;
  };
  while (at < bytes.length) {
    const end = lineEnd(at);
    const keep = bytes.subarray(at, Math.min(end + 1, bytes.length));
    kept.push(keep);
    size += keep.length;
    const first = bytes[at];
    // What `parseDiffSections` tests a line for, in its order; only `@@` lines inside a file start a hunk.
    if (first !== 92) {
      const line = latin1.decode(bytes.subarray(at, end));
      if (header.test(line)) inFile = false;
      else if (line.startsWith('diff --git ')) inFile = true;
      else if (inFile && first === 64) {
        const hunk = HUNK_HEADER.exec(line);
        if (hunk) {
          let oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
          let newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
          at = end + 1;
          while (oldLeft > 0 || newLeft > 0) {
            if (at >= bytes.length) return undefined;
            const sign = bytes[at];
            if (sign === 45 && oldLeft > 0) oldLeft--;
            else if (sign === 43 && newLeft > 0) newLeft--;
            else if (sign !== 92) return undefined;
            at = lineEnd(at) + 1;
          }
          continue;
        }
      }
    }
    at = end + 1;
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const piece of kept) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return utf8.decode(joined);
}

/** The `a/… b/…` pair of a `diff --git` line; renames and deletions are corrected by later header lines. */
function startFile(rest: string): FileDiff {
  const quoted = parseQuotedPair(rest);
  if (quoted) return { oldPath: stripPrefix(quoted[0]), newPath: stripPrefix(quoted[1]), status: 'modified', hunks: [] };
  // Unquoted and unrenamed: `a/P b/P`, so P is half of what is left after the prefixes.
  const length = (rest.length - 5) / 2;
  const name = Number.isInteger(length) && length > 0 ? rest.slice(2, 2 + length) : rest.slice(2).split(' b/')[0];
  return { oldPath: name, newPath: name, status: 'modified', hunks: [] };
}

function parseQuotedPair(rest: string): [string, string] | undefined {
  if (!rest.includes('"')) return undefined;
  const first = readPathToken(rest);
  const second = readPathToken(rest.slice(first.length + 1));
  return [first.value, second.value];
}

/** One path token: C-quoted (`"a/x\ty"`) or bare up to the next space. */
function readPathToken(text: string): { value: string; length: number } {
  if (!text.startsWith('"')) {
    const space = text.indexOf(' ');
    const value = space < 0 ? text : text.slice(0, space);
    return { value, length: value.length };
  }
  let end = 1;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  const token = text.slice(0, end + 1);
  return { value: unquotePath(token), length: token.length };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undo git's C-style quoting of a path (`"caf\303\251"` → `café`); bare paths pass through. */
export function unquotePath(text: string): string {
  const trimmed = text.replace(/\t$/, '');
  if (!trimmed.startsWith('"') || !trimmed.endsWith('"') || trimmed.length < 2) return trimmed;
  const bytes: number[] = [];
  const body = trimmed.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char !== '\\') {
      bytes.push(...encoder.encode(char));
      continue;
    }
    const next = body[i + 1];
    if (/[0-7]/.test(next ?? '')) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

function stripPrefix(path: string): string {
  return path.replace(/^[ab]\//, '');
}

function readFileHeader(file: FileDiff, line: string): void {
  if (line.startsWith('new file mode')) {
    file.status = 'added';
    file.oldPath = undefined;
  } else if (line.startsWith('deleted file mode')) {
    file.status = 'deleted';
    file.newPath = undefined;
  } else if (line.startsWith('rename from ')) {
    file.status = 'renamed';
    file.oldPath = unquotePath(line.slice('rename from '.length));
  } else if (line.startsWith('rename to ')) {
    file.status = 'renamed';
    file.newPath = unquotePath(line.slice('rename to '.length));
  } else if (line.startsWith('copy from ')) {
    file.status = 'copied';
    file.oldPath = unquotePath(line.slice('copy from '.length));
  } else if (line.startsWith('copy to ')) {
    file.status = 'copied';
    file.newPath = unquotePath(line.slice('copy to '.length));
  } else if (line.startsWith('--- ')) {
    const name = unquotePath(line.slice(4));
    if (name === '/dev/null') file.oldPath = undefined;
    else if (file.status !== 'renamed' && file.status !== 'copied') file.oldPath = stripPrefix(name);
  } else if (line.startsWith('+++ ')) {
    const name = unquotePath(line.slice(4));
    if (name === '/dev/null') file.newPath = undefined;
    else if (file.status !== 'renamed' && file.status !== 'copied') file.newPath = stripPrefix(name);
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    file.binary = true;
  }
}

/**
 * Reads one `@@` hunk's body and splits it into change blocks, so diffs with
 * context lines (`-U3`) give the same blocks as `--unified=0`.
 */
class HunkReader {
  private oldLeft: number;
  private newLeft: number;
  private oldLine: number;
  private newLine: number;
  private removed = 0;
  private added = 0;
  private blockOld = 0;
  private blockNew = 0;

  constructor(
    private readonly file: FileDiff,
    header: RegExpExecArray,
  ) {
    const oldCount = header[2] === undefined ? 1 : Number(header[2]);
    const newCount = header[4] === undefined ? 1 : Number(header[4]);
    this.oldLeft = oldCount;
    this.newLeft = newCount;
    // With a zero count git names the line *before* the empty side.
    this.oldLine = Number(header[1]) + (oldCount === 0 ? 1 : 0);
    this.newLine = Number(header[3]) + (newCount === 0 ? 1 : 0);
  }

  wants(): boolean {
    return this.oldLeft > 0 || this.newLeft > 0;
  }

  /** Consume one body line; false when the line is not part of the hunk. */
  read(line: string): boolean {
    const sign = line[0];
    if (sign === '\\') return true;
    if (sign === '-' && this.oldLeft > 0) {
      if (this.removed === 0 && this.added === 0) this.open();
      this.removed++;
      this.oldLeft--;
      this.oldLine++;
      return true;
    }
    if (sign === '+' && this.newLeft > 0) {
      if (this.removed === 0 && this.added === 0) this.open();
      this.added++;
      this.newLeft--;
      this.newLine++;
      return true;
    }
    if ((sign === ' ' || line === '') && this.oldLeft > 0 && this.newLeft > 0) {
      this.flush();
      this.oldLeft--;
      this.newLeft--;
      this.oldLine++;
      this.newLine++;
      return true;
    }
    return false;
  }

  finish(): void {
    this.flush();
  }

  /** The whole body as `--unified=0` prints it (its removed lines, then its added ones), without reading it. */
  takeBody(): void {
    if (!this.wants()) return;
    this.open();
    this.removed = this.oldLeft;
    this.added = this.newLeft;
    this.oldLine += this.oldLeft;
    this.newLine += this.newLeft;
    this.oldLeft = 0;
    this.newLeft = 0;
  }

  private open(): void {
    this.blockOld = this.oldLine;
    this.blockNew = this.newLine;
  }

  private flush(): void {
    if (this.removed === 0 && this.added === 0) return;
    this.file.hunks.push({
      oldStart: this.removed > 0 ? this.blockOld : this.blockOld - 1,
      oldCount: this.removed,
      newStart: this.added > 0 ? this.blockNew : this.blockNew - 1,
      newCount: this.added,
    });
    this.removed = 0;
    this.added = 0;
  }
}

/** Where an old line is after the hunks: its new number, or the hunk that removed it. */
export function mapLine(line: number, hunks: Hunk[]): { line: number; removedBy?: Hunk } {
  let shift = 0;
  for (const hunk of hunks) {
    if (hunk.oldCount === 0) {
      // Inserted after line oldStart: lines after that point move down.
      if (hunk.oldStart < line) shift += hunk.newCount;
      else break;
      continue;
    }
    const last = hunk.oldStart + hunk.oldCount - 1;
    if (last < line) {
      shift += hunk.newCount - hunk.oldCount;
      continue;
    }
    if (hunk.oldStart <= line) return { line: line + shift, removedBy: hunk };
    break;
  }
  return { line: line + shift };
}

interface RangeStep {
  start: number;
  end: number;
  /** Some line inside the range was removed, or lines were inserted between its first and last line. */
  touched: boolean;
  /** Every line of the range was removed and nothing took its place. */
  deleted: boolean;
  /** The first and last line both survived (so the new range is exact, not a guess). */
  kept: boolean;
}

/** Carry `start..end` through one file's hunks. */
export function mapRangeThroughHunks(start: number, end: number, hunks: Hunk[]): RangeStep {
  let touched = false;
  let removedLines = 0;
  let replaced = false;
  for (const hunk of hunks) {
    if (hunk.oldCount === 0) {
      if (hunk.oldStart >= start && hunk.oldStart < end) {
        touched = true;
        replaced = true;
      }
      continue;
    }
    const last = hunk.oldStart + hunk.oldCount - 1;
    if (last < start || hunk.oldStart > end) continue;
    touched = true;
    removedLines += Math.min(last, end) - Math.max(hunk.oldStart, start) + 1;
    if (hunk.newCount > 0) replaced = true;
  }
  const first = mapLine(start, hunks);
  const last = mapLine(end, hunks);
  // A removed endpoint lands on the block that replaced it (or the gap it left).
  const newStart = first.removedBy ? first.removedBy.newStart + (first.removedBy.newCount > 0 ? 0 : 1) : first.line;
  const newEnd = last.removedBy
    ? last.removedBy.newStart + Math.max(last.removedBy.newCount - 1, 0)
    : last.line;
  const deleted = removedLines === end - start + 1 && !replaced;
  const kept = !first.removedBy && !last.removedBy;
  return { start: Math.max(newStart, 1), end: Math.max(newEnd, newStart, 1), touched, deleted, kept };
}

/**
 * Carry a range of `path` through a sequence of diffs (oldest first), each
 * the set of files one step changed. Renames are followed; a step that does
 * not mention the file leaves it alone.
 */
export function mapRange(path: string, start: number, end: number, steps: FileDiff[][]): LineMapping {
  let current = { path, start, end };
  let rewritten = false;
  let exact = true;
  // The old range's lines that no step removed, where they are now (bounded: a huge range is never "the same code").
  let survivors: number[] = end - start < SIMILARITY_MAX_LINES ? Array.from({ length: end - start + 1 }, (_, index) => start + index) : [];
  for (const files of steps) {
    const diff = files.find((file) => file.oldPath === current.path && file.status !== 'copied');
    if (!diff) continue;
    if (diff.status === 'deleted' || !diff.newPath) return { kind: 'deleted', path: current.path, file: true };
    if (diff.binary) {
      rewritten = true;
      exact = false;
      survivors = [];
      current = { ...current, path: diff.newPath };
      continue;
    }
    const step = mapRangeThroughHunks(current.start, current.end, diff.hunks);
    if (step.deleted) return { kind: 'deleted', path: diff.newPath, file: false };
    rewritten ||= step.touched;
    exact &&= step.kept;
    survivors = survivors.flatMap((line) => {
      const mapped = mapLine(line, diff.hunks);
      return mapped.removedBy ? [] : [mapped.line];
    });
    current = { path: diff.newPath, start: step.start, end: step.end };
  }
  if (rewritten) {
    const inside = survivors.filter((line) => line >= current.start && line <= current.end).length;
    return { kind: 'rewritten', ...current, exact, similarity: lineSimilarity(inside, end - start + 1, current.end - current.start + 1) };
  }
  if (current.path !== path) return { kind: 'renamed', ...current };
  if (current.start !== start || current.end !== end) return { kind: 'moved', ...current };
  return { kind: 'unchanged' };
}

/** Ranges longer than this are never judged the same code (and are not tracked line by line). */
const SIMILARITY_MAX_LINES = 2000;

/**
 * How much an old range and its new range are the same code: the Dice
 * coefficient over lines, counting as shared only the lines git's diffs left
 * untouched (an edited line counts as different). 1 is the same lines, 0
 * nothing in common.
 */
export function lineSimilarity(shared: number, oldLength: number, newLength: number): number {
  return oldLength + newLength === 0 ? 0 : (2 * shared) / (oldLength + newLength);
}

/**
 * A rewritten range whose similarity reaches this is "the same code, now
 * about X-Y"; below it the new place is not guessed. At 0.6 most lines of
 * both ranges are untouched: a 10-line block with 3 edited lines (0.7) passes,
 * a block replaced but for 2 lines (0.2) does not (test/line-map.test.ts).
 */
export const SAME_CODE_SIMILARITY = 0.6;

/**
 * How many lines `path` had before the steps, from how many it has after:
 * each step's hunks add and remove a known number. Undefined when a binary
 * change or a deletion hides the count.
 */
export function lineCountBefore(path: string, countAfter: number, steps: FileDiff[][]): number | undefined {
  let current = path;
  let count = countAfter;
  for (const files of steps) {
    const diff = files.find((file) => file.oldPath === current && file.status !== 'copied');
    if (!diff) continue;
    if (diff.binary || !diff.newPath) return undefined;
    for (const hunk of diff.hunks) count -= hunk.newCount - hunk.oldCount;
    current = diff.newPath;
  }
  return count;
}

/** Where a whole file went through a sequence of diffs: renamed, deleted, or left where it was. */
export function mapPath(path: string, steps: FileDiff[][]): { kind: 'unchanged' } | { kind: 'renamed'; path: string } | { kind: 'deleted' } {
  let current = path;
  for (const files of steps) {
    const diff = files.find((file) => file.oldPath === current && file.status !== 'copied');
    if (!diff) continue;
    if (diff.status === 'deleted' || !diff.newPath) return { kind: 'deleted' };
    current = diff.newPath;
  }
  return current === path ? { kind: 'unchanged' } : { kind: 'renamed', path: current };
}
