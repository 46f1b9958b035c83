/**
 * One file, read and extracted, as a record that can be cached and sent
 * between threads: its stamp, the digest of its text, and its facts as JSON
 * (or why it was skipped). The text itself is never kept.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config, TagRole } from '../core/config/config.ts';
import { extractFacts, isMarkdownPath, unmarkedCodeFacts, type FileFacts } from '../core/extract/extract.ts';
import { bytesMayHoldMarkers } from '../core/extract/marker-prefilter.ts';
import { readRepositoryBytesSync, statStamp, textOf, textProblem, type FileStamp, type RealDirs } from './read-files.ts';

export interface FileRecord {
  /** The file's stamp when it was read; absent when it could not be stat'ed or must be re-checked. */
  stamp?: FileStamp;
  /** Git's blob id (SHA-1) of the file's bytes, when the file could be read. */
  digest?: string;
  /**
   * `FileFacts` without `path` (the record's key): JSON text when fresh from
   * extraction (it crosses threads as text), an object when loaded from the cache.
   */
  facts?: string | object;
  /** Why the file was not read, when it was not. */
  skipped?: string;
}

/** What extraction needs to know, plain data so it can be handed to a worker. */
export interface ExtractSetup {
  realRoot: string;
  maxFileSize: number;
  /** `Config['tags']` as entries. */
  tags: [string, { role: TagRole; canonical: string }][];
}

/** What extracting a file needs, set up once per scan (real root, size limit, tags). */
export function extractSetup(realRoot: string, config: Pick<Config, 'maxFileSize' | 'tags'>): ExtractSetup {
  return { realRoot, maxFileSize: config.maxFileSize, tags: [...config.tags] };
}

/**
 * Milliseconds this thread spent reading and extracting files, for `--timing`;
 * a worker sends its share back with each batch (`extract-pool.ts`).
 */
export const extractClock = { readMs: 0, parseMs: 0 };

/**
 * Git's blob id for the bytes (SHA-1 of `blob <size>\0` and the bytes): the
 * same cost as a plain SHA-1, and equal to the index's id for a file git
 * says is unchanged, so such a file's cached facts need neither a read nor a stat.
 */
