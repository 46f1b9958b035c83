/**
 * Batched reads of a repository's git history, each one git process however
 * many references there are (long path lists are split only to respect
 * command-line limits): `git log --name-status` for commits, the files each
 * touched and renames; `git diff --name-only` for uncommitted files;
 * `git log -p --unified=0` for the changes to the files that matter;
 * `git diff-tree --stdin` for the diffs from every base commit to HEAD; and
 * `git diff HEAD` for the work tree. Paths are relative to the scanned root
 * (`--relative`), which may sit inside a larger work tree.
 */
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { CommitDiff, CommitInfo } from '../core/history/history.ts';
import type { IgnoreRule } from '../core/history/missing-paths.ts';
import { parseDiffSections, skimHunkBodies, type FileDiff } from '../core/history/line-map.ts';
import { git, gitBytes, gitWithWarnings, GitPipe, gitVersion, openScope, probeScope, type GitScope, type LocateOptions, type ScopeFacts } from './git.ts';
import type { HistoryCache, RenameDetection } from './history-cache.ts';
import { readRegularFile } from './read-files.ts';


export interface GitRepository extends GitScope {
  head: string;
  shallow: boolean;
  /**
   * Options that make `git log` walk first parents and diff a merge against its first parent only. Asked for
   * only when a log is read: a warm run whose log and patches are all kept forks no `git version`.
   */
  firstParent: () => Promise<string[]>;
  /** git's answers about commits and trees from earlier runs (`history-cache.ts`), when kept. */
  answers?: HistoryCache;
}

const DIFF_FLAGS = ['--no-color', '--src-prefix=a/', '--dst-prefix=b/', '--relative'];
/** Keep each command line well under every platform's limit (Windows: 32k characters). */
const PATHSPEC_CHARS = 24_000;

/** The repository `root` is in, with a HEAD; undefined without git, outside a work tree, before the first commit, or when its `.git` is refused. */
export async function openRepository(root: string, options: LocateOptions = {}): Promise<GitRepository | undefined> {
  return repositoryIn((await openScope(root, options)).scope);
}

/** The repository of an already located scope, with a HEAD; undefined without one. `probe`: the scan's own `rev-parse` of it, when it asked already. */
export async function repositoryIn(scope: GitScope | undefined, probe?: Promise<ScopeFacts>): Promise<GitRepository | undefined> {
  if (!scope) return undefined;
  try {
    const { inside, shallow, head } = await (probe ?? probeScope(scope));
    if (!inside || !head) return undefined;
    return { ...scope, head, shallow, firstParent: () => gitVersion().then(firstParentOptions) };
  } catch {
    return undefined;
  }
}

/**
 * HEAD and the index as the git directory's files say, without running git:
 * HEAD, the branch it names (its loose ref and the packed refs), the
 * index's, the exclude file's, the config's and a reftable's stat data. Equal stamps: no commit,
 * checkout, reset, `git add`, exclude or config edit in between (git replaces the
 * index file whenever it writes it). Undefined when it cannot tell.
 */
export async function readGitStamp(scope: GitScope): Promise<string | undefined> {
  const { gitDir } = scope.location;
  try {
    const head = await readStampFile(path.join(gitDir, 'HEAD'));
    const common = await readStampFile(path.join(gitDir, 'commondir')).catch(() => undefined);
    const shared = common === undefined ? gitDir : path.resolve(gitDir, common.trim());
    // A worktree's common directory holds its git directory (`.git/worktrees/<name>` → `.git`); nothing else is read.
    if (path.relative(shared, gitDir).startsWith('..')) return undefined;
    const ref = /^ref: (refs\/[^\s]+)\s*$/.exec(head)?.[1];
    // A ref is a name inside the git directory; anything else is not followed.
    if (ref !== undefined && ref.split('/').some((part) => part === '..' || part === '')) return undefined;
    const target = ref === undefined ? '' : await readStampFile(path.join(shared, ref)).catch(() => '');
    if (target.startsWith('ref:')) return undefined;
    // The repository's config too: it names the origin remote and settings that change git's listings (`git-state-cache.ts`).
    const stats = await Promise.all(
      [path.join(shared, 'packed-refs'), path.join(gitDir, 'index'), path.join(shared, 'info', 'exclude'), path.join(gitDir, 'shallow'), path.join(shared, 'reftable', 'tables.list'), path.join(shared, 'config')].map(statStamp),
    );
    return [head, target, ...stats].join('\0');
  } catch {
    return undefined;
  }
}

