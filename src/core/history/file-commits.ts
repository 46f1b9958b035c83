/**
 * The commits that touched one file, for its page, from the history the scan
 * already read (no git call here): the full per-file list where the scan kept
 * one (process and citing documents), else the commits of the patches it read
 * for the file's cited or marked lines, which go back only to a cut-off.
 */
import type { ChangedCommit } from '../schema.ts';
import { UNCOMMITTED, type RepositoryHistory } from './history.ts';

/** A file's commits, newest first; `since` when older commits were not read. */
export interface FileCommits {
  commits: ChangedCommit[];
  /** Commits before this day (YYYY-MM-DD) were not read. */
  since?: string;
  /** The clone is shallow: older history is missing. */
  shallow: boolean;
}

/** Commits that touched `path`, or undefined when the scan read none of its history. */
export function fileCommits(history: RepositoryHistory, path: string): FileCommits | undefined {
  const full = history.fileCommits[path];
  const read = history.files[path];
  if (!full && !read) return undefined;
  const hashes = full ?? [...new Set(read!.patches.map((patch) => patch.commit))];
  const commits: ChangedCommit[] = [];
  for (const hash of hashes) {
    const info = history.commits[hash];
    // A shallow clone's cut-off commit seems to create every file: it says nothing about this one.
    if (!info || info.boundary) continue;
    commits.push({ hash: info.hash, short: info.short, date: info.date, subject: info.subject, ...(hash === UNCOMMITTED ? { uncommitted: true } : {}) });
  }
  const since = !full && read?.since ? read.since.slice(0, 10) : undefined;
  return { commits, ...(since ? { since } : {}), shallow: history.shallow };
}
