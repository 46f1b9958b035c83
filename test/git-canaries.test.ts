/**
 * No git process Waymark starts runs a program the repository names (issue
 * 11, item 1). Two repositories carry a canary program in every place git
 * config or attributes can name one (`test/hostile/git-canaries.ts`): one in
 * `.git/config` and `.git/hooks`, one only through `include` and
 * `includeIf`. Every command that reads git runs on them, and no canary may
 * leave its marker, while the history rules still report the moved lines,
 * committed and uncommitted. Plain git, run last on the same repositories,
 * trips the canaries: they are live, so their silence means something.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/context.ts';
import { resetMarkers, tripped, writeDirectCanaryRepo, writeIncludedCanaryRepo, type CanaryRepo } from './hostile/git-canaries.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-canaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function waymark(repo: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: repo,
    env: { ...process.env, WAYMARK_TODAY: '2026-02-01' },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Plain git, as a user would run it: the repository's config is in force. */
function plainGit(repo: string, args: string[]): void {
  try {
    execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: scratch, GIT_TERMINAL_PROMPT: '0' } });
  } catch {
    // A failing canary (a filter that answers nothing useful) still left its marker.
  }
}

const MOVED_NOW = /docs\/processes\/blue-green\.md:6:24 {2}warning {2}lines 3-9 of `infra\/lb\.tf` moved to 9-15 .*moved-lines/;

describe('a repository whose git config names programs everywhere', () => {
  let direct: CanaryRepo;
  beforeAll(() => {
    direct = writeDirectCanaryRepo(path.join(scratch, 'direct'));
  });

  it('check reports the moved lines (committed and uncommitted moves) and runs nothing', async () => {
    const check = await waymark(direct.repo, 'check', '--no-cache');
    expect(check.stdout).toMatch(MOVED_NOW);
    expect(tripped(direct)).toEqual([]);
  });

  it('check --changed-since (base checked out, merge base, default branch) runs nothing', async () => {
    const pr = await waymark(direct.repo, 'check', '--no-cache', '--changed-since', 'HEAD~1', '--format', 'markdown');
    expect(pr.stdout).toContain('compared with `HEAD~1`');
    await waymark(direct.repo, 'check', '--no-cache', '--changed-since');
    expect(tripped(direct)).toEqual([]);
  });

  it('graph, link and init run nothing', async () => {
    const graph = await waymark(direct.repo, 'graph', '--no-cache');
    expect(graph.code).toBe(0);
    expect(JSON.parse(graph.stdout).references.length).toBeGreaterThan(0);
    const link = await waymark(direct.repo, 'link', 'blue-green-rollout');
    expect(link.stdout).toBe('/processes/blue-green-rollout/\n');
    expect(tripped(direct)).toEqual([]);
  });

  it('fix --dry-run and fix rewrite the reference to where the lines are now, running nothing', async () => {
    const dryRun = await waymark(direct.repo, 'fix', '--dry-run');
    expect(dryRun.stdout).toContain('+- **Code Reference**: `infra/lb.tf:9-15`');
    const fix = await waymark(direct.repo, 'fix');
    expect(fix.stdout).toBe('fixed docs/processes/blue-green.md (1 reference)\n');
    expect(readFileSync(path.join(direct.repo, 'docs/processes/blue-green.md'), 'utf8')).toContain('`infra/lb.tf:9-15`');
    expect(tripped(direct)).toEqual([]);
  });

  it('build runs nothing', async () => {
    const out = path.join(scratch, 'site');
    const build = await waymark(direct.repo, 'build', '--no-strict', '--quiet', '--no-cache', '--out', out);
    expect(build.stderr).not.toContain('internal error');
    expect(build.code).toBe(0);
    expect(tripped(direct)).toEqual([]);
  }, 300_000);

  it('init reads the origin remote (and so picks GitHub) and runs nothing', async () => {
    const init = await waymark(direct.repo, 'init');
    expect(init.code).toBe(0);
    expect(readFileSync(path.join(direct.repo, '.github/workflows/waymark.yml'), 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(path.join(direct.repo, 'waymark.config.json'), 'utf8')).toContain('github.com/acme/infra');
    expect(tripped(direct)).toEqual([]);
  });

  it('the canaries are live: plain git trips them', () => {
    resetMarkers(direct);
    plainGit(direct.repo, ['status']);
    // The process filter is no real one and stops git where it is required: leave it out to reach the others.
    plainGit(direct.repo, ['-c', 'filter.proc.process=', '-c', 'filter.proc.required=false', 'diff', 'HEAD']);
    plainGit(direct.repo, ['diff', '--no-ext-diff', 'HEAD~1', 'HEAD']);
    plainGit(direct.repo, ['add', '--', 'docs']);
    expect(tripped(direct)).toEqual(
      expect.arrayContaining(['diff-driver', 'filter-clean', 'filter-process', 'fsmonitor', 'textconv']),
    );
  });
});

describe('the same programs named only through include and includeIf', () => {
  let included: CanaryRepo;
  beforeAll(() => {
    included = writeIncludedCanaryRepo(path.join(scratch, 'included'));
  });

  it('check and fix --dry-run run nothing, and still find the moved lines', async () => {
    const check = await waymark(included.repo, 'check', '--no-cache');
    expect(check.stdout).toMatch(MOVED_NOW);
    const dryRun = await waymark(included.repo, 'fix', '--dry-run');
    expect(dryRun.stdout).toContain('`infra/lb.tf:9-15`');
    const pr = await waymark(included.repo, 'check', '--no-cache', '--changed-since', 'HEAD~1');
    expect(pr.stderr).not.toContain('internal error');
    expect(tripped(included)).toEqual([]);
  });

  it('the canaries are live: plain git trips them', () => {
    mkdirSync(included.markers, { recursive: true });
    plainGit(included.repo, ['status']);
    plainGit(included.repo, ['diff', 'HEAD']);
    plainGit(included.repo, ['diff', '--no-ext-diff', 'HEAD~1', 'HEAD']);
    // The include repository has no diff driver command, so `diff.external` is what git reaches for.
    expect(tripped(included)).toEqual(expect.arrayContaining(['include-diff-external', 'include-filter-clean', 'include-textconv', 'includeif-fsmonitor']));
  });
});