/**
 * A small file of the git directory (HEAD, a loose ref, `commondir`): a regular file, no link in its
 * last part, at most 4 KiB, else an error (the stamp is then unknown and the refresh reads everything).
 */
async function readStampFile(file: string): Promise<string> {
  const read = await readRegularFile(file, 4096);
  if ('skipped' in read) throw new Error(`${file}: ${read.skipped}`);
  return read.bytes.toString('utf8');
}

async function statStamp(file: string): Promise<string> {
  const info = await lstat(file, { bigint: true }).catch(() => undefined);
  return info ? `${info.mtimeNs}:${info.size}:${info.ino}` : '-';
}

export interface CommitLog {
  /** Commits on HEAD's first-parent line, newest first. */
  order: string[];
  commits: Record<string, CommitInfo>;
  /** Tree of each commit, for `diff-tree --stdin`. */
  trees: Record<string, string>;
  /** Parents of each commit (first parent first); only merges are listed. */
  mergeParents: Record<string, string[]>;
  /** Commits that touched each path (under that name), newest first, with git's status letter. */
  fileChanges: Record<string, Array<{ hash: string; status: string }>>;
  /** Renames, newest first. */
  renames: Array<{ hash: string; from: string; to: string }>;
  /** How completely git paired renames in this log; unknown for a log parsed from text alone. */
  renameDetection?: RenameDetection;
}

/** HEAD's first-parent history: commits, the files each touched, renames. Names only, so it is cheap. */
export async function readCommitLog(repository: GitRepository): Promise<CommitLog> {
  const [{ text, renameDetection }, boundary] = await Promise.all([
    logText(repository),
    repository.shallow ? shallowBoundary(repository) : Promise.resolve(new Set<string>()),
  ]);
  // A long-running engine reads history after every save: a kept log text whose head has not moved is parsed once
  // (0.6 s of each refresh on a 50k-file repository). Nobody writes to a parsed log.
  const kept = repository.answers?.log?.text === text && !repository.shallow ? repository.answers.log : undefined;
  const parsed = kept && parsedLogs.get(kept);
  if (parsed) return parsed;
  const log = parseCommitLog(text);
  if (renameDetection) log.renameDetection = renameDetection;
  for (const hash of boundary) if (log.commits[hash]) log.commits[hash].boundary = true;
  if (kept) parsedLogs.set(kept, log);
  return log;
}

/** The parse of each kept log text, by the record the history cache keeps it in (never written to the cache). */
const parsedLogs = new WeakMap<object, CommitLog>();

const LOG_FORMAT = '--format=%x1e%H%x1f%h%x1f%T%x1f%P%x1f%cI%x1f%s';

/**
 * git's log text up to HEAD. With a log kept from an earlier run whose head
 * is on HEAD's first-parent line, only the commits since it are read: git's
 * text for `<head> ^<old>` followed by the old text is byte for byte the
 * text for `<head>` (a shallow copy is always read whole: its cut can move).
 */
