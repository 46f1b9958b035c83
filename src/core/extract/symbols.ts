/**
 * Named blocks of code files, so a reference can say `infra/lb.tf#aws_lb.main`,
 * `k8s/app.yaml#Deployment/web` or `scripts/deploy.sh#rollback` and keep
 * pointing at the right lines when the code around it moves.
 *
 * Each family (Terraform/HCL, YAML, shell, TS/JS, Python, Go, Dockerfile,
 * Makefile) first blanks out strings, comments and heredocs in one linear pass
 * (the comment lexer of `comments.ts`, with the language table of `languages.ts`),
 * so braces inside them never count, then finds headers and matches their ends.
 * Pure and total: any path and text in, a list out; nothing here throws.
 */
import { lexLines, splitLines } from './comments.ts';
import { languageOf } from './languages.ts';
import { editDistanceWithin } from '../text/edit-distance.ts';

/** One named block and where it currently stands. */
export interface SymbolBlock {
  /** What a reference writes after `#`: `aws_lb.main`, `Deployment/web`, `rollback`, `Server.Start`. */
  name: string;
  /** `resource`, `data`, `module`, `variable`, `output`, `locals`, `local`, `document`, `key`, `function`, `class`, `method`, … */
  kind: string;
  /** First line, decorators included (1-based). */
  start: number;
  /** Last line: the closing brace, or the last code line of an indented body (1-based, inclusive). */
  end: number;
  /** First line of the comment lines (and, in YAML, the `---`) directly above, when there are any. */
  leadStart?: number;
  /** Last of the blank lines directly below, when there are any. */
  tailEnd?: number;
}

// ---------------------------------------------------------------------------
// Lines

/** A file's lines with strings and comments blanked, and what each line is. */
interface Source {
  raw: string[];
  /** Same lines, strings/comments/heredocs replaced by spaces (string delimiters kept). */
  code: string[];
  /** The line starts outside any string, comment or heredoc. */
  inCode: boolean[];
  /** The line starts inside a string or heredoc: it belongs to the statement before it. */
  carried: boolean[];
  /** Nothing but comment text. */
  quiet: boolean[];
  /** YAML: `---` lines open documents, so they lead the block below them. */
  separators?: boolean;
}

/** A block with 0-based lines, before finishing. */
interface Found {
  name: string;
  kind: string;
  start: number;
  end: number;
}

