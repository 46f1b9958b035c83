/**
 * Gather the git history the history rules need for one linked graph, in a
 * handful of batched git calls, and hand it back as plain
 * `RepositoryHistory` data:
 *
 * 1. `git log --name-status` (whole first-parent history, names only) and
 *    the index against the files on disk (`worktree.ts`): which files
 *    changed when, renames, what is uncommitted.
 * 2. HEAD's blobs against the files on disk for the uncommitted files that
 *    matter.
 * 3. `git log -p` for documents whose cited code changed after they were
 *    written: which commit wrote each reference's line.
 * 4. `git diff-tree --stdin` (renames, then patches): from each such commit
 *    to HEAD, for the cited files — where the lines went.
 * 5. `git log -p --since` for cited code and marked code: what changed in
 *    them since the earliest cut-off.
 *
 * Without git, or before the first commit, there is no history and the
 * rules skip; a git failure midway costs the history checks, not the scan.
 */
import { Minimatch } from 'minimatch';
import {
  commitTime,
  formerNames,
  lineOrigin,
  traceFileHistory,
  uncommittedCommit,
  UNCOMMITTED,
  type CommitDiff,
  type CommitInfo,
  type FileHistory,
  type RepositoryHistory,
} from '../core/history/history.ts';
import type { FileDiff } from '../core/history/line-map.ts';
import { extensionOf } from '../core/extract/reference-parse.ts';
import { globToRegExp } from '../core/graph/resolve.ts';
import type { LinkedGraph } from '../core/graph/link-graph.ts';
import { citedCode, relocate, type CitedCode } from '../core/history/relocate.ts';
import { convertedFate, missingPathCandidates, pathFate, pathStem, type IgnoreRule, type PathFacts } from '../core/history/missing-paths.ts';
import {
  openRepository,
  repositoryIn,
  readBaseDiffs,
  readCommitLog,
  readIgnored,
  IgnoreReader,
  readMergeDisagreements,
  readPatches,
  readRenames,
  composeRenames,
  changedSince,
  logPositions,
  patchesQuestion,
  readGitStamp,
  type BaseTree,
  type CommitLog,
  type GitRepository,
} from './git-history.ts';
import type { GitScope, ScopeFacts } from './git.ts';
import { readDirtyState, readWorktreeDiff, updateDirtyFiles, worktreeMemo, type CachedIds, type DirtyState, type IndexAnswers, type WorktreeMemo } from './worktree.ts';
import { ConfigError } from './load-config.ts';
import type { HistoryCache } from './history-cache.ts';

type Graph = Pick<LinkedGraph, 'documents' | 'references' | 'markers' | 'processes' | 'paths'>;

const DAY_MS = 86_400_000;

/** The reads that need no graph: the repository, its first-parent log, its uncommitted files. */
export interface HistoryStart {
  repository: GitRepository;
  log: CommitLog;
  dirty: string[];
  /** The paths HEAD's tree holds, when the index says (`DirtyState.inHead`): a cited path among them was not renamed away. */
  inHead?: ReadonlySet<string>;
  /** An editor's unsaved texts (path → text): read as the work-tree version of those files. */
  unsaved?: ReadonlyMap<string, string>;
  /** HEAD and the index before the reads (`readGitStamp`), and what the work-tree comparison saw: what a later refresh starts from. */
  kept?: { stamp: string; state: DirtyState };
  /** What the resident engine's reads keep for the next one. */
  memo?: HistoryMemo;
  /** No history kept for this HEAD (a cold read): a read that may go unused is started early (`codeHistoriesAhead`). */
  readAhead?: boolean;
  /** Waited for between the reads (the resident engine's refresh: until no check waits, so a keystroke is never checked behind them). */
  pause?: () => Promise<void>;
}

/**
 * What one history read of the resident engine keeps for the next. While
 * HEAD (and the branch it names) and the index stay as they were, the log,
 * git's answers about the work tree's HEAD side and about ignored paths
 * hold: a refresh after a save looks at the saved files only (no pass over
 * the index, no git process when git has nothing new to say). Any change
 * on git's side, or to an ignore file, reads everything again.
 */
export interface HistoryMemo {
  /** The last whole read's start, the stamp it was taken under and the work-tree state it compared. */
  full?: { stamp: string; start: HistoryStart; state: DirtyState };
  /** `git check-ignore`'s rule for each path asked since the last whole read (null: not ignored). */
  ignored: Map<string, IgnoreRule | null>;
  /** The file list whose paths `ignored` has answers for. */
  askedPaths?: readonly string[];
  /** The `git check-ignore --stdin` that answers for `ignored` (started at the first question, ended with the memo's base). */
  ignoreReader?: IgnoreReader;
  worktree: WorktreeMemo;
  /** The last read's file histories: one settled without reading that says the same again is kept as the same object. */
  files?: RepositoryHistory['files'];
  /** Each missing path's facts and the ignored files, kept while the log, the file list and `ignored` are the same. */
  judged?: JudgedPaths;
  /** Refreshes that read everything again, and those that looked at the changed files only (for tests and the bench). */
  fullReads: number;
  quickReads: number;
  /** Missing paths whose facts were worked out (not kept from an earlier read). */
  pathsJudged: number;
}

export function historyMemo(): HistoryMemo {
  return { ignored: new Map(), worktree: worktreeMemo(), fullReads: 0, quickReads: 0, pathsJudged: 0 };
}

