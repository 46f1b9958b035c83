/**
 * The recipes in `docs/recipes/` say what `waymark init` writes, and every
 * Waymark command in them is one the CLI really has: the YAML parses, the
 * snippets are the templates byte for byte, each `npx waymark …` line runs
 * (on fixtures) with the outcome the recipe relies on, and the runbook
 * recipe's console sessions print what they show. The installed-package
 * side (npx, the hook blocking a commit) is in `pack.test.ts`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { repositoryCacheId, userCacheRoot } from '../src/node/cache-folder.ts';
import { loadUserConfig } from '../src/node/load-config.ts';
import { GITHUB_WORKFLOW, GITLAB_CI, PRE_COMMIT_CONFIG, PRE_COMMIT_HOOK, guessHosting } from '../src/cli/templates.ts';
import { fixturesDir, projectRoot } from './helpers.ts';
import { FIXTURE_REPO } from './site/sample-graph.ts';
import YAML from 'yaml';

const recipes = path.join(projectRoot, 'docs/recipes');
const cleanRepo = path.join(fixturesDir, 'reference-forms/repo');
const brokenRepo = path.join(fixturesDir, 'broken-references/repo');

function recipe(name: string): string {
  return readFileSync(path.join(recipes, name), 'utf8');
}

/** The fenced code blocks of a markdown text, with their info string. */
function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** The Waymark command inside a shell line: the words from `waymark` up to a redirect or `||`/`&&`. */
function waymarkArgs(line: string): string[] | undefined {
  const start = line.search(/\bwaymark\s/);
  if (start < 0 || !/\bnpx\b/.test(line.slice(0, start))) return undefined;
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\|\||&&|[>|])|(\S+)/g;
  for (const m of line.slice(start).matchAll(pattern)) {
    if (m[3]) break;
    words.push(m[1] ?? m[2] ?? m[4]);
  }
  return words.slice(1);
}

async function cli(args: string[], cwd: string, env: CliIo['env'] = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env, isTTY: false };
  return { code: await main(args, io), stdout, stderr };
}

/** Every `run:` / `script:` line of a parsed CI file, flattened. */
function shellLines(node: unknown): string[] {
  if (typeof node === 'string') return [];
  if (Array.isArray(node)) return node.flatMap(shellLines);
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'run' && typeof value === 'string') return value.split('\n');
    if (key === 'script' && Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    return shellLines(value);
  });
}

describe('recipes show what init writes', () => {
  test.each([
    ['github-actions.md', 'yaml', GITHUB_WORKFLOW],
    ['gitlab-ci.md', 'yaml', GITLAB_CI],
    ['pre-commit.md', 'sh', PRE_COMMIT_HOOK],
    ['pre-commit.md', 'yaml', PRE_COMMIT_CONFIG],
  ])('%s has the %s template byte for byte', (file, lang, template) => {
    expect(codeBlocks(recipe(file)).filter((b) => b.lang === lang).map((b) => b.code)).toContain(template);
  });

  test('the README links every recipe', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    for (const file of ['github-actions.md', 'gitlab-ci.md', 'pre-commit.md', 'runbook-links.md']) {
      expect(readme).toContain(`(docs/recipes/${file})`);
    }
  });
});