/** Lines as the editor numbers them: a final newline does not start another line. */
function realLines(text: string): string[] {
  const lines = splitLines(text);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const isBlank = (text: string): boolean => text.trim() === '';

function hasContent(src: Source, n: number): boolean {
  return !isBlank(src.raw[n]) && !src.quiet[n];
}

/** Last line in `from..limit` with code or string content; `from` when there is none. */
function lastContent(src: Source, from: number, limit: number): number {
  for (let n = Math.min(limit, src.raw.length - 1); n > from; n--) if (hasContent(src, n)) return n;
  return from;
}

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/** A source whose only syntax is whole-line comments (YAML, Dockerfile, Makefile). */
function plainSource(raw: string[], isComment: (trimmed: string) => boolean): Source {
  return {
    raw,
    code: raw,
    inCode: raw.map(() => true),
    carried: raw.map(() => false),
    quiet: raw.map((line) => isComment(line.trim())),
  };
}

// ---------------------------------------------------------------------------
// Masking strings, comments and heredocs: the comment lexer does it

/** A source lexed with the file's own comment and string syntax (`languages.ts`). */
function lexedSource(path: string, raw: string[]): Source {
  const lexed = lexLines(path, raw, true);
  return {
    raw,
    code: lexed.map((line) => line.masked),
    inCode: lexed.map((line) => line.startsInCode),
    carried: lexed.map((line) => line.carried),
    quiet: lexed.map((line, n) => !isBlank(raw[n]) && isBlank(line.masked) && !line.strings),
  };
}

// ---------------------------------------------------------------------------
// Brace languages: headers, then the end of each header's statement

type Brackets = 'braces' | 'all';

interface EndStyle {
  brackets: Brackets;
  /** Needs a `{ … }` body (or ends at a bodiless `;`, as TS overloads do). */
  body: boolean;
  /** A next line starting with `.`, `?`, `|`, … continues the statement (TS/JS). */
  leadingContinuation?: boolean;
}

const BODY_BRACES: EndStyle = { brackets: 'braces', body: true };
const BODY_ALL: EndStyle = { brackets: 'all', body: true };
const EXPRESSION_TS: EndStyle = { brackets: 'all', body: false, leadingContinuation: true };
const EXPRESSION: EndStyle = { brackets: 'all', body: false };

interface Header {
  name: string;
  kind: string;
  /** Line of the header itself. */
  line: number;
  /** First line of the block (a decorator above the header, or the header). */
  start: number;
  style: EndStyle;
}

type HeaderInfo = Pick<Header, 'name' | 'kind' | 'style'>;

function isOpen(c: string, brackets: Brackets): boolean {
  return c === '{' || (brackets === 'all' && (c === '(' || c === '['));
}

function isClose(c: string, brackets: Brackets): boolean {
  return c === '}' || (brackets === 'all' && (c === ')' || c === ']'));
}

function bracketDelta(code: string, brackets: Brackets): number {
  let delta = 0;
  for (let i = 0; i < code.length; i++) {
    if (isOpen(code[i], brackets)) delta++;
    else if (isClose(code[i], brackets)) delta--;
  }
  return delta;
}

/** A line ending like this cannot end a statement. */
function endsWithOperator(tail: string): boolean {
  if (tail.endsWith('++') || tail.endsWith('--')) return false;
  const last = tail[tail.length - 1];
  if (last === '>') return tail.endsWith('=>');
  return last !== undefined && '=+-*%&|^!~?:,.<([{'.includes(last);
}

const CONTINUATION_WORDS = /^(?:as|satisfies|in|instanceof)\b/;

/** The next code line continues this statement: `.then(…)`, `| 'b'`, `? x : y`. */
function nextContinues(src: Source, n: number, limit: number): boolean {
  for (let m = n + 1; m <= limit; m++) {
    if (src.carried[m]) return false; // handled by the carry-over after the end
    const text = src.code[m].trimStart();
    if (text === '') continue;
    if (text.startsWith('...')) return false;
    return '.?:|&+*=,'.includes(text[0]) || CONTINUATION_WORDS.test(text);
  }
  return false;
}

/** Where the statement that starts at `from` ends; never past `limit`. */
function statementEnd(src: Source, from: number, limit: number, style: EndStyle): number {
  let depth = 0;
  let body = false;
  for (let n = from; n <= limit; n++) {
    const code = src.code[n];
    for (let i = 0; i < code.length; i++) {
      const c = code[i];
      if (isOpen(c, style.brackets)) {
        if (c === '{' && depth === 0) body = true;
        depth++;
      } else if (isClose(c, style.brackets)) depth--;
    }
    if (depth > 0 || isBlank(code)) continue;
    const tail = code.trimEnd();
    if (style.body) {
      if (body || tail.endsWith(';')) return carryOver(src, n, limit);
      continue;
    }
    if (endsWithOperator(tail)) continue;
    if (style.leadingContinuation && nextContinues(src, n, limit)) continue;
    return carryOver(src, n, limit);
  }
  return lastContent(src, from, limit);
}

/** A heredoc or multi-line string opened on the last line belongs to the statement. */
function carryOver(src: Source, n: number, limit: number): number {
  let end = n;
  while (end + 1 <= limit && src.carried[end + 1]) end++;
  return end;
}

/** Headers at nesting depth 0. A header at column 0 is trusted even when the count drifted. */
function topLevelHeaders(src: Source, brackets: Brackets, header: (src: Source, n: number) => HeaderInfo | undefined): Header[] {
  const headers: Header[] = [];
  let depth = 0;
  let decorator: number | undefined;
  for (let n = 0; n < src.raw.length; n++) {
    const code = src.code[n];
    if (src.inCode[n] && !isBlank(code)) {
      const flush = code[0] !== ' ' && code[0] !== '\t';
      const found = depth === 0 || flush ? header(src, n) : undefined;
      if (found) {
        depth = 0;
        headers.push({ ...found, line: n, start: decorator ?? n });
        decorator = undefined;
      } else if (depth === 0) {
        decorator = code.trimStart().startsWith('@') ? (decorator ?? n) : undefined;
      }
    }
    depth = Math.max(0, depth + bracketDelta(code, brackets));
  }
  return headers;
}

/** Close each header's block, never past the next header. */
function closeHeaders(src: Source, headers: Header[], lastLine: number): Found[] {
  return headers.map((header, k) => {
    const next = headers[k + 1];
    const limit = Math.max(header.line, next ? Math.min(next.start - 1, lastLine) : lastLine);
    return { name: header.name, kind: header.kind, start: header.start, end: statementEnd(src, header.line, limit, header.style) };
  });
}

/** Headers one level inside a block (class members, locals attributes). */
function innerHeaders(src: Source, outer: Found, header: (text: string) => HeaderInfo | undefined): Header[] {
  const headers: Header[] = [];
  let depth = 0;
  let decorator: number | undefined;
  for (let n = outer.start; n <= outer.end; n++) {
    const code = src.code[n];
    if (depth === 1 && src.inCode[n] && !isBlank(code)) {
      const text = code.trim();
      const found = header(text);
      if (found) {
        headers.push({ ...found, line: n, start: decorator ?? n });
        decorator = undefined;
      } else {
        decorator = text.startsWith('@') ? (decorator ?? n) : undefined;
      }
    }
    depth = Math.max(0, depth + bracketDelta(code, 'all'));
  }
  return headers;
}

function membersOf(src: Source, outer: Found, header: (text: string) => HeaderInfo | undefined): Found[] {
  const limit = outer.end > outer.start ? outer.end - 1 : outer.end;
  return closeHeaders(src, innerHeaders(src, outer, header), limit);
}

// --- Terraform / HCL

/** `resource "aws_lb" "main" {` → `aws_lb.main`; `module "vpc" {` → `module.vpc`; `locals {` → `locals`. */
function hclHeader(src: Source, n: number): HeaderInfo | undefined {
  const line = src.raw[n];
  let i = indentOf(line);
  const typeMatch = /^[A-Za-z_][\w-]*/.exec(line.slice(i, i + 200));
  if (!typeMatch) return undefined;
  const type = typeMatch[0];
  i += type.length;
  const labels: string[] = [];
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '{') break;
    if (line[i] === '"') {
      const close = line.indexOf('"', i + 1);
      if (close < 0) return undefined;
      labels.push(line.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    const bare = /^[A-Za-z_][\w-]*/.exec(line.slice(i, i + 200));
    if (!bare) return undefined;
    labels.push(bare[0]);
    i += bare[0].length;
  }
  const name = type === 'resource' && labels.length === 2 ? labels.join('.') : [type, ...labels].join('.');
  return { name, kind: type, style: BODY_BRACES };
}

/** `common_tags = {` inside `locals` → `local.common_tags`. */
function localHeader(text: string): HeaderInfo | undefined {
  const match = /^([A-Za-z_][\w-]*)\s*=(?!=)/.exec(text);
  return match ? { name: `local.${match[1]}`, kind: 'local', style: EXPRESSION } : undefined;
}

function hclSymbols(raw: string[], path: string): { src: Source; found: Found[] } {
  const src = lexedSource(path, raw);
  const blocks = closeHeaders(src, topLevelHeaders(src, 'braces', hclHeader), raw.length - 1);
  const locals = blocks.filter((block) => block.kind === 'locals').flatMap((block) => membersOf(src, block, localHeader));
  return { src, found: [...blocks, ...locals] };
}

// --- TypeScript / JavaScript

const IDENT = '[A-Za-z_$][\\w$]*';
const DECLARATION_MODIFIER = /^(export|default|declare|async|abstract)\s+/;
const TS_FUNCTION = new RegExp(`^function\\b\\s*\\*?\\s*(${IDENT})?`);
const TS_CLASS = new RegExp(`^class\\b\\s*(${IDENT})?`);
const TS_INTERFACE = new RegExp(`^interface\\s+(${IDENT})`);
const TS_ENUM = new RegExp(`^(?:const\\s+)?enum\\s+(${IDENT})`);
const TS_NAMESPACE = new RegExp(`^(?:namespace|module)\\s+(${IDENT}(?:\\.${IDENT})*)\\s*\\{`);
const TS_TYPE = new RegExp(`^type\\s+(${IDENT})\\s*[<=]`);
const TS_VARIABLE = new RegExp(`^(const|let|var)\\s+(${IDENT})`);
const TS_EXPORTS = new RegExp(`^(?:module\\.)?(exports)\\.(${IDENT})(?=\\s*=)`);
const TS_ARROW_PARAM = new RegExp(`^${IDENT}\\s*=>`);
const TS_MEMBER = new RegExp(`^(#?${IDENT})\\s*[?!]?\\s*`);

/** Whether the value after `=` is a function: `async (…) =>`, `function`, `x => …`, `<T>(…) =>`. */
function isFunctionValue(value: string): boolean {
  if (/^(?:async\b|function\b)/.test(value)) return true;
  if (value.startsWith('(')) return value === '(' || value.includes('=>');
  if (value.startsWith('<')) return value.includes('(');
  return TS_ARROW_PARAM.test(value);
}

/** The text after the first assignment `=` (not `==`, `=>`, `>=`, `<=`, `!=`). */
function valueAfterAssignment(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '=') continue;
    const before = text[i - 1];
    const after = text[i + 1];
    if (after === '=' || after === '>' || before === '=' || before === '!' || before === '<' || before === '>') continue;
    return text.slice(i + 1).trim();
  }
  return undefined;
}

