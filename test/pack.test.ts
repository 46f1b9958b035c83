/**
 * Waymark as a user gets it: `npm pack` once, `npm i -D <tarball>` once into
 * a fresh repository, then the commands the README and the recipes promise
 * run there with the project's Node 22: `check`, the recipe's SARIF step
 * through `npx`, `init`, `build --out site`, `link`, and the pre-commit
 * hook blocking a commit with a broken reference.
 *
 * The install talks to the npm registry (or its cache); set
 * WAYMARK_SKIP_PACK=1 to skip this file where there is neither.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PRE_COMMIT_HOOK } from '../src/cli/templates.ts';
import { stripJsonComments } from '../src/core/config/jsonc.ts';
import { projectRoot } from './helpers.ts';

const run = promisify(execFile);
const skip = process.env.WAYMARK_SKIP_PACK === '1';
/** Node 22 (this project's) first on PATH, for npm, npx and the `#!/usr/bin/env node` of the bin. */
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: '1', WAYMARK_REPO: '' };
delete (env as Record<string, string | undefined>).WAYMARK_REPO;
let dir: string;
let repo: string;
/** The packed package, shared with the any-repository journey at the end. */
let tarball: string;

async function write(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(repo, path)), { recursive: true });
  await writeFile(join(repo, path), text);
}

