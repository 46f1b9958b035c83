/**
 * Read one markdown document into a `Document` (CONVENTIONS §3–5): kind,
 * metadata, headings, sections, tasks, checkboxes, change history and every
 * reference, each placed at its line and column in the original file.
 *
 * Pure and total: never throws, never touches the file system. What cannot be
 * read becomes a `DocProblem`; the rest of the document is still read.
 */
import matter from 'gray-matter';
import { toString } from 'mdast-util-to-string';
import type {
  Code,
  Definition,
  Heading as MdHeading,
  Image,
  InlineCode,
  Link,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  RootContent,
  Table,
  Text,
} from 'mdast';
import { DEFAULT_TAGS } from '../config/config.ts';
import { countLines } from '../text/count-lines.ts';
import { LineIndex } from '../text/line-index.ts';
import { cleanMarkdown, findFrontMatter, parseMarkdown } from './markdown-parse.ts';
import {
  isPlaceholder,
  normaliseKey,
  parseIsoDate,
  readWrittenDate,
  writesNoDate,
  parsePercent,
  parseProcessStatus,
  parseTaskStatus,
  stripDecorations,
} from './metadata.ts';
import { mayContainId, parseReferences, parseSpacedPath } from './reference-parse.ts';
import type {
  ChangeEntry,
  Checkbox,
  Document,
  DocumentKind,
  EnvironmentSection,
  FileMention,
  Heading,
  MetadataEntry,
  ParsedReference,
  PlacedReference,
  ReferenceOrigin,
  StatusUpdate,
  SubProcess,
  TaskDefinition,
} from '../schema.ts';
import { createSlugger, headingSlug, slugify, type Slugger } from '../text/slug.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

/** A problem found while reading one document; the engine turns it into a `Diagnostic`. */
export type DocProblem = {
  rule: 'invalid-metadata' | 'unreadable-file' | 'malformed-markdown';
  /** The rule's finding class, when the problem is one kind of several (see the rule's `classes`). */
  class?: string;
  line: number;
  column: number;
  message: string;
  suggestion?: string;
};

/** A section that holds the document's own metadata: `## Status`, `## Document Info`. */
const METADATA_HEADING = /^(?:status|metadata|document (?:info|information|control|details|metadata|status)|properties|details)$/i;

/** The documents whose metadata Waymark reads and so checks; other markdown's is its own business. */
const WAYMARK_KINDS: ReadonlySet<DocumentKind> = new Set(['process', 'summary', 'plan', 'status-update']);

export interface ParseDocumentOptions {
  /** H1 prefixes that make a process document (`# Workflow: …`); defaults to the process marker tags. */
  areas?: readonly string[];
  /** Regex source for ID references, passed on to `parseReferences`. */
  idPattern?: string;
}

export interface ParsedDocument {
  document: Document;
  problems: DocProblem[];
}

/** Parse `text`, the content of the repository file `path`. */
export function parseDocument(path: string, text: string, options: ParseDocumentOptions = {}): ParsedDocument {
  const source = cleanMarkdown(text);
  try {
    if (source.includes('\u0000')) return unreadable(path, source, 'it looks like a binary file');
    return new DocumentReader(path, source, options).read();
  } catch (error) {
    // last resort: a bug in a reader must not take the whole run down
    return unreadable(path, source, error instanceof Error ? error.message : String(error));
  }
}

// ---------------------------------------------------------------------------
// Text and positions


function startOffset(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}

function endOffset(node: Nodes): number {
  return node.position?.end.offset ?? startOffset(node);
}

function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

/** Replace `[from, to)` of `text` with spaces, keeping newlines, so offsets stay valid. */
function blank(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);
}

function blankMatches(text: string, pattern: RegExp): string {
  return text.replace(pattern, (match) => match.replace(/[^\n]/g, ' '));
}