function tsHeader(src: Source, n: number): HeaderInfo | undefined {
  let text = src.code[n].trim();
  let isDefault = false;
  for (let guard = 0; guard < 6; guard++) {
    const modifier = DECLARATION_MODIFIER.exec(text);
    if (!modifier) break;
    if (modifier[1] === 'default') isDefault = true;
    text = text.slice(modifier[0].length);
  }
  const orDefault = (name: string | undefined): string | undefined => name ?? (isDefault ? 'default' : undefined);
  const named = (name: string | undefined, kind: string, style: EndStyle): HeaderInfo | undefined =>
    name ? { name, kind, style } : undefined;

  let match = TS_FUNCTION.exec(text);
  if (match) return named(orDefault(match[1]), 'function', BODY_ALL);
  match = TS_CLASS.exec(text);
  if (match) {
    const name = match[1] === 'extends' || match[1] === 'implements' ? undefined : match[1];
    return named(orDefault(name), 'class', BODY_ALL);
  }
  match = TS_INTERFACE.exec(text);
  if (match) return named(match[1], 'interface', BODY_ALL);
  match = TS_ENUM.exec(text);
  if (match) return named(match[1], 'enum', BODY_ALL);
  match = TS_NAMESPACE.exec(text);
  if (match) return named(match[1], 'namespace', BODY_ALL);
  match = TS_TYPE.exec(text);
  if (match) return named(match[1], 'type', EXPRESSION_TS);
  match = TS_VARIABLE.exec(text) ?? TS_EXPORTS.exec(text);
  if (match) {
    const value = valueAfterAssignment(text.slice(match[0].length)) ?? '';
    const kind = isFunctionValue(value) ? 'function' : match[1] === 'const' ? 'const' : 'variable';
    return named(match[2], kind, EXPRESSION_TS);
  }
  return undefined;
}

