/**
 * Deterministic output: two builds of the same repository write
 * byte-identical sites, and two checks print byte-identical reports (the
 * second one warm from the fact cache the first one wrote).
 *
 * The embedded example is copied to a temporary folder first, so the cache
 * is never written into the checkout. The builds run with a temporary folder
 * of their own (TMPDIR), to see the private build folders they make there.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
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
  it('two builds of the example write byte-identical sites, each from a private build folder it removes', async () => {
    const saved = { today: process.env.WAYMARK_TODAY, tmp: process.env.TMPDIR };
    process.env.WAYMARK_TODAY = TODAY;
    // os.tmpdir() reads TMPDIR on every call: the builds' work folders appear here, where they can be watched.
    const tmp = path.join(scratch, 'tmp');
    mkdirSync(tmp);
    process.env.TMPDIR = tmp;
    const made = new Map<string, number>();
    const watcher = watch(tmp, (_event, name) => {
      if (name && !made.has(name)) made.set(name, statSync(path.join(tmp, name), { throwIfNoEntry: false })?.mode ?? -1);
    });
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
      // A folder of its own per build (no name another user could guess and plant first), owner-only, and gone afterwards.
      const builds = [...made].filter(([name]) => name.startsWith('waymark-build-'));
      expect(builds).toHaveLength(2);
      expect(builds.map(([, mode]) => (mode & 0o777).toString(8))).toEqual(['700', '700']);
      expect(readdirSync(tmp).filter((name) => name.startsWith('waymark'))).toEqual([]);
    } finally {
      watcher.close();
      for (const [name, value] of [['WAYMARK_TODAY', saved.today], ['TMPDIR', saved.tmp]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }, 180_000);

  it.each(['json', 'sarif', 'compact', 'stylish', 'github'])('two checks print byte-identical %s reports', async (format) => {
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
