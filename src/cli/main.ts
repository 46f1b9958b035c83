/**
 * The command line: find the command, let it parse its arguments and do its
 * work, turn failures into messages. Exit codes: 0 clean, 1 problems found,
 * 2 bad usage, bad config or a crash.
 */
import { ConfigError } from '../node/load-config.ts';
import { RepositoryError } from '../node/scan.ts';
import { terminalLines, terminalText } from '../reporters/escape.ts';
import { UsageError, version, type CliIo } from './context.ts';

export type { CliIo } from './context.ts';

interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * Every command; adding one means adding a file in `commands/` and a line here.
 * Loaded when run: `check` never loads the language server, the site build or
 * the dev server (start-up is a good part of a warm check).
 */
const commands: Record<string, () => Promise<Command>> = {
  check: () => import('./commands/check.ts'),
  fix: () => import('./commands/fix.ts'),
  validate: () => import('./commands/validate.ts'),
  graph: () => import('./commands/graph.ts'),
  build: () => import('./commands/build.ts'),
  link: () => import('./commands/link.ts'),
  init: () => import('./commands/init.ts'),
  dev: () => import('./commands/dev.ts'),
  config: () => import('./commands/config.ts'),
  lsp: () => import('./commands/lsp.ts'),
};

async function help(): Promise<string> {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
  const list = loaded
    .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
    .join('\n');
  return `Usage: waymark <command> [options]

Commands:
${list}

Common options:
  --repo DIR        repository to read (default: WAYMARK_REPO, else the current
                    folder, else the embedded example when run inside Waymark)
  --trust-config    allow running waymark.config.mjs from the repository
  --git-dir DIR     git directory to read history from (default: the .git of the
                    repository; a .git file is followed only where git puts one)
  -h, --help        show help (also \`waymark <command> --help\`)
  -v, --version     show the version
`;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '-v' || name === '--version') {
      io.stdout(`${version}\n`);
      return 0;
    }
    if (!name || name === '-h' || name === '--help' || name === 'help') {
      io.stdout(await help());
      return name ? 0 : 2;
    }
    const command = Object.hasOwn(commands, name) ? await commands[name]() : undefined;
    if (!command) throw new UsageError(`unknown command \`${name}\``);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: ${command.usage}`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** Messages quote arguments, config keys and values, paths: each is escaped for the terminal or CI log it lands in. */
function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`waymark: ${terminalText((error as Error).message)}\nRun \`waymark --help\` for usage.\n`);
  } else if (error instanceof ConfigError) {
    io.stderr(`waymark: invalid config\n${error.problems.map((problem) => `  ${terminalText(problem)}`).join('\n')}\n`);
  } else if (error instanceof RepositoryError) {
    io.stderr(`waymark: ${terminalText(error.message)}\n`);
  } else {
    io.stderr(`waymark: internal error: ${terminalLines((error as Error)?.stack ?? String(error))}\n`);
  }
  return 2;
}

function processIo(): CliIo {
  return {
    stdout: quietWhenClosed(process.stdout),
    stderr: quietWhenClosed(process.stderr),
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stderr.isTTY,
    stdoutIsTTY: process.stdout.isTTY,
  };
}

/**
 * A writer that stops quietly once the reader is gone: `waymark check | head`
 * closes the pipe after ten lines, and the next write fails with EPIPE, which
 * Node raises as an unhandled 'error' event (a stack trace) unless it is
 * listened for. What is left is not wanted; the exit code stays the check's.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}
