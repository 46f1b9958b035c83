/**
 * The resident engine reads HEAD's blobs through one long-lived
 * `git cat-file --batch` (`BlobReader` in `src/node/worktree.ts`): the bytes
 * of every blob asked for, binary and empty ones included, across several
 * requests on the same process; a missing object is left out; a closed
 * reader rejects instead of hanging.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository } from '../src/node/git-history.ts';
import { BlobReader } from '../src/node/worktree.ts';
import { removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

describe('BlobReader', () => {
  it('reads blobs on one process, request after request, and leaves out what is missing', async () => {
    const repo = new Repo();
    repo.write('docs/a.md', '# A\n\nSome text.\n');
    repo.write('empty.txt', '');
    repo.write('bin/data.bin', 'zero\0byte\nand a newline\n');
    repo.commit('2026-01-02', 'First');
    const id = (file: string) => repo.git('rev-parse', `HEAD:${file}`).trim();
    const reader = new BlobReader((await openRepository(repo.dir))!);
    const first = await reader.read([id('docs/a.md'), id('empty.txt')]);
    expect(first.get(id('docs/a.md'))?.toString()).toBe('# A\n\nSome text.\n');
    expect(first.get(id('empty.txt'))?.length).toBe(0);
    const missing = '0123456789012345678901234567890123456789';
    const [second, third] = await Promise.all([reader.read([missing, id('bin/data.bin')]), reader.read([id('docs/a.md')])]);
    expect([...second.keys()]).toEqual([id('bin/data.bin')]);
    expect(second.get(id('bin/data.bin'))?.toString()).toBe('zero\0byte\nand a newline\n');
    expect(third.get(id('docs/a.md'))?.toString()).toBe('# A\n\nSome text.\n');
    reader.close();
    await expect(reader.read([id('docs/a.md')])).rejects.toThrow();
  });
});