/** Take a whole read's start as the memo's base (what is kept of an older one goes). */
export function keepStart(memo: HistoryMemo, start: HistoryStart | undefined): void {
  memo.worktree.reader?.close();
  // Git keeps the ignore files it read: a whole read (an ignore file may have changed) asks a new process.
  memo.ignoreReader?.close();
  memo.ignoreReader = undefined;
  memo.ignored = new Map();
  memo.askedPaths = undefined;
  memo.judged = undefined;
  memo.worktree = worktreeMemo(start?.repository, start?.kept?.state);
  memo.full = start?.kept && { stamp: start.kept.stamp, start: { repository: start.repository, log: start.log, dirty: start.dirty, inHead: start.inHead }, state: start.kept.state };
}

/**
 * The start of a refresh: when HEAD and the index are as the memo's last
 * whole read found them and no ignore file changed, that read's repository
 * and log, with the work tree looked at again for `changed` only (the files
 * saved, created or deleted since the last refresh); otherwise `whole()`.
 */
export async function refreshStart(
  memo: HistoryMemo,
  changed: ReadonlySet<string>,
  unsaved: ReadonlyMap<string, string> | undefined,
  whole: () => Promise<HistoryStart | undefined>,
): Promise<HistoryStart | undefined> {
  const full = memo.full;
  if (full && ![...changed].some(isIgnoreFile)) {
    try {
      if ((await readGitStamp(full.start.repository)) === full.stamp) {
        await updateDirtyFiles(full.start.repository, full.state, changed);
        memo.quickReads++;
        return { ...full.start, dirty: [...full.state.dirty].sort(), unsaved, memo };
      }
    } catch {
      // Read everything again.
    }
  }
  memo.fullReads++;
  const start = await whole();
  keepStart(memo, start);
  return start && { ...start, unsaved, memo };
}

/** A `.gitignore` anywhere: what git ignores may have changed. */
function isIgnoreFile(file: string): boolean {
  return file === '.gitignore' || file.endsWith('/.gitignore');
}

/**
 * Begin reading history before the graph exists, so git works on its own
 * while files are read and parsed. Never rejects: undefined without git.
 * `onUnchanged`: told the tracked files git's stat data says are unchanged (`worktree.ts`);
 * `probe`: the scan's `rev-parse` of the scope, shared with discovery; `cachedIds`: blob ids the fact cache vouches for;
 * `gitState`: the one-shot scan's git state (`git-state-cache.ts`): its stamp, read before any git process, and git's
 * index answers, kept from the last run when that stamp is the same. `readIds`: the blob ids of the files the scan read,
 * once it has (`CollectedFacts.readIds`): the work-tree comparison does not hash them again.
 */
export function startHistory(
  root: string,
  located?: { scope?: GitScope },
  answers?: Promise<HistoryCache | undefined>,
  onUnchanged?: (ids: Map<string, string>) => void,
  probe?: Promise<ScopeFacts>,
  cachedIds?: Promise<CachedIds | undefined>,
  gitState?: Promise<{ stamp: string | undefined; index: () => Promise<IndexAnswers> } | undefined>,
  readIds?: Promise<ReadonlyMap<string, string> | undefined>,
): Promise<HistoryStart | undefined> {
  const start = async (): Promise<HistoryStart | undefined> => {
    const known = await gitState;
    // Before anything is read: a change while it reads makes the next refresh read everything again.
    const stamp = known ? known.stamp : located?.scope && (await readGitStamp(located.scope));
    const [found, cache] = await Promise.all([located ? repositoryIn(located.scope, probe) : openRepository(root), answers]);
    if (!found) return undefined;
    const repository = cache ? { ...found, answers: cache } : found;
    // Asked before the log is read (which keeps the new one): a log kept for this very HEAD means its answers are kept too.
    const readAhead = cache?.log?.head !== repository.head;
    const [log, state] = await Promise.all([readCommitLog(repository), readDirtyState(repository, onUnchanged, cachedIds, known?.index, readIds)]);
    return { repository, log, dirty: [...state.dirty].sort(), inHead: state.inHead, kept: stamp ? { stamp, state } : undefined, readAhead };
  };
  // A broken or unusual repository costs the history checks, never the scan.
  return start().catch(() => undefined);
}

export async function readHistory(
  root: string,
  graph: Graph,
  started: Promise<HistoryStart | undefined> = startHistory(root),
): Promise<RepositoryHistory | undefined> {
  const start = await started;
  if (!start) return undefined;
  try {
    return await gather(start, graph);
  } catch {
    return undefined;
  } finally {
    // Never an error: the answers are only ever a saving.
    await start.repository.answers?.save();
  }
}

/** What the reads share: the log, the uncommitted files, and the history being filled in. */
interface Reading {
  memo?: HistoryMemo;
  repository: GitRepository;
  graph: Graph;
  log: CommitLog;
  dirty: Set<string>;
  inHead?: ReadonlySet<string>;
  unsaved?: ReadonlyMap<string, string>;
  cited: CitedCode[];
  markerFiles: Map<string, string[]>;
  history: RepositoryHistory;
}

