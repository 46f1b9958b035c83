/**
 * What git says about a path a document names that does not exist: the
 * repository ignores it by design (`.gitignore`), it existed and was deleted
 * or renamed, or it never existed on the first-parent history at all. The
 * facts are read by `src/node/history-scan.ts` into `RepositoryHistory.paths`;
 * this module asks the questions of them. Pure.
 */
import path from 'node:path/posix';
import { commitDay, type CommitInfo, type RepositoryHistory } from './history.ts';
import { languageOf } from '../extract/languages.ts';
import type { Reference } from '../schema.ts';

/** The `.gitignore` rule that matches a path, as `git check-ignore -v` names it. */
export interface IgnoreRule {
  /** The file holding the pattern, relative to the scanned root (`.gitignore`, `apps/api/.gitignore`, `.git/info/exclude`). */
  source: string;
  /** 1-based line of the pattern in that file. */
  line: number;
  /** The pattern as written (`tmp/`, `**\/.env.*`). */
  pattern: string;
}

/** Where a path's file went on the first-parent history. */
export type PathFate =
  /** `via`: the rename that took the file away from this path before it was deleted under its new name. */
  | { kind: 'deleted'; commit: string; via?: { to: string; commit: string } }
  /** `to` is where the file is now (renames followed forward), `commit` the first rename away from this path. */
  | { kind: 'renamed'; to: string; commit: string };

/** What git knows of one repository path that the work tree lacks. */
export interface PathFacts {
  /** The repository's ignore rules match it: generated or runtime by design. */
  ignored?: IgnoreRule;
  /** It existed, and this is what became of it. */
  fate?: PathFate;
  /** The file holding {@link ignored} changed within a day of the commit that deleted it: it was taken out of git to stay local. */
  untracked?: boolean;
  /** Some first-parent commit had a file at this path. */
  inHistory: boolean;
  /**
   * How many of this path's leading folders ever held a file on the
   * first-parent history: 0 for `frontend/src/a.ts` in a repository that never
   * had `frontend/`, 2 for `docs/ops/frontend/a.ts` when `docs/ops/` did.
   */
  foldersInHistory?: number;
  /** Some first-parent commit had a file whose path ends with `/` and this path (an abbreviation of it). */
  tailOfHistory?: boolean;
  /**
   * The one file git once had that this path abbreviates, when it is gone
   * from the tree, and what became of it: `ops/deploy.md` for a deleted
   * `docs/ops/deploy.md`.
   */
  abbreviated?: { path: string; fate: PathFate };
  /**
   * Some first-parent commit had a file with this path's extension; false for
   * `src/components/Sync.tsx` in a repository that never held a `.tsx` file.
   * Absent for a path without an extension.
   */
  extensionInHistory?: boolean;
}

/**
 * The repository paths a written path can mean, the one it most likely means
 * first: from the document's folder for a link or a `./`/`../` path (as
 * GitHub resolves them), else from the root; then the other.
 */
export function spelledPaths(written: string, documentPath: string, origin?: Reference['origin']): string[] {
  const fromRoot = path.normalize(written.replace(/^\/+/, ''));
  const fromDocument = path.normalize(path.join(path.dirname(documentPath), written));
  const relative = origin === 'link' || written.startsWith('./') || written.startsWith('../');
  const ordered = relative && !written.startsWith('/') ? [fromDocument, fromRoot] : [fromRoot, fromDocument];
  return [...new Set(ordered)].filter((candidate) => candidate !== '.' && candidate !== '..' && !candidate.startsWith('../') && !candidate.startsWith('/'));
}

/** Missing path and glob references: the ones git can say something about. */
export function missingReferences(references: readonly Reference[]): Reference[] {
  return references.filter((reference) => reference.status === 'missing' && (reference.kind === 'path' || reference.kind === 'glob') && Boolean(reference.path));
}

/** The paths to ask git about, for every missing reference, sorted. */
export function missingPathCandidates(references: readonly Reference[]): string[] {
  const all = new Set<string>();
  for (const reference of missingReferences(references)) for (const candidate of spelledPaths(reference.path!, reference.source.file, reference.origin)) all.add(candidate);
  return [...all].sort();
}

