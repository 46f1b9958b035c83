/**
 * What git says about HEAD and the index, kept between one-shot runs while
 * they stay as they were. A warm `waymark check` after a document edit asked
 * git the same five questions every run (`rev-parse`, `git version`, the
 * index listing with its stat data, HEAD's side of what is staged, the origin
 * remote): five forks of the engine, each blocking its main thread until git
 * started. Their answers follow from the git directory alone, so they are
 * kept under its stamp (`readGitStamp`: HEAD, the branch it names, the packed
 * refs, and the stat data of the index, the config, the exclude and shallow
 * files), read before any git process of the run. Equal stamp: the last run's
 * answers; any commit, checkout, reset, `git add`, fetch or config edit changes
 * the stamp, and git is asked again. The work tree is never taken from here:
 * every tracked file's stat data is still compared with the index's (`worktree.ts`).
 * `git version` is not kept: it is asked only when a log is read (`git-history.ts`).
 *
 * Kept in the cache folder beside the fact shards, sealed the same way
 * (`cache-folder.ts`), as `git-state.cache`: a JSON header line, then git's
 * two index answers as it printed them (bytes, so no escaping of 50k NULs).
 */
import path from 'node:path';
import { readCacheFile, unseal, writeSealed, type CacheFolder } from './cache-folder.ts';
import { readGitStamp } from './git-history.ts';
import { originUrl, probeScope, type GitScope, type ScopeFacts } from './git.ts';
import { readIndexAnswers, type IndexAnswers } from './worktree.ts';

const FORMAT = 'waymark-git-state/1';
const FILE = 'git-state.cache';

/** The header of the file: whose answers, under which stamp, and the byte lengths of the index answers after it. */
interface Header {
  format: string;
  key: string;
  /** The scope the answers are for: the scanned folder and its git directory and work tree. */
  scope: string;
  stamp: string;
  probe?: ScopeFacts;
  /** The origin remote's URL; null: there is none. */
  origin?: string | null;
  listingBytes?: number;
  stagedBytes?: number;
}

/** What the last run kept for this stamp. */
interface Kept {
  probe?: ScopeFacts;
  origin?: string | null;
  index?: IndexAnswers;
}

export class GitStateCache {
  private probed?: Promise<ScopeFacts>;
  private indexed?: Promise<IndexAnswers>;
  private origined?: Promise<string | null>;
  /** Something was asked of git this run: the file is written again. */
  private asked = false;

  private constructor(
    private readonly folder: CacheFolder | undefined,
    private readonly key: string,
    private readonly scope: GitScope,
    /** The git directory's stamp, read before any git process of this run; undefined: it cannot be told, nothing is kept. */
    readonly stamp: string | undefined,
    private readonly kept: Kept,
  ) {}

  /**
   * Read the stamp, then the file: its answers are used only when it is sealed for this folder, of this format and
   * engine `key`, for this scope, and under this very stamp. Never throws.
   */
  static async open(folder: Promise<CacheFolder | undefined>, scope: GitScope, key: string): Promise<GitStateCache> {
    const [stamp, opened] = await Promise.all([readGitStamp(scope).catch(() => undefined), folder]);
    const kept = stamp && opened ? await readKept(opened, key, scopeId(scope), stamp) : undefined;
    return new GitStateCache(opened, key, scope, stamp, kept ?? {});
  }

  /** `rev-parse`'s facts (`probeScope`). */
  probe(): Promise<ScopeFacts> {
    this.probed ??= this.kept.probe ? Promise.resolve(this.kept.probe) : this.ask(probeScope(this.scope));
    return this.probed;
  }

  /** The index listing and HEAD's side of what is staged (`readIndexAnswers`). */
  index(): Promise<IndexAnswers> {
    this.indexed ??= this.kept.index ? Promise.resolve(this.kept.index) : this.ask(readIndexAnswers(this.scope));
    return this.indexed;
  }

  /** The origin remote's URL (`originUrl`). */
  async origin(): Promise<string | undefined> {
    this.origined ??= this.kept.origin !== undefined ? Promise.resolve(this.kept.origin) : this.ask(originUrl(this.scope).then((url) => url ?? null));
    return (await this.origined) ?? undefined;
  }

  /**
   * Keep this run's answers under the stamp read before them, when git was asked anything. A change made while
   * git answered leaves a stamp the next run does not see, so it asks again. False when nothing could be written.
   */
  async save(): Promise<boolean> {
    if (!this.folder || !this.stamp || !this.asked) return true;
    const [probe, index, origin] = await Promise.all([settled(this.probed), settled(this.indexed), settled(this.origined)]);
    const listing = index && Buffer.from(index.listing);
    const staged = index && Buffer.from(index.staged);
    const header: Header = { format: FORMAT, key: this.key, scope: scopeId(this.scope), stamp: this.stamp, probe, origin, listingBytes: listing?.length, stagedBytes: staged?.length };
    return writeSealed(this.folder, FILE, Buffer.from(`${JSON.stringify(header)}\n`), ...(listing && staged ? [listing, staged] : []));
  }

  private ask<T>(answer: Promise<T>): Promise<T> {
    this.asked = true;
    return answer;
  }
}

/** The answer when there is one; undefined when it was not asked or git failed (nothing is kept of a failure). */
async function settled<T>(answer: Promise<T> | undefined): Promise<T | undefined> {
  return answer?.catch(() => undefined);
}

function scopeId(scope: GitScope): string {
  return JSON.stringify([scope.root, scope.location.gitDir, scope.location.workTree]);
}

/** The kept answers of a sealed file for this key, scope and stamp; undefined for any other, or a file of the wrong shape. */
async function readKept(folder: CacheFolder, key: string, scope: string, stamp: string): Promise<Kept | undefined> {
  const read = await readCacheFile(path.join(folder.path, FILE));
  const bytes = 'bytes' in read ? unseal(folder, FILE, read.bytes) : undefined;
  if (!bytes) return undefined;
  const end = bytes.indexOf(10);
  if (end < 0) return undefined;
  let header: Partial<Header>;
  try {
    header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as Partial<Header>;
  } catch {
    return undefined;
  }
  if (header?.format !== FORMAT || header.key !== key || header.scope !== scope || header.stamp !== stamp) return undefined;
  const kept: Kept = {};
  if (isScopeFacts(header.probe)) kept.probe = header.probe;
  if (header.origin === null || typeof header.origin === 'string') kept.origin = header.origin;
  const [listingBytes, stagedBytes] = [header.listingBytes, header.stagedBytes];
  if (Number.isSafeInteger(listingBytes) && Number.isSafeInteger(stagedBytes) && end + 1 + listingBytes! + stagedBytes! === bytes.length && listingBytes! >= 0 && stagedBytes! >= 0) {
    const start = end + 1;
    kept.index = { listing: bytes.toString('utf8', start, start + listingBytes!), staged: bytes.toString('utf8', start + listingBytes!) };
  }
  return kept;
}

function isScopeFacts(value: unknown): value is ScopeFacts {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Record<string, unknown>;
  return typeof facts.inside === 'boolean' && typeof facts.shallow === 'boolean' && (facts.head === undefined || (typeof facts.head === 'string' && /^[0-9a-f]{40,64}$/.test(facts.head)));
}
