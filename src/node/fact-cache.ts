/**
 * The cache of per-file records (`file-record.ts`), so a scan re-reads and
 * re-parses only the files that changed. Where it lives and how its files
 * are sealed and read is `cache-folder.ts`: never in the repository, every
 * shard authenticated.
 *
 * Records are spread over a fixed number of shard files by a hash of their
 * path, so one changed file rewrites one shard, not the whole cache. A
 * shard's sealed bytes start with a header line naming the format, the key
 * (Waymark's version, a fingerprint of the engine's sources, the settings
 * extraction depends on) and the shard's number. A shard that fails any of
 * it — a seal that does not verify, another version or config, a record of
 * the wrong shape, not a regular file, too big — is ignored and rebuilt,
 * never trusted and never an error.
 *
 * The body is one JSON array of records, `[path, stamp, digest, facts,
 * skipped]` each, read back with one `JSON.parse` per shard. Texts are
 * never stored. The body is ASCII: every other character is written as a
 * `\u` escape, so it is read back as Latin-1 (a copy of the bytes) into a
 * one-byte string, which `JSON.parse` reads faster. With one non-ASCII
 * character a UTF-8 shard decodes into a two-byte string: a 750-file
 * repository's 6.7 MB of shards (every shard had some) took 199 ms to
 * decode and parse that way, 81 ms this way.
 */
import { isAscii } from 'node:buffer';
import { hash, randomUUID } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Config } from '../core/config/config.ts';
import { compareText } from '../core/text/compare.ts';
import { readCacheFile, unseal, writeSealed, type CacheFolder } from './cache-folder.ts';
import type { FileRecord } from './file-record.ts';
import type { FileStamp } from './read-files.ts';
import { PACKAGE_ROOT, PACKAGE_VERSION } from './package-root.ts';

const FORMAT = 'waymark-fact-cache/5';
/** Enough shards that one changed file rewrites a small part of a 50k-file cache; few enough to open quickly. */
export const SHARDS = 16;
/**
 * A file modified this close to a scan may change again within one mtime
 * tick (a second on some file systems) without its stamp changing, so its
 * record is kept without a stamp and re-checked by digest next time.
 */
const RACY_MS = 2000;
const DIGEST = /^[0-9a-f]{40}$/;

export type CacheState = 'loaded' | 'missing' | 'ignored';

export function shardName(shard: number): string {
  return `facts-${String(shard).padStart(2, '0')}.cache`;
}

function shardOf(file: string): number {
  return crc32(file) % SHARDS;
}

export class FactCache {
  private constructor(
    readonly folder: CacheFolder,
    private readonly key: string,
    private readonly records: Map<string, FileRecord>,
    /** Paths per shard as loaded, to tell which shards a save must rewrite. */
    private readonly loaded: number[],
    /** What opening found: usable records, none, or a shard that was ignored (and why). */
    readonly state: CacheState,
    readonly reason: string | undefined,
    /** Bytes read from shard files while opening: never more than the shard limit each. */
    readonly bytesRead: number,
  ) {}

  /** Open the cache in `folder` for `key`; never throws, never keeps a shard that does not match. */
  static async open(folder: CacheFolder, key: string): Promise<FactCache> {
    const reads = await Promise.all(Array.from({ length: SHARDS }, (_, shard) => readCacheFile(path.join(folder.path, shardName(shard)))));
    const records = new Map<string, FileRecord>();
    const loaded = new Array<number>(SHARDS).fill(0);
    let problem: string | undefined;
    reads.forEach((read, shard) => {
      if ('missing' in read) return;
      const parsed = 'bytes' in read ? parseSealedShard(folder, read.bytes, key, shard) : { problem: `a shard was skipped: ${read.problem}` };
      if ('problem' in parsed) {
        problem ??= parsed.problem;
        // Rewritten on the next save even if no file in it changed.
        loaded[shard] = -1;
        return;
      }
      for (const [file, record] of parsed.records) records.set(file, record);
      loaded[shard] = parsed.records.length;
    });
    const state: CacheState = problem ? 'ignored' : reads.some((read) => !('missing' in read)) ? 'loaded' : 'missing';
    const bytesRead = reads.reduce((sum, read) => sum + read.read, 0);
    return new FactCache(folder, key, records, loaded, state, problem, bytesRead);
  }

  get size(): number {
    return this.records.size;
  }

  get(file: string): FileRecord | undefined {
    return this.records.get(file);
  }

