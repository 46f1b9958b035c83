/**
 * The one way Waymark runs git. A repository may come from anyone (a fork's
 * pull request, a tarball), and git runs programs its config names:
 * `core.fsmonitor` on every index read, filter drivers and textconv on
 * content, hooks, pagers, ssh and credential helpers on the network. So
 * every git process here:
 *
 * - gets `-c` overrides for every program-running key git lets one override
 *   (command-line config outranks the repository's, included files too);
 * - never diffs the work tree (that runs `filter.<name>.clean`, a key with a
 *   name we cannot know in advance): work files are read from disk and
 *   compared in JavaScript (`worktree.ts`);
 * - passes `--no-ext-diff --no-textconv` to every diff-producing command
 *   (the same reason: `diff.<name>.command`, `diff.<name>.textconv`);
 * - runs with a scrubbed environment: no inherited `GIT_*`, no system or
 *   global config, no prompts, no pager, `LC_ALL=C`;
 * - is told its git directory and work tree (`GIT_DIR`, `GIT_WORK_TREE`)
 *   after {@link locateRepository} has checked them, so git never discovers
 *   one on its own: not a bare repository planted in the folder, not a
 *   `.git` file pointing at another repository's history;
 * - never fetches: `protocol.allow=never` refuses every transport.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { EXAMPLE_ROOT } from './package-root.ts';

class GitError extends Error {
  name = 'GitError';
}

/** Where a scanned folder's git data is, once checked. */
interface GitLocation {
  /** The git directory (`GIT_DIR`). */
  gitDir: string;
  /** The top of the work tree (`GIT_WORK_TREE`); the scanned folder is it or inside it. */
  workTree: string;
}

/** A scanned folder and the repository it belongs to: what every git call needs. */
export interface GitScope {
  /** The scanned folder; git runs here, so `--relative` paths are relative to it. */
  root: string;
  location: GitLocation;
}

/** What looking for a repository found: a checked location, or why a `.git` there was not followed. */
export interface Located {
  location?: GitLocation;
  /** Set when a `.git` was found but points somewhere git itself never puts a repository. */
  refused?: GitRefusal;
}

/** A `.git` not followed, reported as a warning so missing history checks are never a silent surprise. */
export interface GitRefusal {
  /** The `.git` entry, relative to the scanned folder (`.git`, `../.git`), forward slashes. */
  file: string;
  message: string;
}

const NULL_DEVICE = process.platform === 'win32' ? 'NUL' : '/dev/null';

/**
 * Command-line config: outranks `.git/config` and everything it includes.
 * Keys that name programs, then keys that change output the parsers read.
 * Not overridable here, so never reached: `filter.<name>.*` and
 * `diff.<name>.*` (no work-tree diffs, `--no-ext-diff --no-textconv`),
 * `uploadpack.*` (read only from protected config, and only by a fetch's
 * server side, which never runs), `gpg.*` (no signature is ever verified:
 * `log.showSignature=false`, no `%G` formats).
 */
const SAFE_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', NULL_DEVICE],
  ['core.pager', 'cat'],
  ['core.askPass', ''],
  ['core.sshCommand', ''],
  ['credential.helper', ''],
  ['protocol.allow', 'never'],
  ['diff.ignoreSubmodules', 'all'],
  ['submodule.recurse', 'false'],
  ['core.untrackedCache', 'false'],
  ['log.showSignature', 'false'],
  ['core.quotepath', 'off'],
  ['color.ui', 'never'],
  ['diff.noprefix', 'false'],
  ['i18n.logOutputEncoding', 'UTF-8'],
];

/** Subcommands that can print a patch: each gets `--no-ext-diff --no-textconv`. */
const DIFF_COMMANDS = new Set(['log', 'diff', 'diff-tree', 'diff-index', 'show']);

/** The environment of every git process: the caller's, minus git's own variables, plus ours. */
function gitEnvironment(location: GitLocation | undefined, inherited: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inherited)) {
    // GIT_DIR, GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND, GIT_PAGER...: none is ours to inherit.
    if (!/^GIT_/i.test(name) && value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: NULL_DEVICE,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    // Reads only: never take the index lock another git process may hold.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
  });
  if (location) Object.assign(env, { GIT_DIR: location.gitDir, GIT_WORK_TREE: location.workTree });
  return env;
}

