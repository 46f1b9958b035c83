/**
 * Parse the references in a tag value or a code-reference string (CONVENTIONS §2).
 * Pure: knows nothing about which files exist.
 *
 * One left-to-right scan splits the value into tokens at whitespace and
 * separators, and each token is classified on its own. Every character is
 * looked at a bounded number of times and regular expressions only run on
 * bounded slices (one token, or a fixed-shape phrase after a path), so a
 * hostile 100k-character value costs linear time.
 *
 * Invariant: `value.slice(ref.offset, ref.offset + ref.raw.length) === ref.raw`.
 */
import type { LineRange, ParsedReference } from '../schema.ts';

export interface ParseReferenceOptions {
  /** Regex source for ID references; default matches TASK-001, GAP-007, BUG_0007, ADR-0043, WORKFLOW_011. */
  idPattern?: string;
}

/** The default ID pattern, matched against a whole token. */
export const DEFAULT_ID_PATTERN = '[A-Z][A-Z0-9]*[-_][0-9]+';

/** `-` or `_` before a digit: the end of every default id (searched from `lastIndex`). */
const SEPARATED_DIGIT = /[-_][0-9]/g;

/**
 * False only when `value` cannot hold an id: every default id is an upper-case
 * letter, letters and digits, then `-` or `_` before a digit (`[A-Z][A-Z0-9]*[-_][0-9]`),
 * so some `-` or `_` before a digit ends a run of upper-case letters and digits
 * with a letter in it (dates such as `2025-11-28` end none). Each run is looked at
 * once, so this is linear. A configured pattern could match anything, so it always says maybe.
 */
export function mayContainId(value: string, idPattern?: string): boolean {
  if (idPattern !== undefined) return true;
  SEPARATED_DIGIT.lastIndex = 0;
  for (let match = SEPARATED_DIGIT.exec(value); match !== null; match = SEPARATED_DIGIT.exec(value)) {
    for (let i = match.index - 1; i >= 0; i--) {
      const code = value.charCodeAt(i);
      if (code >= 65 && code <= 90) return true; // A-Z
      if (code < 48 || code > 57) break; // not 0-9: the run ends
    }
  }
  return false;
}

/** Tokens longer than this are never references (and are not worth a regex). */
const MAX_TOKEN = 4096;
const MAX_ID = 100;

/**
 * Every reference in `value`, in order, with `offset` relative to `value`.
 *
 * @example
 * parseReferences('`infra/lb.tf:12-48`, docs/a.md#rollback & TASK-001')
 * // → path infra/lb.tf lines 12-48, path docs/a.md anchor rollback, id TASK-001
 */
export function parseReferences(value: string, options: ParseReferenceOptions = {}): ParsedReference[] {
  if (typeof value !== 'string' || value === '') return [];
  try {
    return scanValue(value, idMatcher(options.idPattern));
  } catch {
    // Parsing must never take a check down; an unreadable value has no references.
    return [];
  }
}

/**
 * One markdown link target (the `url` of `[text](url)`), e.g. from a markdown
 * AST. Unlike bare text, any relative target counts, and `#anchor` alone is a
 * reference to the same document (`path: ''`).
 */
