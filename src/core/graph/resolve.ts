/**
 * Resolve parsed references against the repository's file list. Pure: it
 * sees only the paths it is given and never touches the disk, so a reference
 * such as `../../etc/passwd` can only ever come out `missing`.
 *
 * Everything is precomputed once in a `FileIndex` (sets and maps), so each
 * lookup is a few map reads even on 50k files; "did you mean" suggestions
 * use a lazily built, cached fuzzy index.
 */
import type { ParsedReference, ReferenceStatus } from '../schema.ts';
import { compareText as compare } from '../text/compare.ts';
import { editDistanceWithin } from '../text/edit-distance.ts';

/**
 * The repository's files, precomputed for O(1)-ish lookups. Paths are
 * repo-relative with forward slashes; directories have no trailing slash.
 *
 * Suffix lookups (`Home.tsx`, `charts/x/templates/sts.yaml`) go through the
 * name map and compare only the few paths sharing the last segment. A map of
 * every suffix made building the index three to four times slower on 50k
 * files (and tripled its memory) to save a handful of string compares.
 */
export interface FileIndex {
  /** Every file path, unique, sorted. */
  readonly paths: readonly string[];
  /** Every file path. */
  readonly files: ReadonlySet<string>;
  /** Every directory that holds a file (`docs`, `docs/processes`). */
  readonly directories: ReadonlySet<string>;
  /** File name → files with that name, sorted. */
  readonly byBasename: ReadonlyMap<string, readonly string[]>;
  /** Directory name → directories with that name, sorted. */
  readonly directoriesByBasename: ReadonlyMap<string, readonly string[]>;
}

export interface ResolveOptions {
  /** Leading names stripped from references written with the repository's own name (`my-infra/script/deploy.sh`). */
  repositoryPrefixes: string[];
}

export interface Resolution {
  status: ReferenceStatus;
  /** Resolved paths: one for a path (a file or a directory), every match for a glob. */
  targets: string[];
  /** For `ambiguous`: the matching files, sorted; for `missing`: up to 3 similar existing paths. */
  candidates: string[];
}

const SUGGESTIONS = 3;

/**
 * Index a repository's file list.
 *
 * @example
 * const index = createFileIndex(['infra/lb.tf', 'src/pages/Home.tsx']);
 * pathsEndingWith(index, 'pages/Home.tsx'); // ['src/pages/Home.tsx']
 */
export function createFileIndex(paths: string[]): FileIndex {
  // The resident engine links the same file list again on every save: build its index once.
  const known = fileIndexes.get(paths);
  if (known) return known;
  const index = buildFileIndex(paths);
  fileIndexes.set(paths, index);
  return index;
}

/** Indexes by the very list they were built from (lists are never changed once made). */
const fileIndexes = new WeakMap<string[], FileIndex>();

function buildFileIndex(paths: string[]): FileIndex {
  const files = new Set<string>();
  for (const raw of paths) {
    const path = cleanIndexPath(raw);
    if (path) files.add(path);
  }
  const sorted = [...files].sort(compare);
  const directories = new Set<string>();
  const byBasename = new Map<string, string[]>();
  for (const path of sorted) {
    addDirectories(path, directories);
    push(byBasename, basename(path), path);
  }
  const directoriesByBasename = new Map<string, string[]>();
  for (const directory of [...directories].sort(compare)) push(directoriesByBasename, basename(directory), directory);
  return { paths: sorted, files, directories, byBasename, directoriesByBasename };
}

/**
 * Files (or directories) whose path ends with `tail` at a segment boundary:
 * `Home.tsx` → `src/pages/Home.tsx`; `x/sts.yaml` does not match `xx/sts.yaml`. Sorted.
 */
export function pathsEndingWith(index: FileIndex, tail: string, kind: 'file' | 'directory' = 'file'): string[] {
  const names = kind === 'file' ? index.byBasename : index.directoriesByBasename;
  const sameName = names.get(basename(tail)) ?? [];
  if (!tail.includes('/')) return [...sameName];
  const ending = `/${tail}`;
  return sameName.filter((path) => path === tail || path.endsWith(ending));
}

