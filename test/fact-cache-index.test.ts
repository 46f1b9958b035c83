/**
 * The fact cache and git's index: a record's digest is git's blob id, so a
 * tracked file git's stat data says is unchanged is taken from the cache by
 * that id, neither read nor stat'ed, whatever its own stamp says; a file the
 * index does not vouch for (edited, or touched since the index was written)
 * goes the usual way. Warm runs stay equal to cold ones through a touch, an
 * edit and a checkout that restores the committed blob; a shard copied from
 * another repository's folder is ignored; and nothing is written outside the
 * cache folder.
 */
import { cpSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import type { ScanResult } from '../src/core/schema.ts';
import { openCacheFolder, type CacheFolder } from '../src/node/cache-folder.ts';
import { collectFacts } from '../src/node/collect-facts.ts';
import { cacheKey, FactCache, shardName, SHARDS } from '../src/node/fact-cache.ts';
import { factsOf } from '../src/node/file-record.ts';
import { openScope } from '../src/node/git.ts';
import { prepareScan, scanRepository } from '../src/node/scan.ts';
import { RunTiming } from '../src/node/run-timing.ts';
import { readDirtyFiles } from '../src/node/worktree.ts';
import { removeRepos, Repo } from './git-repo.ts';

const cacheRoot = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'waymark-index-cache-')));
afterAll(() => {
  removeRepos();
  rmSync(cacheRoot, { recursive: true, force: true });
});

const DOC = 'docs/processes/restart-queue.md';
const SCRIPT = 'scripts/restart.sh';
const FILES = [DOC, SCRIPT];
const config = resolveConfig({}, 'repo');

function repository(): Repo {
  const repo = new Repo();
  repo.write(DOC, `# Process: Restart Queue\n\n- **Code Reference**: \`${SCRIPT}:1-2\`\n- **Runbook**: \`docs/gone.md\`\n`);
  repo.write(SCRIPT, '#!/bin/sh\n# Process: Restart Queue\nsystemctl restart queue\n');
  repo.commit('2026-10-01', 'Restart the queue');
  return repo;
}

async function folderOf(repo: Repo): Promise<CacheFolder> {
  const folder = await openCacheFolder({ root: cacheRoot }, repo.dir);
  if ('off' in folder) throw new Error(folder.off);
  return folder;
}

/** One scan's fact collection as `scanRepository` runs it: the cache, git's vouched ids, then a save. */
async function collect(repo: Repo) {
  const cache = await FactCache.open(await folderOf(repo), cacheKey(config));
  const { scope } = await openScope(repo.dir);
  let indexIds: Map<string, string> | undefined;
  await readDirtyFiles(scope!, (ids) => (indexIds = ids));
  const collected = await collectFacts(repo.dir, FILES, config, { cache, indexIds, workers: 0 });
  await cache.save(collected.records, Date.now());
  return { collected, indexIds: indexIds! };
}

function facts(collected: Awaited<ReturnType<typeof collect>>['collected'], file: string) {
  const record = collected.records.find(([name]) => name === file)![1];
  return factsOf(file, record);
}

/** Move a file's times an hour back (its content and git's blob unchanged). */
function touch(repo: Repo, file: string): void {
  const hourAgo = Date.now() / 1000 - 3600;
  utimesSync(path.join(repo.dir, file), hourAgo, hourAgo);
}

function said(result: ScanResult): string {
  return JSON.stringify({ graph: result.graph, history: result.history });
}

async function expectWarmEqualsCold(repo: Repo, step: string): Promise<void> {
  const warm = await scanRepository(repo.dir, { cache: { root: cacheRoot } });
  const cold = await scanRepository(repo.dir, { cache: false });
  expect(said(warm), step).toBe(said(cold));
}

