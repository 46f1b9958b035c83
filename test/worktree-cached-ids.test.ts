/**
 * A copied or restored checkout (`cp -a`, a CI cache) has new inodes, so git's
 * stat data vouches for no file and every tracked file would be read and
 * hashed on every run. The fact cache's own stamps vouch for the files it
 * read (`FactCache.vouchedDigest`), and `readDirtyFiles` takes their blob ids
 * instead of hashing them again; a file whose stamp changed is still hashed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../src/node/git-history.ts';
import { scanRepository } from '../src/node/scan.ts';
import { readDirtyFiles } from '../src/node/worktree.ts';
import { copiedCheckout, headBlobId } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-cached-ids-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A committed repository, copied with `cp -a`: same times and sizes, new inodes, the index's stat data stale. */
const FILES: Record<string, string> = {
  'infra/main.tf': 'resource "aws_s3_bucket" "logs" {}\n',
  'infra/vars.tf': 'variable "region" {}\n',
  'docs/deploy.md': '# Deploy\n\nApply [the stack](../infra/main.tf).\n',
};

describe('blob ids the fact cache vouches for', () => {
  it('are taken instead of hashing the file again; files it does not vouch for are hashed', async () => {
    const repo = copiedCheckout(scratch, 'lookup', FILES);
    // Both edited on disk; the cache vouches (wrongly, as a forged cache would) for main.tf only.
    writeFileSync(path.join(repo, 'infra/main.tf'), 'resource "aws_s3_bucket" "audit" {}\n');
    writeFileSync(path.join(repo, 'infra/vars.tf'), 'variable "zone" {}\n');
    const asked: string[] = [];
    const vouched = (file: string) => {
      asked.push(file);
      return file === 'infra/main.tf' ? headBlobId(repo, file) : undefined;
    };
    const repository = (await openRepository(repo))!;
    expect(await readDirtyFiles(repository, undefined, Promise.resolve(vouched))).toEqual(['infra/vars.tf']);
    // Every tracked file failed git's stat data in the copy, so each was put to the cache first.
    expect(asked.sort()).toEqual(['docs/deploy.md', 'infra/main.tf', 'infra/vars.tf']);
    // Without the cache, both edits are found by hashing.
    expect(await readDirtyFiles(repository)).toEqual(['infra/main.tf', 'infra/vars.tf']);
  });

  it('never hide an edit from a warm scan of a copied checkout', async () => {
    const repo = copiedCheckout(scratch, 'scan', FILES);
    const cache = { root: path.join(scratch, 'cache'), key: Buffer.from('test-key') };
    const cold = await scanRepository(repo, { cache, today: '2026-11-26' });
    expect(cold.history?.dirty).toEqual([]);
    const warm = await scanRepository(repo, { cache, today: '2026-11-26' });
    expect(warm.history?.dirty).toEqual([]);
    writeFileSync(path.join(repo, 'infra/vars.tf'), 'variable "zone" {}\n');
    const edited = await scanRepository(repo, { cache, today: '2026-11-26' });
    expect(edited.history?.dirty).toEqual(['infra/vars.tf']);
  });
});