function cleanIndexPath(path: string): string {
  return path.replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '');
}

function addDirectories(path: string, directories: Set<string>): void {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    const directory = path.slice(0, slash);
    if (directories.has(directory)) return; // Its parents are in already.
    directories.add(directory);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

// ---------------------------------------------------------------------------
// Resolution

/**
 * Where a parsed reference points, seen from `fromFile`.
 *
 * Paths are tried in order: as written from the repository root, relative to
 * `fromFile`'s folder, without a leading repository name, then as a unique
 * whole-segment suffix of an existing path. Paths that start with `./` or
 * `../` say where they are, so they try the document's folder first, and
 * `../` paths get no suffix guess: a broken relative link is a real problem.
 *
 * @example
 * const [ref] = parseReferences('Home.tsx:57-108');
 * resolveReference(ref, 'docs/ui.md', index, { repositoryPrefixes: [] });
 * // → { status: 'ok', targets: ['src/pages/Home.tsx'], candidates: [] }
 */
export function resolveReference(
  ref: ParsedReference,
  fromFile: string,
  index: FileIndex,
  options: ResolveOptions = { repositoryPrefixes: [] },
): Resolution {
  if (ref.kind === 'url') return result('external');
  if (ref.kind === 'id') return result('id');
  const prefixes = options.repositoryPrefixes ?? [];
  if (ref.kind === 'glob') return resolveGlob(ref.path ?? '', fromFile, index, prefixes);
  return resolvePath(ref.path ?? '', fromFile, index, prefixes);
}

function result(status: ReferenceStatus, targets: string[] = [], candidates: string[] = []): Resolution {
  return { status, targets, candidates };
}

/**
 * Segments of a path with `.` and `..` applied; undefined when `..` climbs
 * above the repository root (`../../etc/passwd`).
 */
function normaliseSegments(path: string): string[] | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out;
}

function joinUnder(directory: string, path: string): string {
  return directory === '' ? path : `${directory}/${path}`;
}

function resolvePath(written: string, fromFile: string, index: FileIndex, prefixes: string[]): Resolution {
  // `[Rollback](#rollback)`: the anchor is in the document itself.
  if (written === '') return result('ok', [fromFile]);
  const wantsDirectory = written.endsWith('/');
  const absolute = written.startsWith('/');
  const explicitlyRelative = /^\.\.?\//.test(written);
  const exists = (path: string) => (wantsDirectory ? index.directories.has(path) : index.files.has(path) || index.directories.has(path));

  const fromRoot = normaliseSegments(written)?.join('/');
  const fromDocument = absolute ? undefined : normaliseSegments(joinUnder(dirname(fromFile), written))?.join('/');
  const attempts = explicitlyRelative ? [fromDocument, fromRoot] : [fromRoot, fromDocument];
  for (const attempt of attempts) {
    if (attempt && exists(attempt)) return result('ok', [attempt]);
  }
  if (fromRoot === undefined && fromDocument === undefined) return result('missing'); // Escapes the root every way.
  if (written.startsWith('../')) return result('missing', [], similarPaths(written, index, SUGGESTIONS));

  const stripped = fromRoot === undefined ? undefined : stripRepositoryPrefix(fromRoot, prefixes);
  if (stripped && exists(stripped)) return result('ok', [stripped]);

  for (const tail of [fromRoot, stripped]) {
    if (!tail) continue;
    const matches = suffixMatches(tail, wantsDirectory, index);
    if (matches.length === 1) return result('ok', [matches[0]]);
    if (matches.length > 1) return pickNearest(matches, fromFile);
  }
  const asWritten = (stripped ?? fromRoot ?? written) + (wantsDirectory ? '/' : '');
  return result('missing', [], similarPaths(asWritten, index, SUGGESTIONS));
}

