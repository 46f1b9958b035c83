/**
 * The fact cache's save (fact-cache.ts) writes its shards piece by piece into
 * one buffer: the bytes must be those the whole-shard serialization wrote
 * (the same JSON, every character past ASCII a `\u` escape), and a record's
 * facts must be taken as they were when `save` was called, not as linking
 * leaves them after.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCacheFolder, repositoryCacheId, unseal, type CacheFolder } from '../src/node/cache-folder.ts';
import { FactCache, SHARDS, shardName } from '../src/node/fact-cache.ts';
import type { FileRecord } from '../src/node/file-record.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-shard-bytes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The former serialization of a shard: the joined entries, escaped as a whole. */
function wholeShard(entries: unknown[]): Buffer {
  const text = `[${entries.map((entry) => JSON.stringify(entry)).join(',\n')}]`;
  return Buffer.from(text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`), 'latin1');
}

async function folderFor(name: string): Promise<{ folder: CacheFolder; shardPath: (shard: number) => string }> {
  const root = path.join(scratch, name);
  mkdirSync(root, { recursive: true });
  const cacheRoot = path.join(scratch, `cache-${name}`);
  const folder = (await openCacheFolder({ root: cacheRoot }, root)) as CacheFolder;
  return { folder, shardPath: (shard) => path.join(cacheRoot, repositoryCacheId(root), shardName(shard)) };
}

const facts = (title: string) => ({ language: 'markdown', lineCount: 3, markers: [], markerReferences: [], documentProblems: [], suppressions: [], title });
const stamp = { size: 10, mtimeMs: 1_000, ctimeMs: 1_000, ino: 7, dev: 1 };

describe('fact-cache shard bytes', () => {
  it('writes the bytes the whole-shard serialization wrote, whatever the script', async () => {
    const { folder, shardPath } = await folderFor('bytes');
    const cache = await FactCache.open(folder, 'key');
    const titles = ['plain', 'Déploiement — étape', '手順書 🚀', 'lone \ud800 surrogate', 'quote " and \\ slash', 'ÿ and Ā'];
    const records: Array<[string, FileRecord]> = titles.flatMap((title, index) => [
      [`docs/${index}-${title}.md`, { stamp, digest: 'a'.repeat(40), facts: JSON.stringify(facts(title)) }],
      [`bin/${index}.png`, { skipped: `it is binary — ${title}` }],
    ]);
    expect(await cache.save(records, 10_000)).toBe(true);
    let shards = 0;
    for (let shard = 0; shard < SHARDS; shard++) {
      let contents: Buffer;
      try {
        contents = readFileSync(shardPath(shard));
      } catch {
        continue;
      }
      shards++;
      const bytes = unseal(folder, shardName(shard), contents)!;
      const body = bytes.subarray(bytes.indexOf(10) + 1);
      expect(body.equals(wholeShard(JSON.parse(body.toString('latin1')))), `shard ${shard}`).toBe(true);
    }
    expect(shards).toBeGreaterThan(1);
  });

  it('keeps a record as it was when save was called, though its facts change right after', async () => {
    const { folder } = await folderFor('snapshot');
    const cached: FileRecord = { stamp, digest: 'b'.repeat(40), facts: facts('before') };
    const records: Array<[string, FileRecord]> = [['docs/a.md', cached], ['docs/b.md', { stamp, facts: JSON.stringify(facts('fresh')) }]];
    const saving = (await FactCache.open(folder, 'key')).save(records, 10_000);
    // What linking does to a cached record's facts object once save has returned.
    (cached.facts as { title: string }).title = 'after';
    expect(await saving).toBe(true);
    const reopened = await FactCache.open(folder, 'key');
    expect(reopened.state).toBe('loaded');
    expect((reopened.get('docs/a.md')?.facts as { title: string }).title).toBe('before');
    expect((reopened.get('docs/b.md')?.facts as { title: string }).title).toBe('fresh');
  });
});
