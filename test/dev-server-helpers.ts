/** Shared by the tests that run `waymark dev` in a child process: a free port, and polling with the server's output on a timeout. */
import { createServer } from 'node:net';

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
