/**
 * What git knows about a repository, as plain data the history rules read,
 * and the pure questions asked of it: which commits changed these lines
 * (`git log -L` semantics), which commit wrote this line (blame), where did
 * these lines go (see `line-map.ts` and `relocate.ts`).
 *
 * Produced by `src/node/history-scan.ts`; serialisable; keyed by paths
 * relative to the scanned root (which may be a folder inside a larger work
 * tree). History follows the first-parent line of HEAD: a merged branch is
 * one change, dated and named by its merge commit, as it landed.
 */
import { mapRangeThroughHunks, type FileDiff, type Hunk } from './line-map.ts';
import type { IgnoreRule, PathFacts } from './missing-paths.ts';

/** The pseudo-commit that owns changes in the work tree that are not committed yet. */
export const UNCOMMITTED = '0000000000000000000000000000000000000000';

export interface CommitInfo {
  /** Full hash (`UNCOMMITTED` for work-tree changes). */
  hash: string;
  /** Abbreviated hash, as git abbreviates it in this repository. */
  short: string;
  /** Committer date, ISO 8601 with offset (`2026-02-03T10:00:00+01:00`); empty for uncommitted work. */
  date: string;
  /** First line of the message. */
  subject: string;
  /** A shallow clone's cut-off commit: it seems to create every file, so it proves nothing about age. */
  boundary?: boolean;
  /** A commit without parents: what it adds was written before git saw it (a first commit, an import of a squashed history). */
  root?: boolean;
  /** A merge: what it changed on the first-parent line was done by commits of the merged branch. */
  merge?: boolean;
}

/** One change to one file. Hunks use the file's lines before (`old`) and after (`new`) the change. */
interface FilePatch {
  /** Commit hash, or `UNCOMMITTED`. */
  commit: string;
  hunks: Hunk[];
  /** The change created the file: nothing older exists for these lines. */
  created?: boolean;
  /** A binary change: lines cannot be followed, every line counts as changed. */
  opaque?: boolean;
}

/** The changes to one current file, newest first, following renames back. */
export interface FileHistory {
  /** Uncommitted work first (if any), then commits; the first patch's `new` side is the current text. */
  patches: FilePatch[];
  /** Commits before this date (ISO) were not read; absent when the history is complete. */
  since?: string;
}

/** The diff from one commit to HEAD, for carrying a reference's lines forward. */
interface BaseDiff {
  /** Files changed between the base commit and HEAD (rename-aware), limited to the files that matter. */
  files: FileDiff[];
  /**
   * The base is a merge whose parents hold different versions of these cited
   * paths: a reference it brought in was written against one of them, which
   * one is unknown, so its lines are not carried forward.
   */
  untraceable?: string[];
}

export interface RepositoryHistory {
  /** HEAD's full hash. */
  head: string;
  /** The clone is shallow: history before the boundary is missing. */
  shallow: boolean;
  /** Every commit named anywhere below (plus `UNCOMMITTED` when there is uncommitted work). */
  commits: Record<string, CommitInfo>;
  /** Per current path: its changes. A file missing here was not read (untracked, or nothing could be stale). */
  files: Record<string, FileHistory>;
  /** Commits that touched each file (under that path), newest first. Kept for process and citing documents. */
  fileCommits: Record<string, string[]>;
  /** Per base commit: the diff from it to HEAD. */
  bases: Record<string, BaseDiff>;
  /** HEAD to the work tree (uncommitted changes) for the files that matter. */
  worktree: FileDiff[];
  /** Tracked files with uncommitted changes. */
  dirty: string[];
  /**
   * Paths that references name but the work tree lacks (each spelling, see
   * `missing-paths.ts`): ignored by the repository, deleted or renamed, or
   * never in history. Absent when not read.
   */
  paths?: Record<string, PathFacts>;
  /**
   * Files that exist although an ignore rule matches them (force-added, or
   * tracked before the rule came), with that rule: evidence that the rule
   * does not mean "generated" for their folders. Absent when not read.
   */
  ignoredFiles?: Record<string, IgnoreRule>;
}

/** The same change seen backwards: how the lines after it map to the lines before it. */
function reversed(hunks: Hunk[]): Hunk[] {
  return hunks.map((hunk) => ({ oldStart: hunk.newStart, oldCount: hunk.newCount, newStart: hunk.oldStart, newCount: hunk.oldCount }));
}

/**
 * Commits that changed any of lines `start..end` of the current text of
 * `file`, newest first: the range is carried back through every change, as
 * `git log -L` does. Undefined when the file's history was not read.
 */
