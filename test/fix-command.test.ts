/**
 * `waymark check` and `waymark fix` through the executable on real git
 * repositories: lines move, the check says where they went, fix rewrites only
 * the reference text; `--to-symbols` turns an exact block range into a symbol.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath } from './helpers.ts';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-fix-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LB_TF = `# Deployment Process: Blue/Green Rollout
# Reference: docs/processes/blue-green.md
resource "aws_lb_listener_rule" "switch" {
  priority = 100

  action {
    type = "forward"
  }
}
`;

const DOC = (reference: string) => `# Deployment Process: Blue/Green Rollout

- **Status**: validated
- **Last Updated**: 2026-01-05
- **Last Validated**: 2026-01-05
- **Code Reference**: \`${reference}\`

Switch traffic, then watch the error rate.
`;

function repository(name: string, reference: string): string {
  const repo = path.join(scratch, name);
  mkdirSync(path.join(repo, 'infra'), { recursive: true });
  mkdirSync(path.join(repo, 'docs/processes'), { recursive: true });
  writeFileSync(path.join(repo, 'infra/lb.tf'), LB_TF);
  writeFileSync(path.join(repo, 'docs/processes/blue-green.md'), DOC(reference));
  git(repo, 'init', '-q');
  commit(repo, 'Initial import', '2026-01-04T10:00:00Z');
  return repo;
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });
}

function commit(repo: string, subject: string, date: string): void {
  git(repo, 'add', '-A');
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', subject], {
    cwd: repo,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}

async function waymark(repo: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, [binPath, ...args], { cwd: repo, env: { ...process.env, WAYMARK_TODAY: '2026-02-01' } })
    .then((result) => ({ ...result, code: 0 }))
    .catch((error: { stdout: string; stderr: string; code: number }) => error);
}

describe('waymark fix', () => {
  it('follows lines that moved down and rewrites only the reference', async () => {
    const repo = repository('moved', 'infra/lb.tf:3-9');
    writeFileSync(path.join(repo, 'infra/lb.tf'), `terraform {\n  required_version = ">= 1.6"\n}\n\n${LB_TF}`);
    commit(repo, 'Pin the Terraform version', '2026-01-10T10:00:00Z');

    const check = await waymark(repo, 'check');
    expect(check.stdout).toMatch(
      /^docs\/processes\/blue-green\.md:6:24  warning  lines 3-9 of `infra\/lb\.tf` moved to 7-13 since the reference was written in [0-9a-f]{7} \(2026-01-04\); `infra\/lb\.tf:7-13` \(run `waymark fix`\)  moved-lines$/m,
    );

    const dryRun = await waymark(repo, 'fix', '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('-- **Code Reference**: `infra/lb.tf:3-9`\n+- **Code Reference**: `infra/lb.tf:7-13`');
    expect(readFileSync(path.join(repo, 'docs/processes/blue-green.md'), 'utf8')).toBe(DOC('infra/lb.tf:3-9'));

    expect((await waymark(repo, 'fix')).code).toBe(0);
    expect(readFileSync(path.join(repo, 'docs/processes/blue-green.md'), 'utf8')).toBe(DOC('infra/lb.tf:7-13'));
    expect((await waymark(repo, 'check')).stdout).not.toContain('moved-lines');
  });

  it('turns a range that covers exactly one block into a symbol reference', async () => {
    const repo = repository('symbols', 'infra/lb.tf:3-9');
    const dryRun = await waymark(repo, 'fix', '--to-symbols', '--dry-run');
    expect(dryRun.stdout).toContain('+- **Code Reference**: `infra/lb.tf#aws_lb_listener_rule.switch`');

    expect((await waymark(repo, 'fix', '--to-symbols')).code).toBe(0);
    expect(readFileSync(path.join(repo, 'docs/processes/blue-green.md'), 'utf8')).toBe(
      DOC('infra/lb.tf#aws_lb_listener_rule.switch'),
    );
    const check = await waymark(repo, 'check', '--format', 'json');
    expect(JSON.parse(check.stdout).problems).toEqual([]);
  });

  it('never touches a document git does not track', async () => {
    const repo = repository('untracked', 'infra/lb.tf:3-9');
    writeFileSync(path.join(repo, 'docs/processes/draft.md'), DOC('infra/lb.tf:3-9').replace('Blue/Green Rollout', 'Draft Rollout'));
    await waymark(repo, 'fix', '--to-symbols');
    expect(readFileSync(path.join(repo, 'docs/processes/draft.md'), 'utf8')).toContain('`infra/lb.tf:3-9`');
    expect(readFileSync(path.join(repo, 'docs/processes/blue-green.md'), 'utf8')).toContain('#aws_lb_listener_rule.switch');
  });
});