describe('GitHub Actions workflow', () => {
  const workflow = YAML.parse(GITHUB_WORKFLOW) as {
    on: Record<string, unknown>;
    jobs: Record<string, { needs?: string; if?: string; permissions?: Record<string, string>; steps: { uses?: string; run?: string; id?: string; if?: string; with?: Record<string, unknown>; 'continue-on-error'?: boolean }[] }>;
  };

  test('parses: check with SARIF upload, build, deploy to Pages from main', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['check', 'build', 'deploy']);
    const check = workflow.jobs.check;
    expect(check.permissions).toMatchObject({ 'security-events': 'write' });
    const sarifStep = check.steps.find((s) => s.run?.includes('--format sarif'));
    expect(sarifStep).toMatchObject({ id: 'check', 'continue-on-error': true });
    expect(check.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))).toMatchObject({ if: 'always()', with: { sarif_file: 'waymark.sarif' } });
    expect(workflow.jobs.build.steps.some((s) => s.uses?.startsWith('actions/upload-pages-artifact@'))).toBe(true);
    expect(workflow.jobs.deploy).toMatchObject({ needs: 'build', permissions: { pages: 'write', 'id-token': 'write' } });
    expect(workflow.jobs.deploy.steps[0].uses).toMatch(/^actions\/deploy-pages@/);
    // Renames need history.
    for (const job of ['check', 'build']) expect(workflow.jobs[job].steps[0]).toMatchObject({ with: { 'fetch-depth': 0 } });
  });

  test('its check step writes valid SARIF and fails on errors, so the upload runs and the job fails', async () => {
    const args = waymarkArgs(workflow.jobs.check.steps.find((s) => s.id === 'check')!.run!)!;
    expect(args).toEqual(['check', '--format', 'sarif']);
    const broken = await cli(args, brokenRepo);
    expect(broken.code).toBe(1);
    const log = JSON.parse(broken.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.name.toLowerCase()).toContain('waymark');
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    expect(log.runs[0].results.every((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => !path.isAbsolute(r.locations[0].physicalLocation.artifactLocation.uri))).toBe(true);
    expect((await cli(args, cleanRepo)).code).toBe(0);
    const failStep = waymarkArgs(workflow.jobs.check.steps.at(-1)!.run!)!;
    expect(await cli(failStep, brokenRepo)).toMatchObject({ code: 1, stdout: expect.stringContaining('error') });
  });

  test('its build command parses (a repository with errors stops it before Astro)', async () => {
    const run = workflow.jobs.build.steps.find((s) => s.run?.includes('waymark build'))!.run!;
    const line = run
      .replaceAll('${{ steps.pages.outputs.base_path }}', '/infra')
      .replaceAll('${{ steps.pages.outputs.base_url }}', 'https://acme.github.io/infra');
    const args = waymarkArgs(line)!;
    expect(args).toEqual(['build', '--out', 'site', '--base', '/infra/', '--previous-manifest', 'https://acme.github.io/infra/links.json']);
    const result = await cli(args, brokenRepo);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('build stopped on the errors above');
  });
});