async function logText(repository: GitRepository): Promise<LogText> {
  const log = (renames: string) => async (range: string[]) =>
    gitWithWarnings(repository, ['log', ...(await repository.firstParent()), renames, '--name-status', '-z', '--relative', LOG_FORMAT, ...range, '--']);
  // A copy missing some objects (a partial clone away from its remote, a damaged mirror) cannot compare
  // contents to find edited renames, and git stops at the first blob it lacks. Exact renames need only blob ids
  // (`-M100%`), so a pure move still reads as one; failing that, names alone still say what was deleted.
  // Past `diff.renameLimit` git pairs only exact renames in that commit, and says so.
  const read = (range: string[]): Promise<LogText> =>
    log('-M')(range)
      .then(({ out, warnings }): LogText => ({ text: out, renameDetection: /rename detection was skipped/.test(warnings) ? 'exact' : 'all' }))
      .catch(() => log('-M100%')(range).then(({ out }): LogText => ({ text: out, renameDetection: 'exact' })))
      .catch(() => log('--no-renames')(range).then(({ out }): LogText => ({ text: out, renameDetection: 'none' })));
  const { answers, head } = repository;
  if (!answers || repository.shallow) return read([head]);
  const kept = answers.log;
  if (kept?.head === head) return { text: kept.text, renameDetection: kept.renameDetection };
  let found: LogText | undefined;
  if (kept) {
    const since = await read([head, `^${kept.head}`]);
    if (firstParentOfOldest(since.text) === kept.head) found = { text: since.text + kept.text, renameDetection: weaker(since.renameDetection, kept.renameDetection) };
  }
  found ??= await read([head]);
  answers.log = { head, text: found.text, ...(found.renameDetection && { renameDetection: found.renameDetection }) };
  return found;
}

/** A log's text and how completely git paired its renames (unknown for a text kept by an older cache). */
interface LogText {
  text: string;
  renameDetection?: RenameDetection;
}

const DETECTION_ORDER: RenameDetection[] = ['none', 'exact', 'all'];

/** The less complete of two detections; unknown when either is. */
function weaker(a: RenameDetection | undefined, b: RenameDetection | undefined): RenameDetection | undefined {
  if (!a || !b) return undefined;
  return DETECTION_ORDER[Math.min(DETECTION_ORDER.indexOf(a), DETECTION_ORDER.indexOf(b))];
}

/** The first parent of the last (oldest) commit in git's log text; undefined for an empty log. */
function firstParentOfOldest(text: string): string | undefined {
  const order = parseCommitLog(text).order;
  const oldest = order[order.length - 1];
  if (!oldest) return undefined;
  const at = text.lastIndexOf(`\x1e${oldest}\x1f`);
  const parents = text.slice(at + 1).split('\x1f')[3] ?? '';
  return parents.split(' ')[0] || undefined;
}

/**
 * A merge is one change against the line it landed on; its branch's own
 * commits are not walked. `--diff-merges` arrived in git 2.31; before it,
 * `-m` with `--first-parent` meant the same.
 */
function firstParentOptions(version: string): string[] {
  const [major, minor] = (/(\d+)\.(\d+)/.exec(version) ?? ['', '0', '0']).slice(1).map(Number);
  const modern = major > 2 || (major === 2 && minor >= 31);
  return ['--first-parent', modern ? '--diff-merges=first-parent' : '-m'];
}

/**
 * Read `git log -z --name-status --format=%x1e…%s` output. A subject or a
 * path may hold any character but NUL, `\x1e` and `\x1f` included, so the
 * text is read as NUL-separated tokens in order: a header starts with `\x1e`
 * only where a header can start (never where a path is expected), and the
 * subject runs from the fourth `\x1f` to the NUL.
 */
function parseCommitLog(text: string): CommitLog {
  const log: CommitLog = { order: [], commits: {}, trees: {}, mergeParents: {}, fileChanges: {}, renames: [] };
  const tokens = text.split('\0');
  let hash: string | undefined;
  // Character codes and no per-change arrays: a warm run parses the whole kept log (0.24 s of a 750-file check, profiled).
  for (let i = 0; i < tokens.length; i++) {
    let token = tokens[i];
    if (token.charCodeAt(0) === NEWLINE) token = token.slice(1);
    if (token.charCodeAt(0) === RECORD) {
      hash = readHeader(log, token.slice(1));
      continue;
    }
    if (!hash || !STATUS.test(token)) continue;
    const first = token.charCodeAt(0);
    const paired = first === 82 || first === 67; // R, C
    const from = tokens[i + 1];
    const to = paired ? tokens[i + 2] : undefined;
    i += paired ? 2 : 1;
    if (from === undefined || (paired && to === undefined)) break;
    if (first === 82) log.renames.push({ hash, from, to: to! });
    const status = token[0];
    addChange(log, from, hash, status);
    if (paired) addChange(log, to!, hash, status);
  }
  return log;
}

