/**
 * The git state stamp a history refresh compares (`readGitStamp`) reads a few small files
 * of the git directory itself, without git: a prepared repository must not make it read
 * outside that directory, or wait on an endless file. It then answers "unknown" and the
 * refresh reads everything, as git would.
 */
import { symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGitStamp } from '../src/node/git-history.ts';
import { openScope } from '../src/node/git.ts';
import { removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

async function stampOf(repo: Repo): Promise<string | undefined> {
  const { scope } = await openScope(repo.dir);
  return readGitStamp(scope!);
}

describe('the git state stamp on a prepared repository', () => {
  it('is known for a plain repository and changes with a commit', async () => {
    const repo = new Repo();
    repo.write('a.md', '# A\n');
    repo.commit('2026-01-10', 'A');
    const before = await stampOf(repo);
    expect(before).toBeDefined();
    repo.write('a.md', '# A2\n');
    repo.commit('2026-01-11', 'A2');
    expect(await stampOf(repo)).not.toBe(before);
  });

  it('is unknown when HEAD is a link to an endless device, or `commondir` points outside the git directory', async () => {
    const linked = new Repo();
    linked.write('a.md', '# A\n');
    linked.commit('2026-01-10', 'A');
    // Opened first: git's own checks would refuse the directory afterwards; the stamp is read later, on a refresh.
    const { scope } = await openScope(linked.dir);
    const head = path.join(linked.dir, '.git', 'HEAD');
    unlinkSync(head);
    symlinkSync('/dev/zero', head);
    expect(await readGitStamp(scope!)).toBeUndefined();

    const pointed = new Repo();
    pointed.write('a.md', '# A\n');
    pointed.commit('2026-01-10', 'A');
    const opened = await openScope(pointed.dir);
    writeFileSync(path.join(pointed.dir, '.git', 'commondir'), '/etc\n');
    expect(await readGitStamp(opened.scope!)).toBeUndefined();
  });
});
