/**
 * `waymark dev` on a copy of a fixture repository: the process page is
 * served, an edit to the document shows up without a restart (bounded
 * polling), search is served from the in-memory Pagefind index and
 * re-indexed after the edit, short forms answer, and the server stops on
 * Ctrl+C. The executable runs in a child process, as a writer would run it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { binPath } from './helpers.ts';
import { FIXTURE_REPO } from './site/sample-graph.ts';

const DOC = 'docs/processes/blue-green-rollout.md';
let dir: string;
let repo: string;
let child: ChildProcess;
let url: string;
let stderr = '';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Poll until `check` returns a value, at most `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server said:\n${stderr}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

async function get(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url + path);
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waymark-dev-'));
  repo = join(dir, 'repo');
  await cp(FIXTURE_REPO, repo, { recursive: true });
  const port = await freePort();
  // Not vitest's environment: Astro's dev server stands down when it sees VITEST, and NODE_ENV is `test`.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WAYMARK_REPO$|NODE_ENV$|MODE$|TEST$)/.test(name)));
  child = spawn(process.execPath, [binPath, 'dev', '--repo', repo, '--port', String(port), '--quiet'], { env: { ...env, NO_COLOR: '1' } });
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
    expect(page.text).toContain('<h1>Blue/Green Rollout</h1>');
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
    const started = Date.now();
    await until('the renamed process page', async () => {
      const page = await get('processes/blue-green-rollout-revised/');
      return page.status === 200 && page.text.includes('<h1>Blue/Green Rollout Revised</h1>') ? true : undefined;
    });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(30_000);
    await until('a new search index', async () => {
      const entry = JSON.parse((await get('pagefind/pagefind-entry.json')).text);
      return entry.languages.en.hash !== before ? true : undefined;
    });
  }, 70_000);

  test('Ctrl+C (SIGINT) stops it cleanly', async () => {
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGINT');
    expect(await Promise.race([exited, new Promise((ok) => setTimeout(() => ok('still running'), 15_000))])).toBe(0);
  }, 20_000);
});
