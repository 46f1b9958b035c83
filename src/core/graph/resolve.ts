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
import { COMMON_FILE_NAMES, hasFileExtension, resolveLink } from './link-resolve.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

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
  /**
   * First segments that name another repository (`platform-docs`, from config
   * `externalRoots` and from the repository's own `../platform-docs/…` links):
   * a path starting with one that matches nothing here is in that repository.
   */
  externalRoots?: string[];
  /** A markdown link: resolved exactly as GitHub does (`link-resolve.ts`), guesses only as "did you mean". */
  link?: boolean;
}

export interface Resolution {
  status: ReferenceStatus;
  /** Resolved paths: one for a path (a file or a directory), every match for a glob. */
  targets: string[];
  /** For `ambiguous`: the matching files, sorted; for `missing`: up to 3 similar existing paths. */
  candidates: string[];
  /** For `missing`: the path points into another repository (it climbs out of this one, or starts with an external root). */
  outside?: 'other-repository';
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
  const written = ref.path ?? '';
  if (options.link && ref.kind !== 'glob') {
    const linked = resolveLink(/^[#?]/.test(ref.raw) ? '' : written, fromFile, index, (path) => resolvePath(path, fromFile, index, prefixes));
    if (linked.status !== 'missing') return linked;
    // `[notifications](/help/notifications)` in a user guide is the application's route, not a file of the repository.
    if (isRoute(written, index)) return result('external');
    if (pointsOutside(written, fromFile, index, options.externalRoots ?? [], prefixes)) return { ...linked, candidates: [], outside: 'other-repository' };
    return linked;
  }
  const found = ref.kind === 'glob' ? resolveGlob(written, fromFile, index, prefixes) : resolvePath(written, fromFile, index, prefixes);
  if (found.status !== 'missing') return found;
  const roots = options.externalRoots ?? [];
  const source = ref.kind === 'path' ? typeScriptSource(written, fromFile) : undefined;
  if (source) {
    const compiled = resolvePath(source, fromFile, index, prefixes);
    if (compiled.status === 'ok') return compiled;
  }
  const relaid = ref.kind === 'path' ? relaidPath(written, fromFile, index) : undefined;
  if (relaid) return result('ok', [relaid]);
  if (isRoute(written, index)) return result('external');
  if (pointsOutside(written, fromFile, index, roots, prefixes)) return { ...found, candidates: [], outside: 'other-repository' };
  return found;
}

/**
 * `../../../billing-solution/Workflows/x.json` in prose, written for the
 * author's checkout layout: it climbs to a first folder the root does not
 * have, and exactly one file here ends with everything after the climb.
 * Mentions keep the suffix leniency links never get (GitHub 404s a link);
 * a climb that lands on a real top folder (`../../scripts/gone.sh`) does not.
 */
function relaidPath(written: string, fromFile: string, index: FileIndex): string | undefined {
  if (!written.startsWith('../')) return undefined;
  const tail = written.replace(/^(?:\.\.?\/)+/, '');
  const segments = tail.split('/').filter((segment) => segment !== '');
  if (segments.length < 2) return undefined;
  const landed = normaliseSegments(joinUnder(dirname(fromFile), written));
  const first = landed?.[0];
  if (first !== undefined && (index.files.has(first) || index.directories.has(first))) return undefined;
  const matches = suffixMatches(tail, written.endsWith('/'), index);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * `./annotations.js` written in a TypeScript file is an import specifier: it
 * names the compiled output, and the source is `annotations.ts`.
 */
function typeScriptSource(written: string, fromFile: string): string | undefined {
  if (!/\.[cm]?tsx?$/.test(fromFile) || !/^\.\.?\//.test(written)) return undefined;
  const match = /\.([cm]?)js(x?)$/.exec(written);
  return match ? `${written.slice(0, match.index)}.${match[1]}ts${match[2]}` : undefined;
}

/**
 * `/help/videos`, `/api/v1/users`: a route of the application the document
 * describes, not a file. Written from the root, no file extension, and its
 * first folder is nothing at the repository's top level (`/docs/guide` with a
 * `docs/` folder is a broken path, not a route).
 */
function isRoute(written: string, index: FileIndex): boolean {
  if (!written.startsWith('/') || written.startsWith('//')) return false;
  const segments = written.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return false;
  const last = segments[segments.length - 1];
  if (hasFileExtension(last)) return false;
  const top = segments[0];
  if (SYSTEM_ROOTS.has(top)) return false; // `/etc/passwd` is a machine's file, not a page.
  return !index.files.has(top) && !index.directories.has(top);
}

/** Top folders of a Unix or macOS machine: a path under one names a machine's file, unless the repository has that folder. */
export const SYSTEM_ROOTS: ReadonlySet<string> = new Set(['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'mnt', 'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var', 'Users', 'Volumes']);

/**
 * A path into another repository: it climbs to the folder that holds this
 * repository (`../platform-docs/contracts/x.md` from the root), or its first
 * folder is a known external root. Only when that first folder is no folder
 * of this repository and no file here carries the rest of the path, so a link
 * written for another folder of this repository stays broken.
 */
function pointsOutside(written: string, fromFile: string, index: FileIndex, externalRoots: readonly string[], names: readonly string[]): boolean {
  const climbed = siblingPath(written, fromFile);
  const fromDocument = /^\.\.?\//.test(written) ? normaliseSegments(joinUnder(dirname(fromFile), written))?.join('/') : undefined;
  const inside = climbed ?? fromDocument ?? cleanIndexPath(written);
  const segments = inside.split('/').filter((segment) => segment !== '');
  const first = segments[0];
  if (!first || segments.length < 2) return false;
  // `/dox-admin/docs/gone.md` in dox-admin is this repository's own path, missing here, not a sibling's.
  if (climbed === undefined && names.some((name) => sameName(name, first))) return false;
  const named = externalRoots.some((root) => sameName(root, first)) || names.some((name) => sharesDistinctiveWord(name, first));
  if (climbed === undefined && !named) return false;
  if (index.files.has(first) || index.directoriesByBasename.has(first)) return false;
  // A folder path of this repository written from the wrong place (`../../technical/db/x.md`) is broken, not elsewhere.
  const tail = segments.slice(1).join('/');
  // A lone file name counts too, unless every repository has one (`README.md`).
  if (!tail.includes('/')) return !index.byBasename.has(tail) || COMMON_FILE_NAMES.has(tail.toLowerCase());
  return pathsEndingWith(index, tail).length === 0 && pathsEndingWith(index, tail, 'directory').length === 0;
}

/**
 * The rest of `written` when it climbs exactly one level above the repository
 * root from `fromFile` (where sibling repositories sit), else undefined.
 * Two levels up is GitHub's URL space (`../../issues`), not a folder.
 */
function siblingPath(written: string, fromFile: string): string | undefined {
  if (!written.startsWith('../')) return undefined;
  const inside: string[] = [];
  let above = 0;
  for (const segment of joinUnder(dirname(fromFile), written).split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') inside.push(segment);
    else if (inside.length > 0) inside.pop();
    else if (above === 0) above = 1;
    else return undefined;
  }
  return above === 1 && inside.length > 0 ? inside.join('/') : undefined;
}

/**
 * `Towne-Park-Billing-PA-Solution` beside a repository named `Data_Product_TownePark`,
 * `startupai-crew` beside `startupai.site`: a first folder that shares a
 * distinctive word with the repository's own name is a sibling repository.
 */
function sharesDistinctiveWord(repositoryName: string, segment: string): boolean {
  const own = new Set(nameWords(repositoryName));
  return nameWords(segment).some((word) => own.has(word));
}

/** Words of a name, lower-case, split at separators and camel case, without the generic ones. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 4 && !GENERIC_WORDS.has(word));
}

const GENERIC_WORDS = new Set(
  'data product products project service services server client frontend backend docs site website infra infrastructure platform core common shared main master test tests repo source code apps tools config configs deploy deployment'.split(' '),
);

function sameName(a: string, b: string): boolean {
  return cleanIndexPath(a.replace(/^(?:\.\.\/)+/, '')).toLowerCase() === b.toLowerCase();
}

/**
 * Names of other repositories this repository's own references reveal: the
 * first folder after a path climbs above the root (`../platform-docs/x.md`
 * from the root names `platform-docs`), when no such folder exists here.
 */
export function siblingRoots(references: readonly { kind: string; path?: string; source: { file: string } }[], index: FileIndex): string[] {
  const names = new Set<string>();
  for (const reference of references) {
    if ((reference.kind !== 'path' && reference.kind !== 'glob') || !reference.path) continue;
    const climbed = siblingPath(reference.path, reference.source.file);
    const first = climbed?.split('/')[0];
    if (first && climbed !== first && !index.directoriesByBasename.has(first) && !index.files.has(first)) names.add(first);
  }
  return [...names].sort(compare);
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

  const stripped = fromRoot === undefined ? undefined : stripRepositoryPrefix(fromRoot, prefixes, index);
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

/**
 * `my-infra/script/deploy.sh` → `script/deploy.sh` when `my-infra` is the repository's name (case-insensitive).
 * Not a name that is also one of its top folders or files: in a repository named `docs`, `docs/setup.md` is its own path.
 */
function stripRepositoryPrefix(path: string, prefixes: string[], index: FileIndex): string | undefined {
  const lower = path.toLowerCase();
  for (const prefix of prefixes) {
    const clean = cleanIndexPath(prefix).toLowerCase();
    if (!clean || !lower.startsWith(`${clean}/`)) continue;
    const top = path.slice(0, clean.length);
    if (!index.directories.has(top) && !index.files.has(top)) return path.slice(clean.length + 1);
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
 * only when it shares more leading folders with the document than any other
 * (`services/billing/docs/run.md` → `services/billing/Program.cs`); anything
 * less certain is left to the document's context (`resolveByContext`), then reported.
 */
function pickNearest(matches: readonly string[], fromFile: string): Resolution {
  const near = closestByFolders(matches, dirname(fromFile));
  return near ? result('ok', [near]) : result('ambiguous', [], [...matches].sort(compare));
}

/** The one candidate sharing the most leading folders (at least one) with `folder`, or undefined on a tie. */
function closestByFolders(candidates: readonly string[], folder: string): string | undefined {
  if (folder === '') return undefined;
  const folderSegments = folder.split('/');
  let best: string | undefined;
  let bestShared = 0;
  let tie = false;
  for (const candidate of candidates) {
    const segments = candidate.split('/');
    let shared = 0;
    while (shared < folderSegments.length && shared < segments.length - 1 && segments[shared] === folderSegments[shared]) shared++;
    if (shared > bestShared) {
      best = candidate;
      bestShared = shared;
      tie = false;
    } else if (shared === bestShared && shared > 0) {
      tie = true;
    }
  }
  return best && !tie ? best : undefined;
}

/** What `resolveByContext` needs of a resolved reference. */
interface ContextReference {
  kind: string;
  path?: string;
  status: ReferenceStatus;
  targets: string[];
  candidates: string[];
  source: { file: string; line: number; column: number };
}

/**
 * Settle ambiguous names by the document around them (issue 12, class 2):
 * first the folder named by the nearest earlier reference in the same section
 * (a heading "Calendar connector (`internal/connectors/calendar/`)", a list
 * parent), then the subtree the document's other references share. A name
 * context settles becomes `ok`; the rest stay ambiguous. Mutates `references`.
 *
 * @param sectionStarts heading lines of a document, ascending (empty for code files)
 */
export function resolveByContext<R extends ContextReference>(
  references: R[],
  sectionStarts: (file: string) => readonly number[],
  index: FileIndex,
): void {
  const byFile = new Map<string, R[]>();
  for (const reference of references) push(byFile, reference.source.file, reference);
  for (const [file, inFile] of byFile) {
    const ambiguous = inFile.filter((reference) => reference.status === 'ambiguous' && reference.kind !== 'id');
    if (ambiguous.length === 0) continue;
    const resolved = inFile.filter((reference) => reference.status === 'ok' && reference.targets.length === 1 && reference.kind !== 'id');
    const headings = sectionStarts(file);
    for (const reference of ambiguous) {
      const pick = bySection(reference, resolved, headings, index) ?? bySubtree(reference.candidates, resolved);
      if (!pick) continue;
      reference.status = 'ok';
      reference.targets = [pick];
      reference.candidates = [];
    }
  }
}

/**
 * The folder the section's heading names: "Calendar connector (`internal/connectors/calendar/`)".
 * Earlier list items are not used: without their nesting, a sibling (`src/`
 * above `backend/`) cannot be told from a parent.
 */
function bySection(reference: ContextReference, resolved: readonly ContextReference[], headings: readonly number[], index: FileIndex): string | undefined {
  const line = reference.source.line;
  let start = 0;
  for (const heading of headings) if (heading < line) start = heading;
  if (start === 0) return undefined;
  for (const other of resolved.filter((candidate) => candidate.source.line === start)) {
    const target = other.targets[0];
    const folder = index.directories.has(target) ? target : dirname(target);
    if (folder === '') continue;
    const under = reference.candidates.filter((candidate) => candidate.startsWith(`${folder}/`));
    if (under.length === 1) return under[0];
  }
  return undefined;
}

/** The candidate in whose part of the tree the document's other references lie, when they clearly favour one. */
function bySubtree(candidates: readonly string[], resolved: readonly ContextReference[]): string | undefined {
  const votes = new Map<string, number>();
  for (const other of resolved) {
    const target = other.targets[0];
    let best: string | undefined;
    let bestShared = 0;
    let tie = false;
    for (const candidate of candidates) {
      const shared = sharedLeadingSegments(candidate, target);
      if (shared > bestShared) {
        best = candidate;
        bestShared = shared;
        tie = false;
      } else if (shared === bestShared) tie = true;
    }
    if (best && !tie) votes.set(best, (votes.get(best) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0) return undefined;
  const [first, second] = ranked;
  // At least two of the document's references, and three times as many as any rival.
  return first[1] >= 2 && (second === undefined || first[1] >= 3 * second[1]) ? first[0] : undefined;
}

function sharedLeadingSegments(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  let shared = 0;
  while (shared < left.length - 1 && shared < right.length && left[shared] === right[shared]) shared++;
  return shared;
}

// ---------------------------------------------------------------------------
// Globs

function resolveGlob(written: string, fromFile: string, index: FileIndex, prefixes: string[]): Resolution {
  if (written === '') return result('missing');
  const trailing = written.endsWith('/') ? '/' : '';
  const explicitlyRelative = /^\.\.?\//.test(written);
  const fromRoot = normaliseSegments(written);
  const fromDocument = written.startsWith('/') ? undefined : normaliseSegments(joinUnder(dirname(fromFile), written));
  // Like a path: `./tests/*` tries the document's folder first, then the root.
  const patterns = (explicitlyRelative ? [fromDocument, fromRoot] : [fromRoot, fromDocument])
    .filter((segments): segments is string[] => segments !== undefined && segments.length > 0)
    .map((segments) => segments.join('/'));
  const stripped = patterns.length > 0 ? stripRepositoryPrefix(patterns[0], prefixes, index) : undefined;
  if (stripped) patterns.splice(1, 0, stripped);
  // A pattern without a folder (`*.tf`, `{plan,apply}.sh`) matches a name at any depth, as in `.gitignore`.
  if (!written.replace(/\/$/, '').includes('/')) patterns.push(`**/${written}`);
  for (const candidate of patterns) {
    const matches = matchGlob(candidate + trailing, index);
    if (matches.length > 0) return result('ok', matches);
    // `internal/*/memstore`, `internal/connectors/*`: a glob names folders too.
    const folders = trailing ? [] : matchGlob(`${candidate}/`, index);
    if (folders.length > 0) return result('ok', folders);
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