  /**
   * The digest recorded for `file` (git's blob id, in a SHA-1 repository) while
   * the file at `absolute` is still a regular file with the recorded stamp: what
   * the scan would trust without reading it. Undefined otherwise.
   */
  vouchedDigest(file: string, absolute: string): string | undefined {
    const record = this.records.get(file);
    if (!record?.stamp || !record.digest) return undefined;
    const info = lstatSync(absolute, { throwIfNoEntry: false });
    if (!info?.isFile()) return undefined;
    const stamp = { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev };
    return sameStamp(stamp, record.stamp) ? record.digest : undefined;
  }

  /**
   * Store `records` (every file of this scan) as the new cache, rewriting
   * only shards where a record is new (not the very object `get` returned) or
   * a file is gone. `startedAt` is when the scan began reading, for the
   * racy-stamp rule. Shards are serialized before this returns, since
   * linking adds to the facts afterwards; they are written behind it.
   * (Serialized later, while git works, the records' JSON stayed alive
   * through linking and checking: +70 MiB of peak RSS on a 50k-file
   * repository, measured.) Resolves to false when a shard could not be
   * written (a read-only cache folder): a cache is only ever a saving.
   */
  save(records: Iterable<[string, FileRecord]>, startedAt: number): Promise<boolean> {
    const shards = Array.from({ length: SHARDS }, () => ({ records: [] as [string, FileRecord][], changed: false }));
    for (const [file, record] of records) {
      const shard = shards[shardOf(file)];
      shard.records.push([file, record]);
      if (this.records.get(file) !== record) shard.changed = true;
    }
    const writes = shards.map((shard, index) => {
      if (!shard.changed && shard.records.length === this.loaded[index]) return Promise.resolve(true);
      return this.writeShard(index, shardBody(shard.records.map(([file, record]) => recordEntry(file, record, startedAt))));
    });
    return Promise.all(writes).then((written) => written.every(Boolean));
  }

  private writeShard(shard: number, body: Buffer): Promise<boolean> {
    const header = Buffer.from(`${JSON.stringify({ format: FORMAT, key: this.key, shard })}\n`);
    return writeSealed(this.folder, shardName(shard), header, body);
  }
}

const NOT_ASCII = /[^\x00-\x7f]+/g;

/**
 * JSON text with every non-ASCII character as a `\u` escape (they only occur
 * inside strings): the same value, in ASCII. Runs found by one regex and
 * joined by hand: `replace` with a callback took 8× as long on a shard's
 * two-byte string (120 ms against 15 ms for a 750-file repository's shards).
 */
function asciiJson(text: string): string {
  let out = '';
  let at = 0;
  NOT_ASCII.lastIndex = 0;
  for (let run = NOT_ASCII.exec(text); run; run = NOT_ASCII.exec(text)) {
    out += text.slice(at, run.index);
    for (let i = 0; i < run[0].length; i++) out += `\\u${run[0].charCodeAt(i).toString(16).padStart(4, '0')}`;
    at = run.index + run[0].length;
  }
  return at === 0 ? text : out + text.slice(at);
}

/**
 * A shard's body, `[entry,\nentry…]` in ASCII, written piece by piece into one buffer: escaping the
 * whole joined text made one string of the shard (a two-byte one, when any record held a character past
 * Latin-1) and copied it twice more to encode it: 5-8× the CPU time (135-193 ms against 16-38 ms for
 * 4.7 MB of records, measured; 1.6 s of 19 s of a cold check's main-thread samples at load 12). A record's facts
 * JSON is written as it is (no copy) unless it holds a character past ASCII.
 */
function shardBody(entries: string[][]): Buffer {
  const pieces: string[] = [];
  entries.forEach((entry, index) => {
    if (index > 0) pieces.push(',\n');
    for (const part of entry) pieces.push(asciiJson(part));
  });
  const body = Buffer.allocUnsafe(pieces.reduce((sum, piece) => sum + piece.length, 2));
  let at = body.write('[', 0, 'latin1');
  for (const piece of pieces) at += body.write(piece, at, 'latin1');
  body.write(']', at, 'latin1');
  return body;
}

/** One record as JSON, in pieces that join into it; facts fresh from extraction are JSON already and go in as they are. */
function recordEntry(file: string, record: FileRecord, startedAt: number): string[] {
  const stamp = record.stamp && record.stamp.mtimeMs < startedAt - RACY_MS ? stampJson(record.stamp) : 'null';
  const digest = record.digest ? JSON.stringify(record.digest) : 'null';
  if (record.facts === undefined) return [`[${JSON.stringify(file)},${stamp},${digest},null,${JSON.stringify(record.skipped ?? '')}]`];
  const facts = typeof record.facts === 'string' ? record.facts : JSON.stringify(record.facts);
  return [`[${JSON.stringify(file)},${stamp},${digest},`, facts, ',null]'];
}

function stampJson(stamp: FileStamp): string {
  return `[${stamp.size},${stamp.mtimeMs},${stamp.ctimeMs},${stamp.ino},${stamp.dev}]`;
}

