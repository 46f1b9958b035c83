/**
 * `--timing`: where a run's time went, on stderr, without changing what the
 * run reports on stdout.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { RunTiming } from '../src/node/run-timing.ts';
import { fixturesDir } from './helpers.ts';

const repo = path.join(fixturesDir, 'broken-references/repo');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: repo, env: {}, isTTY: false };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('--timing', () => {
  it('prints every phase of a check to stderr and leaves the report alone', async () => {
    const plain = await cli(['check', '--repo', repo, '--format', 'json', '--no-cache']);
    const timed = await cli(['check', '--repo', repo, '--format', 'json', '--no-cache', '--timing']);
    expect(timed.stdout).toBe(plain.stdout);
    expect(timed.code).toBe(plain.code);
    expect(plain.stderr).not.toContain('timing');
    const phases = timed.stderr.split('\n').map((line) => /^ {2}(\w[\w ]*?) {2,}/.exec(line)?.[1]).filter(Boolean);
    expect(phases).toEqual(['config', 'discover', 'cache load', 'read', 'parse', 'git', 'link', 'check', 'render', 'other', 'total']);
  });

  it('adds up: the phases and `other` make the total', () => {
    const timing = new RunTiming(performance.now() - 100);
    timing.add('read', 30);
    timing.add('read', 10);
    timing.add('parse', 20);
    expect(timing.phases()).toEqual({ read: 40, parse: 20 });
    const other = Number(/other +([\d.]+) ms/.exec(timing.report())?.[1]);
    expect(other).toBeGreaterThanOrEqual(40);
  });
});
