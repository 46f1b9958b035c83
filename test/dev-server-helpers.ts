/** Shared by the tests that run `waymark dev` in a child process: a free port, and polling with the server's output on a timeout. */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from './helpers.ts';

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Poll until `check` returns a value, at most `timeoutMs`; a timeout says what the server said (`said()`). */
export function poller(said: () => string): <T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number) => Promise<T> {
  return async (what, check, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server said:\n${said()}`);
      await new Promise((ok) => setTimeout(ok, 200));
    }
  };
}

/** A `waymark dev` child process on a copy of a fixture repository, with its output so far. */
export interface DevOnCopy {
  /** The copy of the repository it serves. */
  repo: string;
  /** The site's address. */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Poll as {@link poller} does, with its output on a timeout. */
  until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  /** Resolves with the output's length once a save made after `from` was checked and Astro synced the site. */
  synced(from: number): Promise<number>;
  /** Kill it and remove the copy. */
  stop(): Promise<void>;
}

/**
 * Run the executable as a writer would (`waymark dev --repo <copy>`) on a
 * copy of `fixtureRepo`, in a child process outside vitest's environment
 * (Astro's dev server stands down when it sees VITEST, and NODE_ENV is `test`).
 */
export async function devOnCopy(fixtureRepo: string, prefix: string): Promise<DevOnCopy> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const repo = join(dir, 'repo');
  await cp(fixtureRepo, repo, { recursive: true });
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|WAYMARK_REPO$|NODE_ENV$|MODE$|TEST$)/.test(name)));
  const child = spawn(process.execPath, [binPath, 'dev', '--repo', repo, '--port', String(port)], {
    env: { ...env, NO_COLOR: '1', WAYMARK_CACHE_DIR: join(dir, 'cache') },
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const poll = poller(() => output);
  const until = <T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 90_000) => poll(what, check, timeoutMs);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = await until('the server address', async () => /serving (http:\/\/\S+)/.exec(output)?.[1], 60_000);
    const synced = async (from: number) => {
      const checked = await until('the checked files', async () => {
        const at = output.slice(from).search(/checked \d+ changed files? in \d+ ms/);
        return at < 0 ? undefined : from + at;
      });
      await until('the synced site', async () => (output.slice(checked).includes('Synced content') ? true : undefined));
      return output.length;
    };
    return { repo, url, output: () => output, until, synced, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
