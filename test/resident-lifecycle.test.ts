/**
 * What the resident engine (`check --watch`, `waymark lsp`) owes besides its
 * results: the fact cache it writes when it opens serves the next `check`
 * as `check`'s own would (the blob ids of files it never reads, `unread`);
 * the `git cat-file --batch` it keeps for history refreshes ends when it is
 * disposed, and a watch that reopens it for a config edit leaves one, not
 * two; and a repository with commits whose history git cannot give gets the
 * `git-history` warning `check` gives, on open, after an edit and after a refresh.
 */
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchCheck } from '../src/cli/watch-check.ts';
import type { Diagnostic } from '../src/core/schema.ts';
import { openCacheFolder, type CacheFolder } from '../src/node/cache-folder.ts';
import { cacheKey, FactCache } from '../src/node/fact-cache.ts';
import { ResidentEngine } from '../src/node/resident.ts';
import { scanRepository } from '../src/node/scan.ts';
import { removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

const TODAY = '2026-11-26';

/** A committed repository: a runbook citing a script and an image, an hour old (a stamp that close to a scan is racy: the cache keeps none). */
function committed(): Repo {
  const repo = new Repo();
  repo.write('docs/runbook.md', '# Runbook\n\nRun `scripts/deploy.sh`; the diagram is [here](../assets/flow.png).\n');
  repo.write('scripts/deploy.sh', '#!/bin/sh\necho deploy\n');
  repo.write('assets/flow.png', '');
  writeFileSync(path.join(repo.dir, 'assets/flow.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const file of ['docs/runbook.md', 'scripts/deploy.sh', 'assets/flow.png']) utimesSync(path.join(repo.dir, file), hourAgo, hourAgo);
  repo.commit('2026-11-01', 'Runbook');
  return repo;
}

/** This process's `git cat-file --batch` children (Linux's /proc). */
function catFiles(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (command.includes('cat-file') && command.includes('--batch')) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** Wait until `ready()` holds (processes end, fs events arrive, a moment later). */
async function until(what: string, ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const historyNotices = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.rule === 'git-history').map((d) => `${d.severity} ${d.file}:${d.line} ${d.message}`);

describe('the resident engine’s cache, git process and lost history', () => {
  it('writes the cache `check` writes: the blob id of an image it never reads, vouched for by its stamp', async () => {
    const repo = committed();
    const settings = { root: path.join(repo.dir, '..', `${path.basename(repo.dir)}-cache`), key: Buffer.from('test-key') };
    const engine = await ResidentEngine.open(repo.dir, { cache: settings, today: TODAY });
    engine.dispose();
    const folder = (await openCacheFolder(settings, engine.root)) as CacheFolder;
    const cache = await FactCache.open(folder, cacheKey(engine.result.config));
    const blob = repo.git('rev-parse', 'HEAD:assets/flow.png').trim();
    expect(cache.vouchedDigest('assets/flow.png', path.join(repo.dir, 'assets/flow.png'))).toBe(blob);
    // Near miss: an image edited since is not vouched for.
    writeFileSync(path.join(repo.dir, 'assets/flow.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    expect(cache.vouchedDigest('assets/flow.png', path.join(repo.dir, 'assets/flow.png'))).toBeUndefined();
    rmSync(settings.root, { recursive: true, force: true });
  });

  it.skipIf(process.platform !== 'linux')('ends its git cat-file when disposed; a watch reopened for a config edit keeps one, and none once stopped', async () => {
    const repo = committed();
    const engine = await ResidentEngine.open(repo.dir, { today: TODAY });
    const opened = catFiles();
    expect(opened.length).toBe(1);
    engine.dispose();
    await until('the engine’s cat-file to end', () => catFiles().length === 0);
    // A refresh after disposal reads nothing and starts nothing.
    expect(await engine.refreshHistory()).toBeUndefined();
    expect(catFiles()).toEqual([]);

    const controller = new AbortController();
    const statuses: string[] = [];
    const watching = watchCheck({ repo: repo.dir, today: TODAY, io: { stdout: () => {}, stderr: (text) => statuses.push(text), cwd: repo.dir, env: {} }, render: () => '', signal: controller.signal });
    try {
      await until('the first report', () => statuses.length >= 1);
      const first = catFiles();
      expect(first.length).toBe(1);
      writeFileSync(path.join(repo.dir, 'waymark.config.json'), '{ "rules": { "missing-file": "info" } }\n');
      await until('the report with the new config', () => statuses.some((status) => status.includes('with the changed config')));
      // The first engine's process ends; the new engine's is the one left.
      await until('one cat-file', () => catFiles().length === 1 && !catFiles().includes(first[0]));
    } finally {
      controller.abort();
      await watching;
    }
    await until('no cat-file after the watch stopped', () => catFiles().length === 0);
  });

  it('says the history is lost as `check` does (a copy missing HEAD’s tree), after edits and refreshes; a repository without a commit says nothing', async () => {
    const repo = committed();
    const tree = repo.git('rev-parse', 'HEAD^{tree}').trim();
    rmSync(path.join(repo.dir, '.git', 'objects', tree.slice(0, 2), tree.slice(2)));
    const expected = historyNotices((await scanRepository(repo.dir, { today: TODAY })).graph.diagnostics);
    expect(expected).toEqual([
      'warning .git:1 git history could not be read (git failed on this copy): `stale-reference`, `moved-lines` and the deleted and renamed file checks are off for this run',
    ]);
    const engine = await ResidentEngine.open(repo.dir, { today: TODAY });
    try {
      expect(historyNotices(engine.result.graph.diagnostics)).toEqual(expected);
      repo.write('docs/runbook.md', '# Runbook\n\nRun `scripts/deploy.sh` and `scripts/rollback.sh`.\n');
      engine.changed(['docs/runbook.md']);
      expect(historyNotices((await engine.check()).result.graph.diagnostics)).toEqual(expected);
      await engine.refreshHistory();
      expect(historyNotices(engine.result.graph.diagnostics)).toEqual(expected);
      expect(engine.result.graph.diagnostics).toEqual((await scanRepository(repo.dir, { today: TODAY })).graph.diagnostics);
    } finally {
      engine.dispose();
    }

    const fresh = new Repo();
    fresh.write('docs/runbook.md', '# Runbook\n\nRun `scripts/deploy.sh`.\n');
    const empty = await ResidentEngine.open(fresh.dir, { today: TODAY });
    empty.dispose();
    expect(historyNotices(empty.result.graph.diagnostics)).toEqual([]);
  });
});