const NEWLINE = 10;
const RECORD = 0x1e;
const STATUS = /^[ACDMRTUXB]\d*$/;

function addChange(log: CommitLog, name: string, hash: string, status: string): void {
  const list = log.fileChanges[name] ?? (log.fileChanges[name] = []);
  if (list[list.length - 1]?.hash !== hash) list.push({ hash, status });
}

/** `hash\x1fshort\x1ftree\x1fparents\x1fdate\x1fsubject` → the commit, recorded; its hash, or undefined for a header that is not one. */
function readHeader(log: CommitLog, header: string): string | undefined {
  const [hash, short, tree, parents = '', date, ...subject] = header.split('\x1f');
  if (!/^[0-9a-f]{40,64}$/.test(hash) || !tree) return undefined;
  log.order.push(hash);
  log.commits[hash] = { hash, short, date, subject: subject.join('\x1f') };
  log.trees[hash] = tree;
  const parentList = parents.split(' ').filter((parent) => /^[0-9a-f]{40,64}$/.test(parent));
  if (parentList.length === 0) log.commits[hash].root = true;
  if (parentList.length > 1) {
    log.mergeParents[hash] = parentList;
    log.commits[hash].merge = true;
  }
  return hash;
}

const SHALLOW_MAX_BYTES = 16 * 1024 * 1024;

/** The commits a shallow clone was cut at. */
async function shallowBoundary(repository: GitRepository): Promise<Set<string>> {
  try {
    const file = path.resolve(repository.root, (await git(repository, ['rev-parse', '--git-path', 'shallow'])).trim());
    // A regular file of sane size: in a tarball, `.git/shallow` may be a link to `/dev/zero`.
    const read = await readRegularFile(file, SHALLOW_MAX_BYTES);
    if ('skipped' in read) return new Set();
    return new Set(read.bytes.toString('utf8').split('\n').map((line) => line.trim()).filter(Boolean));
  } catch {
    return new Set();
  }
}

const COMMIT_LINE = /^\x1e([0-9a-f]{40,64})$/;

/**
 * `--unified=0` patches of every first-parent commit that changed the given
 * paths (list all former names of a file in the same group, so git pairs the
 * renames), optionally only since a date. Newest first.
 */
export async function readPatches(
  repository: GitRepository,
  pathGroups: string[][],
  order: string[],
  since?: string,
): Promise<CommitDiff[]> {
  const read = () => readPatchesNow(repository, pathGroups, order, since);
  return repository.answers ? repository.answers.answer(patchesQuestion(repository, pathGroups, since), read) : read();
}

/** The history cache's question for `readPatches`: keyed by the head commit, as the log from a named commit never changes. */
export function patchesQuestion(repository: GitRepository, pathGroups: string[][], since?: string): string[] {
  return ['patches', repository.head, since ?? '', JSON.stringify(pathGroups)];
}

async function readPatchesNow(repository: GitRepository, pathGroups: string[][], order: string[], since: string | undefined): Promise<CommitDiff[]> {
  const byCommit = new Map<string, FileDiff[]>();
  const args = ['--literal-pathspecs', 'log', ...(await repository.firstParent()), '-M', '-p', '--unified=0', ...DIFF_FLAGS, '--format=%x1e%H'];
  if (since) args.push(`--since=${since}`);
  const texts = await inParallel(chunkPathGroups(pathGroups), (pathspec) => git(repository, [...args, repository.head, '--', ...pathspec]));
  // Merged in chunk order, so a commit's files come out the same however the runs finished.
  for (const text of texts) {
    for (const section of parseDiffSections(text, COMMIT_LINE)) {
      const hash = section.header?.slice(1);
      if (!hash) continue;
      byCommit.set(hash, [...(byCommit.get(hash) ?? []), ...section.files]);
    }
  }
  // Several runs each list their commits newest first; put them back in one order.
  return order.flatMap((hash) => {
    const files = byCommit.get(hash);
    return files ? [{ hash, files }] : [];
  });
}