/** The full argument list: overrides, then the subcommand, with `--no-ext-diff --no-textconv` where it can print a patch. */
function gitArguments(args: string[]): string[] {
  const overrides = SAFE_CONFIG.flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const at = args.findIndex((arg) => !arg.startsWith('-'));
  const command = at >= 0 && DIFF_COMMANDS.has(args[at]) ? [...args.slice(0, at + 1), '--no-ext-diff', '--no-textconv', ...args.slice(at + 1)] : args;
  return ['--no-pager', ...overrides, ...command];
}

/**
 * Run git for `scope` (or with no repository: `git version`); resolves with
 * stdout as UTF-8, rejects with a `GitError` carrying stderr.
 */
export function git(scope: GitScope | undefined, args: string[], input?: string): Promise<string> {
  return gitBytes(scope, args, input).then((bytes) => bytes.toString('utf8'));
}

/**
 * A long-lived git process for `scope` (`cat-file --batch`), with the same
 * arguments and environment as {@link git}. Unreferenced: it never keeps this
 * process alive, and it ends when its stdin does (or this process exits).
 */
function gitProcess(scope: GitScope, args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn('git', gitArguments(args), { cwd: scope.root, env: gitEnvironment(scope.location), stdio: ['pipe', 'pipe', 'pipe'] });
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr] as Array<{ unref?: () => void }>) stream.unref?.();
  child.stderr.resume();
  child.stdin.on('error', () => undefined);
  return child;
}

/**
 * One long-lived git process answering requests written to its stdin, one at a
 * time (`cat-file --batch`, `check-ignore --stdin`): a request on an open pipe
 * costs a write, a fork of a large engine ~100 ms of its main thread. Its
 * owner parses the answers out of {@link GitPipe.buffered}.
 */
export class GitPipe {
  private readonly child: ChildProcessWithoutNullStreams;
  private queue: Promise<unknown> = Promise.resolve();
  private wake: () => void = () => undefined;
  private ended = false;
  private closed = false;
  /** What git wrote that its owner has not taken yet. */
  buffered: Buffer = Buffer.alloc(0);

  constructor(
    scope: GitScope,
    args: string[],
    private readonly name: string,
  ) {
    this.child = gitProcess(scope, args);
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.wake();
    });
    const end = () => {
      this.ended = true;
      this.wake();
    };
    this.child.on('close', end);
    this.child.on('error', end);
  }

  /** Runs `exchange` after every earlier one: requests and their answers never interleave. */
  serial<T>(exchange: () => Promise<T>): Promise<T> {
    const next = this.queue.then(exchange);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Writes a request; rejects once closed (its owner disposed), so the caller asks git on its own. */
  write(text: string): void {
    if (this.closed) throw new Error(`${this.name} closed`);
    this.child.stdin.write(text);
  }

  /** Resolves when git writes more; rejects when the process is gone before the answer is whole. */
  async more(): Promise<void> {
    if (this.ended) throw new Error(`${this.name} ended`);
    await new Promise<void>((resume) => (this.wake = resume));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.stdin.end();
  }
}

/** {@link git}, stdout as bytes (blob contents). */
export function gitBytes(scope: GitScope | undefined, args: string[], input?: string | Buffer): Promise<Buffer> {
  return gitOutput(scope, args, input).then(({ out }) => out);
}

/** {@link git}, with what git wrote to stderr on success too (its warnings). */
export function gitWithWarnings(scope: GitScope | undefined, args: string[]): Promise<{ out: string; warnings: string }> {
  return gitOutput(scope, args).then(({ out, err }) => ({ out: out.toString('utf8'), warnings: err.toString('utf8') }));
}