const MEMBER_MODIFIERS = new Set(['public', 'private', 'protected', 'static', 'async', 'readonly', 'override', 'abstract', 'declare', 'accessor', 'get', 'set']);
const NOT_MEMBERS = new Set(['if', 'for', 'while', 'switch', 'return', 'else', 'case', 'do', 'try', 'catch', 'new', 'function']);

/** Past a `<…>` type parameter list. */
function skipAngles(text: string): string {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<') depth++;
    else if (text[i] === '>' && text[i - 1] !== '=' && --depth === 0) return text.slice(i + 1).trimStart();
  }
  return text;
}

/** `async deploy(…) {`, `static get x() {`, `handle = async () => {` → the member name. */
function tsMember(className: string): (text: string) => HeaderInfo | undefined {
  return (text) => {
    let rest = text;
    for (let guard = 0; guard < 8; guard++) {
      const modifier = /^([A-Za-z]+)\s+(?=[#*A-Za-z_$[])/.exec(rest);
      if (!modifier || !MEMBER_MODIFIERS.has(modifier[1])) break;
      rest = rest.slice(modifier[0].length);
    }
    if (rest.startsWith('*')) rest = rest.slice(1).trimStart();
    const match = TS_MEMBER.exec(rest);
    if (!match || NOT_MEMBERS.has(match[1])) return undefined;
    let after = rest.slice(match[0].length);
    if (after.startsWith('<')) after = skipAngles(after);
    const isMethod = after.startsWith('(') || ((after.startsWith('=') || after.startsWith(':')) && !after.startsWith('==') && after.includes('=>'));
    return isMethod ? { name: `${className}.${match[1]}`, kind: 'method', style: BODY_ALL } : undefined;
  };
}

function tsSymbols(raw: string[], path: string): { src: Source; found: Found[] } {
  const src = lexedSource(path, raw);
  const blocks = closeHeaders(src, topLevelHeaders(src, 'all', tsHeader), raw.length - 1);
  const methods = blocks.filter((block) => block.kind === 'class').flatMap((block) => membersOf(src, block, tsMember(block.name)));
  return { src, found: [...blocks, ...methods] };
}

// --- Go

/** `(s *Server[T])` → `Server`. */
function receiverType(receiver: string): string | undefined {
  const bracket = receiver.indexOf('[');
  const head = bracket >= 0 ? receiver.slice(0, bracket) : receiver;
  return /([A-Za-z_]\w*)\s*$/.exec(head)?.[1];
}

function goHeader(src: Source, n: number): HeaderInfo | undefined {
  const text = src.code[n].trim();
  let match = /^func\s*(?:\(([^)]*)\))?\s*([A-Za-z_]\w*)/.exec(text);
  if (match) {
    const receiver = match[1] === undefined ? undefined : receiverType(match[1]);
    return receiver
      ? { name: `${receiver}.${match[2]}`, kind: 'method', style: BODY_ALL }
      : { name: match[2], kind: 'function', style: BODY_ALL };
  }
  match = /^(type|var|const)\s+([A-Za-z_]\w*)/.exec(text);
  return match ? { name: match[2], kind: match[1], style: EXPRESSION } : undefined;
}

function goSymbols(raw: string[], path: string): { src: Source; found: Found[] } {
  const src = lexedSource(path, raw);
  return { src, found: closeHeaders(src, topLevelHeaders(src, 'all', goHeader), raw.length - 1) };
}

// --- Shell

/** The next code line (or the rest of this one) opens a `{ … }` body. */
function bodyFollows(src: Source, n: number, rest: string): boolean {
  if (rest !== '') return rest.startsWith('{');
  for (let m = n + 1; m < src.raw.length; m++) {
    const text = src.code[m].trim();
    if (text !== '') return text.startsWith('{');
  }
  return false;
}

/** `rollback() {`, `function rollback {`, `function rollback() {`. */
function shellHeader(src: Source, n: number): HeaderInfo | undefined {
  const code = src.code[n];
  const match = /^\s*function\s+([^\s(){}<>;|&'"$`]+)\s*(?:\(\s*\))?/.exec(code) ?? /^\s*([A-Za-z_][\w:.@+-]*)\s*\(\s*\)/.exec(code);
  if (!match || !bodyFollows(src, n, code.slice(match[0].length).trim())) return undefined;
  return { name: match[1], kind: 'function', style: BODY_BRACES };
}

function shellSymbols(raw: string[], path: string): { src: Source; found: Found[] } {
  const src = lexedSource(path, raw);
  return { src, found: closeHeaders(src, topLevelHeaders(src, 'braces', shellHeader), raw.length - 1) };
}

// ---------------------------------------------------------------------------
// Python: blocks end where the indentation does

const PY_NAME = '[\\p{L}_][\\p{L}\\p{N}_]*';
const PY_DEF = new RegExp(`^(?:async\\s+)?def\\s+(${PY_NAME})`, 'u');
const PY_CLASS = new RegExp(`^class\\s+(${PY_NAME})`, 'u');
/** `NAME = …` or `NAME: type = …` at module level; not `==`, not `+=`. */
const PY_ASSIGNMENT = new RegExp(`^(${PY_NAME})\\s*(?::[^=]*)?=(?!=)`, 'u');

function pythonSymbols(raw: string[], path: string): { src: Source; found: Found[] } {
  const src = lexedSource(path, raw);
  const count = raw.length;
  // A logical line starts outside strings, brackets and backslash continuations.
  const logical: boolean[] = [];
  let depth = 0;
  let backslash = false;
  for (let n = 0; n < count; n++) {
    logical.push(src.inCode[n] && depth === 0 && !backslash);
    depth = Math.max(0, depth + bracketDelta(src.code[n], 'all'));
    backslash = src.code[n].trimEnd().endsWith('\\');
  }
  const isStatement = (n: number): boolean => logical[n] && !isBlank(src.code[n]);
  const indent = (n: number): number => indentOf(raw[n]);

  const blockEnd = (n: number): number => {
    let last = n;
    for (let m = n + 1; m < count; m++) {
      if (isStatement(m) && indent(m) <= indent(n)) break;
      if (hasContent(src, m)) last = m;
    }
    return last;
  };
  const decoratorsAbove = (n: number): number => {
    let start = n;
    for (let m = n - 1; m >= 0; m--) {
      if (!logical[m]) continue; // inside a multi-line decorator call
      if (indent(m) !== indent(n) || !src.code[m].trimStart().startsWith('@')) break;
      start = m;
    }
    return start;
  };
  const bodyIndent = (n: number, end: number): number | undefined => {
    for (let m = n + 1; m <= end; m++) if (isStatement(m)) return indent(m);
    return undefined;
  };

  const found: Found[] = [];
  let owner: { name: string; end: number; indent: number | undefined } | undefined;
  for (let n = 0; n < count; n++) {
    if (!isStatement(n)) continue;
    if (owner && n > owner.end) owner = undefined;
    const text = src.code[n].trim();
    const def = PY_DEF.exec(text);
    const cls = def ? undefined : PY_CLASS.exec(text);
    const name = def?.[1] ?? cls?.[1];
    if (!name) {
      // A module constant, its value continued over bracketed lines (`PATH = (\n ROOT / "x"\n)`).
      const assigned = indent(n) === 0 ? PY_ASSIGNMENT.exec(text)?.[1] : undefined;
      if (assigned) found.push({ name: assigned, kind: 'variable', start: n, end: blockEnd(n) });
      continue;
    }
    if (indent(n) === 0) {
      const end = blockEnd(n);
      found.push({ name, kind: def ? 'function' : 'class', start: decoratorsAbove(n), end });
      owner = cls ? { name, end, indent: bodyIndent(n, end) } : undefined;
    } else if (owner && def && indent(n) === owner.indent) {
      found.push({ name: `${owner.name}.${name}`, kind: 'method', start: decoratorsAbove(n), end: blockEnd(n) });
    }
  }
  return { src, found };
}

// ---------------------------------------------------------------------------
// YAML: documents by `kind/metadata.name`, plain keys elsewhere

const isYamlComment = (trimmed: string): boolean => trimmed.startsWith('#') || /^\{\{-?\s*\/\*/.test(trimmed);
const isSeparator = (line: string): boolean => /^(?:---|\.\.\.)(?:\s|$)/.test(line);
/** Helm control lines (`{{- if … }}`) are content but not structure. */
const isTemplateLine = (trimmed: string): boolean => trimmed.startsWith('{{');

/** `key: value` at the start of `text`; undefined for list items, flow collections and templates. */
function yamlKey(text: string): { key: string; value: string } | undefined {
  if (text === '' || '#-[{|>!&*%@`'.includes(text[0])) return undefined;
  let i = 0;
  let key: string;
  if (text[0] === '"' || text[0] === "'") {
    const close = text.indexOf(text[0], 1);
    if (close < 0) return undefined;
    key = text.slice(1, close);
    i = close + 1;
    while (text[i] === ' ') i++;
    if (text[i] !== ':') return undefined;
  } else {
    while (i < text.length && !(text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' ' || text[i + 1] === '\t'))) {
      if (text[i] === '#' && text[i - 1] === ' ') return undefined;
      i++;
    }
    if (i >= text.length) return undefined;
    key = text.slice(0, i).trim();
  }
  if (key === '' || key.includes('{{')) return undefined;
  return { key, value: scalarOf(text.slice(i + 1)) };
}

/** A scalar as written: quotes and trailing comment removed. */
function scalarOf(text: string): string {
  const value = text.trim();
  if (value[0] === '"' || value[0] === "'") {
    const close = value.indexOf(value[0], 1);
    return close < 0 ? value.slice(1) : value.slice(1, close);
  }
  const comment = value.search(/\s#/);
  return (comment < 0 ? value : value.slice(0, comment)).trim();
}

/** `{{ .Release.Name }}-web` → `web`; a fully templated name → undefined. */
function objectName(value: string): string | undefined {
  let text = '';
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf('{{', i);
    if (open < 0) {
      text += value.slice(i);
      break;
    }
    text += value.slice(i, open);
    const close = value.indexOf('}}', open + 2);
    i = close < 0 ? value.length : close + 2;
  }
  const name = text.trim().replace(/^["'.\-]+|["'.\-]+$/g, '');
  return name === '' || /\s/.test(name) ? undefined : name;
}

/** `name` under top-level `metadata`, block or flow style. */
function metadataName(raw: string[], line: number, value: string, to: number): string | undefined {
  if (value.startsWith('{')) {
    const flow = /[{,\s]name\s*:\s*([^,}]+)/.exec(value);
    return flow ? objectName(scalarOf(flow[1])) : undefined;
  }
  let childIndent: number | undefined;
  for (let n = line + 1; n <= to; n++) {
    const trimmed = raw[n].trim();
    if (trimmed === '' || isYamlComment(trimmed) || isTemplateLine(trimmed)) continue;
    const indent = indentOf(raw[n]);
    if (indent === 0) return undefined;
    childIndent ??= indent;
    if (indent !== childIndent) continue;
    const entry = yamlKey(trimmed);
    if (entry?.key === 'name') return objectName(entry.value);
  }
  return undefined;
}

/** Lines (`from..to`) that carry structure: keys at some indent, not comments or templates. */
function structuralLines(src: Source, from: number, to: number): number[] {
  const lines: number[] = [];
  for (let n = from; n <= to; n++) {
    const trimmed = src.raw[n].trim();
    if (trimmed !== '' && !src.quiet[n] && !isTemplateLine(trimmed)) lines.push(n);
  }
  return lines;
}

/**
 * Keys at the indent of `lines[0]`, each running to the last content line
 * before the next key at that indent or less; `depth` more levels below them.
 */
function keyBlocks(src: Source, lines: number[], to: number, prefix: string, depth: number): Found[] {
  if (lines.length === 0) return [];
  const indent = indentOf(src.raw[lines[0]]);
  const found: Found[] = [];
  let k = 0;
  while (k < lines.length) {
    const n = lines[k];
    let j = k + 1;
    while (j < lines.length && indentOf(src.raw[lines[j]]) > indent) j++;
    const entry = indentOf(src.raw[n]) === indent ? yamlKey(src.raw[n].trim()) : undefined;
    if (entry) {
      const end = lastContent(src, n, j < lines.length ? lines[j] - 1 : to);
      found.push({ name: prefix + entry.key, kind: 'key', start: n, end });
      if (depth > 0) found.push(...keyBlocks(src, lines.slice(k + 1, j), end, `${prefix}${entry.key}.`, depth - 1));
    }
    k = j;
  }
  return found;
}

function yamlDocument(src: Source, from: number, to: number): Found[] {
  let start = -1;
  for (let n = from; n <= to && start < 0; n++) if (hasContent(src, n)) start = n;
  if (start < 0) return [];
  const end = lastContent(src, start, to);
  const lines = structuralLines(src, start, end);
  const top = lines.filter((n) => indentOf(src.raw[n]) === 0);
  let kind: string | undefined;
  let name: string | undefined;
  for (const n of top) {
    const entry = yamlKey(src.raw[n].trim());
    if (entry?.key === 'kind' && /^[A-Za-z][\w.-]*$/.test(entry.value)) kind = entry.value;
    if (entry?.key === 'metadata') name = metadataName(src.raw, n, entry.value, end);
  }
  if (kind) return [{ name: name ? `${kind}/${name}` : kind, kind: 'document', start, end }];
  // No Kubernetes object: top-level keys and their children (`jobs.deploy`, `services.web`).
  return keyBlocks(src, top.length > 0 ? lines.slice(lines.indexOf(top[0])) : [], end, '', 1);
}

function yamlSymbols(raw: string[]): { src: Source; found: Found[] } {
  const src: Source = { ...plainSource(raw, isYamlComment), separators: true };
  const found: Found[] = [];
  let from = 0;
  for (let n = 0; n <= raw.length; n++) {
    if (n < raw.length && !isSeparator(raw[n])) continue;
    found.push(...yamlDocument(src, from, n - 1));
    from = n + 1;
  }
  return { src, found };
}

// ---------------------------------------------------------------------------
// Dockerfile stages and Makefile targets

function dockerfileSymbols(raw: string[]): { src: Source; found: Found[] } {
  const src = plainSource(raw, (trimmed) => trimmed.startsWith('#'));
  const stages: { name: string | undefined; line: number }[] = [];
  raw.forEach((line, n) => {
    const from = /^\s*FROM\s+(?:--\S+\s+)*\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1], line: n });
  });
  const found = stages.flatMap((stage, k) => {
    if (!stage.name) return [];
    const limit = k + 1 < stages.length ? stages[k + 1].line - 1 : raw.length - 1;
    return [{ name: stage.name, kind: 'stage', start: stage.line, end: lastContent(src, stage.line, limit) }];
  });
  return { src, found };
}

/** `deploy rollback: build` → `deploy`, `rollback`; not variables (`X := y`) or special targets. */
function makeTargets(line: string): string[] {
  if (line === '' || line[0] === '\t' || line[0] === ' ' || line[0] === '#') return [];
  const colon = line.indexOf(':');
  if (colon <= 0 || line[colon + 1] === '=' || /[=$(]/.test(line.slice(0, colon))) return [];
  return line
    .slice(0, colon)
    .split(/\s+/)
    .filter((target) => target !== '' && !target.startsWith('.') && !target.includes('%'));
}

function makefileSymbols(raw: string[]): { src: Source; found: Found[] } {
  const src = plainSource(raw, (trimmed) => trimmed.startsWith('#'));
  const found: Found[] = [];
  for (let n = 0; n < raw.length; n++) {
    const targets = makeTargets(raw[n]);
    if (targets.length === 0) continue;
    let end = n;
    for (let m = n + 1; m < raw.length; m++) {
      const line = raw[m];
      if (line.startsWith('\t') || raw[m - 1].trimEnd().endsWith('\\')) end = m;
      else if (!isBlank(line) && !line.trim().startsWith('#')) break;
    }
    for (const name of targets) found.push({ name, kind: 'target', start: n, end });
  }
  return { src, found };
}

// ---------------------------------------------------------------------------
// Public API

type Family = (raw: string[], path: string) => { src: Source; found: Found[] };

const FAMILIES: Record<string, Family> = {
  hcl: hclSymbols,
  yaml: yamlSymbols,
  shell: shellSymbols,
  typescript: tsSymbols,
  javascript: tsSymbols,
  python: pythonSymbols,
  go: goSymbols,
  dockerfile: dockerfileSymbols,
  makefile: makefileSymbols,
};

/** Languages whose anchors are element ids or headings, never symbols. */
const DOCUMENT_LANGUAGES = new Set(['markdown', 'mdx', 'html', 'xml']);

function safeLanguage(path: string): string {
  return languageOf(typeof path === 'string' ? path : '');
}

/** Whether Waymark can list the symbols of this file. */
export function supportsSymbols(path: string): boolean {
  return safeLanguage(path) in FAMILIES;
}

/** TS overload signatures and Python `@overload` stubs join the implementation that follows. */
function mergeOverloads(src: Source, blocks: Found[]): Found[] {
  const merged: Found[] = [];
  for (const block of blocks) {
    const prev = merged[merged.length - 1];
    const joinable =
      prev !== undefined &&
      prev.name === block.name &&
      prev.kind === block.kind &&
      (block.kind === 'function' || block.kind === 'method') &&
      prev.end < block.start &&
      src.raw.slice(prev.end + 1, block.start).every((line, k) => isBlank(line) || src.quiet[prev.end + 1 + k]);
    if (joinable) prev.end = block.end;
    else merged.push({ ...block });
  }
  return merged;
}

function leadStart(src: Source, start: number): number | undefined {
  let n = start - 1;
  let separator = false;
  while (n >= 0) {
    if (src.quiet[n]) n--;
    else if (!separator && src.separators && isSeparator(src.raw[n])) {
      separator = true; // YAML: the `---` opening this document
      n--;
    } else break;
  }
  return n + 1 < start ? n + 1 : undefined;
}

function tailEnd(src: Source, end: number): number | undefined {
  let n = end + 1;
  while (n < src.raw.length && isBlank(src.raw[n])) n++;
  return n - 1 > end ? n - 1 : undefined;
}

function finish(src: Source, found: Found[]): SymbolBlock[] {
  const sorted = found
    .filter((block) => block.name !== '' && block.end >= block.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // Blocks sharing a start (Makefile `a b:`) share the comment run above it: walk it once.
  const leads = new Map<number, number | undefined>();
  return mergeOverloads(src, sorted).map((block) => {
    const symbol: SymbolBlock = { name: block.name, kind: block.kind, start: block.start + 1, end: block.end + 1 };
    if (!leads.has(block.start)) leads.set(block.start, leadStart(src, block.start));
    const lead = leads.get(block.start);
    const tail = tailEnd(src, block.end);
    if (lead !== undefined) symbol.leadStart = lead + 1;
    if (tail !== undefined) symbol.tailEnd = tail + 1;
    return symbol;
  });
}

/**
 * Every named block of a file, ordered by start line (outer blocks first).
 *
 * @example
 * findSymbols('infra/lb.tf', 'resource "aws_lb" "main" {\n  name = "x"\n}\n')
 * // → [{ name: 'aws_lb.main', kind: 'resource', start: 1, end: 3 }]
 */
export function findSymbols(path: string, text: string): SymbolBlock[] {
  const family = FAMILIES[safeLanguage(path)];
  if (!family || typeof text !== 'string') return [];
  try {
    const { src, found } = family(realLines(text), path);
    return finish(src, found);
  } catch {
    // A scanner bug must cost one file its symbols, never the whole run.
    return [];
  }
}

/** `resource.aws_lb.main`, `aws_instance.web[0]`, `module.x["a"]`, `var.region` → the address a block is listed under. */
function terraformAddress(symbol: string): string {
  let address = symbol;
  while (address.endsWith(']')) {
    const open = address.lastIndexOf('[');
    if (open <= 0) break;
    address = address.slice(0, open);
  }
  if (address.startsWith('resource.')) address = address.slice('resource.'.length);
  if (address.startsWith('var.')) address = `variable.${address.slice('var.'.length)}`;
  return address;
}

/** The block a symbol names in an already computed table: exact, case-sensitive. */
export function matchSymbol(path: string, blocks: readonly SymbolBlock[], symbol: string): SymbolBlock | undefined {
  const wanted = typeof symbol === 'string' ? symbol.trim() : '';
  if (wanted === '' || !Array.isArray(blocks)) return undefined;
  const exact = blocks.find((block) => block.name === wanted);
  if (exact) return exact;
  const language = safeLanguage(path);
  if (language === 'hcl') {
    const address = terraformAddress(wanted);
    return address === wanted ? undefined : blocks.find((block) => block.name === address);
  }
  if (language === 'yaml' && !wanted.includes('/')) {
    // `Deployment` alone names the file's only Deployment.
    const documents = blocks.filter((block) => block.kind === 'document' && block.name.startsWith(`${wanted}/`));
    return documents.length === 1 ? documents[0] : undefined;
  }
  return undefined;
}

/** The block `symbol` names in `text`, or undefined. */
export function resolveSymbol(path: string, text: string, symbol: string): SymbolBlock | undefined {
  return matchSymbol(path, findSymbols(path, text), symbol);
}

const LINE_ANCHOR = /^L\d+(?:C\d+)?(?:-L?\d+(?:C\d+)?)?$/;

/** Whether `#anchor` on this file names a symbol: any anchor on a code file but the `L12-L48` line form. */
export function isSymbolAnchor(path: string, anchor: string | undefined): boolean {
  if (typeof anchor !== 'string' || anchor.trim() === '') return false;
  if (DOCUMENT_LANGUAGES.has(safeLanguage(path))) return false;
  return !LINE_ANCHOR.test(anchor.trim());
}


const lastSegment = (name: string): string => name.slice(Math.max(name.lastIndexOf('.'), name.lastIndexOf('/')) + 1);

/** Up to three names close to `symbol`, for "did you mean". */
export function similarSymbols(path: string, blocks: readonly SymbolBlock[], symbol: string): string[] {
  const raw = typeof symbol === 'string' ? symbol.trim() : '';
  if (raw === '' || !Array.isArray(blocks)) return [];
  const wanted = (safeLanguage(path) === 'hcl' ? terraformAddress(raw) : raw).toLowerCase();
  const cap = Math.max(2, Math.floor(wanted.length / 3));
  const scored = new Map<string, number>();
  for (const block of blocks) {
    if (scored.has(block.name)) continue;
    const name = block.name.toLowerCase();
    let score = wanted.length <= 128 && name.length <= 128 ? editDistanceWithin(wanted, name, cap) : cap + 1;
    if (lastSegment(name) === lastSegment(wanted)) score = Math.min(score, 2);
    else if (wanted.length >= 4 && (name.includes(wanted) || wanted.includes(name))) score = Math.min(score, 3);
    if (score <= cap) scored.set(block.name, score);
  }
  return [...scored]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([name]) => name);
}
