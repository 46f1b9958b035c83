/**
 * A warm run equals a cold one: after every step of a sequence of edits and
 * git operations, `scanRepository` with the cache every step before it left
 * (the fact cache, and git's answers about commits in `history.cache`)
 * gives the same graph, history and report as a run without any cache. The
 * steps walk the cache's paths: a log read from the last head on, a head
 * that is no longer on the first-parent line (a checkout of an older
 * commit, a rewritten commit), files edited, added, deleted and renamed,
 * uncommitted and committed.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/node/scan.ts';
import type { ScanResult } from '../src/core/schema.ts';
import { fixturesDir } from './helpers.ts';
import { removeRepos, Repo } from './git-repo.ts';

const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'waymark-warm-cold-'));
afterAll(() => {
  removeRepos();
  rmSync(cacheRoot, { recursive: true, force: true });
});

/** What a run says, as `check --format json` and `graph` would print it. */
function said(result: ScanResult): string {
  return JSON.stringify({ graph: result.graph, history: result.history });
}

async function expectWarmEqualsCold(dir: string, step: string): Promise<ScanResult> {
  const warm = await scanRepository(dir, { cache: { root: cacheRoot } });
  const cold = await scanRepository(dir, { cache: false });
  expect(said(warm), step).toBe(said(cold));
  return warm;
}

const DOC = 'docs/processes/rotate-keys.md';

describe('warm and incremental runs', () => {
  it('report what a cold run reports after every edit, commit and checkout', async () => {
    const repo = new Repo();
    cpSync(path.join(fixturesDir, 'warm-equals-cold/repo'), repo.dir, { recursive: true });
    repo.commit('2026-10-01', 'Key rotation');
    repo.write(DOC, repo.read(DOC).replaceAll('2026-10-02', '2026-10-03'));
    const documented = repo.commit('2026-10-03', 'Document key rotation');

    const first = await expectWarmEqualsCold(repo.dir, 'first run, no cache yet');
    expect(first.history?.head).toBeTruthy();
    const folder = readdirSync(cacheRoot, { withFileTypes: true }).find((entry) => entry.isDirectory());
    expect(folder && existsSync(path.join(cacheRoot, folder.name, 'history.cache')), 'git answers are kept').toBe(true);

    // Cited code moves down, committed: the log is read from the last head on, the base diffs are new.
    repo.write('infra/kms.tf', `# header\n# header\n${repo.read('infra/kms.tf')}`);
    repo.commit('2026-10-10', 'Comment the key ring');
    const moved = await expectWarmEqualsCold(repo.dir, 'code edited and committed');
    expect(moved.graph.diagnostics.map((diagnostic) => diagnostic.rule)).toContain('moved-lines');

    // A document edited, not committed; then a new document and the file it cites, committed.
    repo.write(DOC, `${repo.read(DOC)}\nSee also \`infra/alerts.tf:1-3\`.\n`);
    await expectWarmEqualsCold(repo.dir, 'document edited, uncommitted');
    repo.write('docs/processes/page-on-call.md', '# Process: Page On Call\n\n- **Code Reference**: `scripts/page.sh:1-2`\n');
    repo.write('scripts/page.sh', '#!/bin/sh\necho page\n');
    repo.commit('2026-10-12', 'Paging');
    await expectWarmEqualsCold(repo.dir, 'document and code added');

    // A cited file deleted (uncommitted, then committed), and a cited script renamed.
    unlinkSync(path.join(repo.dir, 'infra/alerts.tf'));
    await expectWarmEqualsCold(repo.dir, 'cited file deleted, uncommitted');
    repo.commit('2026-10-14', 'Drop alerts');
    repo.move('scripts/rotate.sh', 'scripts/keys/rotate.sh');
    repo.commit('2026-10-15', 'Move the rotation script');
    const renamed = await expectWarmEqualsCold(repo.dir, 'cited file renamed');
    expect(renamed.graph.diagnostics.some((diagnostic) => diagnostic.message.includes('scripts/rotate.sh'))).toBe(true);

    // An older commit checked out (the kept head is not on its line), then the branch again (it is).
    repo.git('checkout', '-q', '--detach', documented);
    await expectWarmEqualsCold(repo.dir, 'older commit checked out');
    repo.git('checkout', '-q', 'main');
    await expectWarmEqualsCold(repo.dir, 'back on the branch');

    // The last commit rewritten: the kept head is on no line any more.
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.write('scripts/rotate.sh', `${repo.read('scripts/rotate.sh')}echo "done"\n`);
    repo.commit('2026-10-16', 'Rotation says when it is done');
    await expectWarmEqualsCold(repo.dir, 'last commit rewritten');
  }, 300_000);
});