/** What history says about one missing reference, when it says anything. */
export interface MissingPathVerdict {
  /** The repository path the facts are about. */
  path: string;
  facts: PathFacts;
  /** The ignore rule, when it is trusted (see {@link sourceShaped}). */
  ignored?: IgnoreRule;
  /** Set when an ignore rule matched the meant spelling `path`, which has the shape of tracked source: the match is not trusted. */
  distrusted?: { rule: IgnoreRule; path: string; why: string };
}

/**
 * The facts for one missing reference: the ignore rule matching the spelling
 * it most likely means (unless that has the shape of tracked source), else
 * the first spelling with a fate, else one history had, else the meant one.
 */
export function missingPathVerdict(
  reference: Reference,
  history: Pick<RepositoryHistory, 'paths' | 'ignoredFiles'> | undefined,
  files: readonly string[],
): MissingPathVerdict | undefined {
  const facts = history?.paths;
  if (!facts || !reference.path) return undefined;
  const known = spelledPaths(reference.path, reference.source.file, reference.origin)
    .map((candidate) => ({ path: candidate, facts: facts[candidate] }))
    .filter((entry): entry is { path: string; facts: PathFacts } => entry.facts !== undefined);
  // Ignore rules are judged on the spelling the reference most likely means (`tmp/x` from
  // the root, not `docs/tmp/x`): a broad pattern matching the other spelling excuses nothing.
  const meant = known[0];
  let distrusted: MissingPathVerdict['distrusted'];
  if (meant?.facts.ignored) {
    const rule = meant.facts.ignored;
    const kept = history?.ignoredFiles ?? {};
    const tracked = trackedUnderRule(meant.path, rule, files, kept);
    // A kept entry above the path is a submodule (gitlink): its files are another repository's, never this one's evidence.
    const keptFolder = rule.pattern.endsWith('/')
      ? Object.keys(kept).find((file) => sameRule(kept[file], rule) && !meant.path.startsWith(`${file}/`))
      : undefined;
    // Deleted with its ignore rule's change (the same day): local by decision, whatever else the rule matches.
    if (meant.facts.untracked) return { ...meant, ignored: rule };
    if (tracked) distrusted = { rule, path: meant.path, why: `the same rule matches files the repository keeps in \`${tracked}/\`` };
    // A folder rule the repository keeps files under (`scripts/` ignored, `scripts/deploy.sh` tracked) does not mark that folder name as output.
    else if (keptFolder) distrusted = { rule, path: meant.path, why: `the same rule matches \`${keptFolder}\`, which the repository keeps` };
    else if (sourceShaped(meant.path, rule, files)) distrusted = { rule, path: meant.path, why: 'sibling folders hold tracked files of the same shape' };
    else return { ...meant, ignored: rule };
  }
  const chosen = known.find((entry) => entry.facts.fate) ?? known.find((entry) => entry.facts.inHistory) ?? meant;
  if (!chosen) return undefined;
  return distrusted ? { ...chosen, distrusted } : chosen;
}

/**
 * Whether any spelling of a missing reference was ever a file on the
 * first-parent history: false is evidence the path is only a mention (or a
 * plan), true that it once existed. Undefined without history.
 */
export function everInHistory(reference: Reference, history: Pick<RepositoryHistory, 'paths'> | undefined): boolean | undefined {
  const facts = history?.paths;
  if (!facts || !reference.path) return undefined;
  const known = spelledPaths(reference.path, reference.source.file, reference.origin).map((candidate) => facts[candidate]).filter(Boolean);
  return known.length === 0 ? undefined : known.some((entry) => entry!.inHistory);
}

/** The gone file a reference abbreviates, by its first spelling that abbreviates one, and what became of it. */
export function abbreviatedFate(reference: Reference, history: Pick<RepositoryHistory, 'paths'> | undefined): { path: string; fate: PathFate } | undefined {
  const facts = history?.paths;
  if (!facts || !reference.path) return undefined;
  for (const candidate of spelledPaths(reference.path, reference.source.file, reference.origin)) {
    const abbreviated = facts[candidate]?.abbreviated;
    if (abbreviated) return abbreviated;
  }
  return undefined;
}

/** Whether some file git ever had ends with the reference, by any spelling: it abbreviates that file. */
export function abbreviatesHistory(reference: Reference, history: Pick<RepositoryHistory, 'paths'> | undefined): boolean {
  const facts = history?.paths;
  if (!facts || !reference.path) return false;
  return spelledPaths(reference.path, reference.source.file, reference.origin).some((candidate) => facts[candidate]?.tailOfHistory === true);
}

