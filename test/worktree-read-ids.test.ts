/**
 * A copied checkout (new inodes, no fact cache) fails git's stat data on
 * every file, and extraction has just read every file: the work-tree
 * comparison takes the blob ids extraction computed (`CollectedFacts.readIds`)
 * instead of reading and hashing the same bytes again. Only an id equal to
 * HEAD's and the index's is taken; anything else is hashed as before, so the
 * dirty list is the one a full hash gives.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { openCacheFolder, type CacheFolder } from '../src/node/cache-folder.ts';
import { collectFacts } from '../src/node/collect-facts.ts';
import { cacheKey, FactCache } from '../src/node/fact-cache.ts';
import { openRepository } from '../src/node/git-history.ts';
import { scanRepository } from '../src/node/scan.ts';
import { readDirtyFiles, readDirtyState } from '../src/node/worktree.ts';
import { copiedCheckout, headBlobId } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-read-ids-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FILES: Record<string, string | Buffer> = {
  'infra/main.tf': 'resource "aws_s3_bucket" "logs" {}\n',
  'infra/vars.tf': 'variable "region" {}\n',
  'infra/outputs.tf': 'output "bucket" {}\n',
  'docs/deploy.md': '# Deploy\n\nApply [the stack](../infra/main.tf).\n',
  'docs/runbook.md': '# Runbook\n\nSee [deploy](deploy.md).\n',
  'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
};

describe('blob ids extraction computed, taken by the work-tree comparison', () => {
  it('are taken only when they are HEAD’s and the index’s; any other file is hashed', async () => {
    const repo = copiedCheckout(scratch, 'unit', FILES);
    writeFileSync(path.join(repo, 'infra/main.tf'), 'resource "aws_s3_bucket" "audit" {}\n');
    const repository = (await openRepository(repo))!;
    // A forged map: HEAD's id for the edited main.tf (taken: the shortcut is used), a wrong id for the untouched
    // vars.tf (not taken: hashed, found clean), nothing for outputs.tf (hashed).
    const told = new Map([
      ['infra/main.tf', headBlobId(repo, 'infra/main.tf')],
      ['infra/vars.tf', '0'.repeat(40)],
    ]);
    const state = await readDirtyState(repository, undefined, undefined, undefined, Promise.resolve(told));
    expect([...state.dirty].sort()).toEqual([]);
    expect(await readDirtyFiles(repository)).toEqual(['infra/main.tf']);
  });

  it('gives the dirty list a full hash gives: edits, a staged change, a link, a binary file, CRLF', async () => {
    const repo = copiedCheckout(scratch, 'scan', FILES);
    writeFileSync(path.join(repo, 'infra/vars.tf'), 'variable "zone" {}\n');
    writeFileSync(path.join(repo, 'assets/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 9, 9, 9]));
    // Staged, then put back on disk: the index's id is not HEAD's, the bytes are.
    writeFileSync(path.join(repo, 'docs/runbook.md'), '# Runbook\n\nStaged.\n');
    execFileSync('git', ['-C', repo, 'add', 'docs/runbook.md']);
    writeFileSync(path.join(repo, 'docs/runbook.md'), FILES['docs/runbook.md']);
    // A tracked file replaced by a link to the same text.
    unlinkSync(path.join(repo, 'infra/outputs.tf'));
    symlinkSync('main.tf', path.join(repo, 'infra/outputs.tf'));
    // Same text with CRLF line ends (what `core.autocrlf` writes): hashed, not taken from extraction's id.
    writeFileSync(path.join(repo, 'docs/deploy.md'), String(FILES['docs/deploy.md']).replaceAll('\n', '\r\n'));
    const expected = await readDirtyFiles((await openRepository(repo))!);
    // CRLF text is HEAD's blob once git's conversion is undone; the staged file's bytes are HEAD's: both clean.
    expect(expected).toEqual(['assets/logo.png', 'infra/outputs.tf', 'infra/vars.tf']);
    for (const cache of [false, { root: path.join(scratch, 'cache') }] as const) {
      const cold = await scanRepository(repo, { cache, today: '2026-11-26' });
      expect(cold.history?.dirty).toEqual(expected);
    }
  });

  it('are the ids of the bytes read, for extracted and unread files alike', async () => {
    const repo = copiedCheckout(scratch, 'collect', FILES);
    const config = resolveConfig({}, 'collect');
    const folder = (await openCacheFolder({ root: path.join(scratch, 'cache-collect') }, repo)) as CacheFolder;
    const opened = await FactCache.open(folder, cacheKey(config));
    const collected = await collectFacts(repo, ['infra/main.tf', 'docs/deploy.md'], config, { cache: opened, unread: ['assets/logo.png'], workers: 0 });
    expect([...collected.readIds].sort()).toEqual(
      ['assets/logo.png', 'docs/deploy.md', 'infra/main.tf'].map((file) => [file, headBlobId(repo, file)]),
    );
  });
});
