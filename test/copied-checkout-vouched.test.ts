/**
 * In a copied or restored checkout (`cp -a`: new inodes, git's stat data
 * stale for every file), the files the fact cache vouches for by its own
 * stamp with HEAD's blob id are handed to the scan as unchanged, like files
 * git's stat data vouches for (`readDirtyState`'s `onUnchanged`): their
 * facts are taken by that id with no stat of their own, and their folders
 * are not listed for link aliases. A file it does not vouch for (edited,
 * turned into a link) is not among them, and a warm scan of the copy still
 * says what a cold one says.
 */
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../src/node/git-history.ts';
import { scanRepository } from '../src/node/scan.ts';
import { readDirtyState } from '../src/node/worktree.ts';
import type { ScanResult } from '../src/core/schema.ts';
import { copiedCheckout, headBlobId } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-copied-vouched-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'deploy/queue.yaml': 'kind: Deployment\nmetadata:\n  name: queue\nspec:\n  replicas: 2\n',
  'deploy/worker.yaml': 'kind: Deployment\nmetadata:\n  name: worker\nspec:\n  replicas: 4\n',
  'docs/scaling.md': '# Scaling\n\nThe queue runs [two replicas](../deploy/queue.yaml); workers are in `deploy/worker.yaml:5`.\n',
};


describe('a copied checkout', () => {
  it('hands over the files the fact cache vouches for with HEAD\'s id, and no other', async () => {
    const repo = copiedCheckout(scratch, 'handed', FILES);
    writeFileSync(path.join(repo, 'deploy/worker.yaml'), `${FILES['deploy/worker.yaml']}  paused: true\n`);
    // The cache vouches for the queue with HEAD's id, for the document with another id, and not for the edited worker.
    const vouched = (file: string) => (file === 'deploy/queue.yaml' ? headBlobId(repo, file) : file === 'docs/scaling.md' ? '0'.repeat(40) : undefined);
    let told: Map<string, string> | undefined;
    const repository = (await openRepository(repo))!;
    const state = await readDirtyState(repository, (ids) => (told = ids), Promise.resolve(vouched));
    expect(told && [...told]).toEqual([['deploy/queue.yaml', headBlobId(repo, 'deploy/queue.yaml')]]);
    expect([...state.dirty].sort()).toEqual(['deploy/worker.yaml']);
  });

  it('scans warm as it scans cold after edits, a new file and a file turned into a link', async () => {
    const repo = copiedCheckout(scratch, 'scanned', FILES);
    const cache = { root: path.join(scratch, 'cache'), key: Buffer.from('test-key') };
    const said = (result: ScanResult) => JSON.stringify({ graph: result.graph, history: result.history });
    const warmEqualsCold = async (step: string) => {
      const warm = await scanRepository(repo, { cache, today: '2026-11-26' });
      const cold = await scanRepository(repo, { cache: false, today: '2026-11-26' });
      expect(said(warm), step).toBe(said(cold));
      return warm;
    };
    await warmEqualsCold('first run');
    expect((await warmEqualsCold('nothing changed')).history?.dirty).toEqual([]);
    writeFileSync(path.join(repo, 'docs/scaling.md'), `${FILES['docs/scaling.md']}\nOld notes: \`deploy/legacy.yaml\`.\n`);
    writeFileSync(path.join(repo, 'deploy/batch.yaml'), 'kind: Job\n');
    expect((await warmEqualsCold('a document edited, a file added')).history?.dirty).toEqual(['docs/scaling.md']);
    // A tracked file replaced by a link to another: an alias, found only by listing its folder.
    unlinkSync(path.join(repo, 'deploy/worker.yaml'));
    symlinkSync('queue.yaml', path.join(repo, 'deploy/worker.yaml'));
    const linked = await warmEqualsCold('a file turned into a link');
    expect(linked.history?.dirty).toContain('deploy/worker.yaml');
  });
});
