/**
 * Which files belong to the repository: `git ls-files` inside a work tree
 * (tracked plus untracked-not-ignored), otherwise a walk that honours the
 * root `.gitignore`. Paths come back repository-relative, forward slashes,
 * sorted.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { glob } from 'glob';
import { Minimatch } from 'minimatch';
import { compareText } from '../core/text/compare.ts';
import { readRepositoryFile } from './read-files.ts';

const run = promisify(execFile);

/** Folders never worth reading, whatever `.gitignore` says. */
const ALWAYS_IGNORED = ['.git/**', '**/.git/**', 'node_modules/**', '**/node_modules/**'];

export interface Discovered {
  paths: string[];
  /** `git` when the list came from `git ls-files`. */
  source: 'git' | 'glob';
}

/** The repository's files, sorted: `git ls-files` in a work tree, else a walk honouring `.gitignore`; then the include and exclude globs. */
export async function discoverFiles(root: string, include: string[], exclude: string[]): Promise<Discovered> {
  const fromGit = await gitFiles(root);
  const listed = fromGit ?? (await walkFiles(root));
  const [included, excluded] = [matchers(include), matchers(exclude)];
  const paths = listed.filter((file) => selected(file, included, excluded)).sort(compareText);
  return { paths: [...new Set(paths)], source: fromGit ? 'git' : 'glob' };
}


// dot: `**` is every file, `.github/workflows/*.yml` included, as in `.gitignore`
// (path.matchesGlob has no such option, and skips dot-folders).
const matchers = (patterns: string[]) => patterns.map((pattern) => new Minimatch(pattern, { dot: true }));

function selected(file: string, include: Minimatch[], exclude: Minimatch[]): boolean {
  if (include.length && !include.some((pattern) => pattern.match(file))) return false;
  return !exclude.some((pattern) => pattern.match(file));
}

async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root });
    if (inside.stdout.trim() !== 'true') return undefined;
    // A folder the enclosing work tree ignores (a download into its `vendor/`) would
    // list nothing and pass silently: it is not that repository's, so walk it instead.
    if (await ignoredByGit(root)) return undefined;
    // Both listings walk the work tree: side by side, they take the time of one.
    const [listed, gone] = await Promise.all([
      // -z: names with spaces, quotes or unicode come through unescaped.
      run('git', ['-c', 'core.quotepath=off', 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.'], {
        cwd: root,
        maxBuffer: 1024 * 1024 * 512,
      }),
      // A file deleted in the work tree but still in the index is not there to read.
      run('git', ['ls-files', '-z', '--deleted', '--', '.'], { cwd: root, maxBuffer: 1024 * 1024 * 64 }),
    ]);
    const deleted = new Set(gone.stdout.split('\0').filter(Boolean));
    return listed.stdout.split('\0').filter((file) => file && !deleted.has(file) && !ignoredAlways(file));
  } catch {
    // Not a repository, or no git on PATH: fall back to walking the folder.
    return undefined;
  }
}

async function ignoredByGit(root: string): Promise<boolean> {
  // Exit 0: ignored; 1: not ignored; anything else (an old git, an error): carry on with ls-files.
  return run('git', ['check-ignore', '-q', '.'], { cwd: root }).then(
    () => true,
    () => false,
  );
}

function ignoredAlways(file: string): boolean {
  return file.startsWith('.git/') || file.split('/').includes('node_modules');
}

async function walkFiles(root: string): Promise<string[]> {
  const ignore = [...ALWAYS_IGNORED, ...(await gitignorePatterns(root))];
  // follow: false keeps symlinked folders (and loops) out of the walk.
  const files = await glob('**/*', { cwd: root, dot: true, nodir: true, follow: false, ignore, posix: true });
  return files.map((file) => file.replaceAll('\\', '/'));
}

/** Translate the root `.gitignore` into glob ignore patterns. Negations are not supported. */
async function gitignorePatterns(root: string): Promise<string[]> {
  // Read like any repository file: a `.gitignore` that links out of the repository is not followed.
  const realRoot = await realpath(root).catch(() => root);
  const read = await readRepositoryFile(realRoot, '.gitignore', 1024 * 1024);
  return 'text' in read ? gitignoreToGlobs(read.text) : [];
}

/** The patterns of a `.gitignore` as globs the walker understands. */
export function gitignoreToGlobs(text: string): string[] {
  const globs: string[] = [];
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const directoryOnly = line.endsWith('/');
    const body = line.replace(/^\/|\/$/g, '');
    // A pattern with an inner slash is anchored at the root, as in git.
    const anchored = line.startsWith('/') || body.includes('/');
    const base = anchored ? body : `**/${body}`;
    globs.push(`${base}/**`);
    if (!directoryOnly) globs.push(base);
  }
  return globs;
}