/** git processes run side by side for one read: enough to fill a few cores, few enough not to swamp them. */
const GIT_CONCURRENCY = 4;

/** `run` over every item, at most `GIT_CONCURRENCY` at a time; results in input order. */
async function inParallel<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(GIT_CONCURRENCY, items.length) }, lane));
  return results;
}

/** A base commit and its tree, to diff against HEAD's tree. */
export interface BaseTree {
  commit: string;
  tree: string;
}

/**
 * Renames between each base and HEAD, over the whole tree: one process, names
 * only, so it stays cheap however many bases there are.
 */
export async function readRenames(repository: GitRepository, bases: BaseTree[], headTree: string): Promise<Map<string, Map<string, string>>> {
  const readNow = async (trees: BaseTree[]) => {
    const pass = (similarity: string) => diffTreeStdin(repository, trees, headTree, ['-r', similarity, '--name-status', '-z', '--diff-filter=R', '--relative'], []);
    // A copy missing a blob git would compare stops git (see `logText`); exact renames need only blob ids.
    const byTree = await pass('-M').catch(() => pass('-M100%'));
    return new Map([...byTree].map(([tree, text]) => [tree, parseRenames(text)]));
  };
  const { answers } = repository;
  if (!answers) return readNow(bases);
  // Each tree pair is diffed on its own, so only the trees not seen before go to git, in one process.
  const renames = new Map<string, Map<string, string>>();
  const missing: BaseTree[] = [];
  for (const tree of new Set(bases.map((base) => base.tree))) {
    const known = answers.peek<Array<[string, string]>>(['renames', tree, headTree]);
    if (known) renames.set(tree, new Map(known.value));
    else missing.push({ commit: tree, tree });
  }
  if (missing.length === 0) return renames;
  const read = await readNow(missing);
  for (const { tree } of missing) {
    const found = read.get(tree) ?? new Map<string, string>();
    answers.put(['renames', tree, headTree], [...found]);
    renames.set(tree, found);
  }
  return renames;
}

/**
 * Renames from each base to HEAD, composed from the first-parent log's own
 * renames (already read, when git compared contents in every commit of it:
 * {@link CommitLog.renameDetection} `all`) instead of a whole-tree
 * `diff-tree -M` per base:
 * that pass was the costliest git read after parsing on a cold run (0.4 s of
 * a 750-file repository's 4.8 s, with 51 bases). Only paths HEAD no longer
 * holds and the base's tree held are followed, as git pairs a rename only
 * from those, and only to a name HEAD holds. The base diffs still ask git to pair each one (both names
 * listed), so a chain whose file changed past recognition stays a deletion.
 */
export function composeRenames(log: CommitLog, pathsByBase: ReadonlyMap<string, Iterable<string>>, inHead: ReadonlySet<string>): Map<string, Map<string, string>> {
  const position = logPositions(log);
  // Each old name's renames, oldest first; a position is a commit's place in the log (0 = HEAD).
  const byName = new Map<string, Array<{ at: number; to: string }>>();
  const renamedAway = new Set<string>();
  for (let i = log.renames.length - 1; i >= 0; i--) {
    const { hash, from, to } = log.renames[i];
    renamedAway.add(`${hash}\0${from}`);
    const at = position.get(hash);
    if (at === undefined) continue;
    const list = byName.get(from) ?? [];
    list.push({ at, to });
    byName.set(from, list);
  }
  // The base's tree held the file when its last change at or before the base left it there.
  const heldAt = (file: string, at: number): boolean => {
    const last = log.fileChanges[file]?.find((change) => (position.get(change.hash) ?? -1) >= at);
    return last !== undefined && last.status !== 'D' && !renamedAway.has(`${last.hash}\0${file}`);
  };
  const composed = new Map<string, Map<string, string>>();
  for (const [base, paths] of pathsByBase) {
    const since = position.get(base);
    if (since === undefined) continue;
    const found = new Map<string, string>();
    for (const file of paths) {
      if (inHead.has(file) || !byName.has(file) || !heldAt(file, since)) continue;
      let name = file;
      let after = since;
      // The oldest rename of the current name that is newer than the last one followed.
      for (let next = oldestAfter(byName.get(name), after); next; next = oldestAfter(byName.get(name), after)) {
        name = next.to;
        after = next.at;
      }
      if (name !== file && inHead.has(name)) found.set(file, name);
    }
    composed.set(base, found);
  }
  return composed;
}

