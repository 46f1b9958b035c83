/**
 * The fact cache: a warm scan says exactly what a cold one says, a changed
 * file is read again, a damaged or foreign cache is ignored (and the results
 * stay right), and file texts never reach the disk. No timings: what is
 * checked is which files were read and what came out.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUserConfig, resolveConfig } from '../src/core/config/config.ts';
import { collectFacts } from '../src/node/collect-facts.ts';
import { cacheKey, FactCache, parseShard, SHARDS, shardFile } from '../src/node/fact-cache.ts';
import { factsOf } from '../src/node/file-record.ts';
import { isBinaryByName } from '../src/node/read-files.ts';
import { scanRepository } from '../src/node/scan.ts';
import { projectRoot } from './helpers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-cache-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SECRET = 'this sentence is only ever in the file itself';
const CACHE = 'node_modules/.cache/waymark';
/** An hour ago: older than the racy window, so stamps are trusted. */
const PAST = Date.now() / 1000 - 3600;

let counter = 0;
/** A copy of the example repository plus awkward files, every file dated an hour ago. */
function repository(): string {
  const root = path.join(scratch, `repo-${++counter}`);
  cpSync(path.join(projectRoot, 'content/example-infra'), root, {
    recursive: true,
    filter: (source) => !source.split(path.sep).includes('node_modules'),
  });
  writeFileSync(path.join(root, 'notes.md'), `# Notes\n\n${SECRET}.\n`);
  writeFileSync(path.join(root, 'scripts-extra.sh'), `#!/bin/sh\necho "${SECRET}"\n# Reference: docs/nowhere.md\n`);
  writeFileSync(path.join(root, 'blob.dat'), Buffer.from([1, 0, 2, 0, 3]));
  writeFileSync(path.join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  for (const file of listFiles(root)) age(path.join(root, file));
  return root;
}

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('node_modules/'))
    .sort();
}

function age(file: string, seconds = PAST): void {
  utimesSync(file, seconds, seconds);
}

/** A scan's graph as plain data, for deep comparison. */
async function graphOf(root: string, cache: boolean) {
  const { graph } = await scanRepository(root, { cache, workers: 0 });
  return JSON.parse(JSON.stringify(graph));
}

async function collect(root: string) {
  const config = resolveConfig({}, path.basename(root));
  const cache = await FactCache.open(path.join(root, CACHE), cacheKey(config));
  const files = listFiles(root).filter((file) => !isBinaryByName(file));
  const collected = await collectFacts(root, files, config, { cache, workers: 0 });
  await cache.save(collected.records, Date.now());
  return { cache, collected };
}

function shardTexts(root: string): string[] {
  return Array.from({ length: SHARDS }, (_, shard) => shardFile(path.join(root, CACHE), shard))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8'));
}

