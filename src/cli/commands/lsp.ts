import path from 'node:path';
import { format } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { serveLanguageServer } from '../../node/lsp/language-server.ts';
import { CACHE_OPTIONS, cacheFrom, cacheUsage, gitDirFrom, parseOptions, version, type CliIo } from '../context.ts';

export const summary = 'Language server for editors (LSP over stdio): problems as you type, and more';

export const usage = `waymark lsp [--stdio] [--repo DIR] [--trust-config] [--no-cache] [--cache-dir DIR]

  Speaks the Language Server Protocol on stdin and stdout (logs go to stderr
  and the client's log); editors start it themselves. The repository is the
  client's first workspace folder unless --repo names one. The repository's
  waymark.config.mjs runs only when the client sends the initialization
  option {"trusted": true} or --trust-config is given.

  --stdio             accepted and ignored (stdio is the only transport)
${cacheUsage(22)}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { stdio: { type: 'boolean' }, ...CACHE_OPTIONS });
  // stdout carries the protocol: anything a module logs goes to stderr instead.
  const toStderr = (...parts: unknown[]) => void process.stderr.write(`${format(...parts)}\n`);
  Object.assign(console, { log: toStderr, info: toStderr, debug: toStderr, warn: toStderr, error: toStderr });
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  serveLanguageServer(connection, {
    repo: values.repo === undefined ? undefined : path.resolve(io.cwd, values.repo),
    trustConfig: values['trust-config'],
    gitDir: gitDirFrom(values['git-dir'], io),
    cache: cacheFrom(values, io),
    version,
  });
  // The library ends the process on the client's `exit` notification or when stdin closes.
  return new Promise<number>(() => {});
}