async function gather({ repository, log, dirty: committedDirty, inHead, unsaved, memo, readAhead, pause }: HistoryStart, graph: Graph): Promise<RepositoryHistory> {
  await pause?.();
  // An unsaved buffer of a file git knows is uncommitted work, like an edit on disk.
  const dirtyList = [...new Set([...committedDirty, ...[...(unsaved?.keys() ?? [])].filter((file) => log.fileChanges[file]?.length)])];
  const reading: Reading = {
    memo,
    repository,
    graph,
    log,
    dirty: new Set(dirtyList),
    inHead,
    cited: citedCode(graph),
    markerFiles: markedFiles(graph),
    unsaved,
    history: {
      head: repository.head,
      shallow: repository.shallow,
      commits: { ...log.commits },
      files: {},
      fileCommits: {},
      bases: {},
      worktree: [],
      dirty: [...dirtyList].sort(),
    },
  };
  // Each read that fails (a blob missing from a partial copy) costs what it would have found, not the rest.
  // The missing paths (`check-ignore`) feed only the code windows' relocation: asked beside the reads before it.
  const missingPaths = settle(readMissingPaths(reading));
  await readWorktree(reading);
  await pause?.();
  await settle(readDocumentHistories(reading));
  await pause?.();
  // A cold read starts the code histories now, beside the base diffs, for the windows known without them.
  const codeAhead = readAhead ? await missingPaths.then(() => codeHistoriesAhead(reading)).catch(() => undefined) : undefined;
  await settle(readBaseDiffsFor(reading));
  await missingPaths;
  await pause?.();
  await settle(readCodeHistories(reading, codeAhead));
  await pause?.();
  keepFileCommits(reading);
  keepNamedCommits(reading.history);
  if (memo) memo.files = reading.history.files;
  return reading.history;
}

async function settle(read: Promise<void>): Promise<void> {
  await read.catch(() => undefined);
}

/**
 * For every spelling of every missing reference: the ignore rule that matches
 * it (one `git check-ignore`), and what the first-parent log says became of
 * it (from the names-only log already read). Every spelling is kept, with
 * whether any first-parent commit ever had a file there.
 */
async function readMissingPaths({ repository, graph, log, history, memo }: Reading): Promise<void> {
  const candidates = missingPathCandidates(graph.references);
  if (candidates.length === 0) return;
  const ignored = await ignoreRules(repository, candidates, graph.paths, memo);
  // What the last refresh found for this log, file list and set of git's ignore answers holds as it was: the ignored
  // files once per list, each candidate's facts once (a pass over the 50k files and every candidate per refresh before).
  const judged = memo && judgedFor(memo, log, graph.paths);
  if (judged && !judged.ignoredFiles) judged.ignoredFiles = { files: ignoredFiles(graph.paths, ignored) };
  const ignoredNow = judged ? judged.ignoredFiles!.files : ignoredFiles(graph.paths, ignored);
  if (ignoredNow) history.ignoredFiles = ignoredNow;
  const paths: Record<string, PathFacts> = {};
  for (const candidate of candidates) {
    const known = judged?.facts.get(candidate);
    if (known) {
      paths[candidate] = known;
      continue;
    }
    const facts = candidateFacts(candidate, log, graph.paths, ignored);
    if (memo) memo.pathsJudged++;
    judged?.facts.set(candidate, facts);
    paths[candidate] = facts;
  }
  history.paths = paths;
}

/** The missing-path facts a memo keeps, for one log and file list under its ignore answers. */
interface JudgedPaths {
  log: CommitLog;
  files: readonly string[];
  ignored: Map<string, IgnoreRule | null>;
  /** The files git ignores (undefined: none), once asked. */
  ignoredFiles?: { files: Record<string, IgnoreRule> | undefined };
  facts: Map<string, PathFacts>;
}

/** The memo's judged paths for this log and file list (new, empty ones when either changed or git's ignore answers were read again). */
function judgedFor(memo: HistoryMemo, log: CommitLog, files: readonly string[]): JudgedPaths {
  const judged = memo.judged;
  if (judged?.log === log && judged.files === files && judged.ignored === memo.ignored) return judged;
  return (memo.judged = { log, files, ignored: memo.ignored, facts: new Map() });
}

/** The files git ignores, by path, with the rule; undefined when none. */
function ignoredFiles(files: readonly string[], ignored: (file: string) => IgnoreRule | undefined): Record<string, IgnoreRule> | undefined {
  const kept = files.flatMap((file) => {
    const rule = ignored(file);
    return rule ? [[file, rule] as const] : [];
  });
  return kept.length > 0 ? Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined;
}

