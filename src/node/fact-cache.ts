/**
 * The cache of per-file records (`file-record.ts`): one file in the cache
 * folder, so a scan re-reads and re-parses only the files that changed.
 *
 * A header line names the format, a key (Waymark's version, a fingerprint of
 * the engine's sources, the settings extraction depends on) and the digest of
 * the body. A cache that fails any of it — another version, another config,
 * a truncated or edited file, a line of the wrong shape — is ignored as a
 * whole and rebuilt, never trusted. Written to a temporary file and renamed,
 * so a crash or a second process never leaves half a cache.
 *
 * Each record is one line: path (JSON), stamp, digest, kind and payload,
 * separated by tabs (JSON never holds a raw tab). Texts are never stored.
 */
import { hash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config.ts';
import type { FileRecord } from './file-record.ts';
import type { FileStamp } from './read-files.ts';

const FORMAT = 'waymark-fact-cache/1';
export const CACHE_FILE = 'facts.cache';
/**
 * A file modified this close to a scan may change again within one mtime
 * tick (a second on some file systems) without its stamp changing, so its
 * record is kept without a stamp and re-checked by digest next time.
 */
const RACY_MS = 2000;
const DIGEST = /^[0-9a-f]{40}$/;

export type CacheState = 'loaded' | 'missing' | 'ignored';

export class FactCache {
  private constructor(
    readonly file: string,
    private readonly key: string,
    private readonly records: Map<string, FileRecord>,
    /** What opening found: a usable cache, none, or one that was ignored (and why). */
    readonly state: CacheState,
    readonly reason?: string,
  ) {}

  /** Open the cache in `folder` for `key`; never throws, never returns a cache that does not match. */
  static async open(folder: string, key: string): Promise<FactCache> {
    const file = path.join(folder, CACHE_FILE);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return new FactCache(file, key, new Map(), 'missing');
    }
    const parsed = parseCache(text, key);
    return 'records' in parsed
      ? new FactCache(file, key, parsed.records, 'loaded')
      : new FactCache(file, key, new Map(), 'ignored', parsed.problem);
  }

  get size(): number {
    return this.records.size;
  }

  get(file: string): FileRecord | undefined {
    return this.records.get(file);
  }

  /**
   * Replace the cache with `records` (every file of this scan), atomically.
   * `startedAt` is when the scan began reading, for the racy-stamp rule.
   * Returns false when the cache could not be written (a read-only checkout): a cache is only ever a saving.
   */
  async save(records: Iterable<[string, FileRecord]>, startedAt: number): Promise<boolean> {
    const lines: string[] = [];
    for (const [file, record] of records) lines.push(recordLine(file, record, startedAt));
    const body = lines.join('\n');
    const header = JSON.stringify({ format: FORMAT, key: this.key, body: hash('sha1', body) });
    const temporary = `${this.file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(temporary, `${header}\n${body}`);
      await rename(temporary, this.file);
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

/** The records of a cache file, or what is wrong with it. */
export function parseCache(text: string, key: string): { records: Map<string, FileRecord> } | { problem: string } {
  const newline = text.indexOf('\n');
  const headerText = newline < 0 ? text : text.slice(0, newline);
  const body = newline < 0 ? '' : text.slice(newline + 1);
  let header: { format?: unknown; key?: unknown; body?: unknown };
  try {
    header = JSON.parse(headerText);
  } catch {
    return { problem: 'the header is not JSON' };
  }
  if (header?.format !== FORMAT) return { problem: 'another cache format' };
  if (header.key !== key) return { problem: 'another Waymark version or config' };
  if (header.body !== hash('sha1', body)) return { problem: 'the body does not match its digest' };
  const records = new Map<string, FileRecord>();
  for (const line of body === '' ? [] : body.split('\n')) {
    const parsed = parseLine(line);
    if (!parsed) return { problem: 'a record has the wrong shape' };
    records.set(parsed[0], parsed[1]);
  }
  return { records };
}

function parseLine(line: string): [string, FileRecord] | undefined {
  const fields: string[] = [];
  let from = 0;
  for (let i = 0; i < 4; i++) {
    const tab = line.indexOf('\t', from);
    if (tab < 0) return undefined;
    fields.push(line.slice(from, tab));
    from = tab + 1;
  }
  const [pathJson, stampField, digest, kind] = fields;
  const payload = line.slice(from);
  const file = parseJson(pathJson);
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
