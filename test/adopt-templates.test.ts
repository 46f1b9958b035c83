/**
 * Waymark in any repository: the composite action (`action.yml`), the
 * pre-commit framework hook (`.pre-commit-hooks.yaml`), and what `init`
 * writes where there is no `package.json` (GitHub workflow, GitLab job). Each
 * file's shell lines are run here, in a small git repository, the way the
 * runner would run them (`bash -eo pipefail`, values through `env:`). `npx`
 * is a stand-in that checks it was asked for the package spec and runs this
 * checkout's bin: the real npx on the packed tarball is in `e2e-any-repo.test.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitlabCiAnyRepo, githubWorkflowAnyRepo, packageSpec } from '../src/cli/any-repo-templates.ts';
import { main, type CliIo } from '../src/cli/main.ts';
import { binPath, projectRoot } from './helpers.ts';
import YAML from 'yaml';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-adopt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SPEC = 'waymark@9.9.9-test';
const version = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version as string;

/** `npx --yes --package <spec> waymark args…` → this checkout's bin, after checking the spec; anything else fails. */
const shimFolder = path.join(scratch, 'bin');
mkdirSync(shimFolder);
writeFileSync(
  path.join(shimFolder, 'npx'),
  `#!/bin/sh
[ "$1 $2 $4" = "--yes --package waymark" ] || { echo "npx: expected --yes --package SPEC waymark, got $*" >&2; exit 97; }
[ "$3" = "$EXPECTED_SPEC" ] || { echo "npx: expected $EXPECTED_SPEC, got $3" >&2; exit 98; }
shift 4
exec "${process.execPath}" "${binPath}" "$@"
`,
);
chmodSync(path.join(shimFolder, 'npx'), 0o755);

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd: root,
    encoding: 'utf8',
    // One commit time: a document committed a second after its code would be a stale marker, depending on the clock.
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: '2026-11-20T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-20T10:00:00Z' },
  });

/** A Terraform-and-shell repository on `main`, one broken reference already there; `feature` adds a second. */
function repository(name: string): string {
  const root = path.join(scratch, name);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('infra/main.tf', '# Deployment Process: Deploy\n# Reference: docs/processes/deploy.md\nresource "null_resource" "lb" {}\n');
  write('docs/processes/deploy.md', '# Deployment Process: Deploy\n\n**Status**: Validated\n**Last Validated**: 2026-11-20\n\n**Code Reference**: `infra/main.tf:1-3`, `scripts/old.sh`\n');
  git(path.dirname(root), 'init', '-q', root);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  git(root, 'checkout', '-qb', 'feature');
  write('docs/processes/deploy.md', `${readFileSync(path.join(root, 'docs/processes/deploy.md'), 'utf8')}**Rollback Script**: \`scripts/rollback.sh:1-20\`\n`);
  git(root, 'commit', '-qam', 'a new broken reference');
  return root;
}

/** Run one `run:` script as the runner does, with the step's `env:` and ours; the exit code and output. */
function runStep(script: string, cwd: string, env: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { PATH: `${shimFolder}:${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: scratch, EXPECTED_SPEC: SPEC, WAYMARK_TODAY: '2026-11-26', ...env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** `${{ inputs.x }}`, `${{ steps.y.outputs.z }}`, `${{ github.event_name }}` filled from `values`. */
function expand(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for \${{ ${name} }}`);
    return values[name];
  });
}

/** `KEY=value` lines of a `$GITHUB_OUTPUT` file. */
function outputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

interface ActionStep {
  id?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}