function plainText(node: Nodes): string {
  return toString(node, { includeHtml: false });
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function unreadable(path: string, source: string, reason: string): ParsedDocument {
  return {
    document: emptyDocument(path, countLines(source)),
    problems: [{ rule: 'unreadable-file', line: 1, column: 1, message: `\`${path}\` could not be read: ${reason}` }],
  };
}

function emptyDocument(path: string, lineCount: number): Document {
  return {
    path,
    kind: 'plain',
    title: basename(path).replace(/\.[^.]+$/, ''),
    metadata: [],
    aliases: [],
    headings: [],
    subProcesses: [],
    environments: [],
    tasks: [],
    statusUpdates: [],
    checkboxes: [],
    filesModified: [],
    changes: [],
    references: [],
    testResults: [],
    lineCount,
  };
}

// ---------------------------------------------------------------------------
// Front matter

interface FrontMatter {
  data: Record<string, unknown>;
  /** 0-based index of the closing `---` line. */
  closeIndex: number;
  lines: string[];
}

const refuseEngine = (): object => {
  throw new Error('only YAML front matter is read');
};

/** gray-matter would `eval` `---js` front matter: every engine but YAML refuses. */
const SAFE_ENGINES = {
  js: refuseEngine,
  javascript: refuseEngine,
  coffee: refuseEngine,
  coffeescript: refuseEngine,
  cson: refuseEngine,
  json: refuseEngine,
  toml: refuseEngine,
};

// `[^:#]*` already takes quotes and blanks; a separate `["']?\s*` before the colon backtracked quadratically.
const YAML_KEY_LINE = /^["']?[\w$][^:#]*:(\s|$)/;

/**
 * Find and parse the front matter block. Its lines are blanked in the returned
 * body so the markdown parser sees the rest at its original line numbers.
 */
function readFrontMatter(text: string, problems: DocProblem[]): { frontMatter?: FrontMatter; body: string } {
  const block = findFrontMatter(text);
  if (!block) {
    const lines = text.startsWith('---') && text[3] !== '-' ? text.split('\n', 2) : [];
    if (lines.length > 1 && YAML_KEY_LINE.test(lines[1])) {
      problems.push({
        rule: 'invalid-metadata',
        line: 1,
        column: 1,
        message: 'front matter opened on line 1 is never closed',
        suggestion: 'add a closing `---` line after the front matter',
      });
    }
    return { body: text };
  }
  const { lines, closeIndex, language, body } = block;
  if (language !== '' && !/^ya?ml$/i.test(language)) {
    problems.push({
      rule: 'invalid-metadata',
      line: 1,
      column: 4,
      message: `front matter in \`${language}\` is not read: only YAML front matter is supported`,
      suggestion: 'use a plain `---` YAML front matter block',
    });
    return { body };
  }
  const data = parseYaml(lines.slice(1, closeIndex).join('\n'), closeIndex, problems);
  return { frontMatter: { data, closeIndex, lines }, body };
}

function parseYaml(yaml: string, closeIndex: number, problems: DocProblem[]): Record<string, unknown> {
  let data: unknown;
  try {
    // a non-empty options object keeps gray-matter from caching by content
    data = matter(`---\n${yaml}\n---\n`, { engines: SAFE_ENGINES, language: 'yaml' }).data;
  } catch (error) {
    problems.push(yamlProblem(error, closeIndex));
    return {};
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push({
      rule: 'invalid-metadata',
      line: 2,
      column: 1,
      message: 'front matter is not a list of `key: value` pairs',
      suggestion: 'write front matter as `key: value` lines',
    });
    return {};
  }
  return data as Record<string, unknown>;
}

function yamlProblem(error: unknown, closeIndex: number): DocProblem {
  const detail = error as { reason?: string; message?: string; mark?: { line?: number; column?: number } };
  // js-yaml counts from the opening `---` line, which is line 1 of the file
  const line = Math.min(Math.max((detail.mark?.line ?? 0) + 1, 1), closeIndex + 1);
  return {
    rule: 'invalid-metadata',
    line,
    column: (detail.mark?.column ?? 0) + 1,
    message: `front matter is not valid YAML: ${detail.reason ?? detail.message ?? 'unknown error'}`,
    suggestion: 'fix the YAML between the `---` lines',
  };
}

/** Index of the line declaring top-level `key`, or -1. */
function findKeyLine(frontMatter: FrontMatter, key: string): number {
  const pattern = new RegExp(`^(["']?)${escapeRegExp(key)}\\1\\s*:`);
  for (let index = 1; index < frontMatter.closeIndex; index++) {
    if (pattern.test(frontMatter.lines[index])) return index;
  }
  return -1;
}

/** The scalar after `key:` as written, without quotes or a trailing comment. */
function rawScalar(line: string): { text: string; start: number } {
  const colon = line.indexOf(':');
  const rest = line.slice(colon + 1);
  const start = colon + 1 + (rest.length - rest.trimStart().length);
  let text = rest.trim();
  const comment = yamlCommentStart(text);
  if (comment >= 0) text = text.slice(0, comment);
  if (/^(["']).*\1$/.test(text)) text = text.slice(1, -1);
  return { text, start };
}

// ---------------------------------------------------------------------------
// Vocabulary

/** How the problem of a fence never closed ends: `isUnclosedFence` knows it by that. */
const UNCLOSED_FENCE = ', so everything after it is read as code';

/** Whether a document problem is a code fence never closed (its line is the fence's). */
export function isUnclosedFence(problem: Pick<DocProblem, 'rule' | 'message'>): boolean {
  return problem.rule === 'malformed-markdown' && problem.message.endsWith(UNCLOSED_FENCE);
}

/** The words kept of a reference's line: the line, or its start and the words before a reference far along it. */
const LINE_TEXT_CAP = 200;
const REFERENCE_KEYS = new Set(['code reference', 'code references', 'code ref', 'code refs', 'reference', 'references', 'refs']);
/** Keys whose value may be prose: bare text there only counts when it clearly names a file. */
const PROSE_REFERENCE_KEYS = new Set(['implementation']);
const DATE_KEYS = new Set(['last updated', 'last validated', 'date']);
const SUBPROCESS_KEYS = new Set(['description', 'steps', 'code reference', 'code references', 'automation', 'validation']);

const FILES_LABEL =
  /^(?:files?\s+(?:created\s*\/\s*modified|modified\s*\/\s*created|created|modified|changed|touched|to\s+create\s*\/\s*modify|to\s+create|to\s+modify)|(?:modified|changed|created|new)\s+files)$/i;
/** Files headings also match when worded as a sentence: `### Files Created/Modified (3)`. */
const FILES_LABEL_IN_HEADING =
  /\bfiles?\s+(?:created\s*\/\s*modified|modified\s*\/\s*created|created|modified|changed|touched|to\s+create\s*\/\s*modify|to\s+create|to\s+modify)\b|\b(?:modified|changed|created|new)\s+files\b/i;
const REFERENCES_HEADING = /^(?:code\s+)?references?$/i;
const TESTING_HEADING = /testing/i;
const CHANGE_HISTORY_HEADING = /change\s*history|change\s*log|revision\s+history/i;
const ENVIRONMENTS_HEADING = /^environments?$|environment\s+configuration/i;
const STATUS_UPDATE_HEADING = /^task\s+status\s+update\b/i;
/** `never`-style values of a date key: not a date, but not a mistake either. */
const NEVER_DATE = /^(?:not\b|never\b|n\/?a\b|none\b|tbd\b|tbc\b|pending\b|unknown\b|-+$|—$|–$)/i;
/** A leading date followed by an aside: `2026-01-05 (after incident 42)`. */
const LEADING_DATE = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)(?=[\s,;(]|$)/;
/** Id prefixes that name findings, not tasks, when they head a section. */
const NON_TASK_ID_PREFIX = /^(?:GAP|BUG|ADR|RISK|FINDING|ISSUE|INC|INCIDENT)[-_]/i;

const TASK_STATUS_HINT = 'use one of `Complete`, `In Progress`, `Blocked`, `Not Started`';
const PROCESS_STATUS_HINT = 'use one of `draft`, `current_implementation`, `validated`, `implemented`, `deprecated`';

const KNOWN_EXTENSIONLESS = /^(?:Dockerfile|Containerfile|Makefile|Jenkinsfile|Vagrantfile|Procfile|Gemfile|Rakefile|Brewfile|Justfile|Taskfile|Caddyfile|CODEOWNERS|LICENSE|README)(?:\..+)?$/i;
/** Extensions trusted for a bare file name without a folder (`Home.tsx:57-108`). */
const KNOWN_EXTENSIONS = new Set(
  (
    'md mdx markdown txt rst adoc tf tfvars hcl yaml yml json jsonc toml ini cfg conf env sh bash zsh ps1 bat cmd ' +
    'py rb go rs java kt kts scala cs fs vb swift m mm c h cc cpp hpp js mjs cjs jsx ts mts cts tsx vue svelte astro ' +
    'css scss less html htm xml sql lua pl php ex exs erl hs clj sol graphql gql proto dockerfile tpl j2 jinja service'
  ).split(' '),
);

function dateValue(value: string): string | undefined {
  const leading = LEADING_DATE.exec(value);
  if (leading) return parseIsoDate(leading[1]);
  const written = readWrittenDate(value);
  return written && 'day' in written ? written.day : undefined;
}

function extensionOf(segment: string): string | undefined {
  const match = /\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*)$/.exec(segment);
  return match?.[1].toLowerCase();
}

/**
 * A folder written as one: `infra/`, `deploy/charts/shop/`, as in the layout
 * table of a README (reference-forms fixture). Dot-folders are left out: the
 * ones prose names (`.terraform/`, `.venv/`) are tool state, not in the repository.
 */
const FOLDER = /^(?:\.{1,2}\/)*[\w@-][\w.@-]*(?:\/[\w@-][\w.@-]*)*\/$/;

/** Whether a parsed path plausibly names a file (or folder) rather than prose like `and/or` or `TCP/IP`. */
function looksLikeFile(ref: ParsedReference): boolean {
  if (ref.kind === 'glob') return true;
  if (FOLDER.test(ref.path ?? '')) return true;
  const path = (ref.path ?? '').replace(/\/+$/, '');
  const segment = path.slice(path.lastIndexOf('/') + 1);
  if (KNOWN_EXTENSIONLESS.test(segment)) return true;
  const extension = extensionOf(segment);
  if (!extension) return false;
  return path.includes('/') || KNOWN_EXTENSIONS.has(extension);
}

const MENTION_SIGN = /[/:#%\s`]/;

/**
 * False when inline code cannot be a mention (`onInlineCode`), before it is parsed: a mention has a
 * folder or a line range, so the code holds a slash, `:` or `#` (a line spec), `%` (an escaped slash),
 * a space (`a.ts (lines 2-4)`) or a backtick (`` a.ts`L2 ``). Most inline code has none.
 */
export function mayBeMention(value: string): boolean {
  return MENTION_SIGN.test(value);
}

const LINE_LIST = /^[^\s,'"<>|;&$=(){}\\]+:L?\d+(?:[-–]L?\d+)?(?:, ?L?\d+(?:[-–]L?\d+)?)+$/;

/** Inline code that could be a path: no spaces, quotes, pipes, flags or variables. */
function mentionCandidate(value: string): boolean {
  // `docs/ARCHITECTURE.md Section 9`, `schema.ts (lines 189-259)` and
  // `docs/ARCHITECTURE.md (Orchestration section)` are the only spaced forms.
  const spaced = /^(\S+) (?:Section \d[\d.]*|§ ?\d[\d.]*|\(lines? \d+(?:-\d+)?\)|\((?:[^()]{1,80} section|section:? [^()]{1,80})\))$/i.exec(value);
  if (spaced) return !isPlaceholder(spaced[1]);
  // `theme.css:212, 230`: one file, a list of lines (each checked).
  if (value.length <= 512 && LINE_LIST.test(value)) return !isPlaceholder(value);
  if (value === '' || /[\s'"<>|;&$=(){}\\,]/.test(value)) return false;
  if (/^[-@~]/.test(value)) return false;
  return !isPlaceholder(value);
}

/** A task heading: `Task: Name`, `TASK-001: Name`, `Task 1: Name`. */
function parseTaskHeading(text: string): { name: string; id?: string; derived?: string } | undefined {
  let match = /^task\s*:\s*(.+)$/i.exec(text);
  if (match) return { name: match[1].trim() };
  match = /^(?:task\s+)?([A-Z][A-Z0-9]*[-_]\d+[A-Za-z]?)\s*(?::|\s[-–—])\s*(.+)$/.exec(text);
  if (match && !NON_TASK_ID_PREFIX.test(match[1])) return { id: match[1], name: match[2].trim() };
  match = /^task\s+(\d+)\s*(?::|\s[-–—])\s*(.+)$/i.exec(text);
  if (match) return { name: match[2].trim(), derived: `TASK-${match[1].padStart(3, '0')}` };
  return undefined;
}

/** The context for a list, with the paragraph before it when that paragraph ends in `:` and so introduces it. */
function withIntro(context: WalkContext, previous: RootContent | undefined): WalkContext {
  if (previous?.type !== 'paragraph') return context;
  const text = plainText(previous).trim();
  return /:$/.test(text) ? { ...context, intro: text.length > 200 ? text.slice(-200) : text } : context;
}

/**
 * `### Task 1` … `### Task 4` under each `## Role` or `## Phase`: the numbers count the tasks of
 * their section, so `TASK-001` derived from them would name several tasks of one document. Only
 * numbering that starts again under another parent heading; a number repeated in one section is
 * a duplicate.
 */
function numberingRestarts(tasks: readonly TaskSection[], headings: readonly Heading[]): boolean {
  const parentOf = (task: TaskSection): number => {
    let line = 0;
    for (const heading of headings) {
      if (heading.line >= task.heading.line) break;
      if (heading.depth < task.heading.depth) line = heading.line;
    }
    return line;
  };
  let previous: { number: number; parent: number } | undefined;
  for (const task of tasks) {
    if (task.id || !task.derived) continue;
    const current = { number: Number(task.derived.slice('TASK-'.length)), parent: parentOf(task) };
    if (previous && current.number <= previous.number && current.parent !== previous.parent) return true;
    previous = current;
  }
  return false;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `<a id="x">`, `<a name='x'>`: the anchor's name (in one of three quoting groups). */
const HTML_ANCHOR = /<a\s[^<>]{0,200}?\b(?:id|name)\s*=\s*(?:"([^"<>]{1,200})"|'([^'<>]{1,200})'|([^\s"'<>]{1,200}))/gi;

/** The target of a markdown link, or undefined for mail, other schemes and placeholders. */
function linkTarget(url: string, documentPath: string): ParsedReference | undefined {
  const raw = url.trim();
  if (raw === '') return undefined;
  if (/^(?:https?:)?\/\//i.test(raw)) return { raw, kind: 'url', url: raw, offset: 0 };
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || isPlaceholder(raw)) return undefined;
  const hash = raw.indexOf('#');
  const beforeHash = hash === -1 ? raw : raw.slice(0, hash);
  const fragment = hash === -1 ? '' : raw.slice(hash + 1);
  const pathText = beforeHash.replace(/\?.*$/, '');
  const ref: ParsedReference = { raw, kind: 'path', path: pathText ? decode(pathText) : documentPath, offset: 0 };
  const lines = /^L(\d+)(?:-L?(\d+))?$/.exec(fragment);
  if (lines) ref.lines = { start: Number(lines[1]), end: Number(lines[2] ?? lines[1]) };
  else if (fragment) ref.anchor = decode(fragment);
  if (!pathText && !ref.anchor && !ref.lines) return undefined;
  if (ref.path?.includes('*')) ref.kind = 'glob';
  return ref;
}

interface CodeSpan {
  /** Offset of the opening backtick within the searched text. */
  start: number;
  /** Offset of the content. */
  contentStart: number;
  content: string;
}

function findCodeSpans(text: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  for (const match of text.matchAll(/(?<!`)(`+)(?!`)(.*?[^`])\1(?!`)/g)) {
    let content = match[2];
    let contentStart = match.index + match[1].length;
    // CommonMark strips one space of padding on both sides
    if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') {
      content = content.slice(1, -1);
      contentStart++;
    }
    spans.push({ start: match.index, contentStart, content });
  }
  return spans;
}

/**
 * Where a YAML ` # comment` starts, blanks before it included, or -1. The
 * regex `/\s+#.*$/` retries a long run of blanks from each of its positions.
 */
function yamlCommentStart(line: string): number {
  const hash = line.search(/\s#/);
  if (hash < 0) return -1;
  let start = hash;
  while (start > 0 && /\s/.test(line[start - 1])) start--;
  return start;
}

/** Hide links, autolinks and emphasis markers so bare-text parsing only sees the words. */
function maskMarkup(text: string): string {
  // No `[` in the label and no `(` in the target: every scan stops at the next opener, so `[[[[…` stays linear.
  let masked = blankMatches(text, /!?\[[^[\]\n]*\]\([^()\n]*\)/g);
  masked = blankMatches(masked, /<[^<>\n]*>/g);
  return blankMatches(masked, /\*\*|\\$/g);
}

/** Hide YAML punctuation around a scalar or list item so offsets still line up. */
function maskYaml(text: string): string {
  let masked = blankMatches(text, /^\s*-\s/);
  const comment = yamlCommentStart(masked);
  if (comment >= 0) masked = blank(masked, comment, masked.length);
  return blankMatches(masked, /^\s*\[|\]\s*$|["']/g);
}

// ---------------------------------------------------------------------------
// Sections collected during the walk

interface EntryRecord {
  entry: MetadataEntry;
  /** Column where the value starts, for problems. */
  column: number;
  fromFrontMatter: boolean;
}

interface TaskSection {
  depth: number;
  heading: Heading;
  name: string;
  id?: string;
  derived?: string;
  entries: EntryRecord[];
  files: FileMention[];
  description?: string;
}

interface StatusSection {
  depth: number;
  heading: Heading;
  entries: EntryRecord[];
}

interface SubSection {
  heading: Heading;
  entries: EntryRecord[];
  references: string[];
}

interface WalkContext {
  /** Inside a list of files created/modified. */
  files: boolean;
  /** Inside a list continuing a `**Code References**:` key. */
  references: boolean;
  /** The paragraph ending in `:` that introduces the list (`The following files were removed:`). */
  intro?: string;
}

type Pending = 'files' | 'references' | undefined;


/** One document being read: a single walk of the tree fills these collections. */
class DocumentReader {
  private readonly lines: LineIndex;
  private readonly slugger: Slugger = createSlugger();
  private problems: DocProblem[] = [];
  private readonly entries: EntryRecord[] = [];
  private readonly references = new Map<string, PlacedReference>();
  /** Offsets of inline code already read as code-reference or file-list references. */
  private readonly consumed = new Set<number>();
  /** Inside the text of a link to a repository file: its code spans are the link's label. */
  private labelling = 0;
  /** The last search for `**` (see `boldFrom`): where it started and what it found. */
  private boldSearch = { from: Infinity, at: -1 };
  /** The header of the table column being walked, for the references in its cells. */
  private tableColumn: string | undefined;
  /** The lead-in of the list being walked (`WalkContext.intro`), for the references in it. */
  private listIntro: string | undefined;
  private readonly headings: Heading[] = [];
  private readonly fencedHeadings: { slug: string; line: number }[] = [];
  private readonly anchors: string[] = [];
  private readonly labels = new Set<string>();
  private readonly stack: Array<Heading | undefined> = [];
  private readonly checkboxes: Checkbox[] = [];
  private readonly created: NonNullable<Document['created']> = [];
  private statusSection: Document['statusSection'];
  private readonly testResults: Document['testResults'] = [];
  private readonly filesModified: FileMention[] = [];
  private readonly changes: ChangeEntry[] = [];
  private readonly tasks: TaskSection[] = [];
  private readonly statusSections: StatusSection[] = [];
  private readonly subSections: SubSection[] = [];
  private readonly environments: EnvironmentSection[] = [];
  private task: TaskSection | undefined;
  private status: StatusSection | undefined;
  private sub: SubSection | undefined;
  private frontMatter: FrontMatter | undefined;
  private h1: Heading | undefined;

  constructor(
    private readonly path: string,
    private readonly text: string,
    private readonly options: ParseDocumentOptions,
  ) {
    this.lines = new LineIndex(text);
  }

  read(): ParsedDocument {
    const { frontMatter, body } = readFrontMatter(this.text, this.problems);
    this.frontMatter = frontMatter;
    if (frontMatter) this.readFrontMatterEntries(frontMatter);
    const { tree, skipped } = parseMarkdown(body);
    for (const block of skipped) {
      this.problems.push({
        rule: 'malformed-markdown',
        line: block.line,
        column: 1,
        message: `the block on line ${block.line} ${block.reason}, so it is skipped`,
        suggestion: 'split it into smaller paragraphs or table rows',
      });
    }
    this.walkBlocks(tree.children, { files: false, references: false });
    const document = this.assemble();
    if (WAYMARK_KINDS.has(document.kind)) this.checkMetadata(document.kind);
    // An agent definition's or a changelog's front matter and dates are not Waymark's to judge.
    else this.problems = this.problems.map((problem) => (problem.rule === 'invalid-metadata' ? { ...problem, class: 'other-document' } : problem));
    this.problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { document, problems: this.problems };
  }

  // -- front matter -------------------------------------------------------

  private readFrontMatterEntries(frontMatter: FrontMatter): void {
    const found = Object.entries(frontMatter.data).map(([label, value]) => ({ label, value, index: findKeyLine(frontMatter, label) }));
    found.sort((a, b) => a.index - b.index);
    for (const { label, value, index } of found) {
      if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
        if (Array.isArray(value)) this.frontMatterListReferences(label, index);
        continue;
      }
      const lineIndex = index === -1 ? 0 : index;
      const scalar = index === -1 ? { text: '', start: 0 } : rawScalar(frontMatter.lines[lineIndex]);
      const entry: MetadataEntry = {
        key: normaliseKey(label),
        label,
        value: stripDecorations(frontMatterValue(value, scalar.text)),
        line: lineIndex + 1,
      };
      this.entries.push({ entry, column: scalar.start + 1, fromFrontMatter: true });
      if (index !== -1 && this.isReferenceKey(entry.key)) {
        const offset = this.lines.starts[lineIndex];
        const line = frontMatter.lines[lineIndex];
        const colon = line.indexOf(':') + 1;
        this.valueReferences(maskYaml(line.slice(colon)), offset + colon, entry.key);
      }
    }
  }

  /** `code_references:` followed by `- path` lines. */
  private frontMatterListReferences(label: string, index: number): void {
    const frontMatter = this.frontMatter!;
    if (index === -1 || !this.isReferenceKey(normaliseKey(label))) return;
    const key = normaliseKey(label);
    const first = frontMatter.lines[index];
    const colon = first.indexOf(':') + 1;
    this.valueReferences(maskYaml(first.slice(colon)), this.lines.starts[index] + colon, key);
    for (let line = index + 1; line < frontMatter.closeIndex; line++) {
      const text = frontMatter.lines[line];
      if (!/^\s+\S|^-\s/.test(text)) break;
      this.valueReferences(maskYaml(text), this.lines.starts[line], key);
    }
  }

  // -- block walk ---------------------------------------------------------

  private walkBlocks(children: RootContent[], context: WalkContext): void {
    let pending: Pending;
    let previous: RootContent | undefined;
    for (const node of children) {
      if (node.type === 'paragraph' && previous?.type === 'heading' && previous.depth === 2) this.readStatusSection(previous, node);
      const inner = pending && node.type === 'list' ? { ...context, [pending]: true } : context;
      pending = this.walkBlock(node, node.type === 'list' ? withIntro(inner, previous) : inner);
      previous = node;
    }
  }

  private walkBlock(node: RootContent, context: WalkContext): Pending {
    switch (node.type) {
      case 'heading':
        this.onHeading(node);
        this.walkInline(node.children);
        return undefined;
      case 'paragraph':
        this.checkTableLike(node);
        return this.onParagraph(node, { checkbox: false, inList: false });
      case 'list':
        this.onList(node, context);
        return undefined;
      case 'table':
        this.onTable(node);
        return undefined;
      case 'definition':
        this.onDefinition(node);
        return undefined;
      case 'code':
        this.checkFence(node);
        this.readCreated(node);
        this.readFencedHeadings(node);
        return undefined;
      case 'html':
        this.onHtml(node.value);
        return undefined;
      case 'yaml':
        // examples and comments are never data (CONVENTIONS §5)
        return undefined;
      default:
        if ('children' in node) this.walkBlocks(node.children as RootContent[], context);
        return undefined;
    }
  }

  /** The first `## Status` section's first line, when it is short enough to be a value (`Done`, `**COMPLETED** ✅ - …`). */
  private readStatusSection(heading: MdHeading, paragraph: Paragraph): void {
    if (this.statusSection || !/^status$/i.test(plainText(heading).trim())) return;
    const value = stripDecorations(plainText(paragraph).split('\n')[0]).trim();
    if (value && value.length <= 120) this.statusSection = { value, line: lineOf(paragraph) };
  }

  private onHeading(node: MdHeading): void {
    const text = plainText(node).trim();
    // GitHub slugs the rendered text: image alt text and HTML are not in it, a space before them is (`# a <!-- b -->` → `#a-`).
    const slugText = toString(node, { includeHtml: false, includeImageAlt: false }).replace(/^\s+/, '');
    const heading: Heading = { depth: node.depth, text, slug: this.slugger.slug(slugText), line: lineOf(node) };
    this.headings.push(heading);
    if (node.depth === 1 && !this.h1) this.h1 = heading;
    this.stack.length = node.depth;
    this.stack[node.depth - 1] = heading;
    this.closeSections(node.depth);
    this.openSections(heading);
  }

  private closeSections(depth: number): void {
    if (this.task && depth <= this.task.depth) this.task = undefined;
    if (this.status && depth <= this.status.depth) this.status = undefined;
    if (this.sub && depth <= 3) this.sub = undefined;
  }

  private openSections(heading: Heading): void {
    const task = heading.depth >= 2 ? parseTaskHeading(heading.text) : undefined;
    if (task) {
      this.task = { depth: heading.depth, heading, entries: [], files: [], ...task };
      this.tasks.push(this.task);
    }
    if (STATUS_UPDATE_HEADING.test(heading.text)) {
      this.status = { depth: heading.depth, heading, entries: [] };
      this.statusSections.push(this.status);
    }
    if (heading.depth === 3) {
      this.sub = { heading, entries: [], references: [] };
      this.subSections.push(this.sub);
      const parent = this.stack[1];
      if (parent && ENVIRONMENTS_HEADING.test(parent.text)) {
        this.environments.push({ name: heading.text, slug: heading.slug, line: heading.line });
      }
    }
  }

  private section(): string | undefined {
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      if (this.stack[depth]) return this.stack[depth]!.slug;
    }
    return undefined;
  }

  private underHeading(pattern: RegExp): boolean {
    return this.stack.some((heading) => heading !== undefined && pattern.test(heading.text));
  }

  private onList(list: List, context: WalkContext): void {
    const inFiles = context.files || this.underHeading(FILES_LABEL_IN_HEADING);
    const inReferences = context.references || this.underHeading(REFERENCES_HEADING);
    const outer = this.listIntro;
    this.listIntro = context.intro ?? outer;
    for (const item of list.children) this.onListItem(item, { files: inFiles, references: inReferences });
    this.listIntro = outer;
  }

  private onListItem(item: ListItem, context: WalkContext): void {
    const first = item.children[0];
    const paragraph = first?.type === 'paragraph' ? first : undefined;
    if (typeof item.checked === 'boolean') {
      const text = paragraph ? plainText(paragraph).trim() : '';
      this.checkboxes.push({ text, checked: item.checked, line: lineOf(item), section: this.section() });
    }
    if (paragraph) {
      this.testResult(paragraph);
      if (context.files) this.fileItem(paragraph, lineOf(item));
      else if (context.references) this.referenceItem(paragraph);
    }
    let pending: Pending;
    let previous: RootContent | undefined;
    for (const child of item.children) {
      const inner = pending && child.type === 'list' ? { ...context, [pending]: true } : context;
      pending = child === paragraph ? this.onParagraph(paragraph, { checkbox: typeof item.checked === 'boolean', inList: true }) : this.walkBlock(child, child.type === 'list' ? withIntro(inner, previous) : inner);
      previous = child;
    }
  }

  private testResult(paragraph: Paragraph): void {
    if (!this.underHeading(TESTING_HEADING)) return;
    const text = plainText(paragraph).trim();
    const mark = /^(✅|❌)/u.exec(text);
    if (!mark) return;
    this.testResults.push({ passed: mark[1] === '✅', text: stripDecorations(text.slice(mark[1].length)), line: lineOf(paragraph) });
  }

  // -- paragraphs and bold-key lines -------------------------------------

  /** `<a id="x">` / `<a name="x">`: explicit anchors a link may target (never data otherwise, CONVENTIONS §5). */
  private onHtml(html: string): void {
    for (const match of html.matchAll(HTML_ANCHOR)) this.anchors.push(match[1] ?? match[2] ?? match[3]);
  }

  /** `**Rollback:**` alone on a paragraph's first line: a label some documents use as a heading. */
  private boldLabel(paragraph: Paragraph): void {
    const [first, second] = paragraph.children;
    if (first?.type !== 'strong') return;
    const inner = plainText(first).trim();
    // Alone on its line (`**Rollback:**`, `**Rollback**:`, `**Rollback**`): a `**Status**: draft` line is metadata, not a label.
    const alone = second === undefined || (second.type === 'text' && /^[ \t]*(?::[ \t]*)?\r?(?:\n|$)/.test(second.value));
    if (!alone) return;
    const label = inner.replace(/:$/, '').trim();
    if (label && label.length <= 80) this.labels.add(label);
  }

  /** Read bold-key lines, then links and inline code; tell the caller what a following list continues. */
  private onParagraph(paragraph: Paragraph, where: { checkbox: boolean; inList: boolean }): Pending {
    this.boldLabel(paragraph);
    let pending: Pending;
    let hasKeys = false;
    // A key line starts with `**`: a paragraph without one has none, and most paragraphs are prose.
    const bold = this.boldFrom(startOffset(paragraph));
    const lines = bold !== -1 && bold < endOffset(paragraph) ? this.paragraphLines(paragraph, where.checkbox) : [];
    for (const line of lines) {
      const keyLine = this.keyLine(line.text, line.offset);
      if (!keyLine) continue;
      hasKeys = true;
      pending = keyLine.value === '' ? this.pendingFor(keyLine.key) : undefined;
    }
    if (!hasKeys) pending = this.labelParagraph(paragraph);
    if (this.task && !this.task.description && !hasKeys && !pending && !where.inList) {
      const text = plainText(paragraph).trim();
      if (text && !isPlaceholder(text)) this.task.description = text;
    }
    this.walkInline(paragraph.children);
    return pending;
  }

  /**
   * `this.text.indexOf('**', from)`, remembered: paragraphs come in document order, and a search from
   * each of them ran to the end of the text whenever no `**` was left (quadratic in the paragraphs).
   * The first `**` at or after an earlier start is also the first at or after a later one, when it is past it.
   */
  private boldFrom(from: number): number {
    const last = this.boldSearch;
    if (from >= last.from && (last.at === -1 || last.at >= from)) return last.at;
    const at = this.text.indexOf('**', from);
    this.boldSearch = { from, at };
    return at;
  }

  private pendingFor(key: string): Pending {
    if (FILES_LABEL.test(key) || key === 'files') return 'files';
    if (this.isReferenceKey(key)) return 'references';
    return undefined;
  }

  /** A plain `Files to create/modify:` or `Code References:` line introducing a list. */
  private labelParagraph(paragraph: Paragraph): Pending {
    if (endOffset(paragraph) - startOffset(paragraph) > 80) return undefined;
    const label = stripDecorations(plainText(paragraph)).replace(/:$/, '').trim();
    if (FILES_LABEL.test(label)) return 'files';
    if (REFERENCES_HEADING.test(label)) return 'references';
    return undefined;
  }

  /** The paragraph's source lines, with HTML comments blanked and quote/list prefixes skipped. */
  private paragraphLines(paragraph: Paragraph, checkbox: boolean): Array<{ text: string; offset: number }> {
    const start = startOffset(paragraph);
    let source = this.text.slice(start, endOffset(paragraph));
    for (const html of inlineHtml(paragraph.children)) source = blank(source, startOffset(html) - start, endOffset(html) - start);
    const result: Array<{ text: string; offset: number }> = [];
    let offset = start;
    for (const [index, raw] of source.split('\n').entries()) {
      const prefix = (index === 0 && checkbox ? /^\s*\[[ xX]\]\s+/ : /^[ \t>]*/).exec(raw)?.[0].length ?? 0;
      result.push({ text: raw.slice(prefix), offset: offset + prefix });
      offset += raw.length + 1;
    }
    return result;
  }

  /** `**Key**: value` or `**Key:** value` at the start of a line. */
  private keyLine(text: string, offset: number): MetadataEntry | undefined {
    const match = /^\*\*(?=\S)([^*\n]{1,80}?)(:?)\*\*([ \t]*:)?[ \t]*/.exec(text);
    if (!match || (match[2] !== ':' && !match[3])) return undefined;
    const label = match[1].trim();
    const key = normaliseKey(label);
    if (key === '') return undefined;
    const valueSource = text.slice(match[0].length).trimEnd();
    const valueOffset = offset + match[0].length;
    const entry: MetadataEntry = { key, label, value: stripDecorations(valueSource), line: this.lines.locate(offset).line };
    const section = this.section();
    if (section !== undefined) entry.section = section;
    const record: EntryRecord = { entry, column: this.lines.locate(valueOffset).column, fromFrontMatter: false };
    this.entries.push(record);
    this.task?.entries.push(record);
    this.status?.entries.push(record);
    this.sub?.entries.push(record);
    if (this.isReferenceKey(key)) this.valueReferences(valueSource, valueOffset, key);
    else if (FILES_LABEL.test(key) || key === 'files') this.valueFiles(valueSource, valueOffset, entry.line);
    return entry;
  }

  private isReferenceKey(key: string): boolean {
    return REFERENCE_KEYS.has(key) || PROSE_REFERENCE_KEYS.has(key);
  }

  /** References in a code-reference value: its code spans, or else its bare text. */
  private valueReferences(source: string, offset: number, key: string): void {
    const spans = findCodeSpans(source);
    if (spans.length > 0) {
      // `[\`QUICK-START.md\`](./QUICK-START.md)`: the label names the link's target, which the link itself reports.
      const labels = [...source.matchAll(/\[([^\]]*)\]\([^)]*\)/g)].map((link) => [link.index + 1, link.index + 1 + link[1].length]);
      for (const span of spans) {
        this.consumed.add(offset + span.start);
        if (labels.some(([from, to]) => span.start >= from && span.start < to)) continue;
        const spaced = parseSpacedPath(span.content);
        for (const ref of spaced ? [spaced] : this.parse(span.content)) this.addCodeReference(ref, offset + span.contentStart);
      }
      return;
    }
    const strict = PROSE_REFERENCE_KEYS.has(key);
    for (const ref of this.parse(maskMarkup(source))) {
      if (strict && (ref.kind === 'path' || ref.kind === 'glob') && !looksLikeFile(ref) && !ref.lines) continue;
      this.addCodeReference(ref, offset);
    }
  }

  private addCodeReference(ref: ParsedReference, base: number): void {
    const placed = this.place(ref, base + ref.offset, 'code-reference');
    if (placed && this.sub && !this.sub.references.includes(placed.id)) this.sub.references.push(placed.id);
  }

  /** `**Files Modified**: `a.tf`, `b.tf`` on one line. */
  private valueFiles(source: string, offset: number, line: number): void {
    for (const span of findCodeSpans(source)) {
      const placed = this.filePath(span.content, offset + span.contentStart, offset + span.start);
      if (placed) this.addFile({ reference: placed.id, line });
    }
  }

  /** A list item under a files heading or label: `` - `path`: note ``. */
  private fileItem(paragraph: Paragraph, line: number): void {
    const code = leadingCode(paragraph.children);
    if (!code) return;
    const start = startOffset(code);
    const placed = this.filePath(code.value, this.codeContentOffset(code), start);
    if (!placed) return;
    const text = plainText(paragraph);
    const after = text.slice(text.indexOf(code.value) + code.value.length);
    const note = stripDecorations(after.replace(/^[\s:—–-]+/, ''));
    const mention: FileMention = { reference: placed.id, line };
    if (note && !isPlaceholder(note)) mention.note = note;
    this.addFile(mention);
  }

  private filePath(value: string, contentOffset: number, codeOffset: number): PlacedReference | undefined {
    const text = value.trim();
    if (text === '' || isPlaceholder(text)) return undefined;
    const ref = parseSpacedPath(text) ?? this.parse(text).find((candidate) => candidate.kind === 'path' || candidate.kind === 'glob');
    if (!ref) return undefined;
    this.consumed.add(codeOffset);
    return this.place(ref, contentOffset + (value.length - value.trimStart().length) + ref.offset, 'files-modified');
  }

  private addFile(mention: FileMention): void {
    if (this.task) this.task.files.push(mention);
    else this.filesModified.push(mention);
  }

  /** A list item continuing a `**Code References**:` key: read like that key's value. */
  private referenceItem(paragraph: Paragraph): void {
    const start = startOffset(paragraph);
    const source = this.text.slice(start, endOffset(paragraph));
    const firstLine = source.split('\n')[0];
    this.valueReferences(firstLine, start, 'implementation');
  }

  // -- inline content -----------------------------------------------------

  private walkInline(nodes: PhrasingContent[]): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'inlineCode':
          this.onInlineCode(node);
          break;
        case 'link': {
          // `[`scripts/x.sh`](../scripts/x.sh)`: the code span labels the link, it is not a second reference.
          const local = this.onLink(node);
          if (local) this.labelling++;
          this.walkInline(node.children);
          if (local) this.labelling--;
          break;
        }
        case 'image':
          this.onLink(node);
          break;
        case 'html':
          this.onHtml(node.value);
          break;
        case 'text':
          this.onText(node);
          break;
        default:
          if ('children' in node) this.walkInline(node.children as PhrasingContent[]);
      }
    }
  }

  /** Where the content of an inline code node starts (after backticks and padding). */
  private codeContentOffset(code: InlineCode): number {
    const start = startOffset(code);
    let ticks = start;
    while (this.text[ticks] === '`') ticks++;
    const found = this.text.indexOf(code.value, ticks);
    return found !== -1 && found < endOffset(code) ? found : ticks;
  }

  /** Task and gap ids in prose (`Finish TASK-001 first`) link the document to the task. */
  private onText(node: Text): void {
    const start = startOffset(node);
    if (!this.mayHoldIds(node.value)) return;
    const source = this.text.slice(start, endOffset(node));
    let from = 0;
    for (const ref of this.parse(node.value)) {
      if (ref.kind !== 'id') continue;
      // Escapes, entities and line indents make the node value differ from the source; find the id in the source.
      const at = source === node.value ? ref.offset : source.indexOf(ref.raw, from);
      if (at === -1) continue;
      this.place(ref, start + at, 'mention');
      from = at + ref.raw.length;
    }
  }

  /** Conservative: only a lone path with a folder or a line range counts as a mention. */
  private onInlineCode(code: InlineCode): void {
    if (!mayBeMention(code.value)) return;
    if (this.labelling > 0 || this.consumed.has(startOffset(code)) || !mentionCandidate(code.value)) return;
    const refs = this.parse(code.value);
    if (refs.length > 1 && refs.every((other) => other.kind === 'path' && other.path === refs[0].path && other.lines)) {
      // A line list: every item is its own reference to the same file.
      if (refs[0].path?.startsWith('/') || !looksLikeFile(refs[0])) return;
      for (const item of refs) this.place(item, this.codeContentOffset(code) + item.offset, 'mention');
      return;
    }
    if (refs.length !== 1) return;
    const ref = refs[0];
    if (ref.kind !== 'path' && ref.kind !== 'glob') return;
    if (!ref.path?.includes('/') && !ref.lines) return;
    // `/etc/nginx/nginx.conf` in prose names a path on a server, not in the repository.
    if (ref.path?.startsWith('/')) return;
    if (!looksLikeFile(ref)) return;
    this.place(ref, this.codeContentOffset(code) + ref.offset, 'mention');
  }

  /** Whether the link names a file of the repository (not a URL). */
  private onLink(node: Link | Image): boolean {
    const ref = linkTarget(node.url, this.path);
    if (ref) this.place(ref, this.locateUrl(node, node.url, ']('), 'link');
    return ref?.kind === 'path' || ref?.kind === 'glob';
  }

  private onDefinition(node: Definition): void {
    const ref = linkTarget(node.url, this.path);
    if (ref) this.place(ref, this.locateUrl(node, node.url, ']:'), 'link');
  }

  /** Offset of a link destination in the source: after the last `](`, else anywhere in the node. */
  private locateUrl(node: Nodes, url: string, opener: string): number {
    const start = startOffset(node);
    const slice = this.text.slice(start, endOffset(node));
    for (let index = slice.lastIndexOf(opener); index !== -1; index = index === 0 ? -1 : slice.lastIndexOf(opener, index - 1)) {
      let at = index + opener.length;
      while (slice[at] === ' ' || slice[at] === '<' || slice[at] === '\n' || slice[at] === '\t') at++;
      if (slice.startsWith(url, at)) return start + at;
    }
    const found = slice.indexOf(url);
    return found === -1 ? start : start + found;
  }

  // -- tables -------------------------------------------------------------

  private onTable(table: Table): void {
    if (this.underHeading(CHANGE_HISTORY_HEADING)) this.changeRows(table);
    const headers = table.children[0]?.children.map((cell) => stripDecorations(plainText(cell)).trim()) ?? [];
    table.children.forEach((row, index) => {
      row.children.forEach((cell, column) => {
        this.tableColumn = index > 0 ? headers[column] || undefined : undefined;
        this.walkInline(cell.children);
      });
    });
    this.tableColumn = undefined;
  }

  private changeRows(table: Table): void {
    const [header, ...rows] = table.children;
    if (!header) return;
    const columns = changeColumns(header.children.map((cell) => plainText(cell)));
    for (const row of rows) {
      const cells = row.children.map((cell) => plainText(cell).trim());
      const cell = (role: ChangeRole): string => (columns[role] === undefined ? '' : (cells[columns[role]!] ?? ''));
      const dateText = stripDecorations(cell('date'));
      const change = cell('change');
      // A `|` inside a cell can only be an escaped `\|`, written on purpose: prose
      // ("Split build \| deploy jobs"), not a template's `A | B` list of choices.
      const templated = (text: string) => !text.includes('|') && isPlaceholder(text);
      if (cells.every((text) => text === '') || templated(dateText) || templated(change)) continue;
      const line = lineOf(row);
      const entry: ChangeEntry = { id: `${this.path}:${line}`, file: this.path, line, change, taskIds: this.rowTaskIds(cells) };
      const version = cell('version');
      if (version && version !== '-') entry.version = version;
      if (dateText) {
        entry.dateText = dateText;
        const date = dateValue(dateText);
        if (date) entry.date = date;
        else if (!NEVER_DATE.test(dateText)) {
          const dateCell = row.children[columns.date!];
          this.problems.push({
            rule: 'invalid-metadata',
            ...(writesNoDate(dateText) ? { class: 'prose' } : {}),
            line,
            column: this.lines.locate(dateCell?.children[0] ? startOffset(dateCell.children[0]) : startOffset(row)).column,
            message: `\`Date\` value \`${dateText}\` in the change history is not a valid date`,
            suggestion: 'use YYYY-MM-DD',
          });
        }
      }
      const author = stripDecorations(cell('author'));
      if (author && !/^[-—–]+$/.test(author) && !isPlaceholder(author)) entry.author = author;
      const rationale = cell('rationale');
      if (rationale && !/^[-—–]+$/.test(rationale) && !isPlaceholder(rationale)) entry.rationale = rationale;
      this.changes.push(entry);
    }
  }

  private rowTaskIds(cells: string[]): string[] {
    const ids = new Set<string>();
    for (const cell of cells) {
      if (!this.mayHoldIds(cell)) continue;
      for (const ref of this.parse(cell)) if (ref.kind === 'id' && ref.identifier) ids.add(ref.identifier);
    }
    return [...ids];
  }

  // -- references ---------------------------------------------------------

  /** A cheap test that lets prose without ids skip the reference parser. */
  private mayHoldIds(text: string): boolean {
    return mayContainId(text, this.options.idPattern);
  }

  /** parseReferences, made total and free of placeholders. */
  private parse(value: string): ParsedReference[] {
    let refs: ParsedReference[];
    try {
      refs = parseReferences(value, this.options.idPattern ? { idPattern: this.options.idPattern } : {});
    } catch {
      return [];
    }
    return refs.filter((ref) => !isPlaceholder(ref.raw));
  }

  /** Place a parsed reference at an offset of the source; the first one at a position wins. */
  private place(ref: ParsedReference, offset: number, origin: ReferenceOrigin): PlacedReference {
    const { line, column } = this.lines.locate(offset);
    const id = `${this.path}:${line}:${column}`;
    const existing = this.references.get(id);
    if (existing) return existing;
    const placed: PlacedReference = { ...ref, id, source: { file: this.path, line, column }, origin, lineText: this.lineText(line, offset, ref.raw.length) };
    if (this.tableColumn) placed.tableColumn = this.tableColumn;
    if (this.listIntro) placed.listIntro = this.listIntro;
    this.references.set(id, placed);
    return placed;
  }

  /** Line `line` of the source, trimmed and capped: the words around a reference, for the rules. */
  private lineText(line: number, offset: number, length: number): string {
    const start = this.lines.starts[line - 1] ?? 0;
    const end = this.lines.starts[line] ?? this.text.length;
    const text = this.text.slice(start, end).trim();
    if (offset + length - start <= LINE_TEXT_CAP) return text.slice(0, LINE_TEXT_CAP);
    // Far along a long line (a table row): its start (list marker, pipes) and the words just before it.
    const head = text.slice(0, LINE_TEXT_CAP / 2);
    return `${head} … ${this.text.slice(Math.max(offset - LINE_TEXT_CAP / 2, start + head.length), offset + length)}`;
  }

  // -- assembly -----------------------------------------------------------

  private assemble(): Document {
    const document = emptyDocument(this.path, countLines(this.text));
    const data = this.frontMatter?.data ?? {};
    document.kind = this.detectKind(data);
    const declaredTitle = typeof data.title === 'string' ? data.title.trim() : '';
    document.title = this.h1?.text || declaredTitle || document.title;
    document.metadata = this.entries.map((record) => record.entry);
    document.aliases = aliasesOf(data.aliases);
    document.headings = this.headings;
    if (this.anchors.length > 0) document.anchors = this.anchors;
    if (this.fencedHeadings.length > 0) document.fencedHeadings = this.fencedHeadings;
    if (this.labels.size > 0) document.labels = [...this.labels];
    document.checkboxes = this.checkboxes;
    if (this.created.length > 0) document.created = this.created;
    if (this.statusSection) document.statusSection = this.statusSection;
    document.testResults = this.testResults;
    // file lists inside task-like sections of a non-plan still belong to the document
    const stray = document.kind === 'plan' ? [] : this.tasks.flatMap((task) => task.files);
    document.filesModified = [...this.filesModified, ...stray].sort((a, b) => a.line - b.line);
    document.changes = this.changes;
    document.references = [...this.references.values()].sort((a, b) => a.source.line - b.source.line || a.source.column - b.source.column);
    document.statusUpdates = this.statusSections.map((section) => statusUpdateOf(section));
    this.assembleDates(document);
    if (document.kind === 'process') this.assembleProcess(document, data);
    if (document.kind === 'plan') {
      if (numberingRestarts(this.tasks, this.headings)) for (const task of this.tasks) task.derived = undefined;
      document.tasks = this.tasks.map((task) => taskOf(task, this.parse.bind(this)));
    }
    if (document.kind === 'summary' || document.kind === 'status-update') this.assembleTaskDoc(document);
    return document;
  }

  private detectKind(data: Record<string, unknown>): DocumentKind {
    const declared = typeof data.type === 'string' ? TYPE_KINDS[normaliseKey(data.type)] : undefined;
    if (declared) return declared;
    const h1 = this.h1?.text ?? (typeof data.title === 'string' ? data.title : '');
    const fromH1 = kindFromTitle(h1, this.areas());
    if (fromH1) return fromH1;
    const fromName = kindFromFileName(basename(this.path));
    if (fromName) return fromName;
    // `**Analysis Date:** 2026-03-28`, `generated: 2026-03-28`: a snapshot of the code on that day (a generated codebase map).
    if (this.entries.some(({ entry }) => (entry.section === undefined || entry.section === this.h1?.slug) && SNAPSHOT_KEYS.has(entry.key) && dateValue(entry.value))) return 'report';
    if (this.tasks.length > 0) return 'plan';
    if (this.statusSections.length > 0) return 'status-update';
    return 'plain';
  }

  private areas(): string[] {
    return [...(this.options.areas ?? DEFAULT_TAGS.process)].sort((a, b) => b.length - a.length);
  }

  private assembleDates(document: Document): void {
    const first = (key: string) => this.entries.find((record) => record.entry.key === key)?.entry.value;
    const updated = first('last updated') ?? first('date');
    const lastUpdated = updated === undefined ? undefined : dateValue(updated);
    if (lastUpdated) document.lastUpdated = lastUpdated;
    const validated = first('last validated');
    const lastValidated = validated === undefined ? undefined : dateValue(validated);
    if (lastValidated) document.lastValidated = lastValidated;
  }

  private assembleProcess(document: Document, data: Record<string, unknown>): void {
    const title = this.h1?.text ?? (typeof data.title === 'string' ? data.title : document.title);
    const match = this.areaMatch(title);
    document.area = match?.area ?? (typeof data.area === 'string' ? data.area : 'Deployment Process');
    const declaredName = [data.process, data.name].find((value): value is string => typeof value === 'string');
    document.processName = match?.name ?? declaredName ?? title;
    const status = this.documentStatus();
    const parsed = status ? parseProcessStatus(status.entry.value) : undefined;
    if (parsed) document.status = parsed;
    document.subProcesses = this.subSections.filter((section) => section.entries.some((record) => SUBPROCESS_KEYS.has(record.entry.key))).map(subProcessOf);
    document.environments = this.environments;
  }

  private assembleTaskDoc(document: Document): void {
    const id = this.entries.find((record) => record.entry.key === 'task id' && !isPlaceholder(record.entry.value));
    const fromTitle = this.h1 ? this.parse(this.h1.text).find((ref) => ref.kind === 'id')?.identifier : undefined;
    const declared = id ? (this.parse(id.entry.value).find((ref) => ref.kind === 'id')?.identifier ?? id.entry.value) : undefined;
    const taskId = declared || fromTitle || document.statusUpdates.find((update) => update.taskId)?.taskId;
    if (taskId) document.taskId = taskId;
    const status = this.documentStatus();
    const parsed = status ? parseTaskStatus(status.entry.value) : undefined;
    const latest = [...document.statusUpdates].reverse().find((update) => update.status)?.status;
    const taskStatus = document.kind === 'summary' ? (parsed ?? latest) : (latest ?? parsed);
    if (taskStatus) document.taskStatus = taskStatus;
  }

  private areaMatch(title: string): { area: string; name: string } | undefined {
    for (const area of this.areas()) {
      const match = new RegExp(`^${escapeRegExp(area)}\\s*:\\s*(.+)$`, 'i').exec(title.trim());
      if (match) return { area, name: match[1].trim() };
    }
    return undefined;
  }

  /** The document-level Status: the first one outside task and status-update sections. */
  private documentStatus(): EntryRecord | undefined {
    const inSection = new Set<EntryRecord>([...this.tasks.flatMap((task) => task.entries), ...this.statusSections.flatMap((section) => section.entries)]);
    return this.entries.find((record) => record.entry.key === 'status' && !inSection.has(record));
  }

  // -- problems -----------------------------------------------------------

  private checkMetadata(kind: DocumentKind): void {
    // The dates Waymark reads (see assembleDates): a later `Date:` in the body is prose.
    const first = (key: string) => this.entries.find((record) => record.entry.key === key);
    const read = [first('last updated') ?? first('date'), first('last validated')];
    // The header is the document's own metadata; further down, `Date: when it was decided`
    // describes a field, and only a value with a digit in it claims to be a date.
    const headerEnd = this.headings.find((heading) => heading.depth >= 2 && !METADATA_HEADING.test(heading.text.trim()))?.line ?? Infinity;
    const inHeader = (record: EntryRecord) => record.entry.line < headerEnd;
    for (const record of this.entries) {
      if (DATE_KEYS.has(record.entry.key) && read.includes(record) && (inHeader(record) || /\d/.test(record.entry.value))) this.checkDate(record);
    }
    // Likewise a `Status:` in a section of the body is that section's, in words of its own.
    const status = this.documentStatus();
    if (status && inHeader(status) && kind === 'process') this.checkStatus(status, 'process');
    if (status && inHeader(status) && kind === 'summary') this.checkStatus(status, 'task');
    if (kind === 'plan') {
      for (const task of this.tasks) this.checkStatuses(task.entries);
    }
    for (const section of this.statusSections) this.checkStatuses(section.entries);
  }

  private checkStatuses(records: EntryRecord[]): void {
    for (const record of records) {
      if (record.entry.key === 'status') this.checkStatus(record, 'task');
    }
  }

  private checkDate(record: EntryRecord): void {
    const { value, label, line } = record.entry;
    if (value === '') return this.noValue(record, 'use YYYY-MM-DD');
    if (isPlaceholder(value) || NEVER_DATE.test(value) || dateValue(value)) return;
    if (readWrittenDate(value)) {
      this.problems.push({
        rule: 'invalid-metadata',
        class: 'placeholder',
        line,
        column: record.column,
        message: `\`${label}\` value \`${value}\` is a placeholder, not a date`,
        suggestion: 'write the real date as YYYY-MM-DD',
      });
      return;
    }
    this.problems.push({
      rule: 'invalid-metadata',
      ...(writesNoDate(value) ? { class: 'prose' } : {}),
      line,
      column: record.column,
      message: `\`${label}\` value \`${value}\` is not a valid date`,
      suggestion: 'use YYYY-MM-DD',
    });
  }

  private checkStatus(record: EntryRecord, vocabulary: 'process' | 'task'): void {
    const { value, label, line } = record.entry;
    if (value === '') return this.noValue(record, vocabulary === 'process' ? PROCESS_STATUS_HINT : TASK_STATUS_HINT);
    if (isPlaceholder(value)) return;
    const parsed = vocabulary === 'process' ? parseProcessStatus(value) : parseTaskStatus(value);
    if (parsed) return;
    this.problems.push({
      rule: 'invalid-metadata',
      class: 'unknown-status',
      line,
      column: record.column,
      message: `\`${label}\` value \`${value}\` is not a valid ${vocabulary} status`,
      suggestion: vocabulary === 'process' ? PROCESS_STATUS_HINT : TASK_STATUS_HINT,
    });
  }

  /** A key Waymark reads (a date, a status) written with nothing after it: `**Status**:`. */
  private noValue(record: EntryRecord, suggestion: string): void {
    const { label, line } = record.entry;
    this.problems.push({ rule: 'invalid-metadata', line, column: record.column, message: `\`${label}\` has no value`, suggestion });
  }

  /** Headings written inside an untagged or markdown fence: a nested fence that closed the block early shows them as text. */
  private readFencedHeadings(code: Code): void {
    if (code.lang && !/^(?:md|markdown)$/i.test(code.lang)) return;
    // Only the opening line decides whether the body starts a line later: no copy of the whole block.
    const start = startOffset(code);
    const lineEnd = this.text.indexOf('\n', start);
    const first = lineOf(code) + (fenceOf(this.text.slice(start, lineEnd === -1 ? endOffset(code) : Math.min(lineEnd, endOffset(code)))) ? 1 : 0);
    code.value.split('\n').forEach((text, index) => {
      const heading = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/.exec(text);
      if (heading) this.fencedHeadings.push({ slug: headingSlug(heading[1]), line: first + index });
    });
  }

  /** A fenced code block still open at the end of its container swallows everything after it. */
  private checkFence(code: Code): void {
    const source = this.text.slice(startOffset(code), endOffset(code));
    const lines = source.split('\n');
    const open = fenceOf(lines[0]);
    if (!open) return; // indented code has no fence to close
    const close = lines.length > 1 ? fenceOf(lines[lines.length - 1].replace(/^[ \t>]*/, '')) : undefined;
    if (close && close.char === open.char && close.length >= open.length && close.rest === '') return;
    const { line, column } = this.lines.locate(startOffset(code));
    this.problems.push({
      rule: 'malformed-markdown',
      line,
      column,
      message: `the code fence opened on line ${line} is never closed${UNCLOSED_FENCE}`,
      suggestion: `close it with a \`${open.char.repeat(open.length)}\` line`,
    });
  }

  /** What a shell block makes (`mkdir -p modules/monitoring && touch main.tf`): the names a walkthrough's later steps edit. */
  private readCreated(code: Code): void {
    if (!SHELL_FENCES.has((code.lang ?? '').toLowerCase()) || !/\b(?:mkdir|touch)\b/.test(code.value)) return;
    const line = lineOf(code);
    for (const command of code.value.split(/\n|&&|\|\||;/)) {
      const made = /^\s*(?:\$\s+)?(?:sudo\s+)?(?:mkdir|touch)\s+(.*)$/.exec(command);
      if (!made) continue;
      for (const argument of made[1].split(/\s+/)) {
        if (argument === '' || argument.startsWith('-') || argument.startsWith('#')) continue;
        for (const name of argument.replace(/^["']|["']$/g, '').split('/')) {
          if (name !== '' && name !== '.' && name !== '..') this.created.push({ name, line });
        }
      }
    }
  }

  /** Rows of pipes with no `| --- |` delimiter row are a paragraph, not a table: their cells are never read. */
  private checkTableLike(paragraph: Paragraph): void {
    // Rows are lines of pipes: a paragraph without one is prose.
    const pipe = this.text.indexOf('|', startOffset(paragraph));
    if (pipe === -1 || pipe >= endOffset(paragraph)) return;
    const rows = this.text
      .slice(startOffset(paragraph), endOffset(paragraph))
      .split('\n')
      .map((row) => row.replace(/^[ \t>]*/, '').trimEnd());
    if (rows.length < 2 || !rows.every((row) => row.length > 1 && row.startsWith('|') && row.endsWith('|'))) return;
    const { line, column } = this.lines.locate(startOffset(paragraph));
    this.problems.push({
      rule: 'malformed-markdown',
      line,
      column,
      message: 'this table has no delimiter row under its header, so it is read as text',
      suggestion: 'add a `| --- | --- |` line after the header row',
    });
  }
}

/** A fence line: three or more backticks or tildes, and what follows them. */
function fenceOf(line: string): { char: string; length: number; rest: string } | undefined {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
  return match ? { char: match[1][0], length: match[1].length, rest: match[2].trim() } : undefined;
}

function* inlineHtml(nodes: PhrasingContent[]): Generator<PhrasingContent> {
  for (const node of nodes) {
    if (node.type === 'html') yield node;
    else if ('children' in node) yield* inlineHtml(node.children as PhrasingContent[]);
  }
}

/** The inline code an item starts with, also when wrapped in bold. */
function leadingCode(nodes: PhrasingContent[]): InlineCode | undefined {
  const first = nodes.find((node) => !(node.type === 'text' && node.value.trim() === ''));
  if (first?.type === 'inlineCode') return first;
  if (first?.type === 'strong' || first?.type === 'emphasis') return leadingCode(first.children);
  return undefined;
}

function frontMatterValue(value: unknown, raw: string): string {
  if (value === null || value === undefined) return '';
  // YAML turns `2025-13-45` into a rolled-over Date: keep what was written
  if (value instanceof Date) return raw || (Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10));
  return String(value);
}

function aliasesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string | number => typeof item === 'string' || typeof item === 'number').map((item) => String(item).trim()).filter(Boolean);
}

const TYPE_KINDS: Record<string, DocumentKind> = {
  process: 'process',
  'deployment process': 'process',
  summary: 'summary',
  'implementation summary': 'summary',
  plan: 'plan',
  'improvement plan': 'plan',
  'status update': 'status-update',
  'task status update': 'status-update',
  report: 'report',
  'validation report': 'report',
  'gap analysis': 'report',
  audit: 'report',
  plain: 'plain',
};

/** Fences whose commands a reader runs: a walkthrough's steps. */
const SHELL_FENCES = new Set(['', 'bash', 'sh', 'shell', 'zsh', 'console', 'terminal']);

/** Top-level metadata keys that date a snapshot: the document measured the code of that day. */
const SNAPSHOT_KEYS = new Set(['analysis date', 'audit date', 'report date', 'generated', 'generated on', 'generated at']);

// A codebase or repository analysis measures the code of its day (often generated): a report, not a description.
const REPORT_WORDS = /validation\s+report|gap\s+analysis|\baudit\b|\b(?:codebase|repository|repo)\s+analysis\b/i;

/** `^Area\s*:\s*\S`, case-insensitive, compiled once per area (it was compiled for every area of every document). */
const areaPrefixes = new Map<string, RegExp>();

function areaPrefix(area: string): RegExp {
  let pattern = areaPrefixes.get(area);
  if (pattern === undefined) {
    if (areaPrefixes.size > 256) areaPrefixes.clear();
    pattern = new RegExp(`^${escapeRegExp(area)}\\s*:\\s*\\S`, 'i');
    areaPrefixes.set(area, pattern);
  }
  return pattern;
}

function kindFromTitle(title: string, areas: string[]): DocumentKind | undefined {
  if (/implementation\s+summary/i.test(title)) return 'summary';
  // The area prefix and "Improvement Plan" are explicit; report words only guess
  // (`# Deployment Process: Audit Log Shipping` is a process).
  if (/improvement\s+plan/i.test(title)) return 'plan';
  if (areas.some((area) => areaPrefix(area).test(title.trim()))) return 'process';
  if (REPORT_WORDS.test(title)) return 'report';
  if (/\bplan\b/i.test(title)) return 'plan';
  return undefined;
}

function kindFromFileName(name: string): DocumentKind | undefined {
  const words = name.replace(/\.[^.]+$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  if (words.includes('summary')) return 'summary';
  if (REPORT_WORDS.test(words)) return 'report';
  if (/\bplan\b/.test(words)) return 'plan';
  return undefined;
}

type ChangeRole = 'version' | 'date' | 'change' | 'author' | 'rationale';

const CHANGE_COLUMNS: Array<[ChangeRole, RegExp]> = [
  ['version', /^(?:version|ver|v|rev|revision)$/],
  ['date', /\bdate\b|^when$/],
  ['author', /^(?:author|authors|by|changed by|owner|who)$/],
  ['rationale', /^(?:rationale|reason|reasons|why|notes?|comments?)$/],
  ['change', /^(?:change|changes|description|change description|summary|what changed|details?)$/],
];

/** Map header names to roles, case-insensitively, whatever their order. */
function changeColumns(headers: string[]): Partial<Record<ChangeRole, number>> {
  const columns: Partial<Record<ChangeRole, number>> = {};
  headers.forEach((header, index) => {
    const name = stripDecorations(header).toLowerCase().replace(/[.:]/g, '').trim();
    const role = CHANGE_COLUMNS.find(([candidate, pattern]) => columns[candidate] === undefined && pattern.test(name))?.[0];
    if (role) columns[role] = index;
  });
  if (columns.change === undefined) {
    // no Change column: the first column nobody claimed carries the change
    const taken = new Set(Object.values(columns));
    const free = headers.findIndex((_, index) => !taken.has(index));
    if (free !== -1) columns.change = free;
  }
  return columns;
}

function subProcessOf(section: SubSection): SubProcess {
  const value = (key: string) => section.entries.find((record) => record.entry.key === key && record.entry.value !== '')?.entry.value;
  const sub: SubProcess = { name: section.heading.text, slug: section.heading.slug, line: section.heading.line, references: section.references };
  const description = value('description');
  const automation = value('automation');
  const validation = value('validation');
  if (description) sub.description = description;
  if (automation) sub.automation = automation;
  if (validation) sub.validation = validation;
  return sub;
}

function statusUpdateOf(section: StatusSection): StatusUpdate {
  const value = (key: string) => {
    const found = section.entries.find((record) => record.entry.key === key)?.entry.value;
    return found && !isPlaceholder(found) ? found : undefined;
  };
  const update: StatusUpdate = { line: section.heading.line };
  const taskId = value('task id');
  const status = value('status');
  const progress = value('progress');
  const notes = value('notes');
  const nextSteps = value('next steps');
  if (taskId) update.taskId = taskId;
  const parsed = status ? parseTaskStatus(status) : undefined;
  if (parsed) update.status = parsed;
  const percent = progress ? parsePercent(progress) : undefined;
  if (percent !== undefined) update.progress = percent;
  if (notes) update.notes = notes;
  if (nextSteps) update.nextSteps = nextSteps;
  return update;
}

function taskOf(section: TaskSection, parse: (value: string) => ParsedReference[]): TaskDefinition {
  const value = (...keys: string[]) => {
    const found = section.entries.find((record) => keys.includes(record.entry.key) && record.entry.value !== '')?.entry.value;
    return found && !isPlaceholder(found) ? found : undefined;
  };
  const ids = (...keys: string[]) => {
    const text = value(...keys);
    return text ? parse(text).flatMap((ref) => (ref.kind === 'id' && ref.identifier ? [ref.identifier] : [])) : [];
  };
  const declaredId = value('task id');
  const taskId = section.id ?? declaredId ?? section.derived ?? (slugify(section.name).toUpperCase() || 'TASK');
  const task: TaskDefinition = {
    taskId,
    name: section.name,
    line: section.heading.line,
    slug: section.heading.slug,
    blocks: ids('blocks'),
    blockedBy: ids('blocked by', 'depends on', 'dependencies'),
    files: section.files,
  };
  const priority = value('priority');
  if (priority) task.priority = /\bP[0-3]\b/i.exec(priority)?.[0].toUpperCase() ?? priority;
  const gap = value('gap id', 'gap');
  if (gap) task.gapId = parse(gap).find((ref) => ref.kind === 'id')?.identifier ?? gap;
  const area = value('deployment area', 'area');
  if (area) task.area = area;
  const status = value('status');
  const parsed = status ? parseTaskStatus(status) : undefined;
  if (parsed) task.status = parsed;
  if (section.description) task.description = section.description;
  return task;
}
