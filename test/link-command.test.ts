/**
 * `waymark link`: the URL of an id, a path, a path with a line or a process
 * name; exit 1 with "did you mean" on near misses; absolute URLs with
 * `--base-url` or config `site.url`; and git renames resolving old paths.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { binPath } from './helpers.ts';
import { FIXTURE_REPO } from './site/sample-graph.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-link-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function link(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: scratch, env, isTTY: false };
  const code = await main(['link', ...args], io);
  return { code, stdout, stderr };
}

describe('waymark link', () => {
  test.each([
    ['blue-green-rollout', '/processes/blue-green-rollout/'],
    ['Blue/Green Rollout', '/processes/blue-green-rollout/'],
    ['blue-green-rollout#rollback', '/processes/blue-green-rollout/#rollback'],
    ['TASK-001', '/tasks/improvement-plan/TASK-001/'],
    ['staging', '/environments/staging/'],
    ['infra/lb.tf:3', '/files/infra/lb.tf/#L3'],
    ['docs/processes/backup.md', '/processes/database-backup/'],
  ])('%s → %s', async (query, url) => {
    expect(await link([query, '--repo', FIXTURE_REPO])).toEqual({ code: 0, stdout: `${url}\n`, stderr: '' });
  });

  test('several queries, absolute URLs and short forms', async () => {
    const result = await link(['blue-green-rollout', 'infra/lb.tf:3', '--repo', FIXTURE_REPO, '--base-url', 'https://acme.github.io/infra', '--short']);
    expect(result).toEqual({ code: 0, stdout: 'https://acme.github.io/infra/p/blue-green-rollout/\nhttps://acme.github.io/infra/f/infra/lb.tf/#L3\n', stderr: '' });
  });

  test('unknown: exit 1 with "did you mean"; the found ones still print', async () => {
    const result = await link(['blue-gren-rollout', 'infra/lb.tf', 'infra/lb.tf:99', '--repo', FIXTURE_REPO]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('/files/infra/lb.tf/\n');
    expect(result.stderr).toBe(
      'waymark: `blue-gren-rollout` is no process, task, environment, document or file of the site; did you mean `blue-green-rollout`?\n' +
        'waymark: `infra/lb.tf` has 11 lines, so line 99 is past its end\n',
    );
  });

  test('--json gives scripts the kind, id and suggestions', async () => {
    const result = await link(['--json', 'TASK-001', 'rollout.sh', '--repo', FIXTURE_REPO]);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { query: 'TASK-001', status: 'found', kind: 'task', id: 'docs/plans/improvement-plan/TASK-001', url: '/tasks/improvement-plan/TASK-001/', short: '/t/TASK-001/' },
      { query: 'rollout.sh', status: 'unknown', suggestions: ['deploy/rollout.sh'] },
    ]);
  });

  test('bad usage exits 2', async () => {
    expect((await link(['--repo', FIXTURE_REPO])).code).toBe(2);
    expect((await link(['x', '--base-url', 'not a url', '--repo', FIXTURE_REPO])).code).toBe(2);
  });

  test('config site.url makes URLs absolute; a git rename keeps the old path working', async () => {
    const repo = path.join(scratch, 'renamed');
    cpSync(FIXTURE_REPO, repo, { recursive: true });
    writeFileSync(path.join(repo, 'waymark.config.json'), JSON.stringify({ site: { url: 'https://docs.example.com/infra/' } }));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'first');
    git('mv', 'docs/status/update.md', 'docs/status/status-update.md');
    git('commit', '-qm', 'rename');
    const result = await link(['docs/status/update.md', 'blue-green-rollout', '--repo', repo]);
    expect(result).toEqual({
      code: 0,
      stdout: 'https://docs.example.com/infra/docs/status/status-update/\nhttps://docs.example.com/infra/processes/blue-green-rollout/\n',
      stderr: '',
    });
  });

  test('the executable: exit codes through the process boundary', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, [binPath, 'link', 'TASK-002', '--repo', FIXTURE_REPO]);
    expect(ok.stdout).toBe('/tasks/improvement-plan/TASK-002/\n');
    const failed = await run(process.execPath, [binPath, 'link', 'TASK-02', '--repo', FIXTURE_REPO]).catch((error) => error);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('did you mean `TASK-002`');
  });
});