/** Run the composite action's `run:` steps in order, as the runner would; `uses:` steps are listed, not run. */
function runAction(root: string, inputs: Record<string, string>, event: string) {
  const action = YAML.parse(readFileSync(path.join(projectRoot, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    runs: { using: string; steps: ActionStep[] };
  };
  expect(action.runs.using).toBe('composite');
  const values: Record<string, string> = { 'github.event_name': event };
  for (const [name, input] of Object.entries(action.inputs)) values[`inputs.${name}`] = inputs[name] ?? input.default ?? '';
  const summary = path.join(scratch, `${path.basename(root)}-${event}-summary.md`);
  const used: string[] = [];
  let code = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    if (!step.run) {
      used.push(step.uses!);
      continue;
    }
    const output = path.join(scratch, `${path.basename(root)}-${event}-${index}.out`);
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, expand(value, values)]));
    const result = runStep(step.run, root, { ...env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_ACTION_PATH: projectRoot });
    code = result.code;
    if (step.id) for (const [key, value] of Object.entries(outputs(output))) values[`steps.${step.id}.outputs.${key}`] = value;
    if (result.code !== 0) break;
  }
  return { code, values, used, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

describe('action.yml, the composite action', () => {
  it('on a pull request: checks the change, writes SARIF and the job summary, fails on the new error only', () => {
    const root = repository('action-pr');
    const run = runAction(root, { package: SPEC }, 'pull_request');
    expect(run.used).toEqual(['actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    expect(run.values['steps.run.outputs.exit-code']).toBe('1');
    expect(run.code).toBe(1);
    const sarif = JSON.parse(readFileSync(path.join(root, 'waymark.sarif'), 'utf8'));
    // Code scanning compares with the base itself: the SARIF has every problem, the summary only the new one.
    expect(sarif.runs[0].results.map((result: { message: { text: string } }) => result.message.text)).toEqual(['`scripts/old.sh` does not exist', '`scripts/rollback.sh` does not exist']);
    expect(run.summary).toContain('❌ 1 new error, 0 new warnings, 0 new info compared with `main`');
    expect(run.summary).toContain('1 problem was there before this change');
  });

  it('elsewhere: checks the whole repository, honouring the baseline unless `baseline: false`', () => {
    const root = repository('action-push');
    execFileSync(process.execPath, [binPath, 'check', '--no-cache', '--suppress-all'], { cwd: root, stdio: 'ignore', env: { ...process.env, WAYMARK_TODAY: '2026-11-26' } });
    expect(runAction(root, { package: SPEC, summary: 'false' }, 'push')).toMatchObject({ code: 0, values: { 'steps.run.outputs.exit-code': '0' } });
    const strict = runAction(root, { package: SPEC, baseline: 'false', format: 'text', report: 'waymark.txt' }, 'push');
    expect(strict.code).toBe(1);
    expect(readFileSync(path.join(root, 'waymark.txt'), 'utf8')).toContain('2 problems (2 errors');
  });

  it('runs waymark@<its own version> unless told otherwise', () => {
    const root = repository('action-version');
    const step = (YAML.parse(readFileSync(path.join(projectRoot, 'action.yml'), 'utf8')) as { runs: { steps: ActionStep[] } }).runs.steps.find((s) => s.id === 'package')!;
    const output = path.join(scratch, 'version.out');
    expect(runStep(step.run!, root, { INPUT_PACKAGE: '', GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: projectRoot }).code).toBe(0);
    expect(outputs(output).spec).toBe(`waymark@${version}`);
    expect(packageSpec()).toBe(`waymark@${version}`);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('runs `waymark check --quiet` on the whole repository: the commit with a new broken reference is refused', () => {
    const [hook] = YAML.parse(readFileSync(path.join(projectRoot, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; pass_filenames: boolean }[];
    expect(hook).toMatchObject({ id: 'waymark', language: 'node', pass_filenames: false });
    const root = repository('pre-commit');
    // `language: node` puts the package's bin on PATH: `waymark` is the bin of package.json.
    expect(JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).bin).toHaveProperty(hook.entry.split(' ')[0]);
    const args = hook.entry.split(' ').slice(1);
    const run = spawnSync(process.execPath, [binPath, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, WAYMARK_TODAY: '2026-11-26' } });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('`scripts/rollback.sh` does not exist');
  });
});

async function cli(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: {}, isTTY: false };
  return { code: await main(argv, io), stdout, stderr };
}

describe('init in a repository without package.json', () => {
  it('writes a GitHub workflow that runs npx with the one package spec, and its check job works', async () => {
    const root = repository('init-github');
    git(root, 'update-ref', 'refs/remotes/origin/main', 'main');
    const init = await cli(['init', '--ci', 'github', '--package', SPEC], root);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`npx --yes --package ${SPEC} waymark check --suppress-all`);
    const text = readFileSync(path.join(root, '.github/workflows/waymark.yml'), 'utf8');
    expect(text).toBe(githubWorkflowAnyRepo(SPEC));
    expect(text).not.toMatch(/npm (ci|install)/);
    const workflow = YAML.parse(text) as { env: Record<string, string>; jobs: Record<string, { steps: ActionStep[] }> };
    expect(workflow.env.WAYMARK_PACKAGE).toBe(SPEC);
    const steps = workflow.jobs.check.steps.filter((step) => step.run);
    const summary = path.join(scratch, 'init-github-summary.md');
    const env = { ...workflow.env, GITHUB_STEP_SUMMARY: summary, GITHUB_BASE_REF: 'main' };
    // The check step (continue-on-error), then the pull request's summary.
    expect(runStep(steps[0].run!, root, env).code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(root, 'waymark.sarif'), 'utf8')).runs[0].results).toHaveLength(2);
    expect(steps).toHaveLength(3);
    expect(runStep(steps[1].run!, root, env).code).toBe(1);
    expect(readFileSync(summary, 'utf8')).toContain('compared with `origin/main`');
    expect(await cli(['init', '--package', '--evil'], root)).toMatchObject({ code: 2 });
  });

  it('writes a GitLab job whose script runs as written, in pull-request mode on a merge request', async () => {
    const root = repository('init-gitlab');
    // GitLab clones name the base branch origin/<it>.
    git(root, 'update-ref', 'refs/remotes/origin/main', 'main');
    expect((await cli(['init', '--ci', 'gitlab', '--package', SPEC], root)).code).toBe(0);
    const text = readFileSync(path.join(root, 'waymark.gitlab-ci.yml'), 'utf8');
    expect(text).toBe(gitlabCiAnyRepo(SPEC));
    const ci = YAML.parse(text) as { variables: Record<string, string>; 'waymark-check': { script: string[] } };
    const script = ci['waymark-check'].script.join('\n');
    const mergeRequest = runStep(script, root, { ...ci.variables, CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main' });
    expect(mergeRequest.code).toBe(1);
    expect(mergeRequest.stdout).toContain('`scripts/rollback.sh` does not exist');
    expect(mergeRequest.stdout).not.toContain('scripts/old.sh');
    const branch = runStep(script, root, ci.variables);
    expect(branch.stdout).toContain('scripts/old.sh');
  });

  it('keeps the npm workflow for an npm project', async () => {
    const root = repository('init-npm');
    writeFileSync(path.join(root, 'package.json'), '{ "private": true }\n');
    await cli(['init', '--ci', 'github'], root);
    expect(readFileSync(path.join(root, '.github/workflows/waymark.yml'), 'utf8')).toContain('npm ci');
  });
});

describe('the scheduled revalidation workflow', () => {
  interface Workflow {
    on: { schedule: { cron: string }[] };
    permissions: Record<string, string>;
    jobs: { owners: { steps: { name?: string; run?: string; uses?: string; with?: { script?: string } }[] } };
  }
  /** The file as the team would turn it on: every line uncommented. */
  const uncomment = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('# Waymark:') && !/^# (?:revalidate|it needs)/.test(line))
      .map((line) => line.replace(/^# ?/, ''))
      .join('\n');

  /** Runs the github-script step as actions/github-script would, with a `github` that records what it is asked. */
  async function runScript(script: string, root: string, open: { number: number; title: string }[]) {
    const calls: { call: string; title?: string; issue_number?: number; body: string }[] = [];
    const github = {
      paginate: async () => open,
      rest: {
        issues: {
          listForRepo: () => undefined,
          create: async (args: { title: string; body: string }) => void calls.push({ call: 'create', title: args.title, body: args.body }),
          update: async (args: { issue_number: number; body: string }) => void calls.push({ call: 'update', issue_number: args.issue_number, body: args.body }),
        },
      },
    };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    const step = new AsyncFunction('require', 'github', 'context', 'process', script);
    await step(createRequire(import.meta.url), github, { repo: { owner: 'acme', repo: 'infra' } }, { cwd: () => root });
    return calls;
  }

  it('is written by init --ci github, commented out, and once turned on opens one issue per owner and updates it the next week', async () => {
    const root = repository('init-revalidation');
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('docs/processes/backup.md', '# Deployment Process: Backup\n\n- **Owner**: Data team\n- **Status**: draft\n\nNightly dumps.\n');
    write('docs/processes/restore.md', '# Deployment Process: Restore\n\n**Owner**: Data team\n**Status**: draft\n\nFrom the dumps.\n');
    write('docs/processes/cdn.md', '# Deployment Process: CDN Purge\n\n**Status**: draft\n\nPurge after a release.\n');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'three processes never validated');
    expect((await cli(['init', '--ci', 'github', '--package', SPEC], root)).code).toBe(0);
    const text = readFileSync(path.join(root, '.github/workflows/waymark-revalidation.yml'), 'utf8');
    // Inert as written: it opens issues, so turning it on is the team's call.
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([]);

    const workflow = YAML.parse(uncomment(text)) as Workflow;
    expect(workflow.on.schedule[0].cron).toBe('0 6 * * 1');
    expect(workflow.permissions).toEqual({ contents: 'read', issues: 'write' });
    const steps = workflow.jobs.owners.steps;
    const check = steps.find((step) => step.name === 'Check')!;
    expect(runStep(check.run!, root, {}).code).toBe(0);
    const script = steps.find((step) => step.uses === 'actions/github-script@v7')!.with!.script!;

    const first = await runScript(script, root, []);
    expect(first.map(({ call, title }) => `${call} ${title}`)).toEqual([
      'create Waymark: processes to revalidate (Data team)',
      'create Waymark: processes to revalidate (no owner)',
    ]);
    expect(first[0].body).toContain('docs/processes/backup.md');
    expect(first[0].body).toContain('docs/processes/restore.md');
    expect(first[0].body).not.toContain('cdn.md');
    expect(first[1].body).toContain('docs/processes/cdn.md');

    const next = await runScript(script, root, [{ number: 7, title: 'Waymark: processes to revalidate (Data team)' }]);
    expect(next.map(({ call, issue_number, title }) => `${call} ${issue_number ?? title}`)).toEqual(['update 7', 'create Waymark: processes to revalidate (no owner)']);
  });
});
