/**
 * What `waymark build` prints: one summary line on stderr with the output
 * folder as the user would type it, nothing on stdout, none of Astro's route
 * list (absolute paths, timings broken onto lines of their own).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXAMPLE_ROOT, PACKAGE_ROOT } from '../src/node/package-root.ts';

const run = promisify(execFile);
const bin = path.join(PACKAGE_ROOT, 'bin', 'waymark.mjs');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'waymark-build-log-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function build(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [bin, 'build', ...args], { cwd: scratch, env: { ...process.env, NO_COLOR: '1', CI: '1' }, maxBuffer: 64 << 20 });
}

describe('the build log', () => {
  test('the example: one line, the folder relative to where the command runs', async () => {
    const { stdout, stderr } = await build(['--repo', EXAMPLE_ROOT, '--out', 'site']);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^waymark: built \d+ pages into site\n$/);
  }, 300_000);

  test('a folder outside the working folder is shown absolute, not as ../../', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'waymark-build-log-out-'));
    try {
      const { stdout, stderr } = await build(['--repo', path.join(PACKAGE_ROOT, 'test', 'site', 'fixture-repo'), '--out', out, '--no-strict']);
      expect(stdout).toBe('');
      expect(stderr).toBe(`waymark: built ${/built (\d+) pages/.exec(stderr)?.[1]} pages into ${out}\n`);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);
});
