/**
 * `waymark dev` refreshes the site from the resident engine (the one behind
 * `check --watch` and the language server, `src/astro/dev-engine.ts`): a
 * saved document is checked alone ("checked 1 changed file") and its new
 * problem shows on the next request; an edit to the config opens the engine
 * again with it, and the problem goes when the config turns its rule off.
 * The executable runs in a child process on a copy of
 * test/fixtures/resident-moved-lines, as in `test/dev.test.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort, poller } from './dev-server-helpers.ts';
import { binPath, fixturesDir } from './helpers.ts';

const DOC = 'docs/processes/cache-warmup.md';
let dir: string;
let repo: string;
let child: ChildProcess;
let url: string;
let output = '';

/** Polls a loaded machine's server patiently (how fast is the bench's business). */
const until = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000) => poll(what, check, timeoutMs);
const poll = poller(() => output);

const page = async (path: string) => (await fetch(url + path)).text();

/**
 * Wait for the next refresh: a `checked` line after `from` in the output, then
 * Astro's `Synced content` after it. Pages are asked for only then: a page
 * rendered while Astro syncs reads a store half-written (the dev server's
 * search indexing waits for the same reason, `REINDEX_DELAY_MS`).
 */
async function refreshed(from: number): Promise<number> {
  const checked = await until('the checked files', async () => {
    const at = output.slice(from).search(/checked \d+ changed files? in \d+ ms/);
    return at < 0 ? undefined : from + at;
  });
  return until('the synced site', async () => {
    const at = output.slice(checked).indexOf('Synced content');
    return at < 0 ? undefined : checked + at;
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'waymark-dev-resident-'));
  repo = join(dir, 'repo');
  await cp(join(fixturesDir, 'resident-moved-lines', 'repo'), repo, { recursive: true });
  const port = await freePort();
  // Not vitest's environment: Astro's dev server stands down when it sees VITEST, and NODE_ENV is `test`.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WAYMARK_REPO$|NODE_ENV$|MODE$|TEST$)/.test(name)));
  child = spawn(process.execPath, [binPath, 'dev', '--repo', repo, '--port', String(port)], {
    env: { ...env, NO_COLOR: '1', WAYMARK_CACHE_DIR: join(dir, 'cache') },
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  url = await until('the server address', async () => /serving (http:\/\/\S+)/.exec(output)?.[1], 60_000);
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('waymark dev on the resident engine', () => {
  test('checks a saved document alone and shows its new problem; a config edit opens the engine again with it', async () => {
    // Edits come once the site is up and indexed, as a writer's do.
    await until('the search index', async () => (output.includes('search index ready') ? true : undefined));
    expect(await page('processes/cache-warmup/')).not.toContain('infra/nowhere.tf');
    const text = await readFile(join(repo, DOC), 'utf8');
    let from = output.length;
    await writeFile(join(repo, DOC), text.replace('## Overview\n', '## Overview\n\nApply `infra/nowhere.tf:1-5` first.\n'));
    from = await refreshed(from);
    expect(output.slice(0, from)).toMatch(/checked 1 changed file in \d+ ms/);
    await until('the new problem on the problems page', async () => ((await page('problems/')).includes('infra/nowhere.tf') ? true : undefined));

    // The config turns the rule off: a new engine, and the problem is gone.
    await writeFile(join(repo, 'waymark.config.json'), '{ "rules": { "missing-file": "off" } }\n');
    await refreshed(from);
    await until('the problem gone with the new config', async () => ((await page('problems/')).includes('infra/nowhere.tf') ? undefined : true));
    // Near miss: the document still cites the file (the page shows the reference); only the problem went.
    expect(await page('processes/cache-warmup/')).toContain('infra/nowhere.tf');
  }, 200_000);
});
