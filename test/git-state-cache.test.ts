/**
 * git's answers about HEAD and the index kept between one-shot runs
 * (`git-state-cache.ts`): used while the git directory's stamp is the one
 * they were read under, never after a commit, a rewritten commit, a
 * checkout, a `git add` or a config edit, and never from a file this
 * user's Waymark did not seal. A work-tree edit leaves the stamp alone and
 * must still be seen (the work tree is compared on disk every run).
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openCacheFolder, writeSealed, type CacheFolder } from '../src/node/cache-folder.ts';
import { GitStateCache } from '../src/node/git-state-cache.ts';
import { openScope, originUrl, probeScope, type GitScope } from '../src/node/git.ts';
import { readIndexAnswers } from '../src/node/worktree.ts';
import { scanRepository } from '../src/node/scan.ts';
import type { ScanResult } from '../src/core/schema.ts';
import { fixturesDir } from './helpers.ts';
import { removeRepos, Repo } from './git-repo.ts';

const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'waymark-git-state-'));
const KEY = 'engine-key';
afterAll(() => {
  removeRepos();
  rmSync(cacheRoot, { recursive: true, force: true });
});

const realPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = realPath;
});

/** Runs `use` with no git on PATH: any answer it gets came from the kept file. */
async function withoutGit<T>(use: () => Promise<T>): Promise<T> {
  process.env.PATH = path.join(cacheRoot, 'no-git-here');
  try {
    return await use();
  } finally {
    process.env.PATH = realPath;
  }
}

function fixtureRepo(): Repo {
  const repo = new Repo();
  cpSync(path.join(fixturesDir, 'git-state-cache/repo'), repo.dir, { recursive: true });
  repo.git('remote', 'add', 'origin', 'https://github.com/example-org/edge.git');
  repo.commit('2026-09-14', 'Certificates');
  return repo;
}

async function opened(repo: Repo): Promise<{ scope: GitScope; folder: CacheFolder }> {
  const { scope } = await openScope(repo.dir);
  const folder = await openCacheFolder({ root: cacheRoot }, scope!.root);
  if ('off' in folder) throw new Error(folder.off);
  return { scope: scope!, folder };
}

/** Ask everything, as a scan does, and keep it. */
async function askAndSave(scope: GitScope, folder: CacheFolder): Promise<void> {
  const state = await GitStateCache.open(Promise.resolve(folder), scope, KEY);
  await Promise.all([state.probe(), state.index(), state.origin()]);
  expect(await state.save()).toBe(true);
}

/** What the kept file answers now, and what git answers now: equal, or the file served something stale. */
async function expectFresh(scope: GitScope, folder: CacheFolder, step: string): Promise<void> {
  const state = await GitStateCache.open(Promise.resolve(folder), scope, KEY);
  const [probe, index, origin] = await Promise.all([state.probe(), state.index(), state.origin()]);
  expect(probe, step).toEqual(await probeScope(scope));
  expect(index, step).toEqual(await readIndexAnswers(scope));
  expect(origin, step).toBe(await originUrl(scope));
}

function stateFile(folder: CacheFolder): string {
  return path.join(folder.path, 'git-state.cache');
}

