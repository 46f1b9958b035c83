/**
 * Rewrite spans of a text in place: each replacement names a 1-based line and
 * column and the exact text expected there. Only those spans change; a
 * replacement whose text is not where it should be is skipped and reported,
 * never guessed. Pure.
 */

export interface Replacement {
  /** 1-based line of the span. */
  line: number;
  /** 1-based column (UTF-16 code unit) where `oldText` starts. */
  column: number;
  /** The text that must be there. */
  oldText: string;
  /** What it becomes; must not contain a line break. */
  newText: string;
}

export interface SkippedReplacement {
  replacement: Replacement;
  reason: string;
}

export interface ReplacementResult {
  text: string;
  applied: Replacement[];
  skipped: SkippedReplacement[];
}

/** Offset of the first character of every line; CRLF, LF and lone CR all end a line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) starts.push(i + 1);
    else if (code === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** Offset just past the last character of line `index` (0-based), line break excluded. */
function lineEnd(text: string, starts: number[], index: number): number {
  let end = index + 1 < starts.length ? starts[index + 1] : text.length;
  if (end > starts[index] && text.charCodeAt(end - 1) === 10) end--;
  if (end > starts[index] && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

interface Located {
  replacement: Replacement;
  from: number;
  to: number;
}

/**
 * Apply text replacements at line/column positions, each only when the text
 * it expects is still there; overlapping, out-of-range or stale ones are
 * skipped and reported. Line endings and everything else stay byte for byte.
 */
export function applyReplacements(text: string, replacements: Replacement[]): ReplacementResult {
  const starts = lineStarts(text);
  const skipped: SkippedReplacement[] = [];
  const located: Located[] = [];
  for (const replacement of replacements) {
    const problem = checkReplacement(text, starts, replacement);
    if (problem) {
      skipped.push({ replacement, reason: problem });
      continue;
    }
    const from = starts[replacement.line - 1] + replacement.column - 1;
    located.push({ replacement, from, to: from + replacement.oldText.length });
  }
  located.sort((a, b) => a.from - b.from || a.to - b.to);
  const kept: Located[] = [];
  for (const span of located) {
    const previous = kept[kept.length - 1];
    if (previous && span.from < previous.to) {
      skipped.push({ replacement: span.replacement, reason: 'it overlaps another replacement' });
      continue;
    }
    kept.push(span);
  }
  let result = text;
  // From the end, so earlier offsets stay valid.
  for (const span of [...kept].reverse()) {
    result = result.slice(0, span.from) + span.replacement.newText + result.slice(span.to);
  }
  return { text: result, applied: kept.map((span) => span.replacement), skipped };
}

function checkReplacement(text: string, starts: number[], replacement: Replacement): string | undefined {
  const { line, column, oldText, newText } = replacement;
  if (!Number.isInteger(line) || line < 1 || line > starts.length) return `line ${line} is not in the file`;
  if (/[\r\n]/.test(newText) || /[\r\n]/.test(oldText)) return 'a replacement cannot span lines';
  if (oldText === '') return 'there is no text to replace';
  const from = starts[line - 1] + column - 1;
  const end = lineEnd(text, starts, line - 1);
  if (!Number.isInteger(column) || column < 1 || from + oldText.length > end) {
    return `\`${oldText}\` is not at line ${line}, column ${column}`;
  }
  if (text.slice(from, from + oldText.length) !== oldText) {
    return `\`${oldText}\` is not at line ${line}, column ${column} (the file changed since it was read)`;
  }
  return undefined;
}
