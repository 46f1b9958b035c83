/**
 * The resident engine reads history again after every save; with HEAD where it was, the kept log
 * text is the same and is parsed once (issue 15: 0.6 s of each refresh on the large repository).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryCache } from '../src/node/history-cache.ts';
import { openRepository, readCommitLog } from '../src/node/git-history.ts';
import { removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

describe('the first-parent log, read again with kept answers', () => {
  it('is parsed once while HEAD stays, and read afresh once HEAD moves', async () => {
    const repo = new Repo();
    repo.write('docs/a.md', '# A\n');
    repo.commit('2026-01-02', 'First');
    const answers = HistoryCache.memory();
    const open = async () => ({ ...(await openRepository(repo.dir))!, answers });

    const first = await readCommitLog(await open());
    expect(await readCommitLog(await open())).toBe(first);

    repo.write('docs/b.md', '# B\n');
    const second = repo.commit('2026-01-03', 'Second');
    const moved = await readCommitLog(await open());
    expect(moved).not.toBe(first);
    expect(moved.order.map((hash) => moved.commits[hash].subject)).toEqual(['Second', 'First']);
    expect(moved.commits[moved.order[0]].short).toBe(second);
    // Without kept answers nothing is shared: each read parses its own.
    const plain = (await openRepository(repo.dir))!;
    expect(await readCommitLog(plain)).not.toBe(await readCommitLog(plain));
  });
});