/** Whether the first-parent line changed `file` after the commit at `position` (0 = HEAD): else its base diff is empty. */
export function changedSince(log: CommitLog, file: string, position: number): boolean {
  const newest = log.fileChanges[file]?.[0];
  return newest !== undefined && (logPositions(log).get(newest.hash) ?? Infinity) < position;
}

/** Each commit's place in the log, newest (HEAD) 0. */
export function logPositions(log: CommitLog): ReadonlyMap<string, number> {
  let positions = positionsOf.get(log);
  if (!positions) positionsOf.set(log, (positions = new Map(log.order.map((hash, index) => [hash, index]))));
  return positions;
}

const positionsOf = new WeakMap<CommitLog, Map<string, number>>();

function oldestAfter(renames: Array<{ at: number; to: string }> | undefined, after: number): { at: number; to: string } | undefined {
  return renames?.find((rename) => rename.at < after);
}

/** `R090\0old\0new\0` records → old → new. */
function parseRenames(text: string): Map<string, string> {
  const renames = new Map<string, string>();
  const tokens = text.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const status = tokens[i].split('\n').pop() ?? '';
    if (/^[RC]\d*$/.test(status) && i + 2 < tokens.length) {
      if (status.startsWith('R')) renames.set(tokens[i + 1], tokens[i + 2]);
      i += 2;
    }
  }
  return renames;
}

/**
 * `--unified=0` patches from each base to HEAD for the given paths (both
 * sides of every rename must be listed for git to pair them). Long path
 * lists are split over several runs, rename pairs kept together.
 */
export async function readBaseDiffs(
  repository: GitRepository,
  bases: BaseTree[],
  headTree: string,
  pathGroups: string[][],
): Promise<Map<string, FileDiff[]>> {
  const files = new Map<string, FileDiff[]>();
  for (const pathspec of chunkPathGroups(pathGroups)) {
    // Only the lines outside hunk bodies are decoded (`skimHunkBodies`); the whole text when a body is not plain.
    let skimmed = true;
    const decode = (bytes: Buffer) => {
      const text = skimHunkBodies(bytes);
      skimmed = text !== undefined;
      return text ?? bytes.toString('utf8');
    };
    const byTree = await diffTreeStdin(repository, bases, headTree, ['-r', '-M', '-p', '--unified=0', ...DIFF_FLAGS], pathspec, decode);
    for (const [tree, text] of byTree) {
      const diffs = parseDiffSections(text, undefined, skimmed).flatMap((section) => section.files);
      files.set(tree, [...(files.get(tree) ?? []), ...diffs]);
    }
  }
  return files;
}

/** Run `git diff-tree --stdin` over `<base tree> <head tree>` pairs; output split per base tree. */
async function diffTreeStdin(
  repository: GitRepository,
  bases: BaseTree[],
  headTree: string,
  flags: string[],
  pathspec: string[],
  decode: (bytes: Buffer) => string = (bytes) => bytes.toString('utf8'),
): Promise<Map<string, string>> {
  const trees = [...new Set(bases.map((base) => base.tree))].filter((tree) => tree !== headTree);
  if (trees.length === 0) return new Map();
  const input = trees.map((tree) => `${tree} ${headTree}\n`).join('');
  const text = decode(await gitBytes(repository, ['--literal-pathspecs', 'diff-tree', '--stdin', ...flags, '--', ...pathspec], input));
  return splitByHeader(text, new Set(trees), headTree);
}