export function commitsTouching(history: RepositoryHistory, file: string, start: number, end: number): string[] | undefined {
  const fileHistory = history.files[file];
  if (!fileHistory) return undefined;
  const found: string[] = [];
  let range = { start, end };
  for (const patch of fileHistory.patches) {
    if (patch.opaque) {
      found.push(patch.commit);
      continue;
    }
    const step = mapRangeThroughHunks(range.start, range.end, reversed(patch.hunks));
    if (step.touched || patch.created) found.push(patch.commit);
    // Every line of the range was written here, or the file began here: nothing older wrote them.
    if (step.deleted || patch.created) break;
    range = { start: step.start, end: step.end };
  }
  return found;
}

/** The commit that wrote the current `line` of `file` (what blame says), when the history read reaches it. */
export function lineOrigin(history: RepositoryHistory, file: string, line: number): string | undefined {
  const fileHistory = history.files[file];
  if (!fileHistory) return undefined;
  let current = line;
  for (const patch of fileHistory.patches) {
    if (patch.opaque) return patch.commit;
    const step = mapRangeThroughHunks(current, current, reversed(patch.hunks));
    if (step.touched || patch.created) return patch.commit;
    current = step.start;
  }
  return undefined;
}

/** `2026-02-03` from a commit's ISO date (the committer's own calendar day). */
export function commitDay(commit: Pick<CommitInfo, 'date'>): string {
  return commit.date.slice(0, 10);
}

/** Milliseconds since the epoch, for ordering; uncommitted work is +Infinity (it is "now"). */
export function commitTime(commit: CommitInfo): number {
  if (commit.hash === UNCOMMITTED) return Number.POSITIVE_INFINITY;
  const time = Date.parse(commit.date);
  return Number.isNaN(time) ? 0 : time;
}

/** `a1b2c3d 2026-02-03 "Tighten listener rule"`, or `uncommitted changes`. */
export function describeCommit(commit: CommitInfo): string {
  if (commit.hash === UNCOMMITTED) return 'uncommitted changes';
  return `${commit.short} ${commitDay(commit)} "${commit.subject}"`;
}

/** The pseudo-commit record for uncommitted work. */
export function uncommittedCommit(): CommitInfo {
  return { hash: UNCOMMITTED, short: 'uncommitted', date: '', subject: 'uncommitted changes' };
}

/** One commit's changes, as `git log -p` printed them. */
export interface CommitDiff {
  hash: string;
  files: FileDiff[];
}

/**
 * Assemble the history of the file now at `file`: its uncommitted change,
 * then every commit (newest first) that changed it, following renames back
 * to where it was created.
 */
export function traceFileHistory(file: string, worktree: FileDiff[], commits: CommitDiff[], since?: string): FileHistory {
  const patches: FilePatch[] = [];
  let name = file;
  const uncommitted = diffTo(worktree, name);
  if (uncommitted) {
    patches.push(toPatch(UNCOMMITTED, uncommitted));
    if (!uncommitted.oldPath) return { patches };
    name = uncommitted.oldPath;
  }
  for (const commit of commits) {
    const diff = diffTo(commit.files, name);
    if (!diff) continue;
    patches.push(toPatch(commit.hash, diff));
    if (!diff.oldPath) return { patches };
    name = diff.oldPath;
  }
  return since ? { patches, since } : { patches };
}

/**
 * The first diff in `files` that ends at `name`. Indexed once per list:
 * tracing thousands of files through a commit that added thousands (the
 * first commit of an imported repository) would otherwise be quadratic.
 */
function diffTo(files: FileDiff[], name: string): FileDiff | undefined {
  let index = diffIndexes.get(files);
  if (!index) {
    index = new Map();
    for (const diff of files) if (diff.newPath !== undefined && !index.has(diff.newPath)) index.set(diff.newPath, diff);
    diffIndexes.set(files, index);
  }
  return index.get(name);
}

const diffIndexes = new WeakMap<FileDiff[], Map<string, FileDiff>>();

function toPatch(commit: string, diff: FileDiff): FilePatch {
  const patch: FilePatch = { commit, hunks: diff.hunks };
  if (!diff.oldPath) patch.created = true;
  if (diff.binary) patch.opaque = true;
  return patch;
}

/** Every name `file` had, following renames back through commits listed newest first. */
export function formerNames(file: string, renames: Array<{ from: string; to: string }>): string[] {
  const names = [file];
  let name = file;
  for (const rename of renames) {
    if (rename.to !== name) continue;
    name = rename.from;
    if (names.includes(name)) break;
    names.push(name);
  }
  return names;
}