describe('the fact cache', () => {
  it('gives a warm scan the same graph as a cold one, without reading a file', async () => {
    const root = repository();
    const uncached = await graphOf(root, false);
    expect(existsSync(path.join(root, CACHE))).toBe(false);

    const cold = await graphOf(root, true);
    expect(shardTexts(root).length).toBeGreaterThan(0);
    const warm = await graphOf(root, true);
    expect(cold).toEqual(uncached);
    expect(warm).toEqual(cold);

    const { cache, collected } = await collect(root);
    expect(cache.state).toBe('loaded');
    expect(collected.read).toBe(0);
  });

  it('reads a changed file again, and only that one', async () => {
    const root = repository();
    await collect(root);
    const file = path.join(root, 'notes.md');
    writeFileSync(file, '# Notes\n\nSee `docs/gone.md`.\n');
    age(file, PAST + 60);

    const { collected } = await collect(root);
    expect(collected.read).toBe(1);
    const notes = collected.facts.find((facts) => facts.path === 'notes.md');
    expect(notes?.document?.references.map((reference) => reference.raw)).toEqual(['docs/gone.md']);
    expect(await graphOf(root, true)).toEqual(await graphOf(root, false));
  });

  it('takes an unchanged text whose stamp changed from the cache by its digest', async () => {
    const root = repository();
    const before = (await collect(root)).collected.records.find(([file]) => file === 'notes.md')![1];
    age(path.join(root, 'notes.md'), PAST + 120);

    const { collected } = await collect(root);
    const after = collected.records.find(([file]) => file === 'notes.md')![1];
    expect(collected.read).toBe(1);
    expect(after.digest).toBe(before.digest);
    expect(factsOf('notes.md', after)).toEqual(factsOf('notes.md', before));
    expect(after.stamp?.mtimeMs).not.toBe(before.stamp?.mtimeMs);
  });

  it('re-checks files modified just before the scan, whose stamps could hide a change', async () => {
    const root = repository();
    writeFileSync(path.join(root, 'notes.md'), '# Notes\n\nFresh.\n');
    await collect(root);
    expect((await collect(root)).collected.read).toBe(1);
  });

  it('never stores file texts', async () => {
    const root = repository();
    await scanRepository(root, { cache: true, workers: 0 });
    const stored = shardTexts(root).join('\n');
    expect(stored).toContain('notes.md');
    expect(stored).not.toContain(SECRET);
  });

  it('ignores a damaged cache and still reports the right results', async () => {
    const damages: Record<string, (text: string) => string> = {
      truncated: (text) => text.slice(0, Math.floor(text.length / 2)),
      'not JSON': () => 'not a cache at all\n',
      'edited body': (text) => text.replace(/"lineCount":\d+/, '"lineCount":99999'),
      'body not JSON': (text) => rechecksummed(text, (body) => body.slice(0, -1)),
      'bad record': (text) => rechecksummed(text, (body) => body.replace(/^\[\[/, '[[1,')),
      'bad facts': (text) => rechecksummed(text, (body) => body.replace(/,\{"language":"[^"]*"/, ',{"language":1')),
    };
    for (const [name, damage] of Object.entries(damages)) {
      const root = repository();
      const expected = await graphOf(root, false);
      await collect(root);
      for (let shard = 0; shard < SHARDS; shard++) {
        const file = shardFile(path.join(root, CACHE), shard);
        if (existsSync(file)) writeFileSync(file, damage(readFileSync(file, 'utf8')));
      }
      const damaged = await FactCache.open(path.join(root, CACHE), cacheKey(resolveConfig({}, path.basename(root))));
      // Facts of the wrong shape pass the checksum; they are refused record by record instead.
      expect(damaged.state, name).toBe(name === 'bad facts' ? 'loaded' : 'ignored');
      expect(await graphOf(root, true), name).toEqual(expected);
      // Rebuilt: the next scan trusts it again.
      const { cache, collected } = await collect(root);
      expect(cache.state, name).toBe('loaded');
      expect(collected.read, name).toBe(0);
    }
  });

  it('ignores a cache written by another version or for another config', async () => {
    const root = repository();
    await collect(root);
    const folder = path.join(root, CACHE);
    for (let shard = 0; shard < SHARDS; shard++) {
      const file = shardFile(folder, shard);
      if (!existsSync(file)) continue;
      const text = readFileSync(file, 'utf8');
      const newline = text.indexOf('\n');
      const header = { ...JSON.parse(text.slice(0, newline)), key: 'written-by-waymark-0.0.1' };
      writeFileSync(file, `${JSON.stringify(header)}${text.slice(newline)}`);
    }
    const config = resolveConfig({}, 'repo');
    const opened = await FactCache.open(folder, cacheKey(config));
    expect(opened.state).toBe('ignored');
    expect(opened.reason).toBe('another Waymark version or config');
    expect(opened.size).toBe(0);

    const other = resolveConfig({ tags: { process: ['Runbook Process'] } }, 'repo');
    expect(cacheKey(other)).not.toBe(cacheKey(config));
    expect(await graphOf(root, true)).toEqual(await graphOf(root, false));
  });

  it('leaves no temporary files, and writes nothing with the cache off', async () => {
    const root = repository();
    await graphOf(root, false);
    expect(existsSync(path.join(root, 'node_modules'))).toBe(false);
    await graphOf(root, true);
    expect(readdirSync(path.join(root, CACHE)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('uses the configured cache folder, which must stay inside the repository', async () => {
    const root = repository();
    writeFileSync(path.join(root, 'waymark.config.json'), JSON.stringify({ cacheDir: '.waymark-cache' }));
    const { graph } = await scanRepository(root, { cache: true, workers: 0 });
    expect(readdirSync(path.join(root, '.waymark-cache')).length).toBeGreaterThan(0);
    // The cache is never scanned as part of the repository.
    expect(graph.paths.some((file) => file.startsWith('.waymark-cache/'))).toBe(false);
    for (const outside of ['../cache', '/tmp/cache', 'a/../../cache']) {
      expect(parseUserConfig({ cacheDir: outside }, 'waymark.config.json').errors, outside).toHaveLength(1);
    }
  });
});

/** Rewrite a shard's body and give it a matching checksum: damage only the shape check can catch. */
function rechecksummed(text: string, edit: (body: string) => string): string {
  const newline = text.indexOf('\n');
  const body = edit(text.slice(newline + 1));
  const header = JSON.parse(text.slice(0, newline));
  return `${JSON.stringify({ ...header, body: crc32Of(body) })}\n${body}`;
}

/** The checksum the cache writes: CRC-32 of the UTF-8 bytes. */
function crc32Of(text: string): number {
  return crc32(Buffer.from(text));
}

describe('parseShard', () => {
  it('refuses a shard filed under another number', () => {
    const body = '[]';
    const header = JSON.stringify({ format: 'waymark-fact-cache/3', key: 'k', shard: 3, body: crc32Of(body) });
    expect(parseShard(Buffer.from(`${header}\n${body}`), 'k', 4)).toEqual({ problem: 'the body does not match its checksum' });
    expect(parseShard(Buffer.from(`${header}\n${body}`), 'k', 3)).toEqual({ records: [] });
  });
});