/**
 * Languages of program source. A repository holds such code or it does not;
 * data, config, logs and scripts (`.json`, `.log`, `.sh`) come and go at run
 * time or by hand, so never having held one says nothing.
 */
const SOURCE_LANGUAGES = new Set([
  'typescript', 'javascript', 'python', 'ruby', 'go', 'csharp', 'java', 'kotlin', 'scala', 'swift', 'dart', 'rust',
  'c', 'cpp', 'php', 'vue', 'svelte', 'elixir', 'haskell', 'lua', 'perl', 'r', 'solidity', 'erlang', 'lisp', 'hcl',
]);

/**
 * The extension of a source file no file git ever had shares (`.tsx` cited in
 * a repository that never held one): the code of another repository. Undefined
 * when git was not asked, the path is not program source, or some file had it.
 */
export function foreignExtension(reference: Reference, history: Pick<RepositoryHistory, 'paths'> | undefined): string | undefined {
  const facts = history?.paths;
  if (!facts || !reference.path || !SOURCE_LANGUAGES.has(languageOf(reference.path))) return undefined;
  const spellings = spelledPaths(reference.path, reference.source.file, reference.origin).map((candidate) => facts[candidate]);
  if (spellings.length === 0 || spellings.some((entry) => entry?.extensionInHistory !== false)) return undefined;
  return reference.path.slice(reference.path.lastIndexOf('.'));
}

/**
 * Whether the reference reads as another repository's path to git: no
 * spelling's first folder ever held a file (`frontend/` written in a
 * repository that never had one, read from the root or from the document's
 * folder), and no file git ever had ends with it (`admin/settings.tsx` for a
 * `src/pages/admin/settings.tsx` since renamed is an abbreviation). Undefined
 * when git was not asked or the path climbs.
 */