/** Run a shell command in the user's repository; never throws, returns the exit code and output. */
async function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('sh', ['-c', command], { cwd: repo, env, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    env: { ...env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

beforeAll(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'waymark-pack-'));
  repo = join(dir, 'acme-infra');
  const packed = await run('npm', ['pack', '--pack-destination', dir, '--json'], { cwd: projectRoot, env });
  tarball = join(dir, JSON.parse(packed.stdout)[0].filename);

  await write('package.json', JSON.stringify({ name: 'acme-infra', version: '1.0.0', private: true }, null, 2));
  await write('.gitignore', 'node_modules/\nsite/\n');
  await write(
    'docs/processes/deploy.md',
    '# Deployment Process: Blue Green Deploy\n\n**Status**: validated\n**Last Updated**: 2026-01-10\n**Last Validated**: 2026-01-10\n\n## Steps\n\nThe load balancer is in `infra/main.tf:1-3`.\n',
  );
  await write('infra/main.tf', '# Deployment Process: Blue Green Deploy\n# Reference: docs/processes/deploy.md\nresource "null_resource" "lb" {}\n');
  git('init', '-q');
  await run('npm', ['install', '--save-dev', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: repo, env, maxBuffer: 64 << 20 });
  git('add', '.');
  git('commit', '-qm', 'infrastructure with waymark');
}, 900_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('installed from the npm pack tarball', () => {
  test('the tarball carries the site but not the example or the tests', async () => {
    const files = await readdir(join(repo, 'node_modules/waymark'), { recursive: true });
    expect(files).toContain('astro.config.mjs');
    expect(files).toContain(join('src', 'pages', 'index.astro'));
    expect(files).toContain(join('docs', 'recipes', 'github-actions.md'));
    expect(files.some((f) => f.startsWith('content') || f.startsWith('test'))).toBe(false);
    // The bundled command line, and the bin runs it rather than the sources.
    expect(files).toContain(join('bundle', 'cli.mjs'));
    expect(files).toContain(join('bundle', 'extract-worker.mjs'));
    const { freshBundle } = await import(pathToFileURL(join(repo, 'node_modules/waymark/bin/entry.mjs')).href);
    expect(freshBundle()?.href).toBe(pathToFileURL(join(repo, 'node_modules/waymark/bundle/cli.mjs')).href);
  });

  test('npx waymark check, and the recipe\'s SARIF step', async () => {
    expect(await sh('npx waymark check')).toMatchObject({ code: 0, stdout: 'No problems found.\n' });
    const sarif = await sh('npx waymark check --format sarif > waymark.sarif && cat waymark.sarif');
    expect(sarif.code).toBe(0);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toEqual([]);
  });

  test('npx waymark init writes a commented config that loads, and a workflow', async () => {
    const init = await sh('npx waymark init');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote waymark.config.json\nwrote .github/workflows/waymark.yml\n');
    const text = await readFile(join(repo, 'waymark.config.json'), 'utf8');
    expect(text).toMatch(/^\/\/ Waymark configuration/);
    expect(JSON.parse(stripJsonComments(text)).name).toBe('acme-infra');
    expect(await sh('npx waymark check')).toMatchObject({ code: 0 });
    // Run again: existing files are kept.
    expect((await sh('npx waymark init')).stderr).toContain('kept the existing waymark.config.json');
  });

  test('npx waymark build --out site, then link', async () => {
    const build = await sh('npx waymark build --out site --quiet');
    expect(build).toMatchObject({ code: 0 });
    for (const file of ['index.html', 'processes/blue-green-deploy/index.html', 'p/blue-green-deploy/index.html', 'links.json', '_redirects', 'pagefind/pagefind.js']) {
      expect(existsSync(join(repo, 'site', file)), file).toBe(true);
    }
    const link = await sh('npx waymark link "Blue Green Deploy" infra/main.tf:2 --base-url https://acme.example.com/infra/');
    expect(link).toMatchObject({
      code: 0,
      stdout: 'https://acme.example.com/infra/processes/blue-green-deploy/\nhttps://acme.example.com/infra/files/infra/main.tf/#L2\n',
    });
    expect((await sh('npx waymark link blue-gren-deploy')).code).toBe(1);
  });

  test('the pre-commit hook blocks a commit with a broken reference', async () => {
    const hook = join(repo, '.git/hooks/pre-commit');
    await writeFile(hook, PRE_COMMIT_HOOK);
    await chmod(hook, 0o755);
    await write('infra/dns.tf', '# Deployment Process: Blue Green Deploy\n# Reference: docs/processes/dns.md\n');
    git('add', 'infra/dns.tf');
    const blocked = await sh('git -c user.name=t -c user.email=t@e commit -qm "dns"');
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain('infra/dns.tf:2');
    expect(blocked.stdout + blocked.stderr).toContain('missing-file');
    await write('infra/dns.tf', '# Deployment Process: Blue Green Deploy\n# Reference: docs/processes/deploy.md\n');
    git('add', 'infra/dns.tf');
    expect(await sh('git -c user.name=t -c user.email=t@e commit -qm "dns"')).toMatchObject({ code: 0 });
  });
});

/**
 * A repository that is only Terraform, YAML and shell (no package.json), run
 * through the packed package with `npx --yes --package <tarball> waymark` as its CI would:
 * init → check → suppress-all → a change to cited code → check
 * --changed-since → build. `git status` shows nothing but the files init
 * and `--suppress-all` write.
 */
describe.skipIf(skip)('any repository, from the tarball through npx', () => {
  let infra: string;
  const inInfra = async (command: string) => {
    try {
      const { stdout, stderr } = await run('sh', ['-c', command], { cwd: infra, env: { ...env, WAYMARK_PACKAGE: tarball, npm_config_prefer_offline: 'true' }, maxBuffer: 64 << 20 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const gitIn = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'init.defaultBranch=main', ...args], {
      cwd: infra,
      env: { ...env, GIT_AUTHOR_DATE: '2026-11-20T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-20T10:00:00Z' },
      encoding: 'utf8',
    });
  const status = () => gitIn('status', '--porcelain', '--untracked-files=all', '--ignored').split('\n').filter(Boolean).sort();

  test('init → check → suppress-all → change cited code → check --changed-since → build', async () => {
    infra = join(dir, 'terraform-only');
    const put = async (file: string, text: string) => {
      await mkdir(dirname(join(infra, file)), { recursive: true });
      await writeFile(join(infra, file), text);
    };
    const lb = ['# Deployment Process: Blue Green Rollout', '# Reference: docs/processes/rollout.md', 'resource "aws_lb" "main" {', '  name = "main"', '}', '', 'resource "aws_lb_listener_rule" "switch" {', '  priority = 10', '}', ''];
    await put('infra/lb.tf', lb.join('\n'));
    await put('k8s/web.yaml', '# Deployment Process: Blue Green Rollout\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    await put('scripts/deploy.sh', '#!/bin/sh\n# Deployment Process: Blue Green Rollout\necho deploy\n');
    await put(
      'docs/processes/rollout.md',
      '# Deployment Process: Blue Green Rollout\n\n**Status**: Validated\n**Last Updated**: 2026-11-20\n**Last Validated**: 2026-11-20\n\n## Steps\n\n### Switch traffic\n\n**Code Reference**: `infra/lb.tf:7-9`, `k8s/web.yaml`, `scripts/deploy.sh`\n\n### Clean up\n\n**Code Reference**: `scripts/cleanup.sh`\n',
    );
    gitIn('init', '-q');
    gitIn('add', '-A');
    gitIn('commit', '-qm', 'infrastructure');

    const init = await inInfra('npx --yes --package "$WAYMARK_PACKAGE" waymark init --ci github --package "$WAYMARK_PACKAGE"');
    expect(init.code).toBe(0);
    expect(status()).toEqual(['?? .github/workflows/waymark-revalidation.yml', '?? .github/workflows/waymark.yml', '?? waymark.config.json']);
    const workflow = await readFile(join(infra, '.github/workflows/waymark.yml'), 'utf8');
    expect(workflow).toContain(`WAYMARK_PACKAGE: ${tarball}`);
    expect(workflow).not.toMatch(/npm (ci|install)/);

    // The workflow's own check line: the old broken reference fails it.
    const checkLine = /run: (npx --yes --package "\$WAYMARK_PACKAGE" waymark check --format sarif > waymark\.sarif)/.exec(workflow)![1];
    const check = await inInfra(`${checkLine}; code=$?; cat waymark.sarif; rm waymark.sarif; exit $code`);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['missing-file']);

    expect(await inInfra('npx --yes --package "$WAYMARK_PACKAGE" waymark check --suppress-all')).toMatchObject({ code: 0 });
    expect(status()).toEqual(['?? .github/workflows/waymark-revalidation.yml', '?? .github/workflows/waymark.yml', '?? waymark-suppressions.json', '?? waymark.config.json']);
    gitIn('add', '-A');
    gitIn('commit', '-qm', 'waymark, with today as the baseline');
    expect(await inInfra('npx --yes --package "$WAYMARK_PACKAGE" waymark check')).toMatchObject({ code: 0 });

    // A pull request: the listener rule changes, and the deploy script is renamed.
    gitIn('checkout', '-qb', 'tune-listener');
    await put('infra/lb.tf', lb.join('\n').replace('priority = 10', 'priority = 20'));
    gitIn('mv', 'scripts/deploy.sh', 'scripts/release.sh');
    gitIn('commit', '-qam', 'tune the listener, rename the deploy script');
    const pr = await inInfra('npx --yes --package "$WAYMARK_PACKAGE" waymark check --changed-since');
    expect(pr.code).toBe(1);
    expect(pr.stdout).toContain('infra/lb.tf:7-9 (line 8 changed), cited by Blue Green Rollout › Switch traffic in docs/processes/rollout.md:11');
    expect(pr.stdout.split('\n').filter((line) => line.includes(' error '))).toEqual([expect.stringContaining('`scripts/deploy.sh` does not exist')]);
    const summary = await inInfra('npx --yes --package "$WAYMARK_PACKAGE" waymark check --changed-since main --format markdown');
    expect(summary.stdout).toContain('### Documented code this change edits (1)');

    // The reference follows the rename: nothing new, the edited lines still listed.
    await put('docs/processes/rollout.md', (await readFile(join(infra, 'docs/processes/rollout.md'), 'utf8')).replace('scripts/deploy.sh', 'scripts/release.sh'));
    gitIn('commit', '-qam', 'follow the rename');
    const fixed = await inInfra('npx --yes --package "$WAYMARK_PACKAGE" waymark check --changed-since');
    expect(fixed).toMatchObject({ code: 0, stdout: expect.stringContaining('infra/lb.tf:7-9 (line 8 changed)') });

    // The site, built outside the repository: the debt is listed apart.
    const out = join(dir, 'terraform-only-site');
    expect(await inInfra(`npx --yes --package "$WAYMARK_PACKAGE" waymark build --out "${out}" --quiet`)).toMatchObject({ code: 0 });
    const problems = await readFile(join(out, 'problems/index.html'), 'utf8');
    expect(problems).toContain('Known debt');
    expect(problems).toContain('scripts/cleanup.sh');
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('1 known debt');
    expect(status()).toEqual([]);
  }, 900_000);
});
