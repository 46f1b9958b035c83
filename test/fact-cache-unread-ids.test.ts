/**
 * Files a scan does not extract — binary by name (`logo.png`), binary by
 * content (NUL bytes), over the size limit — still had to be read and hashed
 * on every run of a copied or restored checkout, where git's stat data
 * vouches for nothing. The fact cache now records their blob ids under their
 * stamps, so it vouches for them as for the files it extracts; a file whose
 * stamp changed is not vouched for, and its edit is still found.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCacheFolder, type CacheFolder } from '../src/node/cache-folder.ts';
import { cacheKey, FactCache } from '../src/node/fact-cache.ts';
import { scanRepository } from '../src/node/scan.ts';
import type { ScanResult } from '../src/core/schema.ts';
import { copiedCheckout, headBlobId } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-unread-ids-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const UNREAD = ['assets/logo.png', 'data/export.af', 'data/big.csv'];

/** The repository: an image, a binary export and a CSV over the configured size limit, beside a document citing them. */
const FILES: Record<string, string | Buffer> = {
  'waymark.config.json': '{ "maxFileSize": 2048 }\n',
  'docs/data.md': '# Data\n\nThe export is [export.af](../data/export.af), the rows [big.csv](../data/big.csv).\n',
  'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  'data/export.af': Buffer.from('AF\0\0\x01layers\0'),
  'data/big.csv': 'id,name\n'.concat('1,row\n'.repeat(1000)),
};

/** The repository committed, then copied with `cp -a` (new inodes: git's stat data vouches for nothing). */
const copied = (name: string) => copiedCheckout(scratch, name, FILES);


async function openCache(repo: string, settings: { root: string; key: Buffer }, result: ScanResult): Promise<FactCache> {
  const folder = (await openCacheFolder(settings, result.root)) as CacheFolder;
  return FactCache.open(folder, cacheKey(result.config));
}

const report = (result: ScanResult) => result.graph.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`).sort();

describe('blob ids of files the scan does not extract', () => {
  it('are kept in the fact cache, which vouches for them while their stamps hold', async () => {
    const repo = copied('kept');
    const settings = { root: path.join(scratch, 'cache-kept'), key: Buffer.from('test-key') };
    const cold = await scanRepository(repo, { cache: settings, today: '2026-11-26' });
    const cache = await openCache(repo, settings, cold);
    for (const file of UNREAD) expect(cache.vouchedDigest(file, path.join(repo, file)), file).toBe(headBlobId(repo, file));
    // The large file is still reported as skipped for its size, the same way, cold and warm.
    const warm = await scanRepository(repo, { cache: settings, today: '2026-11-26' });
    expect(report(warm)).toEqual(report(cold));
    expect(report(cold).some((line) => line.startsWith('data/big.csv:'))).toBe(true);
    expect(warm.history?.dirty).toEqual([]);
  });

  it('near miss: an edited image is not vouched for, and the scan reports it dirty', async () => {
    const repo = copied('edited');
    const settings = { root: path.join(scratch, 'cache-edited'), key: Buffer.from('test-key') };
    const cold = await scanRepository(repo, { cache: settings, today: '2026-11-26' });
    writeFileSync(path.join(repo, 'assets/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    const cache = await openCache(repo, settings, cold);
    expect(cache.vouchedDigest('assets/logo.png', path.join(repo, 'assets/logo.png'))).toBeUndefined();
    const warm = await scanRepository(repo, { cache: settings, today: '2026-11-26' });
    expect(warm.history?.dirty).toEqual(['assets/logo.png']);
  });
});