/** What the first-parent log, the file list and git's ignore rules say about one missing path. */
function candidateFacts(candidate: string, log: CommitLog, files: readonly string[], ignored: (file: string) => IgnoreRule | undefined): PathFacts {
  const { historyPaths, folders, byName, byStem, extensions, tree } = pathIndex(log, files);
  const siblings = (file: string): readonly string[] => byStem.get(pathStem(file)) ?? [];
  const facts: PathFacts = { inHistory: Boolean(log.fileChanges[candidate]?.length) || globEverMatched(candidate, historyPaths) };
  if (!/[*?[{]/.test(candidate)) {
    facts.foldersInHistory = foldersInHistory(candidate, folders);
    const longer = (byName.get(candidate.slice(candidate.lastIndexOf('/') + 1)) ?? []).filter((file) => file.endsWith(`/${candidate}`));
    facts.tailOfHistory = longer.length > 0;
    const gone = longer.filter((file) => !tree.has(file));
    const gonePath = gone.length === 1 && longer.length === 1 ? gone[0] : undefined;
    const fate = gonePath ? pathFate(gonePath, log.fileChanges, log.renames) : undefined;
    if (gonePath && fate) facts.abbreviated = { path: gonePath, fate: convertedFate(fate, gonePath, log.fileChanges, siblings) };
    const extension = fileExtension(candidate);
    if (extension) facts.extensionInHistory = extensions.has(extension);
  }
  const rule = ignored(candidate);
  if (rule) facts.ignored = rule;
  const fate = facts.inHistory ? pathFate(candidate, log.fileChanges, log.renames) : undefined;
  if (fate) facts.fate = convertedFate(fate, candidate, log.fileChanges, siblings);
  if (rule && facts.fate?.kind === 'deleted' && rootedRule(rule, candidate) && ruleChangedAround(rule, facts.fate.commit, log)) facts.untracked = true;
  return facts;
}

/**
 * Whether `rule` takes the path out at its first folder below the ignore file (`docs/` for
 * `docs/guide.md`, `group_vars/*_vault.yml` in `ansible/.gitignore` for `ansible/group_vars/a_vault.yml`):
 * a folder kept locally as a whole. A rule that matches deep inside (`scripts/` for
 * `infrastructure/production/scripts/deploy.sh`) says nothing of why that file went.
 */
function rootedRule(rule: IgnoreRule, file: string): boolean {
  const base = rule.source.includes('/') ? `${rule.source.slice(0, rule.source.lastIndexOf('/'))}/` : '';
  if (!file.startsWith(base)) return false;
  const first = rule.pattern.replace(/^\//, '').split('/')[0];
  // Git's own pattern language: no braces, no extglobs (a crafted `{a,b}{c,d}…` would expand exponentially).
  return first !== '' && first !== '**' && new Minimatch(first, { dot: true, nobrace: true, noext: true }).match(file.slice(base.length).split('/')[0]);
}

/**
 * Whether the file holding `rule` changed within a day of commit `deleted`: `git rm --cached` of a
 * secret or of a docs folder kept locally, with the rule that keeps it out in the same commit or in
 * one made minutes before or after it. A file deleted for good is rarely matched by a rule written then.
 */
function ruleChangedAround(rule: IgnoreRule, deleted: string, log: CommitLog): boolean {
  const at = log.commits[deleted];
  if (!at) return false;
  const time = commitTime(at);
  return (log.fileChanges[rule.source] ?? []).some((change) => {
    const commit = log.commits[change.hash];
    return commit !== undefined && Math.abs(commitTime(commit) - time) <= DAY_MS;
  });
}

/**
 * The ignore rule of each candidate and file: one `check-ignore` for both
 * questions (a process fewer; git judges each path on its own). With a
 * memo, only the paths it has no answer for are asked.
 */
async function ignoreRules(repository: GitScope, candidates: string[], files: readonly string[], memo: HistoryMemo | undefined): Promise<(file: string) => IgnoreRule | undefined> {
  if (!memo) {
    const found = await readIgnored(repository, [...new Set([...candidates, ...files])]);
    return (file) => found.get(file);
  }
  const known = memo.ignored;
  const asked = memo.askedPaths === files ? candidates : [...candidates, ...files];
  const missing = [...new Set(asked.filter((file) => !known.has(file)))];
  if (missing.length > 0) {
    // A whole read's many paths in one batch, as without a memo; the few new ones of a refresh through the process kept.
    const found = missing.length > FEW_PATHS ? await readIgnored(repository, missing) : await (memo.ignoreReader ??= new IgnoreReader(repository)).read(missing);
    for (const file of missing) known.set(file, found.get(file) ?? null);
  }
  memo.askedPaths = files;
  return (file) => known.get(file) ?? undefined;
}

/** Questions about this many paths or fewer go to the memo's long-lived `check-ignore` (a refresh's new missing paths). */
const FEW_PATHS = 64;

/** What the log's paths and the file list say about every candidate: kept for the same log and list (the resident engine's refreshes). */
interface PathIndex {
  historyPaths: string[];
  folders: Set<string>;
  byName: Map<string, string[]>;
  /** The tree's files by folder and stem (`src/Foo` for `src/Foo.tsx`): where a ported file went. */
  byStem: Map<string, string[]>;
  extensions: Set<string | undefined>;
  tree: Set<string>;
}

const pathIndexes = new WeakMap<CommitLog, WeakMap<readonly string[], PathIndex>>();

function pathIndex(log: CommitLog, files: readonly string[]): PathIndex {
  let byLog = pathIndexes.get(log);
  if (!byLog) pathIndexes.set(log, (byLog = new WeakMap()));
  const known = byLog.get(files);
  if (known) return known;
  const historyPaths = Object.keys(log.fileChanges);
  const folders = new Set<string>();
  const byName = new Map<string, string[]>();
  const byStem = new Map<string, string[]>();
  const extensions = new Set<string | undefined>();
  const tree = new Set(files);
  for (const file of files) {
    extensions.add(fileExtension(file));
    const stem = pathStem(file);
    const same = byStem.get(stem);
    if (same) same.push(file);
    else byStem.set(stem, [file]);
  }
  for (const file of historyPaths) {
    extensions.add(fileExtension(file));
    for (let at = file.indexOf('/'); at !== -1; at = file.indexOf('/', at + 1)) folders.add(file.slice(0, at));
    const name = file.slice(file.lastIndexOf('/') + 1);
    // Pushed, not copied: a copy per file was quadratic in the files sharing a name (index.ts, README.md).
    const named = byName.get(name);
    if (named) named.push(file);
    else byName.set(name, [file]);
  }
  const index = { historyPaths, folders, byName, byStem, extensions, tree };
  byLog.set(files, index);
  return index;
}

/** A file's extension, by its name alone (`docs.v2/Makefile` has none). */
function fileExtension(file: string): string | undefined {
  return extensionOf(file.slice(file.lastIndexOf('/') + 1));
}

/** How many of a path's leading folders are among `folders` (every folder that ever held a file). */
function foldersInHistory(file: string, folders: ReadonlySet<string>): number {
  let depth = 0;
  for (let at = file.indexOf('/'); at !== -1 && folders.has(file.slice(0, at)); at = file.indexOf('/', at + 1)) depth++;
  return depth;
}

/**
 * A glob (`tests/test_*.py`) was once in history when any file history ever had matches it,
 * by the resolver's own glob semantics (never an expanding matcher on repository text).
 */
function globEverMatched(candidate: string, historyPaths: readonly string[]): boolean {
  if (!/[*?[{]/.test(candidate)) return false;
  const glob = globToRegExp(candidate);
  return historyPaths.some((file) => glob.test(file));
}

/** Code files with markers tied to a process → the process documents. */
function markedFiles(graph: Graph): Map<string, string[]> {
  const processFiles = new Map(graph.processes.map((process) => [process.id, process.file]));
  const files = new Map<string, string[]>();
  for (const marker of graph.markers) {
    const documentFile = marker.processId ? processFiles.get(marker.processId) : undefined;
    if (!documentFile) continue;
    const list = files.get(marker.file) ?? [];
    if (!list.includes(documentFile)) list.push(documentFile);
    files.set(marker.file, list);
  }
  return files;
}

/** Uncommitted files beyond this many are narrowed to the ones that matter (losing uncommitted renames). */
const WORKTREE_ALL_LIMIT = 2000;

/** HEAD → work tree for the uncommitted files (all of them when few, so uncommitted renames pair up). */
async function readWorktree({ repository, dirty, unsaved, cited, markerFiles, history, memo }: Reading): Promise<void> {
  const relevant = new Set([...cited.map((item) => item.document.path), ...cited.flatMap((item) => item.paths), ...markerFiles.keys()]);
  if (![...relevant].some((file) => dirty.has(file))) return;
  const files = dirty.size <= WORKTREE_ALL_LIMIT ? [...dirty] : [...relevant].filter((file) => dirty.has(file));
  history.worktree = await readWorktreeDiff(repository, files.sort(), unsaved, memo?.worktree);
  if (history.worktree.length > 0) history.commits[UNCOMMITTED] = uncommittedCommit();
}

/** Time of a path's newest and oldest commit under that name. */
function newestTime(log: CommitLog, file: string): number {
  const hash = log.fileChanges[file]?.[0]?.hash;
  return hash ? commitTime(log.commits[hash]) : 0;
}

function oldestTime(log: CommitLog, file: string): number | undefined {
  const list = log.fileChanges[file];
  return list?.length ? commitTime(log.commits[list[list.length - 1].hash]) : undefined;
}

/**
 * A document's history is read only when code it cites changed after the
 * document first existed (otherwise nothing it cites can have moved or gone
 * stale since). A document added once and never changed needs no read: that
 * commit wrote every line.
 */
async function readDocumentHistories({ repository, log, dirty, cited, history }: Reading): Promise<void> {
  const needed = new Set<string>();
  for (const { document, paths } of cited) {
    if (needed.has(document.path)) continue;
    const born = oldestTime(log, document.path);
    if (born === undefined) continue;
    if (paths.some((file) => dirty.has(file) || newestTime(log, file) > born)) needed.add(document.path);
  }
  const groups: string[][] = [];
  for (const file of needed) {
    const created = createdOnce(log, dirty, file);
    if (created) history.files[file] = created;
    else groups.push(formerNames(file, log.renames));
  }
  if (groups.length === 0) return;
  const commits = await readPatches(repository, groups, log.order);
  for (const [file] of groups) history.files[file] = traceFileHistory(file, history.worktree, commits);
}

/** For each commit a reference was written in: renames and patches from it to HEAD, for the paths cited then. */
async function readBaseDiffsFor({ repository, log, cited, history, inHead }: Reading): Promise<void> {
  const pathsByBase = new Map<string, Set<string>>();
  const headMerge = new Set<string>();
  for (const { reference, document, paths } of cited) {
    const base = lineOrigin(history, document.path, reference.source.line);
    // HEAD itself may be the merge that brought a reference in: its parents are checked too.
    if (base === history.head && log.mergeParents[base]) for (const file of paths) headMerge.add(file);
    if (!base || base === UNCOMMITTED || base === history.head || !log.trees[base]) continue;
    const set = pathsByBase.get(base) ?? new Set<string>();
    for (const file of paths) set.add(file);
    pathsByBase.set(base, set);
  }
  const headTree = log.trees[history.head];
  if (headMerge.size > 0) {
    const untraceable = (await mergeDisagreements(repository, log, new Map([[history.head, headMerge]]))).get(history.head);
    if (untraceable) history.bases[history.head] = { files: [], untraceable };
  }
  if (pathsByBase.size === 0 || !headTree) return;
  const bases: BaseTree[] = [...pathsByBase.keys()].map((commit) => ({ commit, tree: log.trees[commit] }));
  // Without HEAD's paths (an index that is not plain), or a log whose renames git could not all pair (a copy missing
  // blobs, a commit past the rename limit), git's whole-tree rename pass answers, by tree.
  const composable = inHead && log.renameDetection === 'all';
  const renames = composable ? composeRenames(log, pathsByBase, inHead) : await renamesByCommit(repository, bases, headTree, pathsByBase, inHead);
  // Each base's own cited paths the log says changed since, with their rename partners (git pairs a rename only
  // when both sides are listed). A run lists the union of its bases' paths for each of them: listing unchanged ones
  // too diffed each changed one for bases that never cite it.
  const groups = new Map<string, string[][]>();
  const positions = logPositions(log);
  for (const base of bases) {
    const own: string[][] = [];
    const at = positions.get(base.commit)!;
    for (const file of pathsByBase.get(base.commit)!) {
      const next = renames.get(base.commit)?.get(file);
      if (next) own.push([file, next]);
      else if (changedSince(log, file, at)) own.push([file]);
    }
    groups.set(base.commit, own);
  }
  const changed = bases.filter((base) => groups.get(base.commit)!.length > 0);
  const [files, untraceable] = await Promise.all([baseFiles(repository, changed, headTree, groups, pathsByBase), mergeDisagreements(repository, log, pathsByBase)]);
  for (const base of bases) {
    // A base none of whose cited files changed since has an empty diff, known without git. No diff read is not
    // "no change": a reference from this base is not traced at all.
    const diffs = groups.get(base.commit)!.length === 0 ? [] : files.get(base.commit);
    if (!diffs) continue;
    const entry: RepositoryHistory['bases'][string] = { files: diffs };
    const disagree = untraceable.get(base.commit);
    if (disagree?.length) entry.untraceable = disagree;
    history.bases[base.commit] = entry;
  }
}

/**
 * git's whole-tree rename pass, by base commit. `-M` pairs a rename only from a path HEAD's tree no longer holds:
 * a base whose cited paths HEAD all holds has no rename to find, and is not asked for.
 */
async function renamesByCommit(
  repository: GitRepository,
  bases: BaseTree[],
  headTree: string,
  pathsByBase: Map<string, Set<string>>,
  inHead: ReadonlySet<string> | undefined,
): Promise<Map<string, Map<string, string>>> {
  const renamedAway = inHead ? bases.filter((base) => [...pathsByBase.get(base.commit)!].some((file) => !inHead.has(file))) : bases;
  const byTree = renamedAway.length > 0 ? await readRenames(repository, renamedAway, headTree) : new Map<string, Map<string, string>>();
  return new Map(bases.map((base) => [base.commit, byTree.get(base.tree) ?? new Map<string, string>()]));
}

/**
 * Per base commit, the diffs to HEAD of the paths its references named;
 * a base whose diff could not be read is left out. Each base is diffed for
 * its own paths: one `diff-tree` for all bases over every cited path
 * printed each path for each base (81 MB, 2.6 s of git and 1.2 s of parsing
 * on a 750-file repository with 51 bases) to keep a few per base. Bases
 * share a run up to a budget of patches (a process each would cost a fork
 * each); runs go two at a time. Each base's answer is kept by its tree,
 * HEAD's tree and its own path list, which holds both sides of each rename
 * the whole-tree rename pass found, so git pairs them whatever else the run
 * lists; a warm run diffs only the bases it has not seen, and a citation
 * added elsewhere does not unsettle the others.
 */
async function baseFiles(
  repository: GitRepository,
  bases: BaseTree[],
  headTree: string,
  groups: Map<string, string[][]>,
  pathsByBase: Map<string, Set<string>>,
): Promise<Map<string, FileDiff[]>> {
  const files = new Map<string, FileDiff[]>();
  const question = (base: BaseTree) => ['base-diff', base.tree, headTree, JSON.stringify(groups.get(base.commit))];
  // Bases citing the same paths, by their path list.
  const missing = new Map<string, BaseTree[]>();
  for (const base of bases) {
    const known = repository.answers?.peek<FileDiff[]>(question(base));
    if (known) files.set(base.commit, known.value);
    else {
      const pathList = JSON.stringify(groups.get(base.commit));
      missing.set(pathList, [...(missing.get(pathList) ?? []), base]);
    }
  }
  const run = async (alike: BaseTree[]) => {
    const { diffs, failed } = await baseDiffsEach(repository, alike, headTree, (base) => groups.get(base.commit)!);
    for (const base of alike) {
      if (failed.has(base.tree)) continue;
      const kept = onlyFor(diffs.get(base.tree) ?? [], pathsByBase.get(base.commit)!);
      repository.answers?.put(question(base), kept);
      files.set(base.commit, kept);
    }
  };
  const runs = packRuns([...missing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, alike]) => alike), groups);
  let next = 0;
  const lane = async () => {
    while (next < runs.length) await run(runs[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(BASE_DIFF_LANES, runs.length) }, lane));
  return files;
}

/** git processes diffing bases at once: two keep both cores of a small machine busy. */
const BASE_DIFF_LANES = 2;
/**
 * Patches one `diff-tree` run may print (bases × paths listed): a run prints
 * every listed path for every base in it, and one process per base costs a
 * fork of this (large) process each, ~40 ms on a 500 MB heap.
 */
const RUN_SECTIONS = 600;

/** Bases (already grouped by equal path lists) packed into runs under {@link RUN_SECTIONS}. */
function packRuns(alikes: BaseTree[][], groups: Map<string, string[][]>): BaseTree[][] {
  const runs: BaseTree[][] = [];
  let current: BaseTree[] = [];
  let paths = new Set<string>();
  for (const alike of alikes) {
    const own = groups.get(alike[0].commit)!.flat();
    const joined = new Set([...paths, ...own]);
    if (current.length > 0 && (current.length + alike.length) * joined.size > RUN_SECTIONS) {
      runs.push(current);
      current = [];
      paths = new Set(own);
    } else paths = joined;
    current.push(...alike);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** Path groups of several bases, each group once. */
function unionOf(lists: string[][][]): string[][] {
  const seen = new Set<string>();
  const union: string[][] = [];
  for (const list of lists) {
    for (const group of list) {
      const key = JSON.stringify(group);
      if (seen.has(key)) continue;
      seen.add(key);
      union.push(group);
    }
  }
  return union;
}

/**
 * All base diffs in one read, over the union of the bases' own paths; when
 * that fails (a blob the copy lacks), one read per base for its own paths,
 * so only the bases whose own cited files touch the missing object go
 * without, however the bases were packed.
 */
async function baseDiffsEach(
  repository: GitRepository,
  bases: BaseTree[],
  headTree: string,
  own: (base: BaseTree) => string[][],
): Promise<{ diffs: Map<string, FileDiff[]>; failed: Set<string> }> {
  const failed = new Set<string>();
  try {
    return { diffs: await readBaseDiffs(repository, bases, headTree, unionOf(bases.map(own))), failed };
  } catch {
    const diffs = new Map<string, FileDiff[]>();
    for (const base of bases) {
      const one = await readBaseDiffs(repository, [base], headTree, own(base)).catch(() => undefined);
      if (!one) failed.add(base.tree);
      for (const [tree, files] of one ?? []) diffs.set(tree, files);
    }
    return { diffs, failed };
  }
}

/**
 * For each base that is a merge: the cited paths its branch side holds in
 * another version than the merge (the parents disagree on them), so a
 * reference the merge brought in cannot be traced from it.
 */
async function mergeDisagreements(repository: GitRepository, log: CommitLog, pathsByBase: Map<string, Set<string>>): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const [base, paths] of pathsByBase) {
    const parents = log.mergeParents[base];
    if (!parents) continue;
    try {
      const differing = await readMergeDisagreements(repository, base, parents, [...paths].sort());
      if (differing.size > 0) found.set(base, [...differing].sort());
    } catch {
      // Unknown is untraceable: every cited path of this merge.
      found.set(base, [...paths].sort());
    }
  }
  return found;
}

/** The diffs of the paths a base's references named (a path list shared across bases brings in others). */
function onlyFor(files: FileDiff[], paths: Set<string>): FileDiff[] {
  return files.filter((file) => file.oldPath !== undefined && paths.has(file.oldPath));
}

/** What the code-history read asks git for (`git log -p --since`), and the files it settles without asking. */
interface CodeHistoryPlan {
  since: string;
  groups: string[][];
  settled: Array<[string, FileHistory]>;
}

/** The code-history read started before the base diffs end, for the plan the history known then gives (`codeHistoriesAhead`). */
interface CodeHistoryAhead {
  plan: string;
  commits: Promise<CommitDiff[] | undefined>;
}

/**
 * Cited code (where its lines are now) since the citing document's cut-off,
 * and marked code since its process document was first committed. One
 * `git log -p --since` from the earliest of those dates; a file with no
 * commit since then is known unchanged without reading it. `ahead`: the same
 * read started earlier, used when its plan is this one.
 */
async function readCodeHistories(reading: Reading, ahead?: CodeHistoryAhead): Promise<void> {
  const { repository, log, history } = reading;
  const plan = planCodeHistories(reading);
  if (!plan) return;
  // The last read's object when it says the same (the refresh's comparison of old and new history then stops at it).
  const before = reading.memo?.files;
  for (const [file, settled] of plan.settled) {
    const kept = before?.[file];
    history.files[file] = kept && sameSettled(kept, settled) ? kept : settled;
  }
  const { groups, since } = plan;
  if (groups.length === 0) return;
  const early = ahead?.plan === JSON.stringify([since, groups]) ? await ahead.commits : undefined;
  if (early) repository.answers?.put(patchesQuestion(repository, groups, since), early);
  const commits = early ?? (await readPatches(repository, groups, log.order, since));
  for (const [file] of groups) history.files[file] = traceFileHistory(file, history.worktree, commits, since);
}

/**
 * A cold read's code histories, started beside the base diffs: the cited
 * code's windows mostly do not depend on them (a base diff moves a window
 * only when it relocates lines to another file or deletes them). When the
 * plan after the base diffs is another, this read goes unused and git is
 * asked again; otherwise the base diffs and this read run at once (they were
 * the two longest waits of a cold check on a 750-file repository with 160
 * commits, one after the other). Never rejects.
 */
function codeHistoriesAhead(reading: Reading): CodeHistoryAhead | undefined {
  const plan = planCodeHistories(reading);
  if (!plan || plan.groups.length === 0) return undefined;
  // Without the cache: an answer not used must not be kept (the read puts the one it uses).
  const commits = readPatches({ ...reading.repository, answers: undefined }, plan.groups, reading.log.order, plan.since).catch(() => undefined);
  return { plan: JSON.stringify([plan.since, plan.groups]), commits };
}

/** Two histories settled without reading (no patch, or the one commit that created the file) that say the same. */
function sameSettled(a: FileHistory, b: FileHistory): boolean {
  if (a.since !== b.since || a.patches.length !== b.patches.length) return false;
  return a.patches.every((patch, at) => {
    const other = b.patches[at];
    return patch.commit === other.commit && patch.hunks.length === 0 && other.hunks.length === 0 && patch.created === other.created && patch.opaque === other.opaque;
  });
}

function planCodeHistories(reading: Reading): CodeHistoryPlan | undefined {
  const { log, dirty, history } = reading;
  const windows = codeWindows(reading);
  if (windows.size === 0) return undefined;
  const since = Math.min(...windows.values());
  const sinceIso = new Date(since).toISOString();
  const groups: string[][] = [];
  const settled: Array<[string, FileHistory]> = [];
  for (const [file, from] of windows) {
    if (history.files[file]) continue;
    const created = createdOnce(log, dirty, file);
    if (!dirty.has(file) && newestTime(log, file) < from) {
      // Nothing touched it since its own window opened: known unchanged from then on.
      settled.push([file, { patches: [], since: new Date(from).toISOString() }]);
    } else if (created) settled.push([file, { ...created, since: sinceIso }]);
    else groups.push(formerNames(file, log.renames));
  }
  return { since: sinceIso, groups, settled };
}

/**
 * The history of a committed file added once and never changed since: that
 * commit wrote every line, so no patch needs reading. Undefined otherwise.
 */
function createdOnce(log: CommitLog, dirty: Set<string>, file: string): FileHistory | undefined {
  const changes = log.fileChanges[file];
  if (dirty.has(file) || changes?.length !== 1 || changes[0].status !== 'A') return undefined;
  return { patches: [{ commit: changes[0].hash, hunks: [], created: true }] };
}

/** Per code file, the earliest moment anything about it can matter (ms). */
function codeWindows({ graph, log, cited, markerFiles, history }: Reading): Map<string, number> {
  const windows = new Map<string, number>();
  const widen = (file: string, from: number | undefined) => {
    if (from === undefined || Number.isNaN(from)) return;
    windows.set(file, Math.min(windows.get(file) ?? Number.POSITIVE_INFINITY, from));
  };
  const places = new Map<string, string>();
  for (const relocation of relocate(graph, history, cited)) {
    const lines = relocation.lines;
    if (lines && lines.kind !== 'unchanged') places.set(relocation.cited.reference.id, lines.kind === 'deleted' ? '' : lines.path);
  }
  for (const item of cited) {
    const file = places.has(item.reference.id) ? places.get(item.reference.id) : item.reference.status === 'ok' ? item.paths[0] : undefined;
    if (!file) continue;
    widen(file, cutoffTime(item, history));
  }
  for (const [file, documents] of markerFiles) {
    for (const document of documents) {
      // Marked code matters from when its process was first written down.
      widen(file, oldestTime(log, document));
    }
  }
  return windows;
}

/** The citing document's cut-off, a day early so no time zone hides a commit. */
function cutoffTime(item: CitedCode, history: RepositoryHistory): number | undefined {
  const day = item.document.lastValidated ?? item.document.lastUpdated;
  if (day) return Date.parse(`${day}T00:00:00Z`) - DAY_MS;
  const base = lineOrigin(history, item.document.path, item.reference.source.line);
  const commit: CommitInfo | undefined = base ? history.commits[base] : undefined;
  if (!commit || commit.hash === UNCOMMITTED) return undefined;
  return commitTime(commit) - DAY_MS;
}

/**
 * Keep per-file commit lists only for documents the rules look at: process documents, citing
 * documents, and documents naming a missing path (when a report was written, against when it went).
 */
function keepFileCommits({ graph, log, cited, history }: Reading): void {
  const naming = graph.references.filter((reference) => reference.status === 'missing').map((reference) => reference.source.file);
  const documents = new Set([...graph.processes.map((process) => process.file), ...cited.map((item) => item.document.path), ...naming]);
  for (const file of documents) {
    const list = log.fileChanges[file];
    if (!list) continue;
    // One array per log entry, kept while the log is: the refresh's comparison stops at it.
    let hashes = commitLists.get(list);
    if (!hashes) commitLists.set(list, (hashes = list.map((change) => change.hash)));
    history.fileCommits[file] = hashes;
  }
}

const commitLists = new WeakMap<readonly { hash: string }[], string[]>();

/** Drop commits nothing refers to, so the history stays small on long-lived repositories. */
function keepNamedCommits(history: RepositoryHistory): void {
  const named = new Set<string>([history.head]);
  for (const file of Object.values(history.files)) for (const patch of file.patches) named.add(patch.commit);
  for (const list of Object.values(history.fileCommits)) for (const hash of list) named.add(hash);
  for (const hash of Object.keys(history.bases)) named.add(hash);
  for (const facts of Object.values(history.paths ?? {})) {
    for (const fate of [facts.fate, facts.abbreviated?.fate]) {
      if (fate) named.add(fate.commit);
      if (fate?.kind === 'deleted' && fate.via) named.add(fate.via.commit);
    }
  }
  const kept: Record<string, CommitInfo> = {};
  for (const hash of named) if (history.commits[hash]) kept[hash] = history.commits[hash];
  history.commits = kept;
}

/**
 * `YYYY-MM-DD` for "today": `WAYMARK_TODAY` when set, else the local calendar
 * day of `now`. A malformed `WAYMARK_TODAY` is a configuration error.
 */
export function resolveToday(env: Record<string, string | undefined>, now: Date = new Date()): string {
  const given = env.WAYMARK_TODAY?.trim();
  if (given) {
    const time = Date.parse(`${given}T00:00:00Z`);
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(given) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(given);
    if (!valid) throw new ConfigError([`\`WAYMARK_TODAY\` must be a date as YYYY-MM-DD, not \`${given}\``]);
    return given;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