function gitOutput(scope: GitScope | undefined, args: string[], input?: string | Buffer): Promise<{ out: Buffer; err: Buffer }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', gitArguments(args), {
      cwd: scope?.root,
      env: gitEnvironment(scope?.location),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(`git could not run: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve({ out: Buffer.concat(out), err: Buffer.concat(err) });
      else reject(new GitError(`git ${args.find((arg) => !arg.startsWith('-')) ?? ''} failed: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

export interface LocateOptions {
  /** `--git-dir`: the user names the git directory, so it is used as given. */
  gitDir?: string;
  /** For `GIT_CEILING_DIRECTORIES`: folders the search for `.git` never climbs into. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Find the repository `root` belongs to, as git would, from `root` up to the
 * file-system root (or a `GIT_CEILING_DIRECTORIES` entry): the first `.git`.
 * A `.git` folder is used. A `.git` file (`gitdir: <path>`) is followed only
 * in the layouts git itself writes: a linked worktree
 * (`<repo>/.git/worktrees/<name>`, whose `gitdir` file points back at this
 * `.git`) or a submodule (`<super>/.git/modules/<name>`, `<super>` enclosing
 * it). Anything else (`gitdir: ../private/.git`, a symbolic link) is refused
 * with a reason: following it would publish another repository's history.
 */
export async function locateRepository(root: string, options: LocateOptions = {}): Promise<Located> {
  const start = await realpath(root).catch(() => path.resolve(root));
  if (options.gitDir) return { location: await namedGitDir(start, options.gitDir) };
  // The embedded example sits in Waymark's checkout; its own history is built from patches, not taken from Waymark's.
  if (start === (await realpath(EXAMPLE_ROOT).catch(() => EXAMPLE_ROOT))) {
    const { exampleGitDir } = await import('./example-history.ts');
    const gitDir = await exampleGitDir();
    if (gitDir) return { location: { gitDir, workTree: start } };
  }
  const ceilings = ceilingDirectories(options.env ?? process.env);
  for (let dir = start; ; ) {
    const found = await inspectDotGit(dir, start);
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir || ceilings.has(parent)) return {};
    dir = parent;
  }
}

/** `--git-dir`: a folder git accepts. The work tree is the folder holding it when that encloses `root`, else `root`. */
async function namedGitDir(root: string, given: string): Promise<GitLocation> {
  const gitDir = await realpath(path.resolve(given)).catch(() => undefined);
  if (!gitDir || !(await isGitDirectory(gitDir))) throw new GitError(`\`--git-dir ${given}\` is not a git directory`);
  const holder = path.dirname(gitDir);
  return { gitDir, workTree: isWithin(holder, root) ? holder : root };
}

function ceilingDirectories(env: NodeJS.ProcessEnv): Set<string> {
  const list = (env.GIT_CEILING_DIRECTORIES ?? '').split(path.delimiter).filter((entry) => path.isAbsolute(entry));
  return new Set(list.map((entry) => path.resolve(entry)));
}

async function inspectDotGit(dir: string, start: string): Promise<Located | undefined> {
  const entry = path.join(dir, '.git');
  const info = await lstat(entry).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) return (await isGitDirectory(entry)) ? { location: { gitDir: entry, workTree: dir } } : undefined;
  const file = path.relative(start, entry).split(path.sep).join('/');
  const refuse = (why: string): Located => ({
    refused: { file, message: `\`${file}\` ${why}, so git history is not read (pass \`--git-dir\` to name a git directory)` },
  });
  if (info.isSymbolicLink()) return refuse('is a symbolic link');
  if (!info.isFile() || info.size > 4096) return refuse('is neither a git folder nor a `gitdir:` file');
  const given = /^gitdir: *(.+?)\s*$/m.exec(await readFile(entry, 'utf8').catch(() => ''))?.[1];
  if (!given) return refuse('is neither a git folder nor a `gitdir:` file');
  // Shown in the warning: no control character from the repository reaches a terminal.
  const pointer = given.replace(/[\p{Cc}\p{Cf}`]/gu, '?');
  const target = await realpath(path.resolve(dir, given)).catch(() => undefined);
  if (!target || !(await isGitDirectory(target))) return refuse(`points at \`${pointer}\`, which is not a git directory`);
  if (await isWorktreeOf(target, entry)) return { location: { gitDir: target, workTree: dir } };
  if (isSubmoduleOf(target, dir)) return { location: { gitDir: target, workTree: dir } };
  return refuse(`points at \`${pointer}\`, outside the layouts git creates (a worktree's \`.git/worktrees/<name>\`, a submodule's \`.git/modules/<name>\`)`);
}

/** `<repo>/.git/worktrees/<name>` whose `gitdir` file names this `.git` file, as `git worktree add` writes it. */
async function isWorktreeOf(target: string, dotGit: string): Promise<boolean> {
  const parts = target.split(path.sep);
  if (parts.at(-2) !== 'worktrees' || parts.at(-3) !== '.git') return false;
  const back = (await readFile(path.join(target, 'gitdir'), 'utf8').catch(() => '')).trim();
  if (!back) return false;
  const [backReal, dotGitReal] = await Promise.all([realpath(path.resolve(target, back)).catch(() => ''), realpath(dotGit).catch(() => dotGit)]);
  return backReal === dotGitReal;
}

/** `<super>/.git/modules/<name>[/modules/<name>…]`, with `<super>` enclosing the submodule's folder. */
function isSubmoduleOf(target: string, dir: string): boolean {
  const marker = `${path.sep}.git${path.sep}modules${path.sep}`;
  const at = target.indexOf(marker);
  if (at <= 0) return false;
  const superproject = target.slice(0, at);
  // A module's name may hold slashes (it defaults to its path); nested ones add `/modules/<name>`.
  const rest = target.slice(at + marker.length).split(path.sep);
  const wellFormed = rest.every((segment) => segment !== '' && segment !== '..');
  return wellFormed && superproject !== dir && isWithin(superproject, dir);
}

/** What git itself checks: a `HEAD`, an object store and refs. */
async function isGitDirectory(dir: string): Promise<boolean> {
  const [head, objects, refs, commondir] = await Promise.all(
    ['HEAD', 'objects', 'refs', 'commondir'].map((name) => stat(path.join(dir, name)).then((info) => info, () => undefined)),
  );
  // A linked worktree's git directory keeps its objects and refs in the common directory.
  return Boolean(head?.isFile() && ((objects?.isDirectory() && refs?.isDirectory()) || commondir?.isFile()));
}

function isWithin(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The repository `root` belongs to, ready for {@link git}; `refused` says why a `.git` was not followed. */
export async function openScope(root: string, options: LocateOptions = {}): Promise<{ scope?: GitScope; refused?: GitRefusal }> {
  const found = await locateRepository(root, options);
  const real = await realpath(root).catch(() => path.resolve(root));
  return found.location ? { scope: { root: real, location: found.location } } : { refused: found.refused };
}

/** What `rev-parse` says of a scope: whether it is in a work tree, whether the clone is shallow, HEAD's commit (none before the first). */
export interface ScopeFacts {
  inside: boolean;
  shallow: boolean;
  head?: string;
}

/**
 * One `rev-parse` for what discovery and history both ask first: one process
 * where there were three in a row (each spawn blocks this thread until git has
 * started: 20-60 ms apiece on a busy machine, profiled). A scan asks it once
 * and hands the answer to both; HEAD moves, so it is never kept longer.
 */
export async function probeScope(scope: GitScope): Promise<ScopeFacts> {
  const lines = await git(scope, ['rev-parse', '--is-inside-work-tree', '--is-shallow-repository', '--verify', '--quiet', 'HEAD^{commit}']).then(
    (text) => text.split('\n'),
    // Before the first commit there is no HEAD, and `--verify` fails the whole call: asked again without it.
    () => git(scope, ['rev-parse', '--is-inside-work-tree', '--is-shallow-repository']).then((text) => text.split('\n')),
  );
  return { inside: lines[0]?.trim() === 'true', shallow: lines[1]?.trim() === 'true', head: lines[2]?.trim() || undefined };
}

let versionAnswer: Promise<string> | undefined;

/** `git version`, asked once per process: the git on PATH does not change under a running scan (or a resident engine). */
export function gitVersion(): Promise<string> {
  versionAnswer ??= git(undefined, ['version']).catch((error: unknown) => {
    versionAnswer = undefined;
    throw error;
  });
  return versionAnswer;
}

/** The `origin` remote's URL from the repository's own config (read, never contacted), or undefined. */
export async function originUrl(scope: GitScope | undefined): Promise<string | undefined> {
  if (!scope) return undefined;
  const url = await git(scope, ['config', '--local', '--get', 'remote.origin.url']).catch(() => '');
  return url.trim() || undefined;
}
