/** What every command shares: its I/O, argument parsing, and where the repository is. */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { baseProblem } from '../core/urls/safe-url.ts';
import { cacheSettings, type CacheSettings } from '../node/cache-folder.ts';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../node/package-root.ts';
import { leavesFolder } from '../node/read-files.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress output is shown only then). */
  isTTY?: boolean;
  /** Whether stdout is a terminal: the stylish report and colour by default, else the compact one. */
  stdoutIsTTY?: boolean;
}

/**
 * Whether to colour output bound for a stream: `FORCE_COLOR` (anything but
 * `0` or `false`) turns it on even in a pipe, as in Node and chalk; `NO_COLOR`
 * (any non-empty value, no-color.org) or `TERM=dumb` turns it off; else only
 * on a terminal.
 */
export function colorFor(env: CliIo['env'], isTerminal: boolean | undefined): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(isTerminal);
}

const exampleRepository = path.join(PACKAGE_ROOT, 'content/example-infra');
export const version = PACKAGE_VERSION;

/** Bad arguments: reported with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  name = 'UsageError';
}

const COMMON = {
  repo: { type: 'string' },
  'trust-config': { type: 'boolean' },
  'git-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Parse a command's options plus the common ones (`--repo`, `--trust-config`, `--git-dir`, `--help`). */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals, strict: true });
}

/** The cache options of the commands that scan (`check`, `graph`, `build`). */
export const CACHE_OPTIONS = {
  'no-cache': { type: 'boolean' },
  'cache-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** The help lines for `CACHE_OPTIONS`, the descriptions starting at `column` as the command's other options do. */
export function cacheUsage(column: number): string {
  const line = (flag: string, text: string) => `  ${flag.padEnd(column - 2)}${text}\n`;
  return (
    line('--no-cache', 'read every file afresh, and leave the cache alone') +
    line('--cache-dir DIR', 'keep the cache in DIR (default: WAYMARK_CACHE_DIR, else') +
    line('', "the user's cache folder, e.g. ~/.cache/waymark)")
  );
}

/** The cache a scan uses: from the flags and the environment, never from the repository; false with `--no-cache`. */
export function cacheFrom(values: { 'no-cache'?: boolean; 'cache-dir'?: string }, io: CliIo): CacheSettings | false {
  return values['no-cache'] ? false : cacheSettings(io.env, io.cwd, values['cache-dir']);
}

/** A `--base` value as given, once it is a path every page can safely load its scripts from. */
export function baseOption(base: string | undefined, flag = '--base'): string | undefined {
  const problem = base === undefined ? undefined : baseProblem(base);
  if (problem) throw new UsageError(`\`${flag}\` ${problem}`);
  return base;
}

/**
 * Which repository to read: `--repo`, then `WAYMARK_REPO`, then the current
 * folder, except inside Waymark's own checkout, where the embedded example stands in.
 */
export function repositoryFrom(repo: string | undefined, io: CliIo): string {
  if (repo) return path.resolve(io.cwd, repo);
  if (io.env.WAYMARK_REPO) return path.resolve(io.cwd, io.env.WAYMARK_REPO);
  return realpathOr(io.cwd) === realpathOr(PACKAGE_ROOT) ? exampleRepository : io.cwd;
}

/**
 * `--git-dir`: the git directory to read history from, when the repository's
 * `.git` is a file in a layout Waymark does not follow on its own (see
 * `src/node/git.ts`). Never taken from `GIT_DIR`: a git hook sets that.
 */
export function gitDirFrom(gitDir: string | undefined, io: CliIo): string | undefined {
  return gitDir === undefined ? undefined : path.resolve(io.cwd, gitDir);
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Paths in reports are relative to where the command runs, so editors and CI annotations find them. */
export function pathPrefix(root: string, cwd: string): string {
  const relative = path.relative(realpathOr(cwd), root);
  if (!relative || leavesFolder(relative) || path.isAbsolute(relative)) return '';
  return `${relative.split(path.sep).join('/')}/`;
}

/** What a scan reports as it goes (the shape of `ScanOptions['onProgress']`'s argument). */
export interface Progress {
  files: number;
  totalFiles: number;
  documents: number;
}

/** Redraw at most this often: a terminal is slower than a scan. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * A progress line on stderr, redrawn in place, for long scans: only when
 * stderr is a terminal, never in CI (`CI` set) or with `--quiet`. `done`
 * clears it before the report is printed.
 */
export function progressLine(io: CliIo, quiet: boolean | undefined): { onProgress?: (progress: Progress) => void; done: () => void } {
  if (!io.isTTY || quiet || io.env.CI) return { done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    onProgress: ({ files, totalFiles, documents }) => {
      const now = Date.now();
      if (now - last < PROGRESS_INTERVAL_MS && files < totalFiles) return;
      last = now;
      shown = true;
      const count = (n: number) => n.toLocaleString('en');
      io.stderr(`\r\x1b[Kwaymark: ${count(files)}/${count(totalFiles)} files scanned, ${count(documents)} documents parsed`);
    },
    done: () => {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}
