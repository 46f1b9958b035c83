/** What every command shares: its I/O, argument parsing, and where the repository is. */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isInside } from '../node/read-files.ts';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../package-root.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress output is shown only then). */
  isTTY?: boolean;
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
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Parse a command's options plus the common ones (`--repo`, `--trust-config`, `--help`). */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals, strict: true });
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
  if (!relative || !isInside(realpathOr(cwd), root)) return '';
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
