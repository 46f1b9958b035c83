/**
 * The whole-tree rename pass from a base commit to HEAD (`readRenames`, `-M`)
 * is skipped for a base whose cited paths HEAD's tree all holds
 * (`history-scan.ts`): git pairs a rename only from a path HEAD no longer
 * holds. That needs the set of HEAD's paths taken from the index
 * (`DirtyState.inHead`) to be exactly HEAD's tree, whatever is staged or
 * deleted, and none when the index is not plain. With those paths, the
 * renames are composed from the log's own (`composeRenames`): the same pairs
 * the whole-tree pass finds, without the pass.
 */
import { rmSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeRenames, readCommitLog, readRenames, repositoryIn } from '../src/node/git-history.ts';
import { openScope } from '../src/node/git.ts';
import { readDirtyState } from '../src/node/worktree.ts';
import { code, removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

async function inHeadOf(repo: Repo): Promise<string[] | undefined> {
  const { scope } = await openScope(repo.dir);
  const state = await readDirtyState(scope!);
  return state.inHead && [...state.inHead].sort();
}

function headTree(repo: Repo): string[] {
  return repo.git('ls-tree', '-r', '-z', '--name-only', 'HEAD').split('\0').filter(Boolean).sort();
}

describe("HEAD's paths from the index", () => {
  it("are HEAD's tree with files staged, staged away, deleted, renamed and added", async () => {
    const repo = new Repo();
    repo.write('svc/api.ts', code(12, 'api')).write('svc/db.ts', code(9, 'db')).write('docs/run.md', '# Run\n');
    repo.commit('2026-03-01', 'Start');
    expect(await inHeadOf(repo)).toEqual(headTree(repo));
    repo.write('svc/new.ts', code(3, 'new')).git('add', 'svc/new.ts');
    expect(await inHeadOf(repo), 'a new file staged').toEqual(headTree(repo));
    repo.git('rm', '-q', 'svc/db.ts');
    expect(await inHeadOf(repo), 'a file removed from the index').toEqual(headTree(repo));
    unlinkSync(path.join(repo.dir, 'docs/run.md'));
    expect(await inHeadOf(repo), 'a file deleted on disk only').toEqual(headTree(repo));
    repo.move('svc/api.ts', 'svc/http/api.ts');
    expect(await inHeadOf(repo), 'a rename staged').toEqual(headTree(repo));
    expect(headTree(repo)).toContain('svc/db.ts');
  });

  it('are not told when the index holds a submodule', async () => {
    const repo = new Repo();
    repo.write('a.md', '# A\n');
    repo.commit('2026-03-01', 'A');
    const head = repo.git('rev-parse', 'HEAD').trim();
    repo.git('update-index', '--add', '--cacheinfo', `160000,${head},vendor/lib`);
    expect(await inHeadOf(repo)).toBeUndefined();
  });
});

describe('the rename pass', () => {
  it('never pairs a rename from a path HEAD still holds, even where a file took its name again', async () => {
    const repo = new Repo();
    repo.write('src/keys.ts', code(20, 'keys')).write('src/ring.ts', code(15, 'ring')).write('src/audit.ts', code(18, 'audit'));
    repo.commit('2026-04-01', 'Keys');
    repo.move('src/keys.ts', 'src/kms/keys.ts');
    repo.commit('2026-04-02', 'Move keys');
    // A new file under the old name: HEAD holds `src/keys.ts` again, so git pairs no rename from it.
    repo.write('src/keys.ts', code(4, 'shim'));
    repo.move('src/ring.ts', 'src/kms/ring.ts');
    repo.commit('2026-04-03', 'Shim and move ring');
    repo.write('src/audit.ts', `${code(18, 'audit')}more\n`);
    repo.commit('2026-04-04', 'Audit');

    const { scope } = await openScope(repo.dir);
    const repository = (await repositoryIn(scope))!;
    const log = await readCommitLog(repository);
    const inHead = (await readDirtyState(scope!)).inHead!;
    const bases = log.order.slice(1).map((commit) => ({ commit, tree: log.trees[commit] }));
    const renames = await readRenames(repository, bases, log.trees[log.order[0]]);
    const pairs = [...renames.values()].flatMap((found) => [...found]);
    expect(pairs).toContainEqual(['src/ring.ts', 'src/kms/ring.ts']);
    for (const [from] of pairs) expect(inHead.has(from), from).toBe(false);
    expect(inHead.has('src/keys.ts')).toBe(true);
  });

  it('still pairs a pure move in a copy that lacks a blob git would compare for an edited one (a damaged mirror)', async () => {
    const repo = new Repo();
    repo.write('src/keys.ts', code(20, 'keys')).write('src/ring.ts', code(15, 'ring'));
    repo.commit('2026-04-01', 'Keys');
    repo.move('src/ring.ts', 'src/kms/ring.ts');
    repo.git('rm', '-q', 'src/keys.ts');
    repo.write('src/kms/keys.ts', `${code(20, 'keys')}more\n`);
    repo.commit('2026-04-02', 'Move keys (edited) and ring');
    const blob = repo.git('rev-parse', 'HEAD~1:src/keys.ts').trim();
    rmSync(path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));

    const { scope } = await openScope(repo.dir);
    const repository = (await repositoryIn(scope))!;
    const log = await readCommitLog(repository);
    const renames = await readRenames(repository, [{ commit: log.order[1], tree: log.trees[log.order[1]] }], log.trees[log.order[0]]);
    expect([...renames.values()].flatMap((found) => [...found])).toEqual([['src/ring.ts', 'src/kms/ring.ts']]);
  });
});