/** `my-infra/script/deploy.sh` → `script/deploy.sh` when `my-infra` is the repository's name (case-insensitive). */
function stripRepositoryPrefix(path: string, prefixes: string[]): string | undefined {
  const lower = path.toLowerCase();
  for (const prefix of prefixes) {
    const clean = cleanIndexPath(prefix).toLowerCase();
    if (clean && lower.startsWith(`${clean}/`)) return path.slice(clean.length + 1);
  }
  return undefined;
}

function suffixMatches(tail: string, wantsDirectory: boolean, index: FileIndex): readonly string[] {
  if (wantsDirectory) return pathsEndingWith(index, tail, 'directory');
  const files = pathsEndingWith(index, tail);
  return files.length > 0 ? files : pathsEndingWith(index, tail, 'directory');
}

/**
 * Several files end the same way (`Home.tsx` in two apps). One of them wins
 * only when it is the single candidate under the document's top-level folder;
 * anything less certain is reported, not guessed.
 */
function pickNearest(matches: readonly string[], fromFile: string): Resolution {
  const slash = fromFile.indexOf('/');
  if (slash > 0) {
    const top = fromFile.slice(0, slash + 1);
    const near = matches.filter((match) => match.startsWith(top));
    if (near.length === 1) return result('ok', [near[0]]);
  }
  return result('ambiguous', [], [...matches].sort(compare));
}

// ---------------------------------------------------------------------------
// Globs

function resolveGlob(written: string, fromFile: string, index: FileIndex, prefixes: string[]): Resolution {
  if (written === '') return result('missing');
  const patterns: string[] = [];
  const explicitlyRelative = /^\.\.?\//.test(written);
  const base = explicitlyRelative ? joinUnder(dirname(fromFile), written) : written;
  const normalised = normaliseSegments(base);
  if (!normalised || normalised.length === 0) return result('missing');
  const trailing = written.endsWith('/') ? '/' : '';
  const pattern = normalised.join('/');
  patterns.push(pattern);
  const stripped = stripRepositoryPrefix(pattern, prefixes);
  if (stripped) patterns.push(stripped);
  if (!explicitlyRelative && !written.startsWith('/')) {
    const fromDocument = normaliseSegments(joinUnder(dirname(fromFile), written));
    if (fromDocument && fromDocument.length > 0) patterns.push(fromDocument.join('/'));
  }
  for (const candidate of patterns) {
    const matches = matchGlob(candidate + trailing, index);
    if (matches.length > 0) return result('ok', matches);
  }
  return result('missing');
}

/** Files (or, for a pattern ending in `/`, directories) matching a glob, sorted. */
export function matchGlob(pattern: string, index: FileIndex): string[] {
  const directoriesOnly = pattern.endsWith('/');
  const glob = directoriesOnly ? pattern.slice(0, -1) : pattern;
  const regex = globToRegExp(glob);
  // Only paths under the glob's literal leading folders can match (`docs/decisions/` for `docs/decisions/0036-*.md`).
  const prefix = literalPrefix(glob);
  const pool = directoriesOnly ? [...index.directories].sort(compare) : index.paths;
  return pool.filter((path) => path.startsWith(prefix) && regex.test(path));
}

function literalPrefix(glob: string): string {
  let end = 0;
  while (end < glob.length && !'*?[{'.includes(glob[end])) end++;
  return glob.slice(0, glob.lastIndexOf('/', end) + 1);
}

const globCache = new Map<string, RegExp>();

/**
 * A glob as an anchored RegExp, built in one pass: `*` (within a segment),
 * `**` (any depth), `?`, `{a,b}` (nestable), `[abc]` / `[!abc]`; every other
 * character is literal. Unclosed braces and brackets are literal too.
 *
 * @example
 * globToRegExp('docs/**\/*.md').test('docs/a/b/c.md') // true
 */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let regex: RegExp;
  try {
    regex = new RegExp(`^${globSource(glob)}$`);
  } catch {
    // A class such as `[z-a]` is not a valid RegExp; match the text literally instead of throwing.
    regex = new RegExp(`^${escapeRegExp(glob)}$`);
  }
  if (globCache.size > 1000) globCache.clear();
  globCache.set(glob, regex);
  return regex;
}

