import { terminalText } from '../../reporters/escape.ts';
import { baseOption, gitDirFrom, parseOptions, repositoryFrom, UsageError, type CliIo } from '../context.ts';

export const summary = 'Serve the site and rebuild it as the repository changes (search included)';

export const usage = `waymark dev [--repo DIR] [--port N] [--host ADDRESS] [--base PATH] [--quiet]

  Serves the site with Astro's dev server. Every change in the repository is
  rescanned and shows on the next page load; search is re-indexed after it.

  --port N        port to listen on (default 4321; the next free one if taken)
  --host ADDRESS  interface to listen on (default 127.0.0.1; 0.0.0.0 for all)
  --base PATH     serve under a sub-path (default: config site.base)
  --quiet         print nothing but the address, warnings and errors
`;

/** Stops on Ctrl+C (SIGINT) or SIGTERM; `signals` is for tests. */
export async function run(args: string[], io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const { values } = parseOptions(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    base: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError('`--port` takes a port number');
  // Astro is heavy: load it only for the command that needs it.
  const { startDevServer } = await import('../../astro/dev-server.ts');
  const server = await startDevServer({
    repo: repositoryFrom(values.repo, io),
    port,
    host: values.host,
    base: baseOption(values.base),
    quiet: values.quiet,
    gitDir: gitDirFrom(values['git-dir'], io),
  });
  io.stderr(`waymark: serving ${terminalText(server.url)} (Ctrl+C stops)\n`);
  void server.searchReady().then(() => {
    const error = server.searchError();
    if (error) io.stderr(`waymark: search index failed: ${terminalText((error as Error).message ?? String(error))}\n`);
    else if (!values.quiet) io.stderr('waymark: search index ready\n');
  });
  await new Promise<void>((done) => {
    signals.once('SIGINT', done);
    signals.once('SIGTERM', done);
  });
  await server.stop();
  return 0;
}