describe('GitLab CI job', () => {
  const ci = YAML.parse(GITLAB_CI) as Record<string, { stage: string; script: string[]; artifacts?: { paths: string[] }; rules?: unknown[] }>;

  test('parses: a check job and a pages job publishing public/', () => {
    expect(ci['waymark-check'].stage).toBe('test');
    expect(ci.pages).toMatchObject({ stage: 'deploy', artifacts: { paths: ['public'] } });
    expect(ci.pages.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
  });

  test('every waymark command in it runs', async () => {
    const lines = shellLines(ci).filter((line) => waymarkArgs(line));
    expect(lines.length).toBe(3);
    const basePath = execFileSync(process.execPath, ['-p', 'new URL(process.env.CI_PAGES_URL).pathname'], {
      env: { CI_PAGES_URL: 'https://acme.gitlab.io/infra' },
      encoding: 'utf8',
    }).trim();
    expect(basePath).toBe('/infra');
    for (const line of lines) {
      const args = waymarkArgs(line.replaceAll('"$BASE_PATH"', basePath).replaceAll('$CI_PAGES_URL', 'https://acme.gitlab.io/infra'))!;
      const result = await cli(args, brokenRepo);
      // 1: problems found (the build stops on them before Astro); 2 would be a usage error.
      expect(result.code, line).toBe(1);
    }
  });
});

describe('keeping the cache between CI runs', () => {
  const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'waymark-ci-cache-')));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let copies = 0;
  /** A copy of the broken fixture: CI writes its cache where the recipe says, never into the fixtures. */
  function checkout(): string {
    const repo = path.join(scratch, `checkout-${++copies}`);
    cpSync(brokenRepo, repo, { recursive: true });
    return repo;
  }
  /** The recipe's YAML snippets, parsed. */
  function snippets(file: string): unknown[] {
    return codeBlocks(recipe(file)).filter((b) => b.lang === 'yaml').map((b) => YAML.parse(b.code));
  }

  test('GitHub: actions/cache restores the folder Waymark writes on a runner, sealed by the secret and carrying no key', async () => {
    type Job = { env?: Record<string, string>; steps: { uses?: string; with?: Record<string, string> }[] };
    const job = (snippets('github-actions.md') as { jobs?: { check?: Job } }[]).map((s) => s?.jobs?.check).find((j) => j?.steps.some((s) => s.uses?.startsWith('actions/cache@')))!;
    expect(job.env).toEqual({ WAYMARK_CACHE_KEY: '${{ secrets.WAYMARK_CACHE_KEY }}' });
    const step = job.steps.find((s) => s.uses?.startsWith('actions/cache@'))!;
    expect(step.with).toMatchObject({ path: '~/.cache/waymark', key: expect.stringContaining('${{ github.sha }}') });
    // Where Waymark writes on a Linux runner (HOME, no XDG_CACHE_HOME).
    expect(userCacheRoot({}, 'linux', '/home/runner')).toBe(step.with!.path.replace('~', '/home/runner'));

    const repo = checkout();
    const home = path.join(scratch, 'runner-home');
    const env = { XDG_CACHE_HOME: path.join(home, '.cache'), WAYMARK_CACHE_KEY: 'from the secret' };
    const first = await cli(['check'], repo, env);
    expect(first.code).toBe(1);
    const cached = path.join(home, '.cache/waymark');
    expect(readdirSync(cached)).toEqual([repositoryCacheId(realpathSync(repo))]);
    expect(await cli(['check'], repo, env)).toEqual(first);

    // A fork's pull request: the secret is empty, and nothing is read or written.
    const fork = checkout();
    const forkHome = path.join(scratch, 'fork-home');
    expect(await cli(['check'], fork, { XDG_CACHE_HOME: path.join(forkHome, '.cache'), WAYMARK_CACHE_KEY: '' })).toMatchObject({ code: 1, stdout: first.stdout });
    expect(existsSync(forkHome)).toBe(false);
  });

  test('GitLab: the cache path is the WAYMARK_CACHE_DIR Waymark writes, used only with the key', async () => {
    type Job = { variables?: Record<string, unknown>; cache?: { key: unknown; paths: string[] }[] };
    const job = (snippets('gitlab-ci.md') as Record<string, Job>[]).map((s) => s?.['waymark-check']).find((j) => j?.variables?.WAYMARK_CACHE_DIR)!;
    const folder = job.variables!.WAYMARK_CACHE_DIR as string;
    expect(job.cache!.flatMap((c) => c.paths)).toContain(`${folder}/`);

    const repo = checkout();
    const withoutKey = await cli(['check'], repo, { WAYMARK_CACHE_DIR: folder });
    expect(existsSync(path.join(repo, folder))).toBe(false);
    const env = { WAYMARK_CACHE_DIR: folder, WAYMARK_CACHE_KEY: 'masked variable' };
    const first = await cli(['check'], repo, env);
    expect(first).toEqual(withoutKey);
    expect(readdirSync(path.join(repo, folder))).toEqual([repositoryCacheId(realpathSync(repo))]);
    expect(readdirSync(path.join(repo, folder, repositoryCacheId(realpathSync(repo)))).length).toBeGreaterThan(0);
    expect(await cli(['check'], repo, env)).toEqual(first);
  });
});

describe('pre-commit', () => {
  test('the framework hook parses and runs the same command as the git hook', () => {
    const config = YAML.parse(PRE_COMMIT_CONFIG) as { repos: { repo: string; hooks: { entry: string; language: string; pass_filenames: boolean }[] }[] };
    const hook = config.repos[0].hooks[0];
    expect(config.repos[0].repo).toBe('local');
    expect(hook).toMatchObject({ language: 'system', pass_filenames: false });
    expect(waymarkArgs(hook.entry)).toEqual(waymarkArgs(PRE_COMMIT_HOOK.split('\n').find((l) => l.includes('waymark'))!));
  });

  test('the hook command fails on a broken reference and passes on a clean repository', async () => {
    const args = waymarkArgs(PRE_COMMIT_HOOK.split('\n').find((l) => l.startsWith('exec'))!)!;
    expect(args).toEqual(['check', '--quiet']);
    expect((await cli(args, brokenRepo)).code).toBe(1);
    expect((await cli(args, cleanRepo)).code).toBe(0);
  });
});

