/**
 * The command line: `main(argv, io)` in-process with captured output, and the
 * real executable for the cases where the process boundary matters (exit code,
 * default repository, argv handling).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { ReferenceStatus } from '../src/core/schema.ts';
import { scanRepository } from '../src/node/scan.ts';
import { binPath, diagnosticLines, fixturesDir, projectRoot } from './helpers.ts';

const execFileAsync = promisify(execFile);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const cleanRepo = path.join(fixturesDir, 'reference-forms/repo');
const brokenRepo = path.join(fixturesDir, 'broken-references/repo');
const warningsRepo = path.join(fixturesDir, 'orphan-and-unvalidated/repo');
const exampleRepo = path.join(projectRoot, 'content/example-infra');
const version = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;

/** The three warnings the embedded example shows with or without its history. */
const exampleWarnings = [
  'docs/processes/feature-flag-rollout.md:6:1 unvalidated-process the process `Feature Flag Rollout` has never been validated',
  'docs/processes/health-checks.md:6:1 process-needs-revalidation `TASK-001` was completed on 2026-11-12, after this process was last validated (2026-11-05), and modified `deploy/charts/web/templates/deployment.yaml`, `infra/lb.tf`, which the process cites',
  'docs/processes/regional-failover.md:1:1 orphan-process no code implements the process `Regional Failover`',
];

/** What its history (content/example-history/) adds: stale and moved ranges, a deleted and a renamed file cited; commit ids masked. */
const exampleHistoryProblems = [
  'docs/processes/database-backup-restore.md:20:44 stale-reference `infra/backup.tf:1-67` changed after this document was last validated (2026-10-22): <commit> 2026-11-09 "backup: keep DR copies as long as the primary recovery points"',
  'docs/processes/database-backup-restore.md:46:18 stale-reference `infra/backup.tf:35-60` changed after this document was last validated (2026-10-22): <commit> 2026-11-09 "backup: keep DR copies as long as the primary recovery points"',
  'docs/processes/database-backup-restore.md:62:22 moved-lines lines 10-20 of `scripts/backup.sh` moved to 15-25 since the reference was written in <commit> (2026-09-01)',
  'docs/processes/health-checks.md:34:39 stale-reference `charts/web/templates/deployment.yaml:42-58` changed after this document was last validated (2026-11-05): <commit> 2026-11-12 "TASK-001: faster health checks on the ALB and the readiness probe"',
  'docs/processes/health-checks.md:36:72 stale-reference `infra/lb.tf:41-47` changed after this document was last validated (2026-11-05): <commit> 2026-11-12 "TASK-001: faster health checks on the ALB and the readiness probe"',
  'docs/processes/rolling-update.md:28:94 missing-file `k8s/production-deployment.yaml` does not exist: it was deleted in <commit> on 2026-09-15',
  'docs/runbooks/on-call.md:17:5 missing-file `infra/output.tf` does not exist: it was renamed to `infra/outputs.tf` in <commit> on 2026-11-10',
];

/** Every problem of the example in Waymark's checkout, sorted as `diagnosticLines` sorts. */
const exampleProblems = [...exampleWarnings, ...exampleHistoryProblems].sort();

