/**
 * `waymark validate <process>`: the value of `Last Validated` becomes today
 * and the commit, in whatever form the document writes it, and no other byte
 * of the repository changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts } from '../src/core/extract/extract.ts';
import { recordValidation } from '../src/core/fix/record-validation.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const record = { date: '2026-11-26', commit: '1a2b3c4' };
const config = resolveConfig({}, 'repo');

/** The document's metadata as the engine reads it, then the edit. */
function validated(text: string): string {
  const facts = extractFacts('docs/processes/deploy.md', text, config);
  const result = recordValidation(text, facts.document?.metadata ?? [], record);
  if ('problem' in result) throw new Error(result.problem);
  return result.text;
}

describe('recordValidation', () => {
  it.each([
    ['a bold key', '# Deployment Process: Deploy\n\n- **Status**: validated\n- **Last Validated**: not yet validated\n- **Code Reference**: `a.sh`\n', '- **Last Validated**: 2026-11-26 (commit 1a2b3c4)\n'],
    ['the colon inside the bold', '# Deployment Process: Deploy\n\n**Last Validated:** 2025-01-01  \n**Status:** validated\n', '**Last Validated:** 2026-11-26 (commit 1a2b3c4)  \n'],
    ['front matter', '---\ntitle: Deploy\nlast_validated: 2025-01-01\n---\n# Deployment Process: Deploy\n', 'last_validated: 2026-11-26 (commit 1a2b3c4)\n'],
    ['CRLF line endings', '# Deployment Process: Deploy\r\n\r\n**Last Validated**: 2025-01-01\r\n**Status**: validated\r\n', '**Last Validated**: 2026-11-26 (commit 1a2b3c4)\r\n'],
  ])('rewrites only the value: %s', (_name, before, line) => {
    const after = validated(before);
    expect(after).toContain(line);
    // Every other line is untouched.
    const changed = after.split('\n').filter((text, index) => text !== before.split('\n')[index]);
    expect(changed).toHaveLength(1);
  });

  it('adds the line after Last Updated, written like it, when there is none', () => {
    const before = '# Deployment Process: Deploy\n\n- **Status**: draft\n- **Last Updated**: 2026-11-12\n\n## Overview\n';
    expect(validated(before)).toBe('# Deployment Process: Deploy\n\n- **Status**: draft\n- **Last Updated**: 2026-11-12\n- **Last Validated**: 2026-11-26 (commit 1a2b3c4)\n\n## Overview\n');
    const frontMatter = '---\nlast_updated: 2026-11-12\n---\n# Deployment Process: Deploy\n';
    expect(validated(frontMatter)).toBe('---\nlast_updated: 2026-11-12\nlast_validated: 2026-11-26 (commit 1a2b3c4)\n---\n# Deployment Process: Deploy\n');
  });

  it('the value written is read back as the date', () => {
    const facts = extractFacts('docs/processes/deploy.md', validated('# Deployment Process: Deploy\n\n**Last Validated**: 2025-01-01\n'), config);
    expect(facts.document?.lastValidated).toBe('2026-11-26');
  });

  it('says why when there is nowhere to write', () => {
    const text = '# Deployment Process: Deploy\n\nJust prose.\n';
    const result = recordValidation(text, extractFacts('docs/processes/deploy.md', text, config).document?.metadata ?? [], record);
    expect(result).toEqual({ problem: expect.stringContaining('no `Last Validated`, `Last Updated` or `Status` line') });
  });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

function repo(name: string): string {
  const root = path.join(scratch, name);
  mkdirSync(path.join(root, 'docs/processes'), { recursive: true });
  mkdirSync(path.join(root, 'scripts'), { recursive: true });
  writeFileSync(path.join(root, 'docs/processes/deploy.md'), '# Deployment Process: Blue Green Deploy\n\n- **Status**: validated\n- **Last Updated**: 2026-01-10\n- **Last Validated**: not yet validated\n\nRuns `scripts/deploy.sh:1-2`.\n');
  writeFileSync(path.join(root, 'scripts/deploy.sh'), '# Deployment Process: Blue Green Deploy\necho deploy\n');
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'first');
  return root;
}

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: scratch, env: {} });
  return { code, stdout, stderr };
}

describe('waymark validate', () => {
  it('sets Last Validated to today and HEAD, changes nothing else, and the warning is gone', async () => {
    const root = repo('plain');
    const head = git(root, 'rev-parse', '--short', 'HEAD').trim();
    expect((await cli(['check', '--repo', root, '--no-cache', '--format', 'compact'])).stdout).toContain('unvalidated-process');
    const run = await cli(['validate', 'Blue Green Deploy', '--repo', root, '--no-cache']);
    expect(run).toEqual({ code: 0, stdout: `validated Blue Green Deploy: docs/processes/deploy.md:5 Last Validated 2026-11-26 (commit ${head})\n`, stderr: '' });
    expect(git(root, 'status', '--porcelain')).toBe(' M docs/processes/deploy.md\n');
    expect(git(root, 'diff', '--numstat')).toBe('1\t1\tdocs/processes/deploy.md\n');
    expect(readFileSync(path.join(root, 'docs/processes/deploy.md'), 'utf8')).toContain(`- **Last Validated**: 2026-11-26 (commit ${head})\n`);
    const after = await cli(['check', '--repo', root, '--no-cache', '--format', 'compact']);
    expect(after).toMatchObject({ code: 0, stdout: 'No problems found.\n' });
  });

  it('--dry-run prints the diff and writes nothing; the id and the file name find the process too', async () => {
    const root = repo('dry');
    const run = await cli(['validate', 'blue-green-deploy', '--repo', root, '--no-cache', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^--- a\/docs\/processes\/deploy\.md\n\+\+\+ b\/docs\/processes\/deploy\.md\n@@/);
    expect(run.stdout).toContain('-- **Last Validated**: not yet validated\n+- **Last Validated**: 2026-11-26 (commit ');
    expect((await cli(['validate', 'deploy', '--repo', root, '--no-cache', '--dry-run'])).code).toBe(0);
    expect(git(root, 'status', '--porcelain')).toBe('');
  });

  it('an unknown process is bad usage with "did you mean"', async () => {
    const root = repo('typo');
    const run = await cli(['validate', 'blue gren deploy', '--repo', root, '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no process `blue gren deploy`; did you mean `Blue Green Deploy`?');
    expect((await cli(['validate', '--repo', root])).code).toBe(2);
  });

  it('a process document reached through a link is written at its real path, and the link stays a link', async () => {
    const root = repo('linked');
    const outside = path.join(scratch, 'outside.md');
    writeFileSync(outside, readFileSync(path.join(root, 'docs/processes/deploy.md')));
    rmSync(path.join(root, 'docs/processes/deploy.md'));
    mkdirSync(path.join(root, 'docs/real'), { recursive: true });
    writeFileSync(path.join(root, 'docs/real/deploy.md'), readFileSync(outside));
    symlinkSync('../real/deploy.md', path.join(root, 'docs/processes/deploy.md'));
    const before = readFileSync(path.join(root, 'docs/real/deploy.md'), 'utf8');
    await cli(['validate', 'Blue Green Deploy', '--repo', root, '--no-cache']);
    // The alias is read under its target's path: the target is the document, written in place; the link stays a link.
    expect(readFileSync(path.join(root, 'docs/real/deploy.md'), 'utf8')).not.toBe(before);
    expect(execFileSync('readlink', [path.join(root, 'docs/processes/deploy.md')], { encoding: 'utf8' }).trim()).toBe('../real/deploy.md');
  });
});