describe('git answers kept under the git state stamp', () => {
  it('are used while the stamp holds: no git process needed', async () => {
    const repo = fixtureRepo();
    const { scope, folder } = await opened(repo);
    await askAndSave(scope, folder);
    // An edit in the work tree does not touch the git directory: the kept answers stand.
    repo.write('README.md', `${repo.read('README.md')}More.\n`);
    const kept = await withoutGit(async () => {
      const state = await GitStateCache.open(Promise.resolve(folder), scope, KEY);
      return Promise.all([state.probe(), state.index(), state.origin()]);
    });
    expect(kept).toEqual([await probeScope(scope), await readIndexAnswers(scope), 'https://github.com/example-org/edge.git']);
    // Another engine's key: nothing kept is used.
    const other = await GitStateCache.open(Promise.resolve(folder), scope, 'another-engine');
    await expect(withoutGit(() => other.index())).rejects.toThrow();
  });

  it('are never served after git add, a commit, a rewritten commit, a checkout or a config edit', async () => {
    const repo = fixtureRepo();
    const { scope, folder } = await opened(repo);
    const steps: Array<[string, () => void]> = [
      ['a file staged', () => repo.write('tools/renew.sh', `${repo.read('tools/renew.sh')}echo done\n`).git('add', 'tools/renew.sh')],
      ['a commit', () => repo.commit('2026-09-20', 'Say when done')],
      ['the commit rewritten', () => repo.gitAt('2026-09-21', 'commit', '-q', '--amend', '-m', 'Say when renewal is done')],
      ['another branch checked out', () => repo.git('checkout', '-q', '-b', 'side', 'HEAD~1')],
      ['HEAD detached', () => repo.git('checkout', '-q', '--detach', 'main')],
      ['the origin remote changed', () => repo.git('remote', 'set-url', 'origin', 'https://github.com/example-org/edge-certs.git')],
      ['a staged rename', () => repo.move('deploy/certs.yaml', 'deploy/tls/certs.yaml')],
    ];
    await askAndSave(scope, folder);
    for (const [step, change] of steps) {
      change();
      await expectFresh(scope, folder, step);
      await askAndSave(scope, folder);
    }
  });

  it('leave a warm scan equal to a cold one, and an edited file is still seen as edited', async () => {
    const repo = fixtureRepo();
    const said = (result: ScanResult) => JSON.stringify({ graph: result.graph, history: result.history });
    const root = mkdtempSync(path.join(cacheRoot, 'scan-'));
    const warmThenCold = async (step: string) => {
      const warm = await scanRepository(repo.dir, { cache: { root } });
      const cold = await scanRepository(repo.dir, { cache: false });
      expect(said(warm), step).toBe(said(cold));
      return warm;
    };
    await warmThenCold('first run');
    expect(readdirSync(root, { recursive: true }).some((name) => String(name).endsWith('git-state.cache'))).toBe(true);
    // Cited code edited, not staged: the index is as kept, the work tree is not.
    repo.write('deploy/certs.yaml', `# edge certificates\n${repo.read('deploy/certs.yaml')}`);
    const edited = await warmThenCold('cited code edited');
    expect(edited.history?.dirty).toEqual(['deploy/certs.yaml']);
    repo.git('add', '-A');
    await warmThenCold('edit staged');
    repo.commit('2026-09-25', 'Header');
    const committed = await warmThenCold('edit committed');
    expect(committed.history?.dirty).toEqual([]);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    await warmThenCold('commit reset away');
  });
});

describe('a git-state.cache this user did not write', () => {
  async function planted(): Promise<{ scope: GitScope; folder: CacheFolder; file: string }> {
    const repo = fixtureRepo();
    const { scope, folder } = await opened(repo);
    await askAndSave(scope, folder);
    return { scope, folder, file: stateFile(folder) };
  }

  const notBelieved = async (scope: GitScope, folder: CacheFolder, what: string) => {
    const state = await GitStateCache.open(Promise.resolve(folder), scope, KEY);
    await expect(withoutGit(() => state.index()), what).rejects.toThrow();
    await expect(withoutGit(() => state.probe()), what).rejects.toThrow();
  };

  it('is refused when a byte of its body changed, its seal is another key\'s, or it is a link', async () => {
    const { scope, folder, file } = await planted();
    const good = readFileSync(file);
    // One byte of the index listing (after the header line) changed: the seal no longer verifies.
    const tampered = Buffer.from(good);
    tampered[tampered.indexOf(10, 65) + 10] ^= 1;
    writeFileSync(file, tampered);
    await notBelieved(scope, folder, 'tampered body');

    // Sealed with another key (a file copied from another machine, or forged without the key).
    const body = good.subarray(65);
    await writeSealed({ ...folder, secret: Buffer.alloc(32, 7) }, 'git-state.cache', body);
    await notBelieved(scope, folder, 'another key');

    // A link to a good copy elsewhere is not followed.
    const elsewhere = path.join(cacheRoot, 'elsewhere.cache');
    writeFileSync(elsewhere, good);
    unlinkSync(file);
    symlinkSync(elsewhere, file);
    await notBelieved(scope, folder, 'a link');
  });

  it('is refused when sealed but for another stamp, or when its lengths do not add up', async () => {
    const { scope, folder, file } = await planted();
    const good = readFileSync(file).subarray(65);
    const end = good.indexOf(10);
    const header = JSON.parse(good.subarray(0, end).toString('utf8')) as Record<string, unknown>;
    const reseal = (changed: Record<string, unknown>) => writeSealed(folder, 'git-state.cache', Buffer.from(`${JSON.stringify({ ...header, ...changed })}\n`), good.subarray(end + 1));
    await reseal({ stamp: `${String(header.stamp)}x` });
    await notBelieved(scope, folder, 'another stamp');
    await reseal({ scope: JSON.stringify(['/elsewhere', '/elsewhere/.git', '/elsewhere']) });
    await notBelieved(scope, folder, 'another scope');
    // Lengths that do not cover the body exactly: the index answers are not taken (the probe may be).
    await reseal({ listingBytes: Number(header.listingBytes) - 1 });
    const state = await GitStateCache.open(Promise.resolve(folder), scope, KEY);
    await expect(withoutGit(() => state.index())).rejects.toThrow();
  });
});
