/**
 * The one lexer of source files: in one linear pass per file it finds the
 * comments, without being fooled by comment starters inside strings
 * (`"http://x"`, `'#'`), interpolations (`${"}"}`), regex literals, heredocs
 * or, in markdown, fenced examples. Markers read its comments; the symbol
 * finder reads its masked lines (strings and comments blanked). Pure and
 * total: any string in, a list out.
 */
import { commentSyntaxOf, type BlockComment, type CommentSyntax, type HeredocSyntax, type LineComment, type StringSyntax } from './languages.ts';

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

/** One line as the lexer saw it. */
export interface LexedLine {
  /** Comment text on this line (a block comment yields one piece per line it spans). */
  pieces: CommentLine[];
  /** The line also holds code or string content. */
  code: boolean;
  /**
   * The line with comments, string contents, interpolations, regex bodies
   * and heredoc bodies replaced by spaces; top-level string and regex
   * delimiters and heredoc openers stay, so columns and brackets line up.
   * Only filled when asked for (`mask`).
   */
  masked: string;
  /** Some of the line is string content. */
  strings: boolean;
  /** The line starts outside any string, comment, interpolation or heredoc. */
  startsInCode: boolean;
  /** The line starts inside a string, interpolation or heredoc: it belongs to the statement before it. */
  carried: boolean;
}

type Token =
  | { kind: 'line'; open: string; spec: LineComment }
  | { kind: 'block'; open: string; spec: BlockComment }
  | { kind: 'string'; open: string; spec: StringSyntax };

interface Scanner {
  syntax: CommentSyntax;
  /** Longest opener first, so `"""` wins over `"` and `--[[` over `--`. */
  tokens: Token[];
  /** First characters of every opener (ASCII, by char code: 1 = may open), to skip ordinary code quickly. */
  starts: Uint8Array;
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
  const starts = new Uint8Array(128);
  const add = (c: string) => (starts[c.charCodeAt(0)] = 1);
  for (const t of tokens) {
    add(t.open[0]);
    if (t.kind === 'line' && t.spec.word) add(t.open[0].toLowerCase());
  }
  if (syntax.heredocs) add('<');
  if (syntax.regex) add('/');
  if (syntax.escapes) add('\\');
  const scanner = { syntax, tokens, starts };
  scanners.set(syntax, scanner);
  return scanner;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f' || c === '\v';
/** `[A-Za-z0-9_$]`, by char code: this runs for every character of JS code. */
function isWordChar(c: string): boolean {
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 36;
}

/** Characters after which a YAML-style quote opens a string. */
const QUOTE_OPENERS = '[{,(=:';
/** Characters after which a shell word starts. */
const WORD_SEPARATORS = ';|&()';

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
    if (t.kind === 'line' && t.spec.wordStart && i > 0 && !isBlank(line[i - 1]) && !WORD_SEPARATORS.includes(line[i - 1])) continue;
    if (t.kind === 'string' && t.spec.afterSpace && i > 0 && !isBlank(line[i - 1]) && !QUOTE_OPENERS.includes(line[i - 1])) continue;
    return t;
  }
  return undefined;
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

/** A heredoc opener at `i` (`<<EOF`, `<<-'EOF'`, `<<~EOS`): its terminator word and where the opener ends. */
function heredocAt(line: string, i: number, style: HeredocSyntax, arithmetic: boolean): { word: string; end: number } | undefined {
  let j = i + 2;
  if (line[j] === '<') return undefined; // `<<<` here-string
  if (line[j] === '-' || line[j] === '~') j++;
  if (style.spaced) while (isBlank(line[j])) j++;
  if (line[j] === '\\') j++;
  const quote = line[j] === '"' || line[j] === "'" ? line[j] : '';
  if (quote) j++;
  const from = j;
  const wordChar = style.upperCase ? /[A-Za-z0-9_]/ : /[A-Za-z0-9_-]/;
  while (j < line.length && wordChar.test(line[j])) j++;
  const word = line.slice(from, j);
  if (!/^[A-Za-z_]/.test(word)) return undefined;
  if (quote) return line[j] === quote ? { word, end: j + 1 } : undefined;
  // `(( x << y ))` shifts; in Ruby `list << item` appends, so only conventional upper-case words there.
  if (arithmetic || (style.upperCase && !/^[A-Z_][A-Z0-9_]*$/.test(word))) return undefined;
  return { word, end: j };
}