export function parseLinkTarget(target: string, offset = 0): ParsedReference | undefined {
  if (typeof target !== 'string') return undefined;
  try {
    return classifyLinkTarget(target, offset);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Scanner

/** Characters that end a token and never start one (outside in-path groups). */
const BOUNDARY = new Set([',', ';', '&', '`', '"', "'", '(', ')', '[', ']', '|']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v' || ch === '\u00a0' || /\s/.test(ch);
}

function scanValue(value: string, ids: IdMatcher): ParsedReference[] {
  const refs: ParsedReference[] = [];
  let i = 0;
  while (i < value.length) {
    const ch = value[i];
    if (ch === '[') {
      const link = readMarkdownLink(value, i);
      if (link) {
        const ref = classifyLinkTarget(link.target, link.targetStart);
        if (ref) refs.push(ref);
        i = link.end;
      } else {
        i += 1;
      }
      continue;
    }
    if (ch === '`') {
      const spaced = readSpacedPath(value, i);
      if (spaced) {
        refs.push(spaced.ref);
        i = spaced.end;
        continue;
      }
    }
    if (isSpace(ch) || BOUNDARY.has(ch)) {
      i += 1;
      continue;
    }
    if (startsWithHttp(value, i)) {
      const url = readUrl(value, i);
      if (url) refs.push(url.ref);
      i = url ? url.end : skipNonSpace(value, i);
      continue;
    }
    const end = readTokenEnd(value, i);
    const ref = classifyToken(value.slice(i, end), i, ids);
    if (ref) {
      const full = ref.kind === 'path' || ref.kind === 'glob' ? attachPhrases(value, ref) : ref;
      refs.push(full);
      i = Math.max(end, full.offset + full.raw.length);
      if (full.kind === 'path' && full.lines && /[:#]L?\d{1,9}(?:[-–—]L?\d{1,9})?$/.test(full.raw)) {
        const more = readLineList(value, i, full.path ?? '');
        refs.push(...more);
        if (more.length > 0) i = more[more.length - 1].offset + more[more.length - 1].raw.length;
      }
    } else {
      i = end;
    }
  }
  return refs;
}

/** Longest code span read as one spaced path: a file name, not a paragraph. */
const MAX_SPACED_PATH = 300;

/**
 * `` `docs/plans/DMF Vendor Vision 2026-05-29.md` ``: a code span that holds one path with spaces in its
 * names, read whole (split at the spaces it named `docs/plans/DMF` and `2026-05-29.md`, neither a file).
 * Only when the span's first word is a folder path without an extension and its last segment is a file
 * name: `docs/a.md Section 2` and `scripts/run.sh --dry-run` keep their words. Bounded: one line, at most
 * `MAX_SPACED_PATH` characters looked at from the backtick.
 */
function readSpacedPath(value: string, open: number): { ref: ParsedReference; end: number } | undefined {
  const limit = Math.min(value.length, open + 1 + MAX_SPACED_PATH);
  let close = open + 1;
  while (close < limit && value[close] !== '`' && value[close] !== '\n') close++;
  if (close >= limit || value[close] !== '`') return undefined;
  const ref = parseSpacedPath(value.slice(open + 1, close), open + 1);
  return ref ? { ref, end: close + 1 } : undefined;
}

/** The code span's content as one path with spaces in its names (see `readSpacedPath`), or undefined. */
export function parseSpacedPath(content: string, offset = 0): ParsedReference | undefined {
  const space = content.indexOf(' ');
  if (space <= 0 || content.length > MAX_SPACED_PATH || content !== content.trim() || content.includes('\n')) return undefined;
  const first = content.slice(0, space);
  const name = content.slice(content.lastIndexOf('/') + 1);
  if (!first.includes('/') || extensionOf(first.slice(first.lastIndexOf('/') + 1)) || !extensionOf(name)) return undefined;
  const ref = classifyLinkTarget(content, offset);
  return ref?.kind === 'path' ? ref : undefined;
}

const LINE_LIST_ITEM = /[ \t]{0,3},[ \t]{0,3}L?(\d{1,9})(?:[-–—]L?(\d{1,9}))?(?![\w.:/%])/y;

/**
 * `theme.css:212, 230, 240-245`: the numbers after a path's line spec cite
 * the same file, each its own reference (raw = the number as written).
 */
function readLineList(value: string, from: number, path: string): ParsedReference[] {
  const items: ParsedReference[] = [];
  let at = from;
  for (let count = 0; count < 64; count++) {
    LINE_LIST_ITEM.lastIndex = at;
    const match = LINE_LIST_ITEM.exec(value);
    if (!match) break;
    const lines = withLines({ path }, match[1], match[2]).lines;
    const raw = match[0].slice(match[0].search(/L?\d/));
    const offset = at + match[0].length - raw.length;
    if (lines) items.push({ raw, kind: 'path', path, lines, offset });
    at += match[0].length;
  }
  return items;
}

function skipNonSpace(value: string, i: number): number {
  let j = i;
  while (j < value.length && !isSpace(value[j])) j++;
  return j;
}

/**
 * End of the token starting at `start`. Commas inside `{a,b}` belong to a glob;
 * `(…)` and `[…]` right after a slash belong to a path (Next.js `app/(auth)/[id]/page.tsx`).
 */
function readTokenEnd(value: string, start: number): number {
  let braces = 0;
  let groups = 0;
  let j = start;
  for (; j < value.length; j++) {
    const ch = value[j];
    if (isSpace(ch)) break;
    if (ch === '{') braces++;
    else if (ch === '}') braces = Math.max(0, braces - 1);
    else if (ch === ',') {
      if (braces === 0) break;
    } else if (ch === '(' || ch === '[') {
      if (groups === 0 && value[j - 1] !== '/') break;
      groups++;
    } else if (ch === ')' || ch === ']') {
      if (groups === 0) break;
      groups--;
    } else if (BOUNDARY.has(ch)) break;
  }
  return Math.max(j, start + 1);
}

function startsWithHttp(value: string, i: number): boolean {
  const head = value.slice(i, i + 8).toLowerCase();
  return head.startsWith('http://') || head.startsWith('https://');
}

const URL_STOP = new Set(['`', '"', "'", '<', '>', '|']);

/** A bare URL: up to whitespace, minus trailing punctuation and unbalanced closers (`(see https://x.io/a).`). */
function readUrl(value: string, start: number): { ref: ParsedReference; end: number } | undefined {
  let end = start;
  let open = 0;
  let close = 0;
  while (end < value.length && !isSpace(value[end]) && !URL_STOP.has(value[end])) {
    if (value[end] === '(') open++;
    else if (value[end] === ')') close++;
    end++;
  }
  while (end > start) {
    const last = value[end - 1];
    if ('.,;:!?*'.includes(last)) end--;
    else if (last === ')' && close > open) {
      close--;
      end--;
    } else if (last === ']') end--;
    else break;
  }
  const url = value.slice(start, end);
  if (url.length > MAX_TOKEN || !/^https?:\/\/[^/]/i.test(url)) return undefined;
  return { ref: { raw: url, kind: 'url', url, offset: start }, end };
}

/**
 * `[text](target)` starting at `open`. The text scan stops at the next `[`, `]`
 * or newline, so scans from different `[` never overlap (linear on `[[[[…`).
 */
function readMarkdownLink(value: string, open: number): { target: string; targetStart: number; end: number } | undefined {
  let j = open + 1;
  while (j < value.length && value[j] !== ']' && value[j] !== '[' && value[j] !== '\n') j++;
  if (value[j] !== ']' || value[j + 1] !== '(') return undefined;
  let k = j + 2;
  while (k < value.length && (value[k] === ' ' || value[k] === '\t')) k++;
  let targetStart = k;
  let targetEnd: number;
  if (value[k] === '<') {
    // `[a](<docs/my file.md>)`: angle brackets allow spaces.
    targetStart = k + 1;
    targetEnd = targetStart;
    while (targetEnd < value.length && value[targetEnd] !== '>' && value[targetEnd] !== '\n') targetEnd++;
    k = Math.min(value.length, targetEnd + 1);
  } else {
    let depth = 0;
    targetEnd = k;
    for (; targetEnd < value.length && !isSpace(value[targetEnd]); targetEnd++) {
      if (value[targetEnd] === '(') depth++;
      else if (value[targetEnd] === ')') {
        if (depth === 0) break;
        depth--;
      }
    }
    k = targetEnd;
  }
  const end = skipLinkTitle(value, k);
  return { target: value.slice(targetStart, targetEnd), targetStart, end };
}

/** Past an optional `"title"` and the closing `)`; lenient when the `)` is missing. */
function skipLinkTitle(value: string, from: number): number {
  let k = from;
  while (k < value.length && (value[k] === ' ' || value[k] === '\t')) k++;
  const quote = value[k];
  if (quote === '"' || quote === "'") {
    let q = k + 1;
    while (q < value.length && value[q] !== quote && value[q] !== '\n') q++;
    if (value[q] === quote) k = q + 1;
    while (k < value.length && (value[k] === ' ' || value[k] === '\t')) k++;
  }
  return value[k] === ')' ? k + 1 : from;
}

// ---------------------------------------------------------------------------
// Token classification

interface IdMatcher {
  test(token: string): boolean;
}

/**
 * Version and encoding names that fit the default ID shape but are never task
 * ids (`UTF-8`, `SHA-256`, `ISO-8601`). Only applied to the default pattern.
 */
const NOT_ID_PREFIXES = new Set([
  'AES', 'CP', 'COVID', 'DES', 'ECMA', 'ES', 'GMT', 'HTTP', 'IPV4', 'IPV6', 'ISO', 'MD', 'PEP', 'RFC', 'RSA', 'SHA', 'SSL',
  'TLS', 'UCS', 'UTC', 'UTF', 'WIN', 'X',
]);

const idMatchers = new Map<string, IdMatcher>();

function idMatcher(pattern: string | undefined): IdMatcher {
  const key = pattern ?? '';
  const cached = idMatchers.get(key);
  if (cached) return cached;
  let matcher: IdMatcher;
  let regex: RegExp | undefined;
  if (pattern !== undefined) {
    try {
      regex = new RegExp(`^(?:${pattern})$`);
    } catch {
      regex = undefined; // An invalid configured pattern falls back to the default rather than crash.
    }
  }
  if (regex) {
    const custom = regex;
    matcher = { test: (token) => token.length <= MAX_ID && custom.test(token) };
  } else {
    const standard = new RegExp(`^(?:${DEFAULT_ID_PATTERN})$`);
    matcher = {
      test: (token) => token.length <= MAX_ID && standard.test(token) && !NOT_ID_PREFIXES.has(token.split(/[-_]/)[0]),
    };
  }
  if (idMatchers.size > 32) idMatchers.clear();
  idMatchers.set(key, matcher);
  return matcher;
}

function classifyToken(token: string, offset: number, ids: IdMatcher): ParsedReference | undefined {
  if (token.length > MAX_TOKEN) return undefined;
  const trimmed = trimToken(token);
  if (!trimmed) return undefined;
  const text = trimmed.text;
  const at = offset + trimmed.start;
  if (/^https?:\/\//i.test(text)) {
    // `<https://…>` autolink, unwrapped by trimToken.
    return /^https?:\/\/[^/]/i.test(text) ? { raw: text, kind: 'url', url: text, offset: at } : undefined;
  }
  if (text.includes('://')) return undefined;
  // `#123` is an issue or an id (when the pattern says so), never a path.
  if (!text.startsWith('#') && !looksLikePlaceholder(text)) {
    const target = splitTarget(text);
    if (target && isPathLike(target.path, target.lines !== undefined || target.anchor !== undefined)) {
      return buildPathReference(text, at, target);
    }
  }
  if (ids.test(text)) return { raw: text, kind: 'id', identifier: text, offset: at };
  return undefined;
}

/**
 * Drop what surrounds a reference in prose: sentence punctuation
 * (`see docs/a.md.`), markdown emphasis (`**TASK-001**`) and autolink
 * brackets (`<docs/a.md>`).
 */
function trimToken(token: string): { text: string; start: number } | undefined {
  let start = 0;
  let end = token.length;
  const stripTrailing = () => {
    while (end > start && '.:;!?'.includes(token[end - 1])) end--;
  };
  stripTrailing();
  let stars = 0;
  while (stars < 3 && token[start + stars] === '*') stars++;
  if (stars > 0 && end - start > 2 * stars && token.slice(end - stars, end) === '*'.repeat(stars)) {
    const inner = token.slice(start + stars, end - stars);
    if (!inner.includes('*')) {
      start += stars;
      end -= stars;
      stripTrailing();
    }
  }
  // The closing half of emphasis the token started before: `**docs/a.md** §2` re-read from `docs/a.md** §2`.
  if (stars === 0) {
    let closing = 0;
    while (closing < 3 && token[end - 1 - closing] === '*') closing++;
    const before = token[end - 1 - closing] ?? '';
    if (closing > 0 && /[\w)\]]/.test(before) && !token.slice(start, end - closing).includes('*')) {
      end -= closing;
      stripTrailing();
    }
  }
  if (token[start] === '<' && token[end - 1] === '>' && end - start > 2) {
    start += 1;
    end -= 1;
  }
  return end > start ? { text: token.slice(start, end), start } : undefined;
}

interface TargetParts {
  path: string;
  anchor?: string;
  lines?: LineRange;
}

const HASH_LINES = /^L(\d{1,9})(?:[-–—]L?(\d{1,9}))?$/;
const COLON_LINES = /^L?(\d{1,9})(?:[-–—]L?(\d{1,9}))?(?::\d{1,9})?$/;

/**
 * `path#anchor`, `path#L12-L48`, `path:12`, `path:12-48`. Anything else after a
 * colon is not a line spec (`file.tf:line-range`, `localhost:8080`): undefined.
 */
function splitTarget(text: string): TargetParts | undefined {
  const hash = text.indexOf('#');
  const colon = text.indexOf(':');
  const cut = hash >= 0 && (colon < 0 || hash < colon) ? hash : colon;
  if (cut < 0) return { path: text };
  const path = text.slice(0, cut);
  const rest = text.slice(cut + 1);
  if (cut === hash) {
    const lines = HASH_LINES.exec(rest);
    if (lines) return withLines({ path }, lines[1], lines[2]);
    return rest ? { path, anchor: rest } : { path };
  }
  const lines = COLON_LINES.exec(rest);
  return lines ? withLines({ path }, lines[1], lines[2]) : undefined;
}

/**
 * Line numbers as written. A reversed range (`:48-12`) is kept reversed so a
 * rule can report it; swapping would hide the typo and `{start, start}` would
 * lose it. Line 0 is not a line: the reference stays, without lines.
 */
function withLines(parts: TargetParts, start: string, end: string | undefined): TargetParts {
  const first = Number(start);
  const last = end === undefined ? first : Number(end);
  if (first < 1 || last < 1) return parts;
  return { ...parts, lines: { start: first, end: last } };
}

function buildPathReference(raw: string, offset: number, target: TargetParts): ParsedReference {
  const ref: ParsedReference = { raw, kind: isGlob(target.path) ? 'glob' : 'path', path: target.path, offset };
  if (target.anchor !== undefined) ref.anchor = target.anchor;
  if (target.lines) ref.lines = target.lines;
  return ref;
}

function isGlob(path: string): boolean {
  return path.includes('*') || path.includes('?') || hasBraceAlternation(path);
}

function hasBraceAlternation(path: string): boolean {
  let open = -1;
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '{') open = i;
    else if (path[i] === '}') open = -1;
    else if (path[i] === ',' && open >= 0) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// What counts as a path

const KNOWN_EXTENSIONS = new Set(
  (
    'tf tfvars tfstate hcl nomad yaml yml json jsonc json5 jsonnet libsonnet cue rego nix toml ini cfg conf cnf env properties ' +
    'sh bash zsh fish ksh ps1 psm1 psd1 bat cmd awk py pyi ipynb rb erb rake ts tsx mts cts js jsx mjs cjs vue svelte astro ' +
    'go mod sum rs java kt kts scala groovy gradle clj cljs edn ex exs erl hrl hs ml fs fsx cs vb csproj sln swift dart php ' +
    'pl pm lua c h cc cpp cxx hpp zig sol vy sql prisma graphql gql proto avsc md mdx markdown rst adoc asciidoc txt tex bib ' +
    'xml xsd xsl html htm css scss sass less styl hbs ejs pug njk liquid tpl tmpl gotmpl tftpl j2 jinja jinja2 template ' +
    'example sample dist service timer socket mount dockerfile containerfile nginx rules bicep pkr csv tsv lock log patch diff ' +
    'pem crt pub cer png jpg jpeg gif svg webp ico pdf drawio mermaid mmd puml plantuml dot excalidraw'
  ).split(' '),
);

/** Extensionless files everyone recognises by name. */
const WELL_KNOWN_NAMES = new Set([
  'Dockerfile', 'Containerfile', 'Makefile', 'makefile', 'GNUmakefile', 'Jenkinsfile', 'Procfile', 'Vagrantfile', 'Gemfile',
  'Rakefile', 'Brewfile', 'Podfile', 'Fastfile', 'Justfile', 'justfile', 'Tiltfile', 'Earthfile', 'Caddyfile', 'Berksfile',
  'Guardfile', 'Capfile', 'Pipfile', 'Snakefile', 'CODEOWNERS', 'OWNERS',
]);

const DOTFILES = new Set([
  '.env', '.gitignore', '.gitattributes', '.gitmodules', '.gitlab-ci.yml', '.dockerignore', '.editorconfig', '.npmrc',
  '.nvmrc', '.node-version', '.python-version', '.ruby-version', '.terraform-version', '.terraformrc', '.tool-versions',
  '.prettierrc', '.eslintrc', '.babelrc', '.htaccess', '.bashrc', '.zshrc', '.helmignore', '.pre-commit-config.yaml',
]);

/** `Next.js`, `Node.js` in prose are frameworks, not files (only when bare, without lines). */
const FRAMEWORK_NAMES = new Set([
  'next', 'node', 'vue', 'nuxt', 'react', 'express', 'chart', 'three', 'd3', 'ember', 'backbone', 'angular', 'nest', 'alpine',
  'moment', 'day', 'p5', 'socket', 'electron', 'deno', 'knockout', 'meteor', 'preact', 'solid', 'svelte', 'mithril', 'riot',
  'handlebars', 'highlight', 'pixi', 'babylon', 'leaflet', 'anime', 'video', 'phaser', 'brain', 'tensorflow', 'ml5',
]);

/** Slash pairs that are prose (`blue/green`, `and/or`), not two-segment paths. */
const PROSE_PAIRS = new Set(
  (
    'and/or either/or blue/green red/black read/write input/output yes/no on/off true/false client/server start/stop ' +
    'enable/disable allow/deny get/set push/pull pros/cons pass/fail success/failure min/max up/down open/close before/after ' +
    'add/remove create/update import/export upload/download he/she his/her him/her login/logout primary/secondary ' +
    'active/passive leader/follower dev/prod staging/prod staging/production dev/staging request/response send/receive ' +
    'encode/decode encrypt/decrypt build/deploy backup/restore install/uninstall'
  ).split(' '),
);

/** Top-level domains: `github.com/org/repo` and `gopkg.in/yaml.v3` are addresses, not repository paths. */
const DOMAIN_ENDINGS = new Set(
  'com org net io dev app co gov edu cloud ai me us uk de eu info biz xyz tech site page so gg ly to cc tv fm in sh'.split(' '),
);

/** `tsx` for `App.tsx`, lower-cased; undefined for `Makefile` or `.env`. */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/** A name that is a file by itself: known extension, build-file name or dotfile. */
export function isFileName(name: string): boolean {
  const ext = extensionOf(name);
  if (ext !== undefined && KNOWN_EXTENSIONS.has(ext)) return true;
  if (WELL_KNOWN_NAMES.has(name) || name.startsWith('Dockerfile') || name.startsWith('Containerfile')) return true;
  return DOTFILES.has(name) || name.startsWith('.env.');
}

function isDomain(segment: string): boolean {
  if (!/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(segment)) return false;
  return DOMAIN_ENDINGS.has(segment.slice(segment.lastIndexOf('.') + 1).toLowerCase());
}

/**
 * A path-like token counts only with a slash or a file-like name
 * (CONVENTIONS §2): `127.0.0.1`, `23`, `Type.Member` and plain words do not.
 * Slashes alone are weaker evidence, so common prose and address shapes are
 * excluded (`CI/CD`, `blue/green`, `10.0.0.0/16`, `/api/v1/users`, `@scope/pkg`).
 */
function isPathLike(path: string, hasSpec: boolean): boolean {
  // `~/.bashrc` is the user's home and backslash paths are another machine's: neither is in the repository.
  if (path === '' || path.includes('//') || path.includes('\\') || path.startsWith('~')) return false;
  const segments = path.split('/');
  const named = segments.filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (named.length === 0) return false;
  if (!named.every((segment) => /[\p{L}\p{N}*?_]/u.test(segment))) return false;
  if (/^[\d./:-]+$/.test(path)) return false;
  const hasSlash = segments.length > 1;
  if (hasSlash && isDomain(segments[0])) return false;
  // `10.7287/peerj.preprints.3190v2`: a DOI names a paper, whatever its suffix looks like.
  if (hasSlash && /^10\.\d{4,9}$/.test(segments[0])) return false;
  const base = segments[segments.length - 1];
  if (isFileName(base) || isGlobFileName(base)) {
    if (!hasSlash && !hasSpec && isFrameworkName(base)) return false;
    return true;
  }
  if (!hasSlash) return false;
  if (path.startsWith('/') || path.startsWith('@')) return false;
  if (segments.length === 2 && base !== '' && isProsePair(segments[0], base)) return false;
  // `§4/§5`: section signs are prose.
  if (path.includes('§')) return false;
  return true;
}

/** `*.tf`, `0036-*.md`: a glob whose last segment still ends in a known extension. */
function isGlobFileName(base: string): boolean {
  const ext = extensionOf(base);
  return ext !== undefined && (KNOWN_EXTENSIONS.has(ext) || /^\{[a-z0-9,]+\}$/.test(ext));
}

function isFrameworkName(base: string): boolean {
  const ext = extensionOf(base);
  return (ext === 'js' || ext === 'ts') && FRAMEWORK_NAMES.has(base.slice(0, base.lastIndexOf('.')).toLowerCase());
}

function isProsePair(first: string, second: string): boolean {
  if (first.length <= 1 || second.length <= 1) return true; // I/O, w/o, n/a, req/s
  if (/^[A-Z0-9]+$/.test(first) && /^[A-Z0-9]+$/.test(second)) return true; // CI/CD, TCP/UDP
  if (/^[A-Z][A-Za-z]+$/.test(first) && /^[A-Z][A-Za-z]+$/.test(second)) return true; // Blue/Green, EtherNet/IP
  if (/^[a-z]+[A-Z][A-Za-z]*$/.test(first) && /^[a-z]+[A-Z][A-Za-z]*$/.test(second)) return true; // colorFrom/colorTo: two keys
  if (PER_UNITS.has(second.toLowerCase())) return true; // pts/sec, req/min
  return PROSE_PAIRS.has(`${first}/${second}`.toLowerCase());
}

/** Units after a slash in a rate (`pts/sec`, `msgs/hour`): prose, not a folder. */
const PER_UNITS = new Set('sec secs second seconds min mins minute minutes hr hrs hour hours day days week month year ms ns us op ops'.split(' '));

// ---------------------------------------------------------------------------
// Placeholders (CONVENTIONS §5)

const PLACEHOLDER_TEXT = /\{\{|\}\}|\$\{|[<>…]|YYYY|MM-DD|XXX|(?:^|\/)path\/to(?:\/|$)|(?:^|\/)\.\.\.+(?:\/|$)/;

/**
 * Template text: `{{x}}`, `<name>`, `path/to/file`, `reports/YYYY-MM-DD.md`,
 * `docs/…`, `{name}` (a brace without alternatives), `[Process Name]` inside a
 * path. Next.js segments (`[id]`, `[...slug]`, `(auth)`) are not placeholders.
 */
function looksLikePlaceholder(text: string): boolean {
  if (PLACEHOLDER_TEXT.test(text)) return true;
  if (hasPlaceholderWord(text)) return true;
  return !groupsAreReal(text);
}

/** Words that only a placeholder holds: `feature-xyz-prd.txt`, `THE_NAME_YOU_WANT.yaml`, `your-service.tf`. */
const PLACEHOLDER_WORDS = new Set(['xyz', 'xxx', 'your', 'yours', 'placeholder']);

/**
 * What a text needs to hold for {@link hasPlaceholderWord}: one of the words (`your` for `yours`,
 * `YOU` in capitals) or the letters of `case` with only `_` and `-` between them (every naming style ends so).
 */
const PLACEHOLDER_WORD_SIGN = /xyz|xxx|your|placeholder|YOU|c[_-]*a[_-]*s[_-]*e/i;

export function hasPlaceholderWord(text: string): boolean {
  if (!PLACEHOLDER_WORD_SIGN.test(text)) return false;
  // `YOU` only in capitals: `thank-you.tsx` is a real page.
  return text.split(/[/._\s-]+/).some((word) => PLACEHOLDER_WORDS.has(word.toLowerCase()) || word === 'YOU') || namesAStyle(text);
}

/** Names of naming styles, letters only: a file so named shows the style (`snake_case.py`, `PascalCase.tsx`), it is not one. */
const NAMING_STYLES = new Set(['snakecase', 'kebabcase', 'camelcase', 'pascalcase', 'screamingsnakecase', 'uppercase', 'lowercase', 'titlecase']);

function namesAStyle(text: string): boolean {
  return text.split('/').some((segment) => NAMING_STYLES.has(segment.replace(/\.[^.]*$/, '').replace(/[_-]/g, '').toLowerCase()));
}

const ROUTE_PARAM = /^\[?(?:\.\.\.)?[a-z_][A-Za-z0-9_]*\]?$/;
const ROUTE_GROUP = /^[a-z0-9_.-]+$/;

/** Every `{…}`, `[…]`, `(…)` in the token is balanced and looks like glob or route syntax. */
function groupsAreReal(text: string): boolean {
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[' || ch === '(') {
      stack.push(i);
      continue;
    }
    if (ch !== '}' && ch !== ']' && ch !== ')') continue;
    const open = stack.pop();
    if (open === undefined) return false;
    const pair = text[open] + ch;
    if (pair !== '{}' && pair !== '[]' && pair !== '()') return false;
    if (stack.length > 0) continue; // Nested groups (`[[...slug]]`) are judged as a whole.
    const inner = text.slice(open + 1, i);
    if (pair === '{}' && !inner.includes(',')) return false;
    if (pair === '[]' && !isGlob(text) && !ROUTE_PARAM.test(inner)) return false;
    if (pair === '()' && !ROUTE_GROUP.test(inner)) return false;
  }
  return stack.length === 0;
}

// ---------------------------------------------------------------------------
// Markdown link targets

const OTHER_SCHEME = /^(?:mailto|tel|data|javascript|ftp|sftp|file|ssh|git|s3|gs|vscode|obsidian):/i;

function classifyLinkTarget(target: string, offset: number): ParsedReference | undefined {
  if (target === '' || target.length > MAX_TOKEN) return undefined;
  if (/^https?:\/\/[^/]/i.test(target)) return { raw: target, kind: 'url', url: target, offset };
  if (OTHER_SCHEME.test(target) || target.includes('://')) return undefined;
  if (looksLikePlaceholder(target)) return undefined;
  const hash = target.indexOf('#');
  // GitHub blob links carry `?plain=1` before the anchor; the query is not part of the path.
  const query = target.indexOf('?');
  const pathEnd = query >= 0 && (hash < 0 || query < hash) ? query : hash >= 0 ? hash : target.length;
  const parts = splitTarget(target.slice(0, pathEnd) + (hash >= 0 ? target.slice(hash) : '')) ?? { path: target.slice(0, pathEnd) };
  const path = decodePath(parts.path);
  if (path === '' && parts.anchor === undefined && !parts.lines) return undefined;
  if (path !== '' && !/[\p{L}\p{N}_]/u.test(path) && !/^(?:\.\.?\/)+$/.test(path)) return undefined;
  return buildLinkReference(target, offset, { ...parts, path });
}

function buildLinkReference(raw: string, offset: number, parts: TargetParts): ParsedReference {
  // Links never glob: `*` in a link target is a literal character.
  const ref: ParsedReference = { raw, kind: 'path', path: parts.path, offset };
  if (parts.anchor !== undefined) ref.anchor = parts.anchor;
  if (parts.lines) ref.lines = parts.lines;
  return ref;
}

function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

// ---------------------------------------------------------------------------
// Phrases after a path: `(lines 189-259)`, `Section 9`, `§0`, `(Orchestration section)`

const RANGE_TAIL = '(?:\\s{0,3}(?:-|–|—|to)\\s{0,3}L?(\\d{1,9}))?';
const LINES_IN_PARENS = new RegExp(`\\(\\s{0,3}(?:[Ll]ines?|L)\\s{0,3}(\\d{1,9})${RANGE_TAIL}\\s{0,3}\\)`, 'y');
const LINES_BARE = new RegExp(`(?:[Ll]ines?|L)\\s{0,3}(\\d{1,9})${RANGE_TAIL}(?![\\w])`, 'y');
const SECTION_WORD = /(?:[Ss]ection|SECTION|[Ss]ec\.)\s{0,3}(\d{1,6}(?:\.\d{1,6}){0,6}|[A-Z](?:\.\d{1,6}){0,6}|[IVX]{1,6})(?![\w])/y;
const SECTION_SIGN = /§\s{0,2}(\d{1,6}(?:\.\d{1,6}){0,6}|[A-Za-z][\w-]{0,40})/y;
const PARENTHESISED = /\(([^()\n]{1,120})\)/y;

interface Phrase {
  end: number;
  lines?: LineRange;
  section?: string;
}

/** Extend a path reference over the words that qualify it; `raw` grows to cover them. */
function attachPhrases(value: string, ref: ParsedReference): ParsedReference {
  const tokenEnd = ref.offset + ref.raw.length;
  let at = skipClosers(value, tokenEnd);
  let rawEnd = tokenEnd;
  const result: ParsedReference = { ...ref };
  for (let round = 0; round < 3; round++) {
    const phrase = matchPhrase(value, skipSpaces(value, at));
    if (!phrase) break;
    if (phrase.lines && !result.lines) result.lines = phrase.lines;
    if (phrase.section && result.section === undefined) result.section = phrase.section;
    rawEnd = phrase.end;
    at = phrase.end;
  }
  if (rawEnd > tokenEnd) result.raw = value.slice(ref.offset, rawEnd);
  return result;
}

/** Past a closing backtick, quote or emphasis: `` `docs/a.md` Section 2 ``. */
function skipClosers(value: string, at: number): number {
  let i = at;
  while (i < at + 3 && i < value.length && '`"\'*'.includes(value[i])) i++;
  return i;
}

function skipSpaces(value: string, at: number): number {
  let i = at;
  while (i < at + 3 && (value[i] === ' ' || value[i] === '\t')) i++;
  return i;
}

function matchPhrase(value: string, at: number): Phrase | undefined {
  const lines = execAt(LINES_IN_PARENS, value, at) ?? execAt(LINES_BARE, value, at);
  if (lines) {
    const range = withLines({ path: '' }, lines[1], lines[2]).lines;
    return { end: at + lines[0].length, lines: range };
  }
  const section = execAt(SECTION_WORD, value, at) ?? execAt(SECTION_SIGN, value, at);
  if (section) return { end: at + section[0].length, section: section[1] };
  const parens = execAt(PARENTHESISED, value, at);
  const named = parens ? sectionInParens(parens[1]) : undefined;
  return parens && named ? { end: at + parens[0].length, section: named } : undefined;
}

function execAt(regex: RegExp, value: string, at: number): RegExpExecArray | null {
  regex.lastIndex = at;
  return regex.exec(value);
}

/** `(Orchestration section)` → `Orchestration`; `(Section 9)` / `(§4)` / `(section: Rollback)` → the name. */
function sectionInParens(inner: string): string | undefined {
  const text = inner.replace(/[`*"]/g, '').trim();
  const leading = /^(?:[Ss]ection|SECTION|[Ss]ec\.|§)\s*:?\s*(\S.*)$/.exec(text);
  if (leading) return leading[1].trim();
  const trailing = /^(\S.*?)\s+[Ss]ection$/.exec(text);
  return trailing ? trailing[1].trim() : undefined;
}
