/**
 * The command line: parse arguments, call the engine, print through a
 * reporter, return the exit code. 0 clean, 1 problems found, 2 usage,
 * config or crash.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Diagnostic } from '../core/schema.ts';
import { ConfigError } from '../node/load-config.ts';
import { RepositoryError, scanRepository } from '../node/scan.ts';
import { reporters } from '../reporters/index.ts';
import { countBySeverity } from '../reporters/report.ts';
import { textReporter } from '../reporters/text.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
}

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const exampleRepository = path.join(packageRoot, 'content/example-infra');
export const version: string = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).version;

const HELP = `Usage: waymark <command> [options]

Commands:
  check    Check references, markers, tasks and metadata; exit 1 on errors
  graph    Print the whole cross-linked graph as JSON
  build    Build the static site (Astro + Pagefind)

Common options:
  --repo DIR        Repository to read (default: WAYMARK_REPO, else the current
                    folder, else the embedded example when run inside Waymark)
  --trust-config    Allow running waymark.config.mjs from the repository
  -h, --help        Show this help
  -v, --version     Show the version

check:
  --format text|json|sarif|github   Output format (default text)
  --max-warnings N                  Exit 1 when there are more than N warnings
  --quiet                           Report errors only

build:
  --out DIR         Output folder (default dist)
  --base PATH       Serve the site under a sub-path, e.g. /docs/
  --no-strict       Build even when there are errors
`;

const COMMON = {
  repo: { type: 'string' },
  'trust-config': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

class UsageError extends Error {
  name = 'UsageError';
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(HELP);
      return command ? 0 : 2;
    }
    if (command === '-v' || command === '--version') {
      io.stdout(`${version}\n`);
      return 0;
    }
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'graph':
        return await graph(rest, io);
      case 'build':
        return await build(rest, io);
      default:
        throw new UsageError(`unknown command \`${command}\``);
    }
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`waymark: ${(error as Error).message}\nRun \`waymark --help\` for usage.\n`);
  } else if (error instanceof ConfigError) {
    io.stderr(`waymark: invalid config\n${error.problems.map((problem) => `  ${problem}`).join('\n')}\n`);
  } else if (error instanceof RepositoryError) {
    io.stderr(`waymark: ${error.message}\n`);
  } else {
    io.stderr(`waymark: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  return 2;
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: false, strict: true });
}

/**
 * Which repository to read: `--repo`, then `WAYMARK_REPO`, then the current
 * folder, except inside Waymark's own checkout, where the embedded example stands in.
 */
export function repositoryFrom(repo: string | undefined, io: CliIo): string {
  if (repo) return path.resolve(io.cwd, repo);
  if (io.env.WAYMARK_REPO) return path.resolve(io.cwd, io.env.WAYMARK_REPO);
  const here = safeRealpath(io.cwd);
  return here === safeRealpath(packageRoot) ? exampleRepository : io.cwd;
}

function safeRealpath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Paths in reports are relative to where the command runs, so editors and CI annotations find them. */
function pathPrefix(root: string, cwd: string): string {
  const relative = path.relative(safeRealpath(cwd), root);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return '';
  return `${relative.split(path.sep).join('/')}/`;
}

function help(values: { help?: boolean }, io: CliIo): boolean {
  if (values.help) io.stdout(HELP);
  return Boolean(values.help);
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    format: { type: 'string', default: 'text' },
    'max-warnings': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (help(values, io)) return 0;
  const reporter = reporters[values.format!];
  if (!reporter) throw new UsageError(`unknown format \`${values.format}\` (text, json, sarif or github)`);
  const maxWarnings = values['max-warnings'] === undefined ? Infinity : Number(values['max-warnings']);
  if (!Number.isInteger(maxWarnings) && maxWarnings !== Infinity) {
    throw new UsageError('`--max-warnings` takes a whole number');
  }
  const { graph, root } = await scanRepository(repositoryFrom(values.repo, io), { trustConfig: values['trust-config'] });
  const shown = values.quiet ? graph.diagnostics.filter((diagnostic) => diagnostic.severity === 'error') : graph.diagnostics;
  io.stdout(reporter({ diagnostics: shown, pathPrefix: pathPrefix(root, io.cwd), version }));
  return exitCodeFor(graph.diagnostics, maxWarnings);
}

export function exitCodeFor(diagnostics: Diagnostic[], maxWarnings = Infinity): number {
  const counts = countBySeverity(diagnostics);
  return counts.error > 0 || counts.warning > maxWarnings ? 1 : 0;
}

async function graph(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {});
  if (help(values, io)) return 0;
  const result = await scanRepository(repositoryFrom(values.repo, io), { trustConfig: values['trust-config'] });
  io.stdout(`${JSON.stringify(result.graph, null, 2)}\n`);
  return 0;
}

async function build(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    out: { type: 'string', default: 'dist' },
    base: { type: 'string' },
    strict: { type: 'boolean' },
    'no-strict': { type: 'boolean' },
    quiet: { type: 'boolean' },
  });
  if (help(values, io)) return 0;
  const repo = repositoryFrom(values.repo, io);
  // Astro is heavy: load it only for the command that needs it.
  const { buildSite } = await import('../node/build-site.ts');
  const result = await buildSite({
    repo,
    out: path.resolve(io.cwd, values.out!),
    base: values.base,
    strict: values['no-strict'] ? false : values.strict,
    quiet: values.quiet,
    trustConfig: values['trust-config'],
  });
  if (result.failed) {
    io.stderr(textReporter({ diagnostics: result.diagnostics.filter((d) => d.severity === 'error'), pathPrefix: pathPrefix(result.root, io.cwd), version }));
    io.stderr('waymark: build failed on the errors above (use --no-strict to build anyway)\n');
    return 1;
  }
  if (!values.quiet) io.stderr(`waymark: built ${result.pages} pages into ${path.relative(io.cwd, path.resolve(io.cwd, values.out!)) || '.'}\n`);
  return 0;
}