/** Characters after which `/` starts a regex rather than a division (not `<`: JSX closing tags). */
const REGEX_AFTER = '(,=:[!&|?{};+-*%~^';
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void', 'delete', 'throw', 'yield', 'await', 'instanceof', 'new']);

/**
 * Whether a `/` at `i` opens a regex rather than dividing, from the code
 * before it: nothing, an operator or a keyword such as `return`. Looked up
 * only at a `/`, and each look stops at the previous token, so a line costs
 * O(length) however many slashes it holds.
 */
function regexMayStart(line: string, i: number, from: number): boolean {
  let j = i - 1;
  while (j >= from && isBlank(line[j])) j--;
  if (j < from || REGEX_AFTER.includes(line[j])) return true;
  if (!isWordChar(line[j])) return false;
  let k = j;
  while (k > from && isWordChar(line[k - 1])) k--;
  return REGEX_KEYWORDS.has(line.slice(k, j + 1));
}

/** Index just past a regex literal starting at `from`, or -1 when the line ends first (then it was a division). */
function regexEnd(line: string, from: number): number {
  let inClass = false;
  for (let i = from + 1; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
  }
  return -1;
}

/** Where the lexer stands: code (depth counts braces open inside an interpolation), a string, or a block comment. */
type Frame = { kind: 'code'; depth: number } | { kind: 'string'; spec: StringSyntax } | { kind: 'block'; spec: BlockComment };

/** State carried from one line to the next. */
interface LexState {
  /** Bottom frame is the file's code; strings, comments and interpolations stack on it. */
  stack: Frame[];
  /** Terminator of the heredoc whose body is being skipped. */
  heredoc?: string;
  /** Heredocs opened on one line start one after another. */
  pending: string[];
  fence?: { char: string; length: number };
}

/** Builds the masked copy of a line from slices, so unmasked code costs nothing per character. */
class Mask {
  private out = '';
  private kept = 0;
  constructor(
    private readonly line: string,
    private readonly on: boolean,
  ) {}

  /** Replace `from..to` by spaces. */
  blank(from: number, to: number): void {
    if (!this.on || to <= from) return;
    this.out += this.line.slice(this.kept, from) + ' '.repeat(to - from);
    this.kept = to;
  }

  done(): string {
    return this.on ? this.out + this.line.slice(this.kept) : '';
  }
}


/** Heredoc bodies and markdown fences: true when the line is skipped whole (state updated). */
function skipWhole(syntax: CommentSyntax, state: LexState, line: string): boolean {
  if (state.heredoc !== undefined) {
    if (line.trim() === state.heredoc) state.heredoc = state.pending.shift();
    return true;
  }
  if (state.fence) {
    const fence = fenceOf(line);
    if (fence && fence.char === state.fence.char && fence.length >= state.fence.length && fence.rest === '') state.fence = undefined;
    return true;
  }
  if (!syntax.fences || state.stack.length > 1) return false;
  const fence = fenceOf(line);
  // A backtick "fence" whose info string holds a backtick is inline code, per CommonMark.
  if (!fence || (fence.char === '`' && fence.rest.includes('`'))) return false;
  state.fence = { char: fence.char, length: fence.length };
  return true;
}

const stopCache = new WeakMap<StringSyntax, string>();

/** Characters that may end, escape or interpolate inside a string; the rest is skipped one by one without a look. */
function stopsOf(spec: StringSyntax): string {
  let stops = stopCache.get(spec);
  if (stops === undefined) {
    stops = `${spec.close[0]}\\${(spec.interpolation ?? []).map((open) => open[0]).join('')}`;
    stopCache.set(spec, stops);
  }
  return stops;
}

function interpolationAt(openers: readonly string[], line: string, i: number): string | undefined {
  for (const open of openers) if (line.startsWith(open, i)) return open;
  return undefined;
}

/** A character code that may open a token; in an interpolation, braces too. */
function opens(starts: Uint8Array, code: number, nested: boolean): boolean {
  return (code < 128 && starts[code] === 1) || (nested && (code === 123 || code === 125));
}