function globSource(glob: string): string {
  const closers = matchingBraces(glob);
  const open: number[] = [];
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      let end = i;
      while (glob[end] === '*') end++;
      const segmentStart = i === 0 || glob[i - 1] === '/';
      if (end - i >= 2 && segmentStart && glob[end] === '/') {
        out += '(?:.*/)?';
        i = end; // Also consumes the slash.
      } else if (end - i >= 2 && segmentStart && end === glob.length) {
        out += '.*';
        i = end - 1;
      } else {
        out += '[^/]*';
        i = end - 1;
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const close = classEnd(glob, i);
      if (close < 0) out += '\\[';
      else {
        out += classSource(glob.slice(i + 1, close));
        i = close;
      }
    } else if (ch === '{' && closers.has(i)) {
      open.push(closers.get(i) as number);
      out += '(?:';
    } else if (ch === '}' && open.length > 0 && open[open.length - 1] === i) {
      open.pop();
      out += ')';
    } else if (ch === ',' && open.length > 0) {
      out += '|';
    } else {
      out += escapeRegExp(ch);
    }
  }
  return out;
}

/** Open-brace index → its closing brace, for balanced pairs only. */
function matchingBraces(glob: string): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === '{') stack.push(i);
    else if (glob[i] === '}' && stack.length > 0) pairs.set(stack.pop() as number, i);
  }
  return pairs;
}

/** Index of the `]` closing the class at `open`, or -1. Classes never span a `/`. */
function classEnd(glob: string, open: number): number {
  let j = open + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++;
  for (; j < glob.length; j++) {
    if (glob[j] === ']') return j;
    if (glob[j] === '/') return -1;
  }
  return -1;
}

