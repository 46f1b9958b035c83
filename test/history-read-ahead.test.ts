/**
 * A cold history read starts the code histories (`git log -p --since`) for
 * the windows known before the base diffs, beside them (`history-scan.ts`).
 * The early read is used only when the plan after the base diffs asks git
 * the same (path groups and date), so the history equals the one read
 * without it, also where a base diff moves a cited range to another file
 * (another plan: git is asked again). A run whose log is kept for HEAD reads
 * nothing ahead.
 */
import { afterAll, describe, expect, it } from 'vitest';
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

const withoutAhead = (start: Promise<HistoryStart | undefined>) => start.then((found) => found && { ...found, readAhead: false });

describe('reading history ahead', () => {
  it('gives the history a read without it gives, with bases, a rename and relocated code', async () => {
    const repo = citedRepo();
    const { graph } = await scanRepository(repo.dir, { cache: false, today: '2026-11-26' });
    const started = await startHistory(repo.dir);
    expect(started?.readAhead).toBe(true);
    const answers = HistoryCache.memory();
    const ahead = await readHistory(repo.dir, graph, Promise.resolve(started && { ...started, repository: { ...started.repository, answers } }));
    const plain = await readHistory(repo.dir, graph, withoutAhead(startHistory(repo.dir)));
    expect(JSON.stringify(ahead)).toBe(JSON.stringify(plain));
    // Not a vacuous comparison: bases were diffed, code histories read, the move seen.
    expect(Object.keys(plain!.bases).length).toBeGreaterThan(0);
    expect(plain!.files['svc/api.ts']?.patches.length).toBeGreaterThan(0);
    expect(plain!.files['svc/store/db.ts']).toBeDefined();
  });

  it('uses the early read when the plan holds, and keeps its answer as the read would', async () => {
    const repo = new Repo();
    repo.write('svc/api.ts', code(40, 'api')).write('docs/api.md', '# API\n\nRequests enter at `svc/api.ts:5-9`.\n');
    repo.commit('2026-03-01', 'Start');
    repo.write('docs/api.md', '# API\n\nRequests enter at `svc/api.ts:5-9`.\n\nRetries: `svc/api.ts:30-33`.\n');
    repo.commit('2026-03-05', 'Retries');
    repo.write('svc/api.ts', code(40, 'api').replace('api 31\n', 'api 31 changed\n'));
    repo.commit('2026-03-10', 'Retry tweak');
    const { graph } = await scanRepository(repo.dir, { cache: false, today: '2026-11-26' });
    const started = (await startHistory(repo.dir))!;
    const kept: string[][] = [];
    const asked: string[][] = [];
    const answers = HistoryCache.memory();
    const [put, answer] = [answers.put.bind(answers), answers.answer.bind(answers)];
    answers.put = (parts, value) => (kept.push([...parts]), put(parts, value));
    answers.answer = (parts, read) => (asked.push([...parts]), answer(parts, read));
    const history = await readHistory(repo.dir, graph, Promise.resolve({ ...started, repository: { ...started.repository, answers } }));
    const plain = await readHistory(repo.dir, graph, withoutAhead(startHistory(repo.dir)));
    expect(JSON.stringify(history)).toBe(JSON.stringify(plain));
    expect(history!.files['svc/api.ts']?.patches.length).toBeGreaterThan(0);
    // The code history (a read with a date) came from the early read: not asked again, kept under the read's own question.
    const dated = (list: string[][]) => list.filter((parts) => parts[0] === 'patches' && parts[2] !== '');
    expect(dated(asked)).toHaveLength(0);
    expect(dated(kept)).toHaveLength(1);
  });

  it('reads nothing ahead when the log is kept for HEAD', async () => {
    const repo = citedRepo();
    const answers = HistoryCache.memory();
    answers.log = { head: repo.git('rev-parse', 'HEAD').trim(), text: '' };
    const started = await startHistory(repo.dir, undefined, Promise.resolve(answers));
    expect(started?.readAhead).toBe(false);
  });
});