function digestOf(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * Read and extract one file. With `knownDigest` (the cached digest of a file
 * whose stamp changed), an unchanged text comes back as `unchanged` without
 * being extracted again.
 */
export function extractRecord(
  file: string,
  setup: ExtractSetup,
  tags: Config['tags'],
  realDirs: RealDirs,
  knownDigest?: string,
  keepFacts = false,
): FileRecord & { unchanged?: boolean; extracted?: FileFacts } {
  const started = performance.now();
  const read = readRepositoryBytesSync(setup.realRoot, file, setup.maxFileSize, realDirs);
  const problem = 'bytes' in read ? textProblem(read.bytes) : read.skipped;
  const readAt = performance.now();
  extractClock.readMs += readAt - started;
  if (problem !== undefined || !('bytes' in read)) {
    // Read but not text (NUL bytes, not UTF-8): the digest too, for git's work-tree comparison (`unreadRecord`).
    return 'bytes' in read ? { stamp: read.stamp, digest: digestOf(read.bytes), skipped: problem } : { stamp: read.stamp, skipped: problem };
  }
  const digest = digestOf(read.bytes);
  if (digest === knownDigest) return { stamp: read.stamp, digest, unchanged: true };
  const facts = factsOfBytes(file, read.bytes, tags);
  extractClock.parseMs += performance.now() - readAt;
  // In this thread the facts themselves come back too, sparing a JSON.parse of what was just stringified.
  return { stamp: read.stamp, digest, facts: factsJson(facts), ...(keepFacts ? { extracted: facts } : {}) };
}

/** Largest file whose blob id `unreadRecord` records: bigger ones are left to git's work-tree comparison. */
const MAX_ID_BYTES = 64 * 1024 * 1024;
/** What an id-only record says instead of facts. */
const NOT_READ = 'not read for facts: its blob id only';

/**
 * The record of a file Waymark does not extract (binary by name, over the
 * size limit): its stamp and blob id only. git's work-tree comparison
 * (`worktree.ts`) hashes every tracked file its index does not vouch for (a
 * copied or restored checkout: new inodes); with this record the fact cache
 * vouches for the file by its stamp instead (`FactCache.vouchedDigest`).
 * Measured on a 750-file repository's copy: 44 files, 11 MB read and hashed
 * on every warm run, 65 ms of CPU. `indexId`: git's id when its stat data
 * vouches for the file (nothing is read then). Undefined when the file cannot
 * be read or is too big even for this.
 */
export function unreadRecord(file: string, setup: ExtractSetup, realDirs: RealDirs, indexId?: string): FileRecord | undefined {
  if (indexId !== undefined) {
    const stamp = statStamp(path.join(setup.realRoot, file));
    return stamp ? { stamp, digest: indexId, skipped: NOT_READ } : undefined;
  }
  const read = readRepositoryBytesSync(setup.realRoot, file, MAX_ID_BYTES, realDirs);
  return 'bytes' in read && read.stamp ? { stamp: read.stamp, digest: digestOf(read.bytes), skipped: NOT_READ } : undefined;
}

/**
 * A file's facts from its bytes. Code files (most of a repository) are
 * searched for tags before anything is decoded: without a hit, their facts
 * are their language and line count, taken from the bytes. Only files with
 * a hit, and documents, are decoded and extracted.
 */
function factsOfBytes(file: string, bytes: Buffer, tags: Config['tags']): FileFacts {
  if (!isMarkdownPath(file) && !bytesMayHoldMarkers(bytes.toString('latin1'), tags)) return unmarkedCodeFacts(file, lineCountOf(bytes));
  return extractFacts(file, textOf(bytes), { tags });
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * `countLines(textOf(bytes))` without decoding: in UTF-8 the bytes 10 and 13
 * only ever stand for `\n` and `\r`. `textOf` drops up to two BOMs (the
 * decoder's and its own), so these are skipped here too.
 */
export function lineCountOf(bytes: Buffer): number {
  let start = 0;
  while (start < 6 && BOM.every((byte, i) => bytes[start + i] === byte)) start += 3;
  if (start >= bytes.length) return 0;
  let lines = 1;
  for (let at = bytes.indexOf(10, start); at >= 0; at = bytes.indexOf(10, at + 1)) lines++;
  // CRLF counts once: a `\r` is a line end of its own only when no `\n` follows.
  for (let at = bytes.indexOf(13, start); at >= 0; at = bytes.indexOf(13, at + 1)) if (bytes[at + 1] !== 10) lines++;
  const last = bytes[bytes.length - 1];
  return last === 10 || last === 13 ? lines - 1 : lines;
}

/** JSON of facts without their path, taken before linking adds to them. */
function factsJson(facts: FileFacts): string {
  const { path: _path, ...rest } = facts;
  return JSON.stringify(rest);
}

/** The facts a record holds, or undefined when its JSON is not facts-shaped (a cache not to be trusted). */
export function factsOf(file: string, record: FileRecord): FileFacts | undefined {
  if (record.facts === undefined) return undefined;
  let parsed: unknown = record.facts;
  try {
    if (typeof parsed === 'string') parsed = JSON.parse(parsed);
  } catch {
    return undefined;
  }
  return isFactsShaped(parsed) ? { ...parsed, path: file } : undefined;
}

/** A cheap structural check of the top level: enough to refuse a foreign or damaged entry. */
function isFactsShaped(value: unknown): value is Omit<FileFacts, 'path'> {
  if (typeof value !== 'object' || value === null) return false;
  const facts = value as Record<string, unknown>;
  const arrays = ['markers', 'markerReferences', 'documentProblems', 'suppressions'];
  if (typeof facts.language !== 'string' || typeof facts.lineCount !== 'number') return false;
  if (!arrays.every((key) => Array.isArray(facts[key]))) return false;
  if (facts.document === undefined) return true;
  const document = facts.document as Record<string, unknown> | null;
  return typeof document === 'object' && document !== null && typeof document.path === 'string' && Array.isArray(document.references);
}