type ParsedShard = { records: [string, FileRecord][] } | { problem: string };

/** The records of one shard file's contents, or what is wrong with it; nothing is parsed before the seal verifies. */
function parseSealedShard(folder: CacheFolder, contents: Buffer, key: string, shard: number): ParsedShard {
  const bytes = unseal(folder, shardName(shard), contents);
  return bytes ? parseShard(bytes, key, shard) : { problem: 'a shard is not sealed with this cache\'s key' };
}

/** The records of one shard's (unsealed) bytes, or what is wrong with them. */
export function parseShard(bytes: Buffer, key: string, shard: number): ParsedShard {
  const newline = bytes.indexOf(10);
  if (newline < 0) return { problem: 'there is no header' };
  let header: { format?: unknown; key?: unknown; shard?: unknown };
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    return { problem: 'the header is not JSON' };
  }
  if (header?.format !== FORMAT) return { problem: 'another cache format' };
  if (header.key !== key) return { problem: 'another Waymark version or config' };
  if (header.shard !== shard) return { problem: 'a shard is filed under another number' };
  const body = bytes.subarray(newline + 1);
  if (!isAscii(body)) return { problem: 'the body is not ASCII' };
  let entries: unknown;
  try {
    entries = JSON.parse(body.toString('latin1'));
  } catch {
    return { problem: 'the body is not JSON' };
  }
  if (!Array.isArray(entries)) return { problem: 'the body is not a list of records' };
  const records: [string, FileRecord][] = [];
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (!parsed) return { problem: 'a record has the wrong shape' };
    records.push(parsed);
  }
  return { records };
}

/** `[path, stamp, digest, facts, skipped]` → a record; undefined when any part has the wrong type. */
function parseEntry(entry: unknown): [string, FileRecord] | undefined {
  if (!Array.isArray(entry) || entry.length !== 5) return undefined;
  const [file, stamp, digest, facts, skipped] = entry as unknown[];
  if (typeof file !== 'string' || file === '') return undefined;
  if (stamp !== null && !isStampTuple(stamp)) return undefined;
  if (digest !== null && (typeof digest !== 'string' || !DIGEST.test(digest))) return undefined;
  const record: FileRecord = {};
  if (stamp !== null) {
    const [size, mtimeMs, ctimeMs, ino, dev] = stamp;
    record.stamp = { size, mtimeMs, ctimeMs, ino, dev };
  }
  if (digest !== null) record.digest = digest;
  // Exactly one of facts (an object, checked in depth where it is used) and a reason for skipping.
  if (facts !== null && typeof facts === 'object' && !Array.isArray(facts) && skipped === null) return [file, { ...record, facts }];
  if (facts === null && typeof skipped === 'string') return [file, { ...record, skipped }];
  return undefined;
}

function isStampTuple(value: unknown): value is [number, number, number, number, number] {
  return Array.isArray(value) && value.length === 5 && value.every((part) => typeof part === 'number' && Number.isFinite(part));
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

/** The cache key: what a record's facts depend on besides the file itself. */
export function cacheKey(config: Pick<Config, 'tags' | 'maxFileSize'>): string {
  const tags = [...config.tags].sort(([a], [b]) => compareText(a, b));
  return hash('sha1', JSON.stringify({ engine: engineFingerprint(), tags, maxFileSize: config.maxFileSize }));
}

/** What git answers kept in the cache depend on besides git itself: the engine, and the code that reads git's output. */
export function engineKey(): string {
  let text = engineFingerprint();
  try {
    for (const name of ['git-history.ts', 'history-scan.ts']) text += `\0${readFileSync(path.join(PACKAGE_ROOT, 'src/node', name), 'utf8')}`;
  } catch {
    text += `\0${randomUUID()}`;
  }
  return hash('sha1', text);
}

let fingerprint: string | undefined;

/**
 * Waymark's version plus a digest of the sources that decide what a file
 * says: the version alone does not change between commits of a development
 * checkout, and a cache from before a parser fix must not outlive it.
 */
function engineFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  let text = '';
  try {
    text += PACKAGE_VERSION;
    const core = path.join(PACKAGE_ROOT, 'src/core');
    const sources = readdirSync(core, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(core, name))
      .concat(['read-files.ts', 'file-record.ts'].map((name) => path.join(PACKAGE_ROOT, 'src/node', name)))
      .sort();
    for (const source of sources) text += `\0${source.slice(PACKAGE_ROOT.length)}\0${readFileSync(source, 'utf8')}`;
  } catch {
    // Sources not where they should be: a fresh key every run is safe, merely slow.
    text += `\0${randomUUID()}`;
  }
  fingerprint = hash('sha1', text);
  return fingerprint;
}