/** Commit ids change with any edit to the example: masked. */
const masked = (lines: string[]) => lines.map((line) => line.replace(/\b[0-9a-f]{7}\b/g, '<commit>'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `main` with captured output; `cwd` defaults to a folder outside the checkout, env to empty. */
async function cli(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: options.cwd ?? scratch,
    env: options.env ?? {},
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Run the executable; the environment never carries a WAYMARK_REPO from the caller. */
async function bin(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const { WAYMARK_REPO: _ignored, ...env } = process.env;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [binPath, ...argv], {
      cwd: options.cwd ?? scratch,
      env: { ...env, NO_COLOR: '1', ...options.env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A repository in the scratch folder, from a map of file → text. */
function makeRepo(name: string, files: Record<string, string>): string {
  const root = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** One process document nobody implements: exactly one `orphan-process` warning. */
const orphanRepoFiles = {
  'docs/processes/queue-drain.md': '# Deployment Process: Queue Drain\n\n**Status**: validated\n**Last Validated**: 2026-01-10\n',
};

const jsonLines = (stdout: string) => diagnosticLines(JSON.parse(stdout).problems);

describe('waymark --help, --version', () => {
  it('prints the version from package.json', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag]);
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('prints usage listing every command', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const run = await cli(argv);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: waymark <command>/);
      for (const command of ['check', 'graph', 'build']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(run.stdout).toContain('--trust-config');
    }
  });

  it('prints usage and exits 2 with no command at all', async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain('Usage: waymark <command>');
  });

  it('prints per-command usage with --help or -h, without running the command', async () => {
    const check = await cli(['check', '--help'], { cwd: brokenRepo });
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^Usage: waymark check /);
    for (const option of ['--format', '--max-warnings', '--quiet']) expect(check.stdout).toContain(option);
    const graph = await cli(['graph', '-h']);
    expect(graph.code).toBe(0);
    expect(graph.stdout).toMatch(/^Usage: waymark graph /);
    const build = await cli(['build', '--help']);
    expect(build.code).toBe(0);
    expect(build.stdout).toMatch(/^Usage: waymark build /);
    expect(build.stdout).toContain('--no-strict');
  });
});

describe('bad usage exits 2 with a message on stderr', () => {
  it.each([
    [['frobnicate'], 'unknown command `frobnicate`'],
    [['toString'], 'unknown command `toString`'],
    [['check', '--frob'], '--frob'],
    [['check', '--format', 'xml'], 'unknown format `xml`'],
    [['check', '--format', 'toString'], 'unknown format `toString`'],
    [['check', '--format'], '--format'],
    [['check', '--max-warnings', 'many'], '--max-warnings'],
    [['check', '--max-warnings', '-1'], '--max-warnings'],
    [['check', '--max-warnings', '1.5'], '--max-warnings'],
    [['check', '--max-warnings', ''], '--max-warnings'],
    [['check', '--max-warnings', '0x10'], '--max-warnings'],
    [['check', 'extra-positional'], 'extra-positional'],
    [['graph', '--quiet'], '--quiet'],
    // A base is the origin of every page's scripts: only plain path segments.
    [['build', '--base', '\\evil.example'], '`--base` must be a path of letters, digits'],
    [['dev', '--base', '/docs/\t/evil.example/'], '`--base` must be a path of letters, digits'],
    [['link', 'x', '--base', '/a/../b/'], '`--base` must be a path of letters, digits'],
    [['link', 'x', '--base-url', 'https://acme.example/a%0Ab/'], '`--base-url` must be a path of letters, digits'],
  ])('%j', async (argv, message) => {
    const run = await cli(argv, { cwd: cleanRepo });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('waymark --help');
  });

  it('when the repository is not a directory', async () => {
    const file = path.join(scratch, 'not-a-folder.txt');
    writeFileSync(file, 'hello\n');
    for (const repo of [file, path.join(scratch, 'does-not-exist')]) {
      const run = await cli(['check', '--repo', repo]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`waymark: \`${repo}\` is not a directory\n`);
    }
  });
});

describe('configuration errors exit 2 and name the file and the field', () => {
  it('a field of the wrong type', async () => {
    const repo = makeRepo('config-bad-field', {
      'waymark.config.json': JSON.stringify({ tags: { process: [42] } }),
    });
    const run = await cli(['check', '--repo', repo]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^waymark: invalid config\n {2}`waymark\.config\.json`: `tags\.process\.0`: .+\n$/);
  });

  it('an unknown rule severity, an unknown key', async () => {
    const repo = makeRepo('config-bad-rule', {
      'waymark.config.json': JSON.stringify({ rules: { 'orphan-process': 'loud' }, colour: 'blue' }),
    });
    const run = await cli(['check', '--repo', repo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('`waymark.config.json`: `rules.orphan-process`: ');
    expect(run.stderr).toContain('colour');
  });

  it('a site base, URL or redirect that could leave the site or split a line', async () => {
    const repo = makeRepo('config-bad-site', {
      'waymark.config.json': JSON.stringify({
        site: { base: '\\evil.example', url: 'https://docs.example/\n', repoUrl: 'https://git.example/{path}\t', commitUrl: 'ftp://git.example/{hash}' },
        redirects: { 'old/\n/*': 'https://evil.example/:splat 200!' },
        tags: { environment: ['Env\u001b[31m'] },
      }),
    });
    const run = await cli(['check', '--repo', repo]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    for (const field of ['site.base', 'site.url', 'site.repoUrl', 'site.commitUrl', 'tags.environment.0']) {
      expect(run.stderr).toContain(`\`waymark.config.json\`: \`${field}\`: `);
    }
    // The key is named (how its line break is printed is the reporters' business).
    expect(run.stderr).toMatch(/`waymark\.config\.json`: `redirects\.old\/[^`]*`: must not hold control characters/);
  });

  it('invalid JSON', async () => {
    const repo = makeRepo('config-bad-json', { 'waymark.config.json': '{ "name": "ops" "strict": true }' });
    const run = await cli(['graph', '--repo', repo]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/`waymark\.config\.json`: not valid JSON/);
  });

  it('a BOM in front of otherwise valid JSON is tolerated, as editors on Windows write it', async () => {
    const repo = makeRepo('config-bom', {
      ...orphanRepoFiles,
      'waymark.config.json': `\uFEFF${JSON.stringify({ rules: { 'orphan-process': 'off' } })}`,
    });
    const run = await cli(['check', '--repo', repo, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).problems).toEqual([]);
  });

  it('a waymark.config.json that links out of the repository is not read', async () => {
    const outside = makeRepo('config-outside-target', { 'secret.txt': 'TOP-SECRET-VALUE\n' });
    const repo = makeRepo('config-link-out', orphanRepoFiles);
    symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'waymark.config.json'));
    const run = await cli(['check', '--repo', repo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('`waymark.config.json`');
    expect(run.stderr).toContain('outside the repository');
    expect(run.stdout + run.stderr).not.toContain('TOP-SECRET');
  });

  it('waymark.config.mjs runs only with --trust-config', async () => {
    const repo = makeRepo('config-mjs', {
      ...orphanRepoFiles,
      'waymark.config.mjs': [
        "import { writeFileSync } from 'node:fs';",
        "writeFileSync(new URL('./config-ran.txt', import.meta.url), 'ran');",
        "export default { rules: { 'orphan-process': 'off' } };",
        '',
      ].join('\n'),
    });
    const refused = await cli(['check', '--repo', repo]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('`waymark.config.mjs`');
    expect(refused.stderr).toContain('--trust-config');
    expect(existsSync(path.join(repo, 'config-ran.txt'))).toBe(false);

    const trusted = await cli(['check', '--repo', repo, '--trust-config', '--format', 'json']);
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout).problems).toEqual([]);
    expect(existsSync(path.join(repo, 'config-ran.txt'))).toBe(true);
  });

  it('an invalid waymark.config.mjs is reported like the JSON one', async () => {
    const repo = makeRepo('config-mjs-invalid', { 'waymark.config.mjs': 'export default { include: "docs/**" };\n' });
    const run = await cli(['check', '--repo', repo, '--trust-config']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('`waymark.config.mjs`: `include`: ');
  });
});

describe('waymark check', () => {
  it('exits 0 on a clean repository and says so', async () => {
    const run = await cli(['check', '--repo', cleanRepo]);
    expect(run).toEqual({ code: 0, stdout: 'No problems found.\n', stderr: '' });
  });

  it('exits 1 on errors and prints one line per problem, paths relative to the working folder', async () => {
    const run = await cli(['check', '--repo', 'repo'], { cwd: path.dirname(brokenRepo) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('14 problems (12 errors, 2 warnings, 0 info)');
    expect(lines).toContain(
      'repo/infra/main.tf:3:14  error  `docs/process/web-release.md` does not exist; did you mean `docs/processes/web-release.md`?  missing-file',
    );
    expect(lines.filter((line) => line.startsWith('repo/'))).toHaveLength(14);
  });

  it('prints paths relative to the repository when run inside it', async () => {
    const run = await cli(['check', '--format', 'json'], { cwd: brokenRepo });
    expect(run.code).toBe(1);
    const expected = readFileSync(path.join(fixturesDir, 'broken-references/expected.txt'), 'utf8').trim().split('\n').sort();
    expect(jsonLines(run.stdout)).toEqual(expected);
  });

  it('--explain says under each problem why it got its severity, and what the rule weighed', async () => {
    const repo = makeRepo('explain', {
      'docs/plans/refund-plan.md': '# Refund Plan\n\nThe handler will live in `api/handlers/refund.ts`.\n',
      'docs/guides/refunds.md': '# Refunds\n\nRefunds run through `api/handlers/refund.ts`.\n',
    });
    const run = await cli(['check', '--explain', '--repo', repo]);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'explain/docs/guides/refunds.md:3:22  error  `api/handlers/refund.ts` does not exist  missing-file',
      '    because error: mention: a backticked path in prose that describes the present names a file that does not exist',
      '    because written as a backticked path in prose: a mention',
      'explain/docs/plans/refund-plan.md:3:27  info  `api/handlers/refund.ts` does not exist  missing-file',
      '    because info: planned: the reference stands in a plan (also a design spec named for its day, `specs/2026-05-15-…`), a future section or a list captioned as one (`**Files to Create:**`), an unchecked item, a tracker row whose status says the work has not begun (`⏸️ Blocked`, `Not Started`), a heading over a checklist with nothing ticked, or a line saying it is planned: a file still to be written',
      '    because written as a backticked path in prose: a mention',
      '    because the document is a plan (`plan` in its name or title): it describes the future',
      '',
      '2 problems (1 error, 0 warnings, 1 info)',
    ]);
    const plain = await cli(['check', '--repo', repo]);
    expect(plain.stdout).not.toContain('because');
  });

  it('--max-warnings turns too many warnings into exit 1', async () => {
    const counts: Record<string, number> = {};
    for (const max of ['0', '4', '5', '6']) counts[max] = (await cli(['check', '--repo', warningsRepo, '--max-warnings', max])).code;
    expect(counts).toEqual({ 0: 1, 4: 1, 5: 0, 6: 0 });
    expect((await cli(['check', '--repo', warningsRepo])).code).toBe(0);
  });

  it('--quiet hides warnings and info but keeps errors', async () => {
    const quiet = await cli(['check', '--repo', warningsRepo, '--quiet']);
    expect(quiet).toEqual({ code: 0, stdout: 'No problems found.\n', stderr: '' });
    const unreadable = makeRepo('quiet-info', { ...orphanRepoFiles, 'bin/tool.sh': 'a\0b' });
    expect(JSON.parse((await cli(['check', '--repo', unreadable, '--quiet', '--format', 'json'])).stdout).problems).toEqual([]);
    const broken = await cli(['check', '--repo', brokenRepo, '--quiet', '--format', 'json']);
    expect(broken.code).toBe(1);
    // 14 problems, two of them warnings: `ambiguous-reference`, and a glob no commit ever matched (`missing-file/unseen`).
    expect(JSON.parse(broken.stdout).problems).toHaveLength(12);
  });

  it('--quiet still counts hidden warnings for --max-warnings', async () => {
    expect((await cli(['check', '--repo', warningsRepo, '--quiet', '--max-warnings', '0'])).code).toBe(1);
  });

  it('--format json, sarif and github print what their readers parse', async () => {
    const json = await cli(['check', '--repo', brokenRepo, '--format', 'json']);
    expect(JSON.parse(json.stdout).problems).toHaveLength(14);

    const sarif = await cli(['check', '--repo', brokenRepo, '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toHaveLength(14);

    const github = await cli(['check', '--repo', brokenRepo, '--format', 'github']);
    expect(github.code).toBe(1);
    const lines = github.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(14);
    for (const line of lines) expect(line).toMatch(/^::(?:error|warning) file=[^,]+,line=\d+,col=\d+,title=waymark [a-z-]+::.+$/);
    expect(lines.filter((line) => line.startsWith('::warning'))).toHaveLength(2);
  });

  it('--format accepts the --format=VALUE spelling', async () => {
    const run = await cli(['check', `--repo=${cleanRepo}`, '--format=json']);
    expect({ ...run, stdout: JSON.parse(run.stdout).problems }).toEqual({ code: 0, stdout: [], stderr: '' });
  });
});

describe('waymark graph', () => {
  it('prints the whole graph as JSON, every reference with source, raw text, targets and status', async () => {
    const run = await cli(['graph', '--repo', cleanRepo]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const graph = JSON.parse(run.stdout);
    const { graph: inProcess } = await scanRepository(cleanRepo);
    expect(graph.references).toHaveLength(inProcess.references.length);
    expect(graph.references.length).toBeGreaterThan(30);
    for (const reference of graph.references) {
      expect(reference.source).toEqual({ file: expect.any(String), line: expect.any(Number), column: expect.any(Number) });
      expect(reference.source.line).toBeGreaterThanOrEqual(1);
      expect(reference.source.column).toBeGreaterThanOrEqual(1);
      expect(typeof reference.raw).toBe('string');
      expect(reference.raw.length).toBeGreaterThan(0);
      expect(Array.isArray(reference.targets)).toBe(true);
      expect(ReferenceStatus.options).toContain(reference.status);
      if (reference.status === 'ok') expect(reference.targets.length).toBeGreaterThan(0);
    }
    for (const key of ['name', 'paths', 'files', 'documents', 'processes', 'tasks', 'changes', 'markers', 'environments', 'diagnostics']) {
      expect(graph).toHaveProperty(key);
    }
  });

  it('exits 0 even when the repository has errors: it reports, it does not judge', async () => {
    const run = await cli(['graph', '--repo', brokenRepo]);
    expect(run.code).toBe(0);
    const graph = JSON.parse(run.stdout);
    expect(graph.references.filter((reference: { problem?: string }) => reference.problem).length).toBeGreaterThan(0);
  });
});

describe('which repository is read', () => {
  it('inside the Waymark checkout without --repo: the embedded example, with its history\'s problems', async () => {
    const run = await cli(['check', '--format', 'json'], { cwd: projectRoot });
    // The two references to a deleted and a renamed file are errors, on purpose.
    expect(run.code).toBe(1);
    const diagnostics = JSON.parse(run.stdout).problems;
    expect(diagnostics.every((diagnostic: { file: string }) => diagnostic.file.startsWith('content/example-infra/'))).toBe(true);
    expect(masked(diagnosticLines(diagnostics))).toEqual(exampleProblems.map((line) => `content/example-infra/${line}`));
  });

  it('the example itself reports exactly the states it is meant to show', async () => {
    const { graph } = await scanRepository(exampleRepo);
    expect(masked(diagnosticLines(graph.diagnostics))).toEqual(exampleProblems);
  });

  it('WAYMARK_REPO overrides the default', async () => {
    const run = await cli(['check', '--format', 'json'], { cwd: projectRoot, env: { WAYMARK_REPO: brokenRepo } });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).problems[0].file).toMatch(/^test\/fixtures\/broken-references\/repo\//);
  });

  it('--repo overrides WAYMARK_REPO', async () => {
    const run = await cli(['check', '--repo', cleanRepo], { cwd: projectRoot, env: { WAYMARK_REPO: brokenRepo } });
    expect(run.code).toBe(0);
  });

  it('elsewhere: the current folder', async () => {
    const run = await cli(['check', '--format', 'json'], { cwd: warningsRepo });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual(
      readFileSync(path.join(fixturesDir, 'orphan-and-unvalidated/expected.txt'), 'utf8').trim().split('\n').sort(),
    );
  });
});

describe('the executable', () => {
  it('exits 0 on a clean fixture and 1 on broken references', async () => {
    const clean = await bin(['check'], { cwd: cleanRepo });
    expect(clean).toEqual({ code: 0, stdout: 'No problems found.\n', stderr: '' });
    const broken = await bin(['check', '--repo', brokenRepo, '--format', 'json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout).problems).toHaveLength(14);
  });

  it('exits 2 on bad usage and bad config', async () => {
    const unknown = await bin(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command `deploy`');
    const badConfig = makeRepo('bin-bad-config', { 'waymark.config.json': '{"maxFileSize": -1}' });
    const config = await bin(['check', '--repo', badConfig]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('`waymark.config.json`: `maxFileSize`: ');
  });

  it('prints the version and help', async () => {
    expect(await bin(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await bin(['check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: waymark check /);
  });

  it('reads the embedded example when run in the checkout, WAYMARK_REPO when set', async () => {
    const example = await bin(['check'], { cwd: projectRoot });
    expect(example.code).toBe(1);
    // `path:line:col  severity  message  rule-id`: everything but the message.
    const withoutMessage = (line: string) => [...line.split('  ').slice(0, 2), line.split('  ').at(-1)].join(' ');
    expect(example.stdout.trimEnd().split('\n').slice(0, 3).map(withoutMessage)).toEqual([
      'content/example-infra/docs/processes/database-backup-restore.md:20:44 warning stale-reference',
      'content/example-infra/docs/processes/database-backup-restore.md:46:18 warning stale-reference',
      'content/example-infra/docs/processes/database-backup-restore.md:62:22 warning moved-lines',
    ]);
    expect(example.stdout.trimEnd().split('\n').at(-1)).toBe('10 problems (2 errors, 8 warnings, 0 info)');
    const overridden = await bin(['check'], { cwd: projectRoot, env: { WAYMARK_REPO: cleanRepo } });
    expect(overridden).toEqual({ code: 0, stdout: 'No problems found.\n', stderr: '' });
  });

  it('prints a graph that parses', async () => {
    const run = await bin(['graph', '--repo', cleanRepo]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).references.length).toBeGreaterThan(30);
  });
});

describe('a scratch copy of the example', () => {
  it('checks the same outside the checkout, with --repo relative to the working folder', async () => {
    const copy = path.join(scratch, 'example-copy');
    cpSync(exampleRepo, copy, { recursive: true });
    const run = await cli(['check', '--repo', 'example-copy', '--format', 'json'], { cwd: scratch });
    expect(run.code).toBe(1);
    // Outside git there is no history: no stale or moved range, and the two cited files are simply missing.
    const missing = [
      'docs/processes/rolling-update.md:28:94 missing-file `k8s/production-deployment.yaml` does not exist',
      'docs/runbooks/on-call.md:17:5 missing-file `infra/output.tf` does not exist',
    ];
    expect(jsonLines(run.stdout)).toEqual([...exampleWarnings, ...missing].sort().map((line) => `example-copy/${line}`));
  });
});
