/**
 * Deterministic output: two builds of the same repository write
 * byte-identical sites, and two checks print byte-identical reports (the
 * second one warm from the fact cache the first one wrote).
 *
 * The embedded example is copied to a temporary folder first, so the cache
 * is never written into the checkout.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, PACKAGE_ROOT } from '../src/astro/build-site.ts';
import { binPath } from './helpers.ts';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-determinism-'));
const repo = path.join(scratch, 'example-infra');
// The date ages are judged by, pinned so a run across midnight cannot differ.
const TODAY = '2026-03-01';

beforeAll(() => {
  cpSync(path.join(PACKAGE_ROOT, 'content', 'example-infra'), repo, { recursive: true });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('deterministic output', () => {
  it('two builds of the example write byte-identical sites', async () => {
    const saved = process.env.WAYMARK_TODAY;
    process.env.WAYMARK_TODAY = TODAY;
    try {
      const first = path.join(scratch, 'site-1');
      const second = path.join(scratch, 'site-2');
      for (const out of [first, second]) {
        const result = await buildSite({ repo, out, strict: false, quiet: true });
        expect(result.failed).toBe(false);
      }
      const list = files(first);
      expect(list.length).toBeGreaterThan(50);
      expect(files(second)).toEqual(list);
      const differing = list.filter((file) => !readFileSync(path.join(first, file)).equals(readFileSync(path.join(second, file))));
      expect(differing).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.WAYMARK_TODAY;
      else process.env.WAYMARK_TODAY = saved;
    }
  }, 180_000);

  it.each(['json', 'sarif', 'text', 'github'])('two checks print byte-identical %s reports', async (format) => {
    const check = () =>
      run(process.execPath, [binPath, 'check', '--repo', repo, '--format', format], { env: { ...process.env, WAYMARK_TODAY: TODAY } }).catch(
        (error: { stdout: string; stderr: string }) => error,
      );
    const first = await check();
    const second = await check();
    expect(first.stdout.length).toBeGreaterThan(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
  });
});