function classSource(body: string): string {
  const negated = body[0] === '!' || body[0] === '^';
  const members = (negated ? body.slice(1) : body).replace(/[\\\]]/g, (ch) => `\\${ch}`);
  return negated ? `[^/${members}]` : `[${members}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, (ch) => `\\${ch}`);
}

// ---------------------------------------------------------------------------
// "Did you mean"

interface FuzzyIndex {
  /** Lower-case name → files and directories with that name. */
  byName: Map<string, string[]>;
  /** Lower-case name without extension → files (a changed extension: `lb.tf` → `lb.tfvars`). */
  byStem: Map<string, string[]>;
  /** Extension → its distinct lower-case names, sorted; and the same names reversed, sorted (with the original). */
  namesByExtension: Map<string, { forward: string[]; backward: { key: string; name: string }[] }>;
  /** Lower-case name → names within edit distance, computed once per name. */
  near: Map<string, { name: string; distance: number }[]>;
}

const fuzzyIndexes = new WeakMap<FileIndex, FuzzyIndex>();

function fuzzyIndexOf(index: FileIndex): FuzzyIndex {
  const existing = fuzzyIndexes.get(index);
  if (existing) return existing;
  const fuzzy: FuzzyIndex = { byName: new Map(), byStem: new Map(), namesByExtension: new Map(), near: new Map() };
  const namesByExtension = new Map<string, string[]>();
  const addName = (path: string) => {
    const name = basename(path).toLowerCase();
    const known = fuzzy.byName.get(name);
    if (known) {
      known.push(path);
      return;
    }
    fuzzy.byName.set(name, [path]);
    const { stem, extension } = splitName(name);
    push(namesByExtension, extension, name);
    if (extension) push(fuzzy.byStem, stem, path);
  };
  for (const path of index.paths) addName(path);
  for (const directory of index.directories) addName(directory);
  for (const [extension, names] of namesByExtension) {
    const backward = names.map((name) => ({ key: reverse(name), name })).sort((a, b) => compare(a.key, b.key));
    fuzzy.namesByExtension.set(extension, { forward: names.sort(compare), backward });
  }
  fuzzyIndexes.set(index, fuzzy);
  return fuzzy;
}

function reverse(text: string): string {
  return [...text].reverse().join('');
}

function splitName(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { stem: name.slice(0, dot), extension: name.slice(dot + 1) } : { stem: name, extension: '' };
}

/**
 * Up to `limit` existing paths that `path` was probably meant to be: same or
 * similar file name (case-insensitive edit distance), then the most folder
 * names in common. `path` itself is never suggested.
 *
 * @example
 * similarPaths('infra/lb.tff', index, 3) // ['infra/lb.tf']
 */
export function similarPaths(path: string, index: FileIndex, limit = SUGGESTIONS): string[] {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (segments.length === 0 || limit <= 0) return [];
  const name = segments[segments.length - 1].toLowerCase();
  const folders = new Set(segments.slice(0, -1).map((segment) => segment.toLowerCase()));
  const fuzzy = fuzzyIndexOf(index);

  const distances = new Map<string, number>();
  const consider = (paths: readonly string[] | undefined, distance: number) => {
    for (const candidate of paths ?? []) {
      const known = distances.get(candidate);
      if (candidate !== path && (known === undefined || distance < known)) distances.set(candidate, distance);
    }
  };
  consider(fuzzy.byName.get(name), 0);
  // A moved file (same name elsewhere) beats any spelling guess; look further only when there are too few.
  if (distances.size < limit) {
    const { stem, extension } = splitName(name);
    if (extension) consider(fuzzy.byStem.get(stem), 1);
    for (const near of nearNames(name, fuzzy)) consider(fuzzy.byName.get(near.name), near.distance);
  }

  return [...distances.entries()]
    .map(([candidate, distance]) => ({ candidate, distance, shared: sharedFolders(candidate, folders) }))
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        b.shared - a.shared ||
        a.candidate.length - b.candidate.length ||
        compare(a.candidate, b.candidate),
    )
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

function sharedFolders(candidate: string, folders: Set<string>): number {
  if (folders.size === 0) return 0;
  let shared = 0;
  const parts = candidate.toLowerCase().split('/');
  for (let i = 0; i < parts.length - 1; i++) if (folders.has(parts[i])) shared++;
  return shared;
}

/** How many sorted neighbours on each side of a name are compared. */
const NEIGHBOURS = 48;

/**
 * Names with the same extension within a small edit distance (1 for short
 * names, up to 3). Comparing against every name is quadratic on repositories
 * of numbered files (`0001-….md` … `9999-….md`), so only the name's
 * neighbours in sorted order are compared, forwards and backwards: a typo
 * late in a name keeps its prefix, one early keeps its suffix.
 */
function nearNames(name: string, fuzzy: FuzzyIndex): { name: string; distance: number }[] {
  const cached = fuzzy.near.get(name);
  if (cached) return cached;
  const found = new Map<string, number>();
  const maxDistance = name.length <= 4 ? 1 : name.length <= 10 ? 2 : 3;
  const names = fuzzy.namesByExtension.get(splitName(name).extension);
  if (names && name.length <= MAX_NAME) {
    const compareTo = (other: string) => {
      if (other === name || found.has(other)) return;
      const distance = editDistanceWithin(name, other, maxDistance);
      if (distance <= maxDistance) found.set(other, distance);
    };
    for (const other of neighbours(names.forward, name, (entry) => entry)) compareTo(other);
    for (const other of neighbours(names.backward, reverse(name), (entry) => entry.key)) compareTo(other.name);
  }
  const near = [...found].map(([other, distance]) => ({ name: other, distance }));
  if (fuzzy.near.size > 10_000) fuzzy.near.clear();
  fuzzy.near.set(name, near);
  return near;
}

/** The entries around where `key` would sort. */
function neighbours<T>(sorted: T[], key: string, keyOf: (entry: T) => string): T[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keyOf(sorted[middle]) < key) low = middle + 1;
    else high = middle;
  }
  return sorted.slice(Math.max(0, low - NEIGHBOURS), low + NEIGHBOURS);
}

const MAX_NAME = 255;