describe('runbook links', () => {
  test('every console session of the recipe prints what it shows', async () => {
    const sessions = codeBlocks(recipe('runbook-links.md')).filter((b) => b.lang === 'console');
    expect(sessions.length).toBeGreaterThan(0);
    let commands = 0;
    for (const { code } of sessions) {
      const steps = code.split(/^\$ /m).filter(Boolean);
      for (const step of steps) {
        const [command, ...output] = step.replace(/\n$/, '').split('\n');
        const result = await cli([...waymarkArgs(command)!, '--repo', FIXTURE_REPO], projectRoot);
        expect(result.code === 0 ? result.stdout : result.stderr, command).toBe(output.map((l) => `${l}\n`).join(''));
        commands++;
      }
    }
    expect(commands).toBeGreaterThanOrEqual(5);
  });
});

describe('init guesses the Pages site from the git remote', () => {
  test.each([
    ['git@github.com:acme/infra.git', 'https://acme.github.io/infra/', 'https://github.com/acme/infra/blob/HEAD/{path}#L{line}-L{endLine}'],
    ['https://github.com/Acme/acme.github.io', 'https://acme.github.io/', 'https://github.com/Acme/acme.github.io/blob/HEAD/{path}#L{line}-L{endLine}'],
    ['https://gitlab.com/acme/platform/infra.git', 'https://acme.gitlab.io/platform/infra/', 'https://gitlab.com/acme/platform/infra/-/blob/HEAD/{path}#L{line}-{endLine}'],
  ])('%s', (remote, siteUrl, repoUrl) => {
    expect(guessHosting(remote)).toMatchObject({ siteUrl, repoUrl });
  });

  test('anything else guesses nothing', () => {
    expect(guessHosting('git@git.internal:acme/infra.git')).toEqual({});
    expect(guessHosting(undefined)).toEqual({});
    expect(guessHosting('https://github.com/acme/"><script>')).toEqual({});
  });
});

describe('waymark init', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-init-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('writes the config and the GitHub workflow of the recipe; the config loads', async () => {
    const repo = path.join(scratch, 'github');
    execFileSync('git', ['init', '-q', repo]);
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:acme/infra.git'], { cwd: repo });
    // An npm project: the workflow installs Waymark with `npm ci` (without package.json, see adopt-templates.test.ts).
    writeFileSync(path.join(repo, 'package.json'), '{ "private": true }\n');
    const result = await cli(['init', '--repo', repo], scratch);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('wrote waymark.config.json\nwrote .github/workflows/waymark.yml\n') });
    expect(readFileSync(path.join(repo, '.github/workflows/waymark.yml'), 'utf8')).toBe(GITHUB_WORKFLOW);
    const config = await loadUserConfig(repo);
    expect(config).toMatchObject({ name: 'github', site: { url: 'https://acme.github.io/infra/', repoUrl: expect.stringContaining('github.com/acme/infra/blob/') }, redirects: {} });
  });

  test('GitLab when the repository has a .gitlab-ci.yml; existing files are kept unless --force', async () => {
    const repo = path.join(scratch, 'gitlab');
    execFileSync('git', ['init', '-q', repo]);
    writeFileSync(path.join(repo, '.gitlab-ci.yml'), 'stages: [test]\n');
    writeFileSync(path.join(repo, 'package.json'), '{ "private": true }\n');
    writeFileSync(path.join(repo, 'waymark.config.json'), '{ "name": "mine" }\n');
    const first = await cli(['init', '--repo', repo], scratch);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('waymark: kept the existing waymark.config.json (--force overwrites it)\n');
    expect(readFileSync(path.join(repo, 'waymark.gitlab-ci.yml'), 'utf8')).toBe(GITLAB_CI);
    expect(readFileSync(path.join(repo, 'waymark.config.json'), 'utf8')).toBe('{ "name": "mine" }\n');
    expect((await cli(['init', '--repo', repo, '--force', '--ci', 'none'], scratch)).stdout).toMatch(/^wrote waymark.config.json\n\nNext:/);
    expect((await loadUserConfig(repo)).name).toBe('gitlab');
    expect((await cli(['init', '--repo', repo, '--ci', 'jenkins'], scratch)).code).toBe(2);
  });
});