/**
 * diff-tree prints `<tree> <tree>` before each pair's output; cut the text there. A header is a whole line (after
 * a newline, a NUL or the start): 40-64 hex digits, a space, HEAD's tree. Found by searching for ` <head tree>\n`
 * and checking what precedes it: a regular expression with a lookbehind tried at every character took 0.1-0.4 s
 * of a cold check on the 11 MB a 750-file repository's base diffs print (profiled).
 */
export function splitByHeader(text: string, trees: ReadonlySet<string>, headTree: string): Map<string, string> {
  const parts = new Map<string, string>();
  const needle = ` ${headTree}\n`;
  const marks: Array<{ tree: string; from: number; headerAt: number }> = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    const lineStart = headerStart(text, at);
    if (lineStart === undefined) continue;
    const tree = text.slice(lineStart, at);
    if (!trees.has(tree)) continue;
    marks.push({ tree, from: at + needle.length, headerAt: lineStart });
  }
  marks.forEach((mark, index) => {
    const to = index + 1 < marks.length ? marks[index + 1].headerAt : text.length;
    parts.set(mark.tree, text.slice(mark.from, to));
  });
  return parts;
}

/** Where a header line holding a tree id ends at `end` starts: 40-64 hex digits after a newline, a NUL or the start; undefined otherwise. */
function headerStart(text: string, end: number): number | undefined {
  for (let at = end - 1; at >= end - 65; at--) {
    const code = at < 0 ? 10 : text.charCodeAt(at);
    if (code === 10 || code === 0) return end - at - 1 >= 40 ? at + 1 : undefined;
    // 0-9, a-f
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return undefined;
  }
  return undefined;
}