export function foreignToHistory(reference: Reference, history: Pick<RepositoryHistory, 'paths'> | undefined): boolean | undefined {
  const facts = history?.paths;
  if (!facts || !reference.path || /^\.{1,2}\//.test(reference.path)) return undefined;
  const written = reference.path.split('/').filter(Boolean).length;
  if (written < 2) return undefined;
  for (const candidate of spelledPaths(reference.path, reference.source.file, reference.origin)) {
    const entry = facts[candidate];
    if (entry?.foldersInHistory === undefined || entry.tailOfHistory === undefined) return undefined;
    // The written path's first folder sits after the folders the spelling put before it.
    if (entry.foldersInHistory > candidate.split('/').length - written || entry.tailOfHistory) return false;
  }
  return true;
}

/**
 * The folder that shows an ignore rule does not mean "generated" here: the
 * nearest folder above `file` that holds files (never the root, where any
 * broad pattern would meet some kept file), when one of its files matches the
 * same rule and is kept anyway (`docs/` ignored while `docs/` is tracked).
 */
function trackedUnderRule(file: string, rule: IgnoreRule, files: readonly string[], ignoredFiles: Record<string, IgnoreRule>): string | undefined {
  const segments = file.split('/');
  for (let depth = segments.length - 1; depth >= 1; depth--) {
    const folder = segments.slice(0, depth).join('/');
    const inside = files.filter((candidate) => candidate.startsWith(`${folder}/`));
    if (inside.length === 0) continue;
    const same = inside.some((candidate) => sameRule(ignoredFiles[candidate], rule));
    return same ? folder : undefined;
  }
  return undefined;
}

function sameRule(a: IgnoreRule | undefined, b: IgnoreRule): boolean {
  return a !== undefined && a.source === b.source && a.line === b.line;
}

const GLOB_CHARACTERS = /[*?[\\]/;

/**
 * A bare-name ignore pattern (`webhook-processor`: no slash, no wildcard) is
 * written for a built binary, but git also applies it to any folder of that
 * name. When it matches a folder of `file` (not its own name) and a sibling
 * folder holds a tracked file of the same shape (`cmd/webhook-processor/main.go`
 * beside `cmd/ai-service/main.go`), the path is source that should exist: the
 * ignore rule does not explain its absence.
 */
function sourceShaped(file: string, rule: IgnoreRule, files: readonly string[]): boolean {
  const pattern = rule.pattern;
  if (pattern.includes('/') || GLOB_CHARACTERS.test(pattern)) return false;
  const segments = file.split('/');
  const at = segments.lastIndexOf(pattern, segments.length - 2);
  if (at < 0) return false;
  const parent = segments.slice(0, at).join('/');
  const rest = segments.slice(at + 1).join('/');
  const prefix = parent ? `${parent}/` : '';
  return files.some((candidate) => {
    if (!candidate.startsWith(prefix) || !candidate.endsWith(`/${rest}`)) return false;
    const middle = candidate.slice(prefix.length, candidate.length - rest.length - 1);
    return middle !== '' && middle !== pattern && !middle.includes('/');
  });
}

/**
 * A deletion that was a conversion: the commit that deleted `src/Foo.jsx` added `src/Foo.tsx`, the one file of
 * that folder and stem with another extension, and it is still there. git's rename detection misses such a
 * pair when the contents changed too much (a JavaScript-to-TypeScript port); the reference should follow it.
 * `siblings` gives the files of the tree that share a path's folder and stem.
 */
export function convertedFate(
  fate: PathFate,
  file: string,
  changes: Record<string, PathChange[] | undefined>,
  siblings: (file: string) => readonly string[],
): PathFate {
  if (fate.kind !== 'deleted') return fate;
  const added = siblings(file).filter((other) => other !== file && changes[other]?.some((change) => change.hash === fate.commit && change.status === 'A'));
  return added.length === 1 ? { kind: 'renamed', to: added[0], commit: fate.commit } : fate;
}

/** `folder/stem` of a path: `src/Foo` for `src/Foo.jsx` (a dotfile keeps its name). */
export function pathStem(file: string): string {
  const slash = file.lastIndexOf('/');
  const dot = file.lastIndexOf('.');
  return dot > slash + 1 ? file.slice(0, dot) : file;
}

/**
 * `deleted in a1b2c3d on 2026-03-02`, `renamed to \`x\` in a1b2c3d on 2026-03-02`, or both: `renamed to \`x\`
 * in …, then deleted in …`. A merge is named as one: the first-parent line sees the change there, but the
 * commit that made it is on the merged branch.
 */
export function describeFate(fate: PathFate, commits: Record<string, CommitInfo>): string {
  const when = (hash: string): string => {
    const commit = commits[hash];
    return commit ? ` ${commit.merge ? 'by the merge' : 'in'} ${commit.short} on ${commitDay(commit)}` : '';
  };
  if (fate.kind === 'renamed') return `renamed to \`${fate.to}\`${when(fate.commit)}`;
  // Said whole: a reader who asks git about the old path sees the rename, not the deletion.
  return fate.via ? `renamed to \`${fate.via.to}\`${when(fate.via.commit)}, then deleted${when(fate.commit)}` : `deleted${when(fate.commit)}`;
}

/** `.gitignore:12 (\`tmp/\`)`. */
export function describeIgnoreRule(rule: IgnoreRule): string {
  return `\`${rule.source}:${rule.line}\` (\`${rule.pattern}\`)`;
}

/** The change records of one path, newest first, as the first-parent log lists them. */
export interface PathChange {
  hash: string;
  /** git's status letter: A, M, D, R, C, T. */
  status: string;
}

/**
 * What became of `file` on the first-parent history: its newest change
 * deleted it, or renamed it away (followed forward to where the file is now;
 * a renamed file deleted later counts as deleted, by that later commit). Undefined when its newest change left a
 * file there (the work tree lacks it for another reason).
 */
export function pathFate(
  file: string,
  changes: Record<string, PathChange[] | undefined>,
  renames: ReadonlyArray<{ hash: string; from: string; to: string }>,
): PathFate | undefined {
  let first: string | undefined;
  let name = file;
  const seen = new Set<string>();
  for (;;) {
    if (seen.has(name)) return undefined;
    seen.add(name);
    const newest = changes[name]?.[0];
    if (!newest) return undefined;
    if (newest.status === 'D') return first === undefined ? { kind: 'deleted', commit: newest.hash } : { kind: 'deleted', commit: newest.hash, via: { to: name, commit: first } };
    const away = newest.status === 'R' ? renames.find((rename) => rename.hash === newest.hash && rename.from === name) : undefined;
    if (!away) return first === undefined ? undefined : { kind: 'renamed', to: name, commit: first };
    first ??= away.hash;
    name = away.to;
  }
}