describe('the fact cache keyed by git blob id', () => {
  it('stores git\'s blob id as each record\'s digest', async () => {
    const repo = repository();
    const { collected } = await collect(repo);
    for (const file of FILES) {
      const digest = collected.records.find(([name]) => name === file)![1].digest;
      expect(digest, file).toBe(repo.git('rev-parse', `HEAD:${file}`).trim());
    }
  });

  it('takes a file git\'s index vouches for without reading it, though its stamp changed', async () => {
    const repo = repository();
    const cold = await collect(repo);
    touch(repo, SCRIPT);
    // git refreshes its index: the stat data now matches the touched file.
    repo.git('update-index', '-q', '--refresh');

    const warm = await collect(repo);
    expect(warm.indexIds.get(SCRIPT)).toBe(repo.git('rev-parse', `HEAD:${SCRIPT}`).trim());
    expect(warm.collected.read).toBe(0);
    expect(facts(warm.collected, SCRIPT)).toEqual(facts(cold.collected, SCRIPT));
  });

  it('reads a touched file the index does not vouch for (its stat data is older), and an edited one', async () => {
    const repo = repository();
    await collect(repo);
    touch(repo, SCRIPT);
    const touched = await collect(repo);
    expect(touched.indexIds.has(SCRIPT)).toBe(false);
    // Read to compare its blob id, not parsed again.
    expect(touched.collected.read).toBe(1);

    repo.write(DOC, `# Process: Restart Queue\n\n- **Runbook**: \`docs/elsewhere.md\`\n`);
    const edited = await collect(repo);
    expect(edited.indexIds.has(DOC)).toBe(false);
    expect(edited.collected.read).toBeGreaterThanOrEqual(1);
    expect(facts(edited.collected, DOC)?.document?.references.map((reference) => reference.raw)).toEqual(['docs/elsewhere.md']);
  });

  it('gives what a cold run gives after a touch, an edit and a checkout restoring the committed blob', async () => {
    const repo = repository();
    await expectWarmEqualsCold(repo, 'first run');
    touch(repo, DOC);
    repo.git('update-index', '-q', '--refresh');
    await expectWarmEqualsCold(repo, 'touched, index refreshed');
    repo.write(DOC, `# Process: Restart Queue\n\n- **Code Reference**: \`${SCRIPT}:9-12\`\n`);
    await expectWarmEqualsCold(repo, 'edited, uncommitted');
    repo.git('checkout', '--', DOC);
    await expectWarmEqualsCold(repo, 'committed blob restored');
    const restored = await collect(repo);
    expect(facts(restored.collected, DOC)?.document?.references.map((reference) => reference.raw)).toContain('docs/gone.md');
  });

  it('still finds a committed link to another file among files the index vouches for', async () => {
    const repo = repository();
    symlinkSync('restart-queue.md', path.join(repo.dir, 'docs/processes/alias.md'));
    repo.commit('2026-10-02', 'An alias');
    const setup = await prepareScan(repo.dir, { cache: false }, new RunTiming());
    expect((await setup.indexIds)?.has(DOC)).toBe(true);
    expect(setup.aliasSkips.map((skip) => skip.path)).toEqual(['docs/processes/alias.md']);
    expect(setup.readable).not.toContain('docs/processes/alias.md');
  });

  it('ignores shards copied from another repository\'s folder, and writes only inside its own', async () => {
    const [first, second] = [repository(), repository()];
    await expectWarmEqualsCold(first, 'first repository');
    await expectWarmEqualsCold(second, 'second repository');
    const [from, to] = [await folderOf(first), await folderOf(second)];
    for (let shard = 0; shard < SHARDS; shard++) {
      const name = shardName(shard);
      if (readdirSync(from.path).includes(name)) cpSync(path.join(from.path, name), path.join(to.path, name));
    }
    const opened = await FactCache.open(to, cacheKey(config));
    expect(opened.state).toBe('ignored');
    expect(opened.size).toBe(0);
    await expectWarmEqualsCold(second, 'foreign shards in place');

    // The cache root holds the key and one folder per repository; the repositories stay clean.
    const entries = readdirSync(cacheRoot, { recursive: true, encoding: 'utf8' }).sort();
    for (const entry of entries) expect(entry, entry).toMatch(/^(key|[0-9a-f]{32}(\/(facts-\d\d|history|git-state)\.cache)?)$/);
    for (const repo of [first, second]) expect(repo.git('status', '--porcelain', '--ignored')).toBe('');
  });
});
