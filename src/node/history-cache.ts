/**
 * Git's answers about commits and trees, kept between runs. A commit or a
 * tree never changes, so what git says about named objects (the first-parent
 * log up to a commit, the diffs from a tree to HEAD's tree, a merge's
 * disagreeing paths) holds for ever: a warm run asks git only what it has not
 * asked before, and a new commit costs one `git log <new> ^<old>`.
 *
 * Kept in the fact cache's folder, sealed the same way (`cache-folder.ts`):
 * one file, `history.cache`, whose body is JSON: the latest log (its head and
 * git's raw text), and the answers this run used, each under a digest of the
 * question. Answers not used by a run are dropped at its save, so the file
 * holds one run's worth. Without a cache folder (a library call, `--no-cache`)
 * the answers are still kept in memory: the resident engine's history
 * refreshes reuse them.
 */
import { hash } from 'node:crypto';
import path from 'node:path';
import { MAX_CACHE_FILE, readCacheFile, unseal, writeSealed, type CacheFolder } from './cache-folder.ts';

const FORMAT = 'waymark-history-cache/1';
const FILE = 'history.cache';
/** An answer bigger than this (in JSON characters) is not kept: reading it again costs about what parsing it would. */
const MAX_ANSWER_CHARS = 4 * 1024 * 1024;

/** The first-parent log up to `head`, as git printed it. */
export interface StoredLog {
  head: string;
  text: string;
  /** What git's rename detection could do for the whole text (see `RenameDetection`); unknown in an older cache. */
  renameDetection?: RenameDetection;
}

/**
 * `all`: git compared contents (`-M`) in every commit; `exact`: only moves of
 * unchanged files were paired (`-M100%` in a copy missing blobs, or git skipped
 * the rest for too many files); `none`: names only.
 */
export type RenameDetection = 'all' | 'exact' | 'none';

export class HistoryCache {
  /** Answers asked for (or read) since opening: what a save keeps. */
  private readonly used = new Map<string, unknown>();
  private changed = false;
  private latestLog: StoredLog | undefined;

  private constructor(
    private readonly folder: CacheFolder | undefined,
    private readonly key: string,
    private readonly stored: Map<string, unknown>,
    storedLog: StoredLog | undefined,
  ) {
    this.latestLog = storedLog;
  }

  /** In memory only. */
  static memory(): HistoryCache {
    return new HistoryCache(undefined, '', new Map(), undefined);
  }

  /** Open the cache in `folder` for `key` (the engine's fingerprint); never throws, never keeps a file that does not match. */
  static async open(folder: CacheFolder | undefined, key: string): Promise<HistoryCache> {
    if (!folder) return HistoryCache.memory();
    const read = await readCacheFile(path.join(folder.path, FILE));
    const bytes = 'bytes' in read ? unseal(folder, FILE, read.bytes) : undefined;
    const parsed = bytes ? parseBody(bytes, key) : undefined;
    return new HistoryCache(folder, key, parsed?.answers ?? new Map(), parsed?.log);
  }

  /** The log last stored (for a head that may not be HEAD any more). */
  get log(): StoredLog | undefined {
    return this.latestLog;
  }

  set log(log: StoredLog) {
    if (this.latestLog?.head === log.head && this.latestLog.text === log.text && this.latestLog.renameDetection === log.renameDetection) return;
    this.latestLog = log;
    this.changed = true;
  }

  /** What `read` answers to the question named by `parts`: from the cache when asked before, else read and kept. */
  async answer<T>(parts: readonly string[], read: () => Promise<T>): Promise<T> {
    const known = this.peek<T>(parts);
    if (known) return known.value;
    const value = await read();
    this.put(parts, value);
    return value;
  }

  /** The answer to `parts` when known (kept as used); undefined when git must be asked. */
  peek<T>(parts: readonly string[]): { value: T } | undefined {
    const id = questionId(parts);
    if (this.used.has(id)) return { value: this.used.get(id) as T };
    if (!this.stored.has(id)) return undefined;
    const value = this.stored.get(id) as T;
    this.used.set(id, value);
    return { value };
  }

  /** Keep git's answer to `parts` (a plain JSON value). */
  put(parts: readonly string[], value: unknown): void {
    this.used.set(questionId(parts), value);
    this.changed = true;
  }

  /** Write what this run used, when anything new was asked or some stored answer went unused. False when it could not be written. */
  async save(): Promise<boolean> {
    if (!this.folder) return true;
    const dropped = [...this.stored.keys()].some((id) => !this.used.has(id));
    if (!this.changed && !dropped) return true;
    const answers: Array<[string, unknown]> = [];
    let size = 0;
    for (const [id, value] of this.used) {
      const text = JSON.stringify(value);
      if (text === undefined || text.length > MAX_ANSWER_CHARS || size + text.length > MAX_CACHE_FILE / 2) continue;
      size += text.length;
      answers.push([id, value]);
    }
    const body = JSON.stringify({ format: FORMAT, key: this.key, log: this.latestLog ?? null, answers });
    const written = await writeSealed(this.folder, FILE, Buffer.from(body));
    if (written) this.changed = false;
    return written;
  }
}

function questionId(parts: readonly string[]): string {
  return hash('sha256', parts.join('\0'));
}

/** The log and answers of an (unsealed) cache file, or undefined when it is of another format or key or has the wrong shape. */
function parseBody(bytes: Buffer, key: string): { log?: StoredLog; answers: Map<string, unknown> } | undefined {
  let body: { format?: unknown; key?: unknown; log?: unknown; answers?: unknown };
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (body?.format !== FORMAT || body.key !== key || !Array.isArray(body.answers)) return undefined;
  const answers = new Map<string, unknown>();
  for (const entry of body.answers as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return undefined;
    answers.set(entry[0], entry[1]);
  }
  const log = body.log as Partial<StoredLog> | null;
  if (log === null || log === undefined) return { answers };
  if (typeof log.head !== 'string' || typeof log.text !== 'string') return undefined;
  const detection = log.renameDetection;
  const renameDetection = detection === 'all' || detection === 'exact' || detection === 'none' ? detection : undefined;
  return { log: { head: log.head, text: log.text, ...(renameDetection && { renameDetection }) }, answers };
}
