/**
 * Which files belong to the repository: `git ls-files` inside a work tree
 * (tracked plus untracked-not-ignored), otherwise a walk that honours the
 * root `.gitignore`. Paths come back repository-relative, forward slashes,
 * sorted.
 */
import { realpath } from 'node:fs/promises';
import { glob } from 'glob';
import { Minimatch } from 'minimatch';
import { compareText } from '../core/text/compare.ts';
import { git, openScope, probeScope, type GitScope, type ScopeFacts } from './git.ts';
import { readRepositoryFile } from './read-files.ts';

/** Folders never worth reading, whatever `.gitignore` says. */
const ALWAYS_IGNORED = ['.git', '**/.git', '.git/**', '**/.git/**', 'node_modules/**', '**/node_modules/**'];

export interface Discovered {
  paths: string[];
  /** `git` when the list came from `git ls-files`. */
  source: 'git' | 'glob';
}

/** `located`: the repository already found for `root` (`git.ts`); looked up here when not given. `probe`: the scan's `rev-parse` of it. */
export async function discoverFiles(root: string, include: string[], exclude: string[], located?: { scope?: GitScope }, probe?: Promise<ScopeFacts>): Promise<Discovered> {
  const { scope } = located ?? (await openScope(root));
  const fromGit = scope ? await gitFiles(scope, probe ?? probeScope(scope)) : undefined;
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

async function gitFiles(scope: GitScope, probe: Promise<ScopeFacts>): Promise<string[] | undefined> {
  // One listing, each entry tagged (`-t`): `H`/`S`/`M` tracked, `?` untracked and not ignored, and `R` again for a
  // tracked file deleted in the work tree, which is not there to read (two processes before: each spawn blocks this
  // thread until git has started). -z: names with spaces, quotes or unicode come through unescaped. Asked at once,
  // beside the probe (which may wait for the git state cache): its answer is used only inside a work tree.
  const listing = git(scope, ['ls-files', '-z', '-t', '--cached', '--others', '--deleted', '--exclude-standard', '--', '.']);
  listing.catch(() => undefined);
  try {
    if (!(await probe).inside) return undefined;
    // A folder the enclosing work tree ignores (a download into its `vendor/`) would
    // list nothing and pass silently: it is not that repository's, so walk it instead.
    // The top of a work tree is never ignored: no process to ask.
    if (scope.root !== scope.location.workTree && (await ignoredByGit(scope))) return undefined;
    const records = (await listing).split('\0');
    const deleted = new Set(records.filter((record) => record.startsWith('R ')).map((record) => record.slice(2)));
    return records.flatMap((record) => {
      const file = record.slice(2);
      return record.length > 2 && !record.startsWith('R ') && !deleted.has(file) && !ignoredAlways(file) ? [file] : [];
    });
  } catch {
    // Not a repository, or no git on PATH: fall back to walking the folder.
    return undefined;
  }
}

async function ignoredByGit(scope: GitScope): Promise<boolean> {
  // Exit 0: ignored; 1: not ignored; anything else (an old git, an error): carry on with ls-files.
  return git(scope, ['check-ignore', '-q', '.']).then(
    () => true,
    () => false,
  );
}

function ignoredAlways(file: string): boolean {
  // A `.git` file (a worktree's or submodule's pointer) is git's, not the repository's.
  return file === '.git' || file.startsWith('.git/') || file.split('/').includes('node_modules');
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
