/**
 * A cold history read starts two git reads before their inputs are final
 * (`history-scan.ts`): the whole-tree rename pass of the commits that changed
 * a markdown file, as soon as the log is read (while files are parsed), and
 * the code histories for the windows known before the base diffs, beside
 * them. An early answer is used only where it is the answer the final inputs
 * get (a rename pass per tree pair; the same path groups and date), so the
 * history read equals the one without them, including where a base diff moves
 * a cited range to another file. A run whose log is kept for HEAD reads none
 * ahead.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openRepository, readCommitLog, readRenames } from '../src/node/git-history.ts';
import { readHistory, startHistory, type HistoryStart } from '../src/node/history-scan.ts';
import { HistoryCache } from '../src/node/history-cache.ts';
import { scanRepository } from '../src/node/scan.ts';
import { code, removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

/** Citations written over several commits, then code edited, moved and renamed under them. */
function citedRepo(): Repo {
  const repo = new Repo();
  repo.write('svc/api.ts', code(40, 'api')).write('svc/db.ts', code(30, 'db')).write('svc/queue.ts', code(25, 'queue'));
  repo.write('docs/api.md', '# API\n\nRequests enter at `svc/api.ts:5-9`; storage is `svc/db.ts:3-6`.\n');
  repo.commit('2026-03-01', 'Start');
  repo.write('svc/api.ts', `${code(4, 'header')}${code(40, 'api')}`);
  repo.commit('2026-03-05', 'Header');
  repo.write('docs/queue.md', '# Queue\n\nJobs wait in `svc/queue.ts:10-14`.\n');
  repo.write('docs/api.md', '# API\n\nRequests enter at `svc/api.ts:9-13`; storage is `svc/db.ts:3-6`.\n\nRetries: `svc/api.ts:30-33`.\n');
  repo.commit('2026-03-10', 'Queue notes, retries');
  // The stored code moves to another file: a base diff relocates its range there (another code-history plan).
  repo.move('svc/db.ts', 'svc/store/db.ts');
  repo.write('svc/queue.ts', `${code(3, 'prelude')}${code(25, 'queue')}`);
  repo.commit('2026-03-15', 'Store folder, queue prelude');
  repo.write('svc/api.ts', `${code(4, 'header')}${code(40, 'api').replace('api 28\n', 'api 28 changed\n')}`);
  repo.write('README.md', '# Service\n');
  repo.commit('2026-03-20', 'Retry tweak');
  return repo;
}

const withoutAhead = (start: Promise<HistoryStart | undefined>) => start.then((found) => found && { ...found, readAhead: false, renamesAhead: undefined });

describe('reading history ahead', () => {
  it('gives the history a read without it gives, with bases, a rename and relocated code', async () => {
    const repo = citedRepo();
    const { graph } = await scanRepository(repo.dir, { cache: false, today: '2026-11-26' });
    const started = await startHistory(repo.dir);
    expect(started?.readAhead).toBe(true);
    const ahead = await readHistory(repo.dir, graph, Promise.resolve(started));
    const plain = await readHistory(repo.dir, graph, withoutAhead(startHistory(repo.dir)));
    expect(JSON.stringify(ahead)).toBe(JSON.stringify(plain));
    // Not a vacuous comparison: bases were diffed, code histories read, the move seen.
    expect(Object.keys(plain!.bases).length).toBeGreaterThan(0);
    expect(Object.keys(plain!.files)).toContain('svc/api.ts');
    // Every base the read diffed had its rename pass read ahead.
    const early = (await started!.renamesAhead)!;
    for (const base of Object.keys(plain!.bases)) expect(early.has(started!.log.trees[base]), base).toBe(true);
  });

  it('takes an early rename answer for the trees it holds and asks git for the rest', async () => {
    const repo = citedRepo();
    const repository = (await openRepository(repo.dir))!;
    const log = await readCommitLog(repository);
    const headTree = log.trees[log.order[0]];
    const bases = log.order.slice(1).map((commit) => ({ commit, tree: log.trees[commit] }));
    const fromGit = await readRenames(repository, bases, headTree);
    expect([...fromGit.values()].some((found) => found.get('svc/db.ts') === 'svc/store/db.ts')).toBe(true);
    const planted = new Map([[bases[0].tree, new Map([['planted.ts', 'elsewhere.ts']])]]);
    const answers = HistoryCache.memory();
    const mixed = await readRenames({ ...repository, answers }, bases, headTree, Promise.resolve(planted));
    expect(mixed.get(bases[0].tree)).toEqual(planted.get(bases[0].tree));
    for (const base of bases.slice(1)) expect(mixed.get(base.tree), base.commit).toEqual(fromGit.get(base.tree) ?? new Map());
    // The early answer is kept like one from git: a later read is given it.
    expect(answers.peek(['renames', bases[0].tree, headTree])?.value).toEqual([['planted.ts', 'elsewhere.ts']]);
  });

  it('reads nothing ahead when the log is kept for HEAD', async () => {
    const repo = citedRepo();
    const answers = HistoryCache.memory();
    answers.log = { head: repo.git('rev-parse', 'HEAD').trim(), text: '' };
    const started = await startHistory(repo.dir, undefined, Promise.resolve(answers));
    expect(started?.readAhead).toBe(false);
    expect(started?.renamesAhead).toBeUndefined();
  });
});
