/**
 * `waymark dev` on a copy of a fixture repository: the process page is
 * served, an edit to the document shows up without a restart (bounded
 * polling), search is served from the in-memory Pagefind index and
 * re-indexed after the edit, short forms answer, and the server stops on
 * Ctrl+C. The executable runs in a child process, as a writer would run it,
 * listening on every interface (`--host 0.0.0.0`), the case where Vite's own
 * routes must not serve the disk, and with a symlink in the repository to a
 * folder tree outside it, which the watcher must not walk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, poller } from './dev-server-helpers.ts';
import { binPath } from './helpers.ts';
import { FIXTURE_REPO } from './site/sample-graph.ts';

const DOC = 'docs/processes/blue-green-rollout.md';
let dir: string;
let repo: string;
/** Outside the repository, reached from it by the symlink `vendor`. */
let outside: string;
const OUTSIDE_FOLDERS = 200;
/** The server's TMPDIR: where its private cache folder must appear, and be gone after it stops. */
let tmp: string;
let child: ChildProcess;
let url: string;
let stderr = '';

/** Poll until `check` returns a value, at most `timeoutMs`. */
const until = poller(() => stderr);

/** The status of a GET of `path` as written (fetch would normalise `..`), with a `Host` header of our choosing. */
function rawGet(path: string, host = `127.0.0.1:${new URL(url).port}`): Promise<number> {
  return new Promise((ok, fail) => {
    const req = request({ hostname: '127.0.0.1', port: new URL(url).port, path, headers: { host } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

/** Inodes of everything the process watches through inotify (Linux: `/proc/<pid>/fdinfo`). */
async function watchedInodes(pid: number): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const fd of await readdir(`/proc/${pid}/fdinfo`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target !== 'anon_inode:inotify') continue;
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    for (const match of info.matchAll(/^inotify wd:\S+ ino:([0-9a-f]+)/gm)) inodes.add(parseInt(match[1], 16));
  }
  return inodes;
}

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url + path);
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waymark-dev-'));
  repo = join(dir, 'repo');
  await cp(FIXTURE_REPO, repo, { recursive: true });
  outside = join(dir, 'outside');
  for (let i = 0; i < OUTSIDE_FOLDERS; i++) await mkdir(join(outside, `d${i}`, 'sub'), { recursive: true });
  await writeFile(join(outside, 'secret.txt'), 'not for the dev server\n');
  await symlink(outside, join(repo, 'vendor'));
  tmp = join(dir, 'tmp');
  await mkdir(tmp);
  const port = await freePort();
  // Not vitest's environment: Astro's dev server stands down when it sees VITEST, and NODE_ENV is `test`.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WAYMARK_REPO$|NODE_ENV$|MODE$|TEST$)/.test(name)));
  child = spawn(process.execPath, [binPath, 'dev', '--repo', repo, '--port', String(port), '--host', '0.0.0.0', '--quiet'], { env: { ...env, NO_COLOR: '1', TMPDIR: tmp } });
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  child.stdout!.resume();
  url = await until('the server address', async () => /serving (http:\/\/\S+)/.exec(stderr)?.[1], 60_000);
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('waymark dev', () => {
  test('serves the process page and the short forms', async () => {
    const page = await get('processes/blue-green-rollout/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h1[^>]*>Blue\/Green Rollout<\/h1>/);
    const short = await get('p/blue-green-rollout/');
    expect(short.text).toContain('<link rel="canonical" href="/processes/blue-green-rollout/">');
  });

  test('search is served from the in-memory index', async () => {
    const entry = await until('the search index', async () => {
      const response = await get('pagefind/pagefind-entry.json');
      return response.status === 200 ? JSON.parse(response.text) : undefined;
    });
    expect(entry.languages.en.page_count).toBeGreaterThan(10);
    expect((await get('pagefind/pagefind-ui.js')).status).toBe(200);
  }, 60_000);

  test('an edit shows on the next request, and search is re-indexed', async () => {
    const before = JSON.parse((await get('pagefind/pagefind-entry.json')).text).languages.en.hash;
    const text = await readFile(join(repo, DOC), 'utf8');
    await writeFile(join(repo, DOC), text.replace('# Deployment Process: Blue/Green Rollout', '# Deployment Process: Blue/Green Rollout Revised'));
    // How fast is the bench's business; here only that the edit arrives (a loaded machine is slow).
    await until(
      'the renamed process page',
      async () => {
        const page = await get('processes/blue-green-rollout-revised/');
        return page.status === 200 && /<h1[^>]*>Blue\/Green Rollout Revised<\/h1>/.test(page.text) ? true : undefined;
      },
      90_000,
    );
    await until('a new search index', async () => {
      const entry = JSON.parse((await get('pagefind/pagefind-entry.json')).text);
      return entry.languages.en.hash !== before ? true : undefined;
    });
  }, 150_000);

  test('Vite serves no file outside Waymark, and refuses a foreign Host', async () => {
    for (const path of ['/@fs/etc/passwd', `/@fs${repo}/../`, `/@fs${repo}/README.md`, `/@fs${outside}/secret.txt`, `/@fs${repo}/vendor/secret.txt`]) {
      expect([path, await rawGet(path)]).toEqual([path, 403]);
    }
    // A `..` spelled out never reaches a file outside (Astro answers it as a page that does not exist).
    expect(await rawGet('/@fs/%2e%2e/etc/passwd')).not.toBe(200);
    // Waymark's own files are still served where the pages need them.
    expect(await rawGet('/@vite/client')).toBe(200);
    expect(await rawGet('/', 'evil.example')).toBe(403);
    expect(await rawGet('/', 'evil.example:80')).toBe(403);
    // The same request with this machine's address is answered: the refusal is about the header.
    expect(await rawGet('/')).toBe(200);
  });

  test.runIf(process.platform === 'linux')('the watcher does not walk a symlinked folder', async () => {
    const docs = (await stat(join(repo, 'docs'))).ino;
    // The repository's own folders are watched (so the check below can see a watch when there is one)…
    const watched = await until('the repository watch', async () => {
      const inodes = await watchedInodes(child.pid!);
      return inodes.has(docs) ? inodes : undefined;
    });
    // …and none of the folders behind the symlink.
    const behind = [outside, ...Array.from({ length: OUTSIDE_FOLDERS }, (_, i) => join(outside, `d${i}`))];
    const walked = [];
    for (const folder of behind) if (watched.has((await stat(folder)).ino)) walked.push(folder);
    expect(walked).toEqual([]);
  });

  test('its caches are in a folder of its own, readable by its user only', async () => {
    const folders = (await readdir(tmp)).filter((name) => name.startsWith('waymark-'));
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^waymark-dev-/);
    expect(((await stat(join(tmp, folders[0]))).mode & 0o777).toString(8)).toBe('700');
  });

  test('Ctrl+C (SIGINT) stops it cleanly, and removes its cache folder', async () => {
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGINT');
    expect(await Promise.race([exited, new Promise((ok) => setTimeout(() => ok('still running'), 15_000))])).toBe(0);
    expect((await readdir(tmp)).filter((name) => name.startsWith('waymark-'))).toEqual([]);
  }, 20_000);
});
