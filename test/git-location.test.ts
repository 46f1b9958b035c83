/**
 * Which git directory Waymark reads (issue 11, item 2): a `.git` folder, or a
 * `.git` file only in the layouts git itself writes (a linked worktree, a
 * submodule), or what `--git-dir` names. A `.git` file pointing at another
 * repository (`gitdir: ../private/.git`) is refused with a warning, and
 * nothing of that repository (its commit subjects) reaches the report. A
 * scanned sub-folder keeps its enclosing repository's history.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { locateRepository } from '../src/node/git.ts';
import { scanRepository } from '../src/node/scan.ts';
import { main } from '../src/cli/main.ts';
import { git } from './hostile/git.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-gitdir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SECRET_SUBJECT = 'Rotate the production database password to hunter2';

/** A repository with one document citing a file, committed with `subject`. */
function repository(dir: string, subject: string): string {
  mkdirSync(path.join(dir, 'docs'), { recursive: true });
  writeFileSync(path.join(dir, 'deploy.sh'), '#!/bin/sh\necho deploy\n');
  writeFileSync(path.join(dir, 'docs/deploy.md'), '# Deploy\n\nRun `deploy.sh:1-2`.\n');
  git(dir, ['init', '-q']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', subject]);
  return dir;
}

function relative(location: { gitDir: string; workTree: string } | undefined, from: string) {
  return location && { gitDir: path.relative(from, location.gitDir), workTree: path.relative(from, location.workTree) };
}

async function historySubjects(root: string, gitDir?: string): Promise<string[] | undefined> {
  const scan = await scanRepository(root, { gitDir, today: '2026-11-26' });
  return scan.history && Object.values(scan.history.commits).map((commit) => commit.subject);
}

describe('the git directory of a scanned folder', () => {
  it('a plain repository: its `.git` folder', async () => {
    const repo = repository(path.join(scratch, 'plain'), 'Add the deploy script');
    expect(relative((await locateRepository(repo)).location, repo)).toEqual({ gitDir: '.git', workTree: '' });
    expect(await historySubjects(repo)).toEqual(['Add the deploy script']);
  });

  it('a sub-folder of a larger repository: the enclosing `.git`, paths relative to the sub-folder', async () => {
    const repo = path.join(scratch, 'mono');
    mkdirSync(path.join(repo, 'services/docs-site'), { recursive: true });
    repository(path.join(repo, 'services/docs-site'), 'unused');
    rmSync(path.join(repo, 'services/docs-site/.git'), { recursive: true });
    git(repo, ['init', '-q']);
    git(repo, ['add', '-A']);
    git(repo, ['commit', '-q', '--no-verify', '-m', 'Monorepo import']);
    const sub = path.join(repo, 'services/docs-site');
    expect(relative((await locateRepository(sub)).location, repo)).toEqual({ gitDir: '.git', workTree: '' });
    const scan = await scanRepository(sub, { today: '2026-11-26' });
    expect(Object.values(scan.history!.commits).map((commit) => commit.subject)).toEqual(['Monorepo import']);
    expect(scan.history!.fileCommits['docs/deploy.md']).toHaveLength(1);
  });

  it("a linked worktree: `.git` file into the main repository's `.git/worktrees/<name>`", async () => {
    const main = repository(path.join(scratch, 'main-repo'), 'Add the deploy script');
    const linked = path.join(scratch, 'linked');
    git(main, ['worktree', 'add', '-q', linked]);
    expect(relative((await locateRepository(linked)).location, scratch)).toEqual({ gitDir: 'main-repo/.git/worktrees/linked', workTree: 'linked' });
    expect(await historySubjects(linked)).toEqual(['Add the deploy script']);
  });

  it("a submodule: `.git` file into the superproject's `.git/modules/<name>`", async () => {
    const library = repository(path.join(scratch, 'library'), 'Library deploy script');
    const superproject = repository(path.join(scratch, 'superproject'), 'Superproject');
    git(superproject, ['-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', library, 'vendor/library']);
    const submodule = path.join(superproject, 'vendor/library');
    expect(relative((await locateRepository(submodule)).location, superproject)).toEqual({
      gitDir: '.git/modules/vendor/library',
      workTree: 'vendor/library',
    });
    expect(await historySubjects(submodule)).toEqual(['Library deploy script']);
  });

  describe('a `.git` file pointing at another repository', () => {
    const base = path.join(scratch, 'hostile');
    const privateRepo = repository(path.join(base, 'private'), SECRET_SUBJECT);
    const victim = path.join(base, 'victim');
    mkdirSync(path.join(victim, 'docs'), { recursive: true });
    writeFileSync(path.join(victim, 'docs/deploy.md'), '# Deploy\n\nRun `deploy.sh:1-2`.\n');
    writeFileSync(path.join(victim, 'deploy.sh'), '#!/bin/sh\necho deploy\n');
    writeFileSync(path.join(victim, '.git'), 'gitdir: ../private/.git\n');

    afterEach(() => {
      delete process.env.GIT_DIR;
    });

    it('is refused: no history, a warning at `.git`, and the files are still read', async () => {
      const scan = await scanRepository(victim, { today: '2026-11-26' });
      expect(scan.history).toBeUndefined();
      const warning = scan.graph.diagnostics.find((diagnostic) => diagnostic.rule === 'git-history')!;
      expect(`${warning.file}:${warning.line}:${warning.column} ${warning.severity} ${warning.message}`).toBe(
        ".git:1:1 warning `.git` points at `../private/.git`, outside the layouts git creates (a worktree's `.git/worktrees/<name>`, a submodule's `.git/modules/<name>`), so git history is not read (pass `--git-dir` to name a git directory)",
      );
      expect(scan.graph.documents.map((document) => document.path)).toEqual(['docs/deploy.md']);
      // Walked, not listed by git, and the pointer file is git's, not a repository file.
      expect(scan.graph.paths).toEqual(['deploy.sh', 'docs/deploy.md']);
    });

    it("publishes none of the other repository's commit subjects, whatever GIT_DIR says", async () => {
      process.env.GIT_DIR = path.join(privateRepo, '.git');
      const outputs: string[] = [];
      const io = { stdout: (text: string) => void outputs.push(text), stderr: (text: string) => void outputs.push(text), cwd: victim, env: process.env };
      await main(['graph', '--no-cache'], io);
      await main(['check', '--no-cache', '--format', 'json'], io);
      expect(outputs.join('')).not.toContain('hunter2');
      expect(outputs.join('')).toContain('git history is not read');
    });

    it('a worktree-shaped target whose `gitdir` does not point back is refused too', async () => {
      const admin = path.join(privateRepo, '.git/worktrees/elsewhere');
      git(privateRepo, ['worktree', 'add', '-q', path.join(base, 'elsewhere')]);
      const impostor = path.join(base, 'impostor');
      mkdirSync(impostor);
      writeFileSync(path.join(impostor, '.git'), `gitdir: ${admin}\n`);
      expect((await locateRepository(impostor)).refused?.message).toContain('outside the layouts git creates');
    });

    it('a symbolic link named `.git` is refused', async () => {
      const linked = path.join(base, 'linked-dot-git');
      mkdirSync(linked);
      symlinkSync(path.join(privateRepo, '.git'), path.join(linked, '.git'));
      expect((await locateRepository(linked)).refused?.message).toBe(
        '`.git` is a symbolic link, so git history is not read (pass `--git-dir` to name a git directory)',
      );
    });

    it('a bare repository planted in the folder is not taken for one', async () => {
      const planted = path.join(base, 'planted');
      execFileSync('git', ['init', '-q', '--bare', planted]);
      expect(await locateRepository(planted)).toEqual({});
    });

    it('`--git-dir` is the user saying so: then that history is read', async () => {
      expect(await historySubjects(victim, path.join(privateRepo, '.git'))).toEqual([SECRET_SUBJECT]);
    });

    it('`--git-dir` naming no git directory is an error that says so', async () => {
      await expect(scanRepository(victim, { gitDir: path.join(base, 'nowhere') })).rejects.toThrow(/is not a git directory/);
    });
  });

  it('GIT_CEILING_DIRECTORIES stops the search for `.git`, as it stops git', async () => {
    const repo = repository(path.join(scratch, 'ceiling'), 'Ceiling');
    const inner = path.join(repo, 'docs');
    expect((await locateRepository(inner, { env: { GIT_CEILING_DIRECTORIES: repo } })).location).toBeUndefined();
    expect((await locateRepository(inner, { env: {} })).location?.gitDir).toBe(path.join(repo, '.git'));
  });
});