/** A block comment left open by earlier lines: its text up to the closer; returns where code resumes. */
function resumeBlock(line: string, lineNo: number, spec: BlockComment, result: LexedLine, out: Mask, stack: Frame[]): number {
  const close = line.indexOf(spec.close);
  const end = close < 0 ? line.length : close + spec.close.length;
  addComment(result, line, lineNo, 0, close < 0 ? line.length : close, { tail: repeatOfBlock(spec), gutter: spec.star });
  out.blank(0, end);
  if (close >= 0) stack.pop();
  return end;
}

/** One step inside a string: where the lexer stands next. An interpolation pushes a code frame; the closer pops the string's. */
function stepInString(line: string, i: number, spec: StringSyntax, stack: Frame[]): number {
  const c = line[i];
  const stops = stopsOf(spec);
  if (!stops.includes(c)) {
    // String content: a tight loop to the next character that may end, escape or interpolate.
    let j = i + 1;
    while (j < line.length && !stops.includes(line[j])) j++;
    return j;
  }
  if (spec.escape === 'backslash' && c === '\\') return i + 2;
  if (spec.interpolation) {
    const literal = spec.doubledIsLiteral && line[i + 1] === c ? interpolationAt(spec.interpolation, line, i + 1) : undefined;
    if (literal) return i + 1 + literal.length; // HCL `$${` and `%%{` are literal text
    const open = interpolationAt(spec.interpolation, line, i);
    if (open) {
      stack.push({ kind: 'code', depth: 0 });
      return i + open.length;
    }
  }
  if (!line.startsWith(spec.close, i)) return i + 1;
  const after = i + spec.close.length;
  // SQL and YAML write a quote inside a string as two quotes.
  if (spec.escape === 'double' && line.startsWith(spec.close, after)) return after + spec.close.length;
  stack.pop();
  return after;
}

function addComment(result: LexedLine, line: string, lineNo: number, start: number, end: number, trim: Trim): void {
  const { column, text } = textOf(line, start, end, trim);
  result.pieces.push({ line: lineNo, column, text, code: false });
}

/** Lex one line; `state` carries what is still open to the next. */
function lexLine(scanner: Scanner, line: string, lineNo: number, state: LexState, mask: boolean): LexedLine {
  const { syntax } = scanner;
  const { stack } = state;
  const startTop = stack[stack.length - 1];
  const result: LexedLine = {
    pieces: [],
    code: false,
    masked: '',
    strings: false,
    startsInCode: stack.length === 1,
    carried: startTop.kind !== 'block' && stack.length > 1,
  };
  const out = new Mask(line, mask);
  let i = startTop.kind === 'block' ? resumeBlock(line, lineNo, startTop.spec, result, out, stack) : 0;
  let firstText = i;
  while (firstText < line.length && isBlank(line[firstText])) firstText++;
  /** Where the masked region of a top-level string began. */
  let stringFrom = stack.length > 1 ? i : -1;
  const codeFrom = i;
  let arithmetic = false;
  // Once a `/` found no closing `/`, no later one on this line can: scanning again would be quadratic.
  let regexPossible = syntax.regex === true;
  const { starts } = scanner;
  const heredocs = syntax.heredocs !== undefined;

  while (i < line.length) {
    const top = stack[stack.length - 1];
    const c = line[i];
    if (top.kind === 'block') break; // unreachable: a block comment is only left open at the line end
    if (top.kind === 'string') {
      result.strings = true;
      result.code = true;
      const next = stepInString(line, i, top.spec, stack);
      // Closing a top-level string: its content masks, its quotes stay.
      if (stack.length === 1 && stringFrom >= 0) {
        out.blank(stringFrom, next - top.spec.close.length);
        stringFrom = -1;
      }
      i = next;
      continue;
    }

    // Code: the file's own, or an interpolation's.
    const nested = stack.length > 1;
    if (!opens(starts, line.charCodeAt(i), nested)) {
      // Ordinary code: a tight loop to the next character that may open something.
      let j = i;
      while (j < line.length) {
        const d = line.charCodeAt(j);
        if (opens(starts, d, nested)) break;
        // Not a blank (space, tab, vertical tab, form feed).
        if (d !== 32 && d !== 9 && d !== 11 && d !== 12) {
          result.code = true;
          if (d === 40 && heredocs && line.charCodeAt(j + 1) === 40) arithmetic = true; // `((`
        }
        j++;
      }
      i = j;
      continue;
    }
    if (syntax.escapes && c === '\\') {
      result.code = true;
      if (!nested) out.blank(i, Math.min(i + 2, line.length));
      i += 2;
      continue;
    }
    if (syntax.heredocs && c === '<' && line[i + 1] === '<') {
      result.code = true;
      const doc = heredocAt(line, i, syntax.heredocs, arithmetic);
      if (doc) state.pending.push(doc.word);
      i = doc ? doc.end : i + 2;
      continue;
    }
    const token = tokenAt(scanner, line, i, i === firstText);
    if (token?.kind === 'line') {
      addComment(result, line, lineNo, i + token.open.length, line.length, { lead: repeatOfLine(token.open), tail: repeatOfLine(token.open) });
      if (!nested) out.blank(i, line.length);
      i = line.length;
      break;
    }
    if (token?.kind === 'block') {
      const start = i + token.open.length;
      const close = line.indexOf(token.spec.close, start);
      const repeat = repeatOfBlock(token.spec);
      addComment(result, line, lineNo, start, close < 0 ? line.length : close, { lead: repeat, tail: repeat });
      const end = close < 0 ? line.length : close + token.spec.close.length;
      if (!nested) out.blank(i, end);
      if (close < 0) stack.push({ kind: 'block', spec: token.spec });
      i = end;
      continue;
    }
    if (token?.kind === 'string') {
      result.code = true;
      result.strings = true;
      stack.push({ kind: 'string', spec: token.spec });
      i += token.open.length;
      if (!nested) stringFrom = i;
      continue;
    }
    if (regexPossible && c === '/' && regexMayStart(line, i, codeFrom)) {
      const end = regexEnd(line, i);
      if (end > 0) {
        result.code = true;
        if (!nested) out.blank(i + 1, end - 1);
        i = end;
        continue;
      }
      regexPossible = false;
    }
    if (nested) {
      const frame = top;
      if (c === '{') frame.depth++;
      else if (c === '}') {
        if (frame.depth === 0) stack.pop();
        else frame.depth--;
      }
    }
    result.code = true;
    i++;
  }
  // A top-level string still open masks to the line end.
  if (stringFrom >= 0) out.blank(stringFrom, line.length);
  result.masked = out.done();
  if (result.code) for (let k = 0; k < result.pieces.length; k++) result.pieces[k] = { ...result.pieces[k], code: true };
  closeAtLineEnd(stack);
  // The heredoc body starts on the next line, after any comment on this one.
  if (state.heredoc === undefined && state.pending.length > 0) state.heredoc = state.pending.shift();
  return result;
}