describe('renames composed from the log', () => {
  it('give the pairs the whole-tree pass gives from every base: chains, a name taken again, a move deleted later', async () => {
    const repo = new Repo();
    repo.write('src/keys.ts', code(20, 'keys')).write('src/ring.ts', code(15, 'ring')).write('src/gone.ts', code(12, 'gone'));
    repo.write('src/audit.ts', code(18, 'audit')).write('docs/run.md', '# Run\n');
    repo.commit('2026-04-01', 'Start');
    repo.move('src/ring.ts', 'lib/ring.ts').move('src/gone.ts', 'lib/gone.ts');
    repo.commit('2026-04-02', 'Move to lib');
    repo.move('lib/ring.ts', 'pkg/kms/ring.ts').move('src/keys.ts', 'pkg/kms/keys.ts');
    repo.write('src/keys.ts', code(4, 'shim'));
    repo.commit('2026-04-03', 'Move to kms, shim keys');
    repo.git('rm', '-q', 'lib/gone.ts');
    repo.write('src/audit.ts', `${code(18, 'audit')}more\n`);
    repo.commit('2026-04-04', 'Drop gone, edit audit');

    const { scope } = await openScope(repo.dir);
    const repository = (await repositoryIn(scope))!;
    const log = await readCommitLog(repository);
    const inHead = (await readDirtyState(scope!)).inHead!;
    const cited = ['src/keys.ts', 'src/ring.ts', 'src/gone.ts', 'src/audit.ts', 'lib/ring.ts', 'lib/gone.ts', 'docs/run.md'];
    const bases = log.order.slice(1).map((commit) => ({ commit, tree: log.trees[commit] }));
    const composed = composeRenames(log, new Map(bases.map((base) => [base.commit, cited])), inHead);
    const byTree = await readRenames(repository, bases, log.trees[log.order[0]]);
    const pairs = (found: Map<string, string> | undefined) => [...(found ?? [])].filter(([from]) => cited.includes(from)).sort();
    for (const base of bases) expect(pairs(composed.get(base.commit)), log.commits[base.commit].subject).toEqual(pairs(byTree.get(base.tree)));
    const [, , fromMove, fromStart] = log.order;
    expect(pairs(composed.get(fromStart))).toEqual([['src/ring.ts', 'pkg/kms/ring.ts']]);
    expect(pairs(composed.get(fromMove))).toEqual([['lib/ring.ts', 'pkg/kms/ring.ts']]);
  });
});

describe("the log's rename detection", () => {
  async function detection(repo: Repo): Promise<string | undefined> {
    const { scope } = await openScope(repo.dir);
    return (await readCommitLog((await repositoryIn(scope))!)).renameDetection;
  }

  it('is complete, or exact only when git skipped comparing contents (a rename limit) or lacked a blob', async () => {
    const repo = new Repo();
    repo.write('src/keys.ts', code(20, 'keys')).write('src/ring.ts', code(15, 'ring'));
    repo.commit('2026-04-01', 'Keys');
    // New names too: git pairs files that keep their name without the exhaustive comparison a limit can skip.
    repo.git('rm', '-q', 'src/keys.ts', 'src/ring.ts');
    repo.write('src/kms/key-store.ts', `${code(20, 'keys')}more\n`).write('src/kms/keyring.ts', `${code(15, 'ring')}more\n`);
    repo.commit('2026-04-02', 'Move both, edited');
    expect(await detection(repo)).toBe('all');

    // The repository's own limit (no override: it only narrows what git compares): two edited moves are past one.
    repo.git('config', 'diff.renameLimit', '1');
    expect(await detection(repo)).toBe('exact');
    repo.git('config', '--unset', 'diff.renameLimit');

    const blob = repo.git('rev-parse', 'HEAD~1:src/keys.ts').trim();
    rmSync(path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    expect(await detection(repo)).toBe('exact');
  });
});
