/**
 * What `check` prints for a person and for a pipe: stylish on a terminal,
 * compact otherwise, colour decided by the terminal and `NO_COLOR` /
 * `FORCE_COLOR`, and a reader that goes away (`| head`) ends it quietly.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorFor } from '../src/cli/context.ts';
import { main, type CliIo } from '../src/cli/main.ts';
import { binPath, fixturesDir } from './helpers.ts';

const brokenRepo = path.join(fixturesDir, 'broken-references/repo');

async function cli(argv: string[], io: Partial<CliIo> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd: brokenRepo,
    env: {},
    isTTY: false,
    ...io,
  });
  return { code, stdout, stderr };
}

describe('colour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{}, undefined, false],
    [{ NO_COLOR: '1' }, true, false],
    // An empty NO_COLOR is unset (no-color.org).
    [{ NO_COLOR: '' }, true, true],
    [{ TERM: 'dumb' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    // FORCE_COLOR wins over NO_COLOR, as in Node itself.
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('env %j on a terminal %s → %s', (env, terminal, expected) => {
    expect(colorFor(env, terminal)).toBe(expected);
  });
});

describe('check output', () => {
  it('is stylish and coloured on a terminal, grouped by file with a summary by rule', async () => {
    const run = await cli(['check', '--no-cache'], { stdoutIsTTY: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\x1b[31merror\x1b[39m');
    const plain = run.stdout.replace(/\x1b\[\d+m/g, '').split('\n');
    expect(plain[0]).toBe('docs/processes/web-release.md');
    expect(plain[1]).toMatch(/^ {2}docs\/processes\/web-release\.md:7:51 +error +`scripts\/deplyo\.sh` does not exist/);
    expect(plain.some((line) => /^ {2}\d+ errors? +missing-file +https:\/\/unpkg\.com\/waymark@[^/]+\/docs\/rules\/missing-file\.md$/.test(line))).toBe(true);
  });

  it('is stylish without colour on a terminal with NO_COLOR', async () => {
    const run = await cli(['check', '--no-cache'], { stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout.split('\n')[0]).toBe('docs/processes/web-release.md');
  });

  it('is compact in a pipe, and with --format compact on a terminal', async () => {
    const piped = await cli(['check', '--no-cache']);
    const asked = await cli(['check', '--no-cache', '--format', 'compact'], { stdoutIsTTY: true, env: { FORCE_COLOR: '1' } });
    expect(piped.stdout).toBe(asked.stdout);
    expect(piped.stdout.split('\n')[0]).toMatch(/^docs\/processes\/web-release\.md:7:51  error  /);
    expect(piped.stdout).not.toContain('\x1b');
  });

  it('stylish is available in a pipe when asked for, coloured with FORCE_COLOR', async () => {
    const run = await cli(['check', '--no-cache', '--format', 'stylish'], { env: { FORCE_COLOR: '1' } });
    expect(run.stdout).toContain('\x1b[');
    expect(run.stdout.replace(/\x1b\[\d+m/g, '').split('\n')[0]).toBe('docs/processes/web-release.md');
  });
});

describe('a reader that goes away', () => {
  it('`waymark check | head`: a closed pipe ends the output quietly, with the check\'s exit code', async () => {
    const child = spawn(process.execPath, [binPath, 'check', '--repo', brokenRepo, '--no-cache'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    // The read end closes before Waymark writes a byte (the scan takes far longer than this).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(1);
  });
});
