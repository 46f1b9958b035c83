/**
 * Pull-request mode (`check --changed-since`): the impact list, exit 1 only
 * on errors the merge base did not have, config and suppressions from the
 * base, a shallow clone named with the depth it needs, and a working tree
 * left as it was.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { impactOf } from '../src/core/pull-request/impact.ts';
import type { Graph } from '../src/core/schema.ts';
import { markdownReporter } from '../src/reporters/markdown.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-pr-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: '2026-11-20T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-20T10:00:00Z' },
  });

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
}

const LB = Array.from({ length: 12 }, (_, i) => `# line ${i + 1}`).join('\n') + '\n';

/** A small infrastructure repository on `main`, one process citing `infra/lb.tf:3-6`, one broken reference already there. */
function repository(name: string): string {
  const root = path.join(scratch, name);
  mkdirSync(root);
  write(root, {
    'infra/lb.tf': LB,
    'scripts/deploy.sh': '#!/bin/sh\n# Deployment Process: Rollout\necho deploy\n',
    'docs/processes/rollout.md': [
      '# Deployment Process: Rollout',
      '',
      '**Status**: Validated',
      '**Last Validated**: 2026-11-20',
      '',
      '## Steps',
      '',
      '### Switch traffic',
      '',
      '**Code Reference**: `infra/lb.tf:3-6`',
      '',
      '### Clean up',
      '',
      '**Code Reference**: `infra/lb.tf:10-12`, `scripts/deploy.sh`, `scripts/old.sh`',
      '',
    ].join('\n'),
  });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  git(root, 'checkout', '-q', '-b', 'feature');
  return root;
}

async function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('check --changed-since', () => {
  it('lists the cited lines the change edits and passes when it brings no new error', async () => {
    const root = repository('impact');
    write(root, { 'infra/lb.tf': LB.replace('# line 4', '# line 4, tuned') });
    git(root, 'commit', '-q', '-am', 'tune the listener');
    const run = await cli(['check', '--no-cache', '--changed-since', 'main'], root);
    expect(run.stdout).toContain('This change edits documented code:\n  infra/lb.tf:3-6 (line 4 changed), cited by Rollout › Switch traffic in docs/processes/rollout.md:10');
    expect(run.stdout).not.toContain('infra/lb.tf:10-12 (');
    // `scripts/old.sh` was broken at the base: it does not fail this change.
    expect(run.stdout).not.toContain('scripts/old.sh');
    expect(run.stderr).toContain('1 problem was there at the base');
    expect(run.code).toBe(0);
    expect(git(root, 'status', '--porcelain', '--ignored')).toBe('');
  });

  it('fails on an error the change brings anywhere, even with the config and suppressions edited in the change', async () => {
    const root = repository('breaks');
    git(root, 'mv', 'scripts/deploy.sh', 'scripts/release.sh');
    write(root, {
      'waymark.config.json': '{ "rules": { "missing-file": "off" } }\n',
      'waymark-suppressions.json': '{ "version": 1, "suppressions": [] }\n',
    });
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'rename the deploy script, and try to hide it');
    // The default: the default branch, found without being named.
    const run = await cli(['check', '--no-cache', '--changed-since'], root);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^docs\/processes\/rollout\.md:14:\d+ {2}error {2}`scripts\/deploy\.sh` does not exist.*missing-file$/m);
    expect(run.stdout.match(/ error /g)).toHaveLength(1);
  });

  it('in a shallow clone, says which depth it needs and checks the head alone', async () => {
    const origin = repository('origin');
    write(origin, { 'docs/extra.md': '# Extra\n\nSee `infra/nothing.tf`.\n' });
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'more');
    const clone = path.join(scratch, 'shallow');
    git(scratch, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${origin}`, clone);
    git(clone, 'update-ref', '-d', 'refs/remotes/origin/main');
    const run = await cli(['check', '--no-cache', '--changed-since', 'origin/main'], clone);
    expect(run.stderr).toContain('`origin/main` is not in this clone; the clone is shallow: check out with `fetch-depth: 0`');
    expect(run.stderr).toContain('checking without a base: every problem counts as new');
    expect(run.code).toBe(1);
    expect(git(clone, 'status', '--porcelain', '--ignored')).toBe('');
  });

  it('checks a sub-project of a monorepo against the same folder at the base', async () => {
    const top = path.join(scratch, 'monorepo');
    mkdirSync(top);
    const project = repository('monorepo-project');
    // The small repository, one level down in another one.
    git(top, 'init', '-q');
    execFileSync('cp', ['-r', project, path.join(top, 'platform')]);
    rmSync(path.join(top, 'platform/.git'), { recursive: true, force: true });
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'platform');
    git(top, 'checkout', '-q', '-b', 'feature');
    write(top, { 'platform/infra/lb.tf': LB.replace('# line 5', '# line 5, tuned') });
    git(top, 'commit', '-q', '-am', 'tune');
    const run = await cli(['check', '--no-cache', '--repo', 'platform', '--changed-since', 'main'], top);
    expect(run.stdout).toContain('platform/infra/lb.tf:3-6 (line 5 changed), cited by Rollout › Switch traffic in platform/docs/processes/rollout.md:10');
    expect(run.code).toBe(0);
  });

  it('refuses a ref that looks like an option', async () => {
    const root = repository('option');
    const run = await cli(['check', '--no-cache', '--changed-since=--output=/tmp/x'], root);
    expect(run.stderr).toContain('is not a branch, tag or commit name');
  });
});

describe('impactOf', () => {
  const graph = {
    documents: [{ path: 'docs/a.md' }],
    processes: [],
    references: [
      { id: 'r1', kind: 'path', status: 'ok', targets: ['x.tf'], raw: 'x.tf:5-8', lines: { start: 5, end: 8 }, source: { file: 'docs/a.md', line: 1, column: 1 } },
      { id: 'r2', kind: 'path', status: 'ok', targets: ['x.tf'], raw: 'x.tf', source: { file: 'docs/a.md', line: 2, column: 1 } },
    ],
  } as unknown as Graph;
  const text = (lines: string[]) => `${lines.join('\n')}\n`;
  const base = Array.from({ length: 10 }, (_, i) => `l${i + 1}`);

  it('sees a removal inside a range, not one at its edge', () => {
    const inside = impactOf(graph, new Map([['x.tf', { base: text(base), head: text(base.filter((l) => l !== 'l6')) }]]));
    expect(inside.map((item) => `${item.raw} ${item.changed.start}-${item.changed.end}`)).toEqual(['x.tf:5-8 5-5', 'x.tf 5-5']);
    const edge = impactOf(graph, new Map([['x.tf', { base: text(base), head: text(base.filter((l) => l !== 'l9')) }]]));
    expect(edge.map((item) => item.raw)).toEqual(['x.tf']);
  });

  it('renders names from the repository as code, never as markdown', () => {
    const out = markdownReporter({
      diagnostics: [{ rule: 'missing-file', severity: 'error', file: 'docs/[x](javascript:alert(1)).md', line: 1, column: 1, message: '`a` @team <img src=x>' }],
      pathPrefix: '',
      version: '0',
      sourceUrl: 'https://example.com/blob/main/{path}#L{line}',
    });
    expect(out).toContain('\\@team \\<img src=x\\>');
    // The file name stays inside a code span; the one link outside code goes to the web view.
    expect(out).toContain('[`docs/[x](javascript:alert(1)).md:1:1`](https://example.com/blob/main/docs/%5Bx%5D%28javascript%3Aalert%281%29%29.md#L1)');
    expect(out.replace(/`[^`]*`/g, '')).not.toMatch(/\]\(\s*javascript/i);
  });
});