/** Strings that may not outlive their line close at its end, with everything opened inside them. */
function closeAtLineEnd(stack: Frame[]): void {
  for (let k = 1; k < stack.length; k++) {
    const frame = stack[k];
    if (frame.kind === 'string' && !frame.spec.multiline) {
      stack.length = k;
      return;
    }
  }
}

/**
 * Lex every line of a file with the comment and string syntax of `path`.
 * `mask` fills each line's `masked` copy (the symbol finder needs it; comment
 * extraction does not).
 */
export function lexLines(path: string, lines: readonly string[], mask: boolean): LexedLine[] {
  const scanner = scannerFor(commentSyntaxOf(typeof path === 'string' ? path : ''));
  const state: LexState = { stack: [{ kind: 'code', depth: 0 }], pending: [] };
  const out: LexedLine[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const inHeredoc = state.heredoc !== undefined;
    const top = state.stack[state.stack.length - 1];
    // A shebang; heredoc bodies (string content) and fenced examples.
    if ((n === 0 && line.startsWith('#!')) || skipWhole(scanner.syntax, state, line)) {
      out.push({
        pieces: [],
        code: false,
        masked: mask ? ' '.repeat(line.length) : '',
        strings: inHeredoc,
        startsInCode: !inHeredoc && state.stack.length === 1,
        carried: inHeredoc || (top.kind !== 'block' && state.stack.length > 1),
      });
    } else out.push(lexLine(scanner, line, n + 1, state, mask));
  }
  return out;
}

/**
 * Every comment line of a file, in order.
 *
 * @example
 * extractComments('lb.tf', 'x = "http://a" # Env: prod')
 * // → [{ line: 1, column: 18, text: 'Env: prod', code: true }]
 */
export function extractComments(path: string, text: string): CommentLine[] {
  const out: CommentLine[] = [];
  for (const lexed of lexLines(path, splitLines(text), false)) out.push(...lexed.pieces);
  return out;
}
