/**
 * The work tree against HEAD without git reading a work file
 * (`src/node/worktree.ts`): on a repository with no hostile config, the
 * uncommitted files and their change blocks must be what `git diff HEAD`
 * itself says, for every kind of change: edited, deleted, staged new file,
 * staged rename, touched but unchanged, racily clean, and a sparse
 * checkout's skip-worktree entry that is not on disk. (One difference is
 * by design, see `worktree.ts`: a rename is paired only when staged.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../src/core/history/line-map.ts';
import { openRepository } from '../src/node/git-history.ts';
import { readDirtyFiles, readWorktreeDiff } from '../src/node/worktree.ts';
import { git } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-worktree-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `line ${from + index}`).join('\n') + '\n';

describe('the work tree compared on disk', () => {
  const repo = path.join(scratch, 'repo');
  mkdirSync(path.join(repo, 'infra'), { recursive: true });
  mkdirSync(path.join(repo, 'docs'), { recursive: true });
  writeFileSync(path.join(repo, 'infra/edited.tf'), lines(1, 20));
  writeFileSync(path.join(repo, 'infra/deleted.tf'), lines(1, 5));
  writeFileSync(path.join(repo, 'infra/moved.tf'), lines(1, 30));
  writeFileSync(path.join(repo, 'infra/touched.tf'), lines(1, 3));
  writeFileSync(path.join(repo, 'infra/sparse.tf'), lines(1, 3));
  writeFileSync(path.join(repo, 'docs/a.md'), '# A\n');
  git(repo, ['init', '-q']);
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--no-verify', '-m', 'Initial']);
  // Edited: three lines on top, one line in the middle rewritten.
  writeFileSync(path.join(repo, 'infra/edited.tf'), `a\nb\nc\n${lines(1, 9)}line ten\n${lines(11, 20)}`);
  unlinkSync(path.join(repo, 'infra/deleted.tf'));
  writeFileSync(path.join(repo, 'infra/added.tf'), 'variable "region" {}\n');
  git(repo, ['add', 'infra/added.tf']);
  git(repo, ['mv', 'infra/moved.tf', 'infra/renamed.tf']);
  writeFileSync(path.join(repo, 'infra/renamed.tf'), `${lines(1, 29)}line thirty\n`);
  // Same content, new times: stat data differs, the file does not.
  const later = new Date(Date.now() + 5_000);
  utimesSync(path.join(repo, 'infra/touched.tf'), later, later);
  git(repo, ['update-index', '--skip-worktree', 'infra/sparse.tf']);
  unlinkSync(path.join(repo, 'infra/sparse.tf'));

  it('finds the files `git diff --name-only HEAD` finds', async () => {
    const repository = (await openRepository(repo))!;
    const expected = git(repo, ['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--']).split('\0').filter(Boolean).sort();
    expect(expected).toEqual(['infra/added.tf', 'infra/deleted.tf', 'infra/edited.tf', 'infra/moved.tf', 'infra/renamed.tf']);
    expect(await readDirtyFiles(repository)).toEqual(expected);
  });

  it('gives the change blocks `git diff -M --unified=0 HEAD` gives, renames paired', async () => {
    const repository = (await openRepository(repo))!;
    const files = await readDirtyFiles(repository);
    const expected = parseUnifiedDiff(git(repo, ['diff', '-M', '--unified=0', '--no-color', '--no-ext-diff', 'HEAD', '--', ...files]));
    const byPath = (list: typeof expected) => [...list].sort((a, b) => String(a.oldPath ?? a.newPath).localeCompare(String(b.oldPath ?? b.newPath)));
    expect(byPath(await readWorktreeDiff(repository, files))).toEqual(byPath(expected));
  });

  it('a file written in the same instant as the index is hashed, not trusted', async () => {
    const racy = path.join(scratch, 'racy');
    mkdirSync(racy);
    writeFileSync(path.join(racy, 'a.txt'), 'one\n');
    git(racy, ['init', '-q']);
    git(racy, ['add', '-A']);
    git(racy, ['commit', '-q', '--no-verify', '-m', 'One']);
    // Same size, same times as recorded: only the content says it changed.
    const stamp = new Date('2026-01-01T00:00:00Z');
    utimesSync(path.join(racy, 'a.txt'), stamp, stamp);
    git(racy, ['update-index', '--refresh']);
    writeFileSync(path.join(racy, 'a.txt'), 'two\n');
    utimesSync(path.join(racy, 'a.txt'), stamp, stamp);
    utimesSync(path.join(racy, '.git/index'), stamp, stamp);
    expect(await readDirtyFiles((await openRepository(racy))!)).toEqual(['a.txt']);
  });
});
