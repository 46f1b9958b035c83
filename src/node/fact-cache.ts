/**
 * The cache of per-file records (`file-record.ts`), so a scan re-reads and
 * re-parses only the files that changed.
 *
 * Records are spread over a fixed number of shard files by a hash of their
 * path, so one changed file rewrites one shard, not the whole cache. Each
 * shard starts with a header line naming the format, the key (Waymark's
 * version, a fingerprint of the engine's sources, the settings extraction
 * depends on) and a checksum of the body. A shard that fails any of it —
 * another version or config, a truncated or edited file, a record of the
 * wrong shape — is ignored and rebuilt, never trusted. Shards are written to a
 * temporary file and renamed, so a crash or a second process never leaves
 * half of one.
 *
 * The body is one JSON array of records, `[path, stamp, digest, facts,
 * skipped]` each, read back with one `JSON.parse` per shard. Texts are
 * never stored.
 */
import { hash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Config } from '../core/config/config.ts';
import { compareText } from '../core/text/compare.ts';
import type { FileRecord } from './file-record.ts';
import { resolvesInside, type FileStamp } from './read-files.ts';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../package-root.ts';

const FORMAT = 'waymark-fact-cache/3';
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

export function shardFile(folder: string, shard: number): string {
  return path.join(folder, `facts-${String(shard).padStart(2, '0')}.cache`);
}

function shardOf(file: string): number {
  return crc32(file) % SHARDS;
}

export class FactCache {
  private constructor(
    readonly folder: string,
    private readonly key: string,
    private readonly records: Map<string, FileRecord>,
    /** Paths per shard as loaded, to tell which shards a save must rewrite. */
    private readonly loaded: number[],
    /** What opening found: usable records, none, or a shard that was ignored (and why). */
    readonly state: CacheState,
    readonly reason?: string,
  ) {}

  /**
   * Open the cache in `folder` only if it is (or would be created) inside
   * `realRoot` once symbolic links are followed; undefined otherwise. A
   * repository can hold a `node_modules` link to anywhere, and Waymark never
   * reads or writes outside the repository it scans.
   */
  static async openInside(realRoot: string, folder: string, key: string): Promise<FactCache | undefined> {
    return (await resolvesInside(realRoot, folder)) ? FactCache.open(folder, key) : undefined;
  }

  /** Open the cache in `folder` for `key`; never throws, never keeps a shard that does not match. */
  static async open(folder: string, key: string): Promise<FactCache> {
    const contents = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) => readFile(shardFile(folder, shard)).catch(() => undefined)),
    );
    const records = new Map<string, FileRecord>();
    const loaded = new Array<number>(SHARDS).fill(0);
    let problem: string | undefined;
    contents.forEach((bytes, shard) => {
      if (bytes === undefined) return;
      const parsed = parseShard(bytes, key, shard);
      if ('problem' in parsed) {
        problem ??= parsed.problem;
        // Rewritten on the next save even if no file in it changed.
        loaded[shard] = -1;
        return;
      }
      for (const [file, record] of parsed.records) records.set(file, record);
      loaded[shard] = parsed.records.length;
    });
    const state: CacheState = problem ? 'ignored' : contents.some((bytes) => bytes !== undefined) ? 'loaded' : 'missing';
    return new FactCache(folder, key, records, loaded, state, problem);
  }

  get size(): number {
    return this.records.size;
  }

  get(file: string): FileRecord | undefined {
    return this.records.get(file);
  }

  /**
   * Store `records` (every file of this scan) as the new cache, rewriting
   * only shards where a record is new (not the very object `get` returned) or
   * a file is gone. `startedAt` is when the scan began reading, for the
   * racy-stamp rule. Shards are serialized before this returns, since
   * linking adds to the facts afterwards; they are written behind it.
   * Resolves to false when a shard could not be written (a read-only
   * checkout): a cache is only ever a saving.
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
      const entries = shard.records.map(([file, record]) => recordEntry(file, record, startedAt));
      return this.writeShard(index, Buffer.from(`[${entries.join(',\n')}]`));
    });
    return Promise.all(writes).then((written) => written.every(Boolean));
  }

  private async writeShard(shard: number, body: Buffer): Promise<boolean> {
    const header = Buffer.from(`${JSON.stringify({ format: FORMAT, key: this.key, shard, body: crc32(body) })}\n`);
    const file = shardFile(this.folder, shard);
    const temporary = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    try {
      await mkdir(this.folder, { recursive: true });
      await writeFile(temporary, Buffer.concat([header, body]));
      await rename(temporary, file);
      return true;
    } catch {
      await rm(temporary, { force: true }).catch(() => undefined);
      return false;
    }
  }
}

/** One record as JSON; facts fresh from extraction are JSON already and go in as they are. */
function recordEntry(file: string, record: FileRecord, startedAt: number): string {
  const stamp = record.stamp && record.stamp.mtimeMs < startedAt - RACY_MS ? stampJson(record.stamp) : 'null';
  const digest = record.digest ? JSON.stringify(record.digest) : 'null';
  if (record.facts === undefined) return `[${JSON.stringify(file)},${stamp},${digest},null,${JSON.stringify(record.skipped ?? '')}]`;
  const facts = typeof record.facts === 'string' ? record.facts : JSON.stringify(record.facts);
  return `[${JSON.stringify(file)},${stamp},${digest},${facts},null]`;
}

function stampJson(stamp: FileStamp): string {
  return `[${stamp.size},${stamp.mtimeMs},${stamp.ctimeMs},${stamp.ino},${stamp.dev}]`;
}

/** The records of one shard, or what is wrong with it. */
export function parseShard(bytes: Buffer, key: string, shard: number): { records: [string, FileRecord][] } | { problem: string } {
  const newline = bytes.indexOf(10);
  if (newline < 0) return { problem: 'there is no header' };
  let header: { format?: unknown; key?: unknown; shard?: unknown; body?: unknown };
  try {
    header = JSON.parse(bytes.subarray(0, newline).toString('utf8'));
  } catch {
    return { problem: 'the header is not JSON' };
  }
  if (header?.format !== FORMAT) return { problem: 'another cache format' };
  if (header.key !== key) return { problem: 'another Waymark version or config' };
  // Checked as bytes: a checksum of the decoded text would cost a second encoding.
  const body = bytes.subarray(newline + 1);
  if (header.shard !== shard || header.body !== crc32(body)) return { problem: 'the body does not match its checksum' };
  let entries: unknown;
  try {
    entries = JSON.parse(body.toString('utf8'));
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

let fingerprint: string | undefined;

/**
 * Waymark's version plus a digest of the sources that decide what a file
 * says: the version alone does not change between commits of a development
 * checkout, and a cache from before a parser fix must not outlive it.
 */
export function engineFingerprint(): string {
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
