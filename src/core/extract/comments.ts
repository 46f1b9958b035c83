/**
 * Find the comments of a source file in one linear pass, without being fooled
 * by comment starters inside strings (`"http://x"`, `'#'`) or, in markdown,
 * inside fenced examples. Pure and total: any string in, a list out.
 */
import { commentSyntaxOf, type BlockComment, type CommentSyntax, type LineComment, type StringSyntax } from './languages.ts';

/** One line of comment text. A block comment yields one per line it spans. */
export interface CommentLine {
  /** 1-based line. */
  line: number;
  /** 1-based column where `text` starts (after the prefix, gutter and blanks). */
  column: number;
  /** The comment's text on this line, without prefix, ` * ` gutter, closer or surrounding blanks. */
  text: string;
  /** The line also holds code: a trailing comment, or code after a block's closer. */
  code: boolean;
}

/** Lines of `text` without BOM; `\r\n`, lone `\r` and `\n` all end a line. */
export function splitLines(text: string): string[] {
  const source = typeof text === 'string' ? text : '';
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    lines.push(body.slice(start, i));
    if (c === 13 && body.charCodeAt(i + 1) === 10) i++;
    start = i + 1;
  }
  lines.push(body.slice(start));
  return lines;
}

type Token =
  | { kind: 'line'; open: string; spec: LineComment }
  | { kind: 'block'; open: string; spec: BlockComment }
  | { kind: 'string'; open: string; spec: StringSyntax };

interface Scanner {
  syntax: CommentSyntax;
  /** Longest opener first, so `"""` wins over `"` and `--[[` over `--`. */
  tokens: Token[];
  /** First characters of every opener, to skip ordinary code quickly. */
  starts: Set<string>;
}

const scanners = new WeakMap<CommentSyntax, Scanner>();

