/**
 * Fact-cache shards are written in ASCII (every other character as a `\u`
 * escape) and read back as Latin-1, a faster decode and parse than UTF-8 into
 * a two-byte string. Documents in other scripts must come back exactly; the
 * seal still covers every byte, and a body that is not ASCII (another writer,
 * a forged shard) is refused, never decoded as Latin-1 into the wrong text.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { openCacheFolder, repositoryCacheId, type CacheFolder } from '../src/node/cache-folder.ts';
import { cacheKey, FactCache, parseShard, SHARDS, shardName } from '../src/node/fact-cache.ts';
import { scanRepository } from '../src/node/scan.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-ascii-shards-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Documents in French, Japanese and with emoji, one citing a missing file so the report has a line to compare. */
const FILES: Record<string, string> = {
  'docs/déploiement.md': '# Déploiement — étape 1\n\n**Statut**: brouillon\n\nVoir [le script](../scripts/déployer.sh) et `infra/réseau.tf`.\n',
  'docs/手順.md': '# 手順書 🚀\n\n- [x] 準備完了 — `scripts/déployer.sh`\n- [ ] 確認 (`infra/存在しない.tf`)\n',
  'scripts/déployer.sh': '#!/bin/sh\n# Reference: docs/déploiement.md\necho "ok ✓"\n',
  'infra/réseau.tf': 'resource "aws_vpc" "principal" {}\n',
};

function repository(name: string): string {
  const root = path.join(scratch, name);
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
    utimesSync(path.join(root, file), hourAgo, hourAgo);
  }
  return root;
}

const graphOf = async (root: string, cache: { root: string } | false) =>
  JSON.parse(JSON.stringify((await scanRepository(root, { cache, workers: 0, today: '2026-11-26' })).graph));

function shardFiles(cacheRoot: string, root: string): string[] {
  return Array.from({ length: SHARDS }, (_, shard) => path.join(cacheRoot, repositoryCacheId(root), shardName(shard))).filter((file) => existsSync(file));
}

async function openFacts(cacheRoot: string, root: string): Promise<FactCache> {
  const folder = (await openCacheFolder({ root: cacheRoot }, root)) as CacheFolder;
  return FactCache.open(folder, cacheKey(resolveConfig({}, path.basename(root))));
}

describe('ASCII fact-cache shards', () => {
  it('give back documents in any script exactly, from shards that hold only ASCII bytes', async () => {
    const root = repository('scripts');
    const settings = { root: path.join(scratch, 'cache-scripts') };
    const expected = await graphOf(root, false);
    expect(await graphOf(root, settings)).toEqual(expected);
    const shards = shardFiles(settings.root, root);
    expect(shards.length).toBeGreaterThan(0);
    for (const file of shards) expect(readFileSync(file).every((byte) => byte < 0x80), file).toBe(true);
    const warm = await openFacts(settings.root, root);
    expect(warm.state).toBe('loaded');
    expect(await graphOf(root, settings)).toEqual(expected);
  });

  it('refuses a shard whose escapes were edited: the seal covers them', async () => {
    const root = repository('tampered');
    const settings = { root: path.join(scratch, 'cache-tampered') };
    const expected = await graphOf(root, settings);
    const edited = shardFiles(settings.root, root).filter((file) => readFileSync(file, 'latin1').includes('\\u00e9'));
    expect(edited.length).toBeGreaterThan(0);
    for (const file of edited) writeFileSync(file, readFileSync(file, 'latin1').replaceAll('\\u00e9', '\\u00ea'), 'latin1');
    const opened = await openFacts(settings.root, root);
    expect(opened.state).toBe('ignored');
    expect(opened.reason).toBe("a shard is not sealed with this cache's key");
    expect(await graphOf(root, settings)).toEqual(expected);
  });

  it('refuses a body that is not ASCII, and reads the same body escaped', () => {
    const header = JSON.stringify({ format: 'waymark-fact-cache/5', key: 'k', shard: 0 });
    const record = (name: string) => `[["${name}",null,null,null,"it is binary (NUL bytes)"]]`;
    expect(parseShard(Buffer.from(`${header}\n${record('é.bin')}`), 'k', 0)).toEqual({ problem: 'the body is not ASCII' });
    expect(parseShard(Buffer.from(`${header}\n${record('\\u00e9.bin')}`), 'k', 0)).toEqual({ records: [['é.bin', { skipped: 'it is binary (NUL bytes)' }]] });
  });
});
