/**
 * The cache of per-file records (`file-record.ts`), so a scan re-reads and
 * re-parses only the files that changed.
 *
 * Records are spread over a fixed number of shard files by a hash of their
 * path, so one changed file rewrites one shard, not the whole cache. Each
 * shard starts with a header line naming the format, the key (Waymark's
 * version, a fingerprint of the engine's sources, the settings extraction
 * depends on) and a checksum of the body. A shard that fails any of it —
 * another version or config, a truncated or edited file, a line of the wrong
 * shape — is ignored and rebuilt, never trusted. Shards are written to a
 * temporary file and renamed, so a crash or a second process never leaves
 * half of one.
 *
 * Each record is one line: path (JSON), stamp, digest, kind and payload,
 * separated by tabs (JSON never holds a raw tab). Texts are never stored.
 */
import { hash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import type { Config } from '../core/config.ts';
import type { FileRecord } from './file-record.ts';
import type { FileStamp } from './read-files.ts';

const FORMAT = 'waymark-fact-cache/2';
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

  /** Open the cache in `folder` for `key`; never throws, never keeps a shard that does not match. */
  static async open(folder: string, key: string): Promise<FactCache> {
    const texts = await Promise.all(
      Array.from({ length: SHARDS }, (_, shard) => readFile(shardFile(folder, shard)).catch(() => undefined)),
    );
    const records = new Map<string, FileRecord>();
    const loaded = new Array<number>(SHARDS).fill(0);
    let problem: string | undefined;
    texts.forEach((text, shard) => {
      if (text === undefined) return;
      const parsed = parseShard(text, key, shard);
      if ('problem' in parsed) {
        problem ??= parsed.problem;
        // Rewritten on the next save even if no file in it changed.
        loaded[shard] = -1;
        return;
      }
      for (const [file, record] of parsed.records) records.set(file, record);
      loaded[shard] = parsed.records.length;
    });
    const state: CacheState = problem ? 'ignored' : texts.some((text) => text !== undefined) ? 'loaded' : 'missing';
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
   * racy-stamp rule. Returns false when a shard could not be written (a
   * read-only checkout): a cache is only ever a saving.
   */
  async save(records: Iterable<[string, FileRecord]>, startedAt: number): Promise<boolean> {
    const shards = Array.from({ length: SHARDS }, () => ({ entries: [] as [string, FileRecord][], changed: false }));
    for (const [file, record] of records) {
      const shard = shards[shardOf(file)];
      shard.entries.push([file, record]);
      if (this.records.get(file) !== record) shard.changed = true;
    }
    const writes = shards.map((shard, index) => {
      const changed = shard.changed || shard.entries.length !== this.loaded[index];
      return changed ? this.writeShard(index, shard.entries, startedAt) : Promise.resolve(true);
    });
    return (await Promise.all(writes)).every(Boolean);
  }

  private async writeShard(shard: number, entries: [string, FileRecord][], startedAt: number): Promise<boolean> {
    const body = Buffer.from(entries.map(([file, record]) => recordLine(file, record, startedAt)).join('\n'));
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

function recordLine(file: string, record: FileRecord, startedAt: number): string {
  const stamp = record.stamp && record.stamp.mtimeMs < startedAt - RACY_MS ? stampText(record.stamp) : '';
  const [kind, payload] = record.facts !== undefined ? ['f', record.facts] : ['s', JSON.stringify(record.skipped ?? '')];
  return `${JSON.stringify(file)}\t${stamp}\t${record.digest ?? ''}\t${kind}\t${payload}`;
}

function stampText(stamp: FileStamp): string {
  return `${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}:${stamp.ino}:${stamp.dev}`;
}

/** The records of one shard, or what is wrong with it. */
export function parseShard(bytes: Buffer, key: string, shard: number): { records: [string, FileRecord][] } | { problem: string } {
  const newline = bytes.indexOf(10);
  const headerBytes = newline < 0 ? bytes : bytes.subarray(0, newline);
  // Checked as bytes: a checksum of the decoded text would cost a second encoding.
  const bodyBytes = newline < 0 ? Buffer.alloc(0) : bytes.subarray(newline + 1);
  let header: { format?: unknown; key?: unknown; shard?: unknown; body?: unknown };
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    return { problem: 'the header is not JSON' };
  }
  if (header?.format !== FORMAT) return { problem: 'another cache format' };
  if (header.key !== key) return { problem: 'another Waymark version or config' };
  if (header.shard !== shard || header.body !== crc32(bodyBytes)) return { problem: 'the body does not match its checksum' };
  const body = bodyBytes.toString('utf8');
  const records: [string, FileRecord][] = [];
  for (const line of body === '' ? [] : body.split('\n')) {
    const parsed = parseLine(line);
    if (!parsed) return { problem: 'a record has the wrong shape' };
    records.push(parsed);
  }
  return { records };
}

function parseLine(line: string): [string, FileRecord] | undefined {
  // JSON never holds a raw tab, so a well-formed line splits into exactly five fields.
  const fields = line.split('\t');
  if (fields.length !== 5) return undefined;
  const [pathJson, stampField, digest, kind, payload] = fields;
  // A JSON string without a backslash has no escapes: its text is between the quotes.
  const plain = pathJson.length > 2 && pathJson.startsWith('"') && pathJson.endsWith('"') && !pathJson.includes('\\');
  const file = plain ? pathJson.slice(1, -1) : parseJson(pathJson);
  if (typeof file !== 'string' || file === '') return undefined;
  const stamp = stampField === '' ? undefined : parseStamp(stampField);
  if (stampField !== '' && !stamp) return undefined;
  if (digest !== '' && !DIGEST.test(digest)) return undefined;
  const record: FileRecord = { ...(stamp ? { stamp } : {}), ...(digest ? { digest } : {}) };
  if (kind === 'f') return [file, { ...record, facts: payload }];
  const skipped = parseJson(payload);
  return kind === 's' && typeof skipped === 'string' ? [file, { ...record, skipped }] : undefined;
}

function parseStamp(text: string): FileStamp | undefined {
  const parts = text.split(':').map(Number);
  if (parts.length !== 5 || !parts.every(Number.isFinite)) return undefined;
  const [size, mtimeMs, ctimeMs, ino, dev] = parts;
  return { size, mtimeMs, ctimeMs, ino, dev };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

/** The cache key: what a record's facts depend on besides the file itself. */
export function cacheKey(config: Pick<Config, 'tags' | 'maxFileSize'>): string {
  const tags = [...config.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return hash('sha1', JSON.stringify({ engine: engineFingerprint(), tags, maxFileSize: config.maxFileSize }));
}

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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
    text += JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version;
    const core = path.join(packageRoot, 'src/core');
    const sources = readdirSync(core, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => path.join(core, name))
      .concat(['read-files.ts', 'file-record.ts'].map((name) => path.join(packageRoot, 'src/node', name)))
      .sort();
    for (const source of sources) text += `\0${source.slice(packageRoot.length)}\0${readFileSync(source, 'utf8')}`;
  } catch {
    // Sources not where they should be: a fresh key every run is safe, merely slow.
    text += `\0${randomUUID()}`;
  }
  fingerprint = hash('sha1', text);
  return fingerprint;
}