function scannerFor(syntax: CommentSyntax): Scanner {
  const cached = scanners.get(syntax);
  if (cached) return cached;
  const tokens: Token[] = [
    ...syntax.block.map((spec): Token => ({ kind: 'block', open: spec.open, spec })),
    ...syntax.line.map((spec): Token => ({ kind: 'line', open: spec.open, spec })),
    ...syntax.strings.map((spec): Token => ({ kind: 'string', open: spec.open, spec })),
  ].sort((a, b) => b.open.length - a.open.length);
  const starts = new Set<string>();
  for (const t of tokens) {
    starts.add(t.open[0]);
    if (t.kind === 'line' && t.spec.word) starts.add(t.open[0].toLowerCase());
  }
  if (syntax.heredocs) starts.add('<');
  const scanner = { syntax, tokens, starts };
  scanners.set(syntax, scanner);
  return scanner;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f' || c === '\v';

/** Characters after which a YAML-style quote opens a string. */
const QUOTE_OPENERS = '[{,(=:';

function tokenAt(scanner: Scanner, line: string, i: number, lineStart: boolean): Token | undefined {
  for (const t of scanner.tokens) {
    if (t.kind === 'line' && t.spec.word) {
      if (!lineStart || line.slice(i, i + t.open.length).toUpperCase() !== t.open) continue;
      const next = line[i + t.open.length];
      if (next === undefined || isBlank(next)) return t;
      continue;
    }
    if (!line.startsWith(t.open, i)) continue;
    if ((t.kind === 'line' || t.kind === 'block') && t.spec.lineStart && !lineStart) continue;
    if (t.kind === 'line' && t.spec.afterSpace && i > 0 && !isBlank(line[i - 1])) continue;
    if (t.kind === 'string' && t.spec.afterSpace && i > 0 && !isBlank(line[i - 1]) && !QUOTE_OPENERS.includes(line[i - 1])) continue;
    return t;
  }
  return undefined;
}

/** Index just past the string's closer, or -1 when the line ends first. */
function skipString(line: string, from: number, spec: StringSyntax): number {
  let i = from;
  while (i < line.length) {
    if (spec.escape === 'backslash' && line[i] === '\\') {
      i += 2;
      continue;
    }
    if (line.startsWith(spec.close, i)) {
      const after = i + spec.close.length;
      // SQL and YAML write a quote inside a string as two quotes.
      if (spec.escape === 'double' && line.startsWith(spec.close, after)) {
        i = after + spec.close.length;
        continue;
      }
      return after;
    }
    i++;
  }
  return -1;
}

interface Trim {
  /** Opener character that may repeat right after it (`##`, `///`, `%%`, `/**`, `<!---`). */
  lead?: string;
  /** Decoration run before the end (`banner ***`, `--->`), stripped only after a blank so `docs/*` and `50%` survive. */
  tail?: string;
  /** Strip one leading `*` gutter (inner lines of `/* … *\/`). */
  gutter?: boolean;
}

/** The comment text between `start` and `end` of `line`, with its column. */
function textOf(line: string, start: number, end: number, trim: Trim): { column: number; text: string } {
  let s = start;
  let e = end;
  if (trim.lead) while (s < e && line[s] === trim.lead) s++;
  if (trim.lead === '/' && line[s] === '!') s++; // Rust `//!` inner doc comments
  while (s < e && isBlank(line[s])) s++;
  if (trim.gutter && s < e && line[s] === '*') {
    s++;
    while (s < e && isBlank(line[s])) s++;
  }
  while (e > s && isBlank(line[e - 1])) e--;
  if (trim.tail) {
    let run = e;
    while (run > s && line[run - 1] === trim.tail) run--;
    if (run === s || isBlank(line[run - 1])) e = run;
    while (e > s && isBlank(line[e - 1])) e--;
  }
  return { column: s + 1, text: line.slice(s, e) };
}

function repeatOfLine(open: string): string | undefined {
  for (const c of open) if (c !== open[0]) return undefined;
  return open[0];
}

function repeatOfBlock(spec: BlockComment): string | undefined {
  if (spec.star) return '*';
  return spec.open === '<!--' ? '-' : undefined;
}

/** A markdown fence opener or closer: three or more backticks or tildes. */
function fenceOf(line: string): { char: string; length: number; rest: string } | undefined {
  const body = line.trimStart();
  const char = body[0];
  if (char !== '`' && char !== '~') return undefined;
  let n = 0;
  while (body[n] === char) n++;
  return n >= 3 ? { char, length: n, rest: body.slice(n).trim() } : undefined;
}

/** A heredoc opener at `i` (`<<EOF`, `<<-"EOF"`, `<<~EOS`): its terminator and end index. */
function heredocAt(line: string, i: number): { word: string; end: number } | undefined {
  let j = i + 2;
  if (line[j] === '<') return undefined; // `<<<` here-string
  if (line[j] === '-' || line[j] === '~') j++;
  while (isBlank(line[j])) j++;
  const quote = line[j] === '"' || line[j] === "'" ? line[j] : undefined;
  if (quote) j++;
  const start = j;
  while (j < line.length && /[A-Za-z0-9_]/.test(line[j])) j++;
  const word = line.slice(start, j);
  if (!/^[A-Za-z_]/.test(word)) return undefined;
  if (quote) return line[j] === quote ? { word, end: j + 1 } : undefined;
  // Unquoted: only conventional upper-case delimiters, so `a << b` shifts stay code.
  return /^[A-Z_][A-Z0-9_]*$/.test(word) ? { word, end: j } : undefined;
}

type Mode =
  | { kind: 'code' }
  | { kind: 'block'; spec: BlockComment }
  | { kind: 'string'; spec: StringSyntax }
  | { kind: 'heredoc'; word: string }
  | { kind: 'fence'; char: string; length: number };

const CODE: Mode = { kind: 'code' };

/** What scanning one line found, and the mode the next line starts in. */
interface LineScan {
  pieces: CommentLine[];
  code: boolean;
  mode: Mode;
}

/** Lines that are skipped whole (heredoc bodies, markdown fences): the next mode, or undefined to scan the line. */
function skipWhole(syntax: CommentSyntax, mode: Mode, line: string): Mode | undefined {
  if (mode.kind === 'heredoc') return line.trim() === mode.word ? CODE : mode;
  if (mode.kind === 'fence') {
    const fence = fenceOf(line);
    return fence && fence.char === mode.char && fence.length >= mode.length && fence.rest === '' ? CODE : mode;
  }
  if (mode.kind !== 'code' || !syntax.fences) return undefined;
  const fence = fenceOf(line);
  // A backtick "fence" whose info string holds a backtick is inline code, per CommonMark.
  if (!fence || (fence.char === '`' && fence.rest.includes('`'))) return undefined;
  return { kind: 'fence', char: fence.char, length: fence.length };
}

/** Finish a block comment or multi-line string left open by earlier lines; returns where code resumes. */
function resume(scan: LineScan, line: string, lineNo: number): number {
  const { mode } = scan;
  if (mode.kind === 'block') {
    const close = line.indexOf(mode.spec.close);
    const piece = textOf(line, 0, close < 0 ? line.length : close, { tail: repeatOfBlock(mode.spec), gutter: mode.spec.star });
    scan.pieces.push({ line: lineNo, ...piece, code: false });
    if (close < 0) return line.length;
    scan.mode = CODE;
    return close + mode.spec.close.length;
  }
  if (mode.kind === 'string') {
    scan.code = true;
    const end = skipString(line, 0, mode.spec);
    if (end < 0) return line.length;
    scan.mode = CODE;
    return end;
  }
  return 0;
}

/** Scan one line: comments found, whether it holds code, and the mode the next line starts in. */
function scanLine(scanner: Scanner, line: string, lineNo: number, mode: Mode): LineScan {
  const { syntax } = scanner;
  const scan: LineScan = { pieces: [], code: false, mode };
  let i = resume(scan, line, lineNo);
  if (scan.mode.kind !== 'code') return scan;
  let heredoc: string | undefined;
  let firstText = i;
  while (firstText < line.length && isBlank(line[firstText])) firstText++;

  while (i < line.length) {
    const c = line[i];
    if (!scanner.starts.has(c)) {
      if (!isBlank(c)) scan.code = true;
      i += syntax.escapes && c === '\\' ? 2 : 1;
      continue;
    }
    if (syntax.heredocs && c === '<' && line[i + 1] === '<') {
      scan.code = true;
      const doc = heredocAt(line, i);
      if (doc) heredoc = doc.word;
      i = doc ? doc.end : i + 2;
      continue;
    }
    const token = tokenAt(scanner, line, i, i === firstText);
    if (!token) {
      scan.code = true;
      i++;
      continue;
    }
    const start = i + token.open.length;
    if (token.kind === 'line') {
      const repeat = repeatOfLine(token.open);
      scan.pieces.push({ line: lineNo, ...textOf(line, start, line.length, { lead: repeat, tail: repeat }), code: false });
      break;
    }
    if (token.kind === 'block') {
      const close = line.indexOf(token.spec.close, start);
      const repeat = repeatOfBlock(token.spec);
      const piece = textOf(line, start, close < 0 ? line.length : close, { lead: repeat, tail: repeat });
      scan.pieces.push({ line: lineNo, ...piece, code: false });
      if (close < 0) {
        scan.mode = { kind: 'block', spec: token.spec };
        break;
      }
      i = close + token.spec.close.length;
      continue;
    }
    scan.code = true;
    const end = skipString(line, start, token.spec);
    if (end >= 0) {
      i = end;
      continue;
    }
    if (token.spec.multiline) scan.mode = { kind: 'string', spec: token.spec };
    break;
  }
  // The heredoc body starts on the next line, after any comment on this one.
  if (heredoc && scan.mode.kind === 'code') scan.mode = { kind: 'heredoc', word: heredoc };
  return scan;
}

/**
 * Every comment line of a file, in order.
 *
 * @example
 * extractComments('lb.tf', 'x = "http://a" # Env: prod')
 * // → [{ line: 1, column: 18, text: 'Env: prod', code: true }]
 */
export function extractComments(path: string, text: string): CommentLine[] {
  const scanner = scannerFor(commentSyntaxOf(typeof path === 'string' ? path : ''));
  const lines = splitLines(text);
  const out: CommentLine[] = [];
  let mode: Mode = CODE;
  for (let n = 0; n < lines.length; n++) {
    if (n === 0 && lines[n].startsWith('#!')) continue; // shebang
    const skipped = skipWhole(scanner.syntax, mode, lines[n]);
    if (skipped) {
      mode = skipped;
      continue;
    }
    const scan = scanLine(scanner, lines[n], n + 1, mode);
    for (const piece of scan.pieces) out.push(scan.code ? { ...piece, code: true } : piece);
    mode = scan.mode;
  }
  return out;
}