/** Split path groups into pathspecs under the command-line budget, never splitting a group. */
export function chunkPathGroups(groups: string[][], budget = PATHSPEC_CHARS): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  const seen = new Set<string>();
  for (const group of groups) {
    const fresh = group.filter((file) => !seen.has(file));
    if (fresh.length === 0) continue;
    const groupSize = fresh.reduce((total, file) => total + file.length + 1, 0);
    if (current.length > 0 && size + groupSize > budget) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    for (const file of fresh) seen.add(file);
    current.push(...fresh);
    size += groupSize;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Which of `paths` (relative to the scanned root, none of them in the work
 * tree) the repository's ignore rules match, and by which rule: one
 * `git check-ignore --stdin` for all of them. Git's own matcher rather than a
 * re-implementation (the `ignore` package would need every nested
 * `.gitignore` read and stacked by hand, and says nothing of
 * `.git/info/exclude`); `-v` names the file, line and pattern for the
 * evidence. `--no-index`: a path the index still lists is judged by its
 * patterns too. It reads ignore files only, runs no program. Empty on any
 * failure: a path git cannot judge is simply not known to be ignored.
 */
export async function readIgnored(repository: GitScope, paths: string[]): Promise<Map<string, IgnoreRule>> {
  const asked = askable(paths);
  if (asked.length === 0) return new Map();
  let text: string;
  try {
    text = await git(repository, ['check-ignore', '--no-index', '--verbose', '-z', '--stdin'], asked.map((file) => `${file}\0`).join(''));
  } catch {
    // Exit 1 is "nothing ignored"; anything else costs only this evidence.
    return new Map();
  }
  return ignoreRulesOf(repository, text.split('\0'));
}

/** The paths check-ignore can be asked about: a leading `:` reads as pathspec magic, which it refuses for the whole batch. */
function askable(paths: readonly string[]): string[] {
  return paths.filter((file) => file !== '' && !file.startsWith(':') && !file.includes('\0'));
}

/** check-ignore's `-z --verbose` records (source, line, pattern, path), as rules by path; a record with no source matched nothing. */
function ignoreRulesOf(scope: GitScope, tokens: readonly string[]): Map<string, IgnoreRule> {
  const found = new Map<string, IgnoreRule>();
  for (let i = 0; i + 3 < tokens.length; i += 4) {
    const [source, line, pattern, file] = tokens.slice(i, i + 4);
    // A negated pattern (`!keep.json`) is the rule that decided, and it re-includes the path.
    if (!source || pattern.startsWith('!')) continue;
    const named = ignoreSource(scope, source);
    if (named) found.set(file, { source: named, line: Number(line), pattern });
  }
  return found;
}

/**
 * {@link readIgnored} through one long-lived `git check-ignore --stdin` (the
 * resident engine's: a new missing reference typed in an editor is one path
 * to ask, and a process per refresh cost a fork of the whole engine, ~10 ms of
 * its main thread on the large benchmark repository, and git's start-up).
 * `--non-matching` gives one record per path, so an answer is known complete.
 * Git keeps the ignore files it read: its owner makes a new one when an
 * ignore file may have changed (a whole history read). On a failure (git
 * refuses a path, the process ended) the batch is asked by {@link readIgnored},
 * which answers as before; the process is not used again.
 */
export class IgnoreReader {
  private readonly pipe: GitPipe;
  /** Paths asked through the process (for tests). */
  asked = 0;

  constructor(private readonly scope: GitScope) {
    this.pipe = new GitPipe(scope, ['check-ignore', '--no-index', '--verbose', '--non-matching', '-z', '--stdin'], 'git check-ignore');
  }

  /** What {@link readIgnored} answers for `paths`. */
  read(paths: readonly string[]): Promise<Map<string, IgnoreRule>> {
    const asked = askable(paths);
    if (asked.length === 0) return Promise.resolve(new Map());
    return this.pipe.serial(() => this.readNow(asked)).catch(() => {
      this.close();
      return readIgnored(this.scope, asked);
    });
  }

  close(): void {
    this.pipe.close();
  }

  private async readNow(paths: string[]): Promise<Map<string, IgnoreRule>> {
    const pipe = this.pipe;
    pipe.write(paths.map((file) => `${file}\0`).join(''));
    this.asked += paths.length;
    const tokens: string[] = [];
    while (tokens.length < 4 * paths.length) {
      const end = pipe.buffered.indexOf(0);
      if (end < 0) {
        await pipe.more();
        continue;
      }
      tokens.push(pipe.buffered.subarray(0, end).toString('utf8'));
      pipe.buffered = pipe.buffered.subarray(end + 1);
    }
    return ignoreRulesOf(this.scope, tokens);
  }
}

/**
 * The ignore file as the report names it, relative to the scanned root (git
 * prints it relative to the top of the work tree); `.git/info/exclude` for
 * the repository's own exclude file (git prints it absolute); nothing for a
 * file elsewhere (a `core.excludesFile` is the user's, not the repository's).
 */
function ignoreSource(scope: GitScope, source: string): string | undefined {
  if (path.isAbsolute(source)) return /[\\/]info[\\/]exclude$/.test(source) ? '.git/info/exclude' : undefined;
  const relative = path.relative(scope.root, path.resolve(scope.location.workTree, source));
  return relative.split(path.sep).join('/');
}

/**
 * Of `paths`, the ones a merge's branch side (every parent but the first)
 * holds in another version than the merge itself: `git diff --name-only` per
 * parent, names only. A reference the merge brought in was written on that
 * side, against a version the merge no longer has.
 */
export async function readMergeDisagreements(repository: GitRepository, merge: string, parents: string[], paths: string[]): Promise<Set<string>> {
  const read = () => readMergeDisagreementsNow(repository, merge, parents, paths).then((found) => [...found]);
  return new Set(repository.answers ? await repository.answers.answer(['merge', merge, ...parents, '\0', ...paths], read) : await read());
}

async function readMergeDisagreementsNow(repository: GitScope, merge: string, parents: string[], paths: string[]): Promise<Set<string>> {
  const differing = new Set<string>();
  for (const pathspec of chunkPathGroups(paths.map((file) => [file]))) {
    for (const parent of parents.slice(1)) {
      const text = await git(repository, ['--literal-pathspecs', 'diff', '--name-only', '-z', '--no-renames', '--relative', parent, merge, '--', ...pathspec]);
      for (const file of text.split('\0')) if (file) differing.add(file);
    }
  }
  return differing;
}
