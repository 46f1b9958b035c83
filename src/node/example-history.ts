/**
 * The embedded example's git history. `content/example-infra/` is a plain
 * folder of Waymark's checkout, so the history git would find for it is
 * Waymark's own; the demo needs an infrastructure repository's history
 * instead (stale and moved references, a deleted and a renamed file, changes
 * since validation). That history is built here from the patches in
 * `content/example-history/` into a private git directory beside Waymark's
 * dependencies (`node_modules/.cache/waymark-example-history/<key>/`), never
 * inside the example and never in git's global state.
 *
 * The example's files are the last commit: the patches say how the example
 * got there, and are undone newest first from the files as they are to find
 * each earlier tree (the first commit holds whatever no patch undoes). So an
 * edit to the example needs no new patch unless it touches lines a patch
 * changed; then the patch no longer undoes: scans keep the last history built
 * (the edit shows as uncommitted), and test/example-history.test.ts names the
 * patch to update.
 * Deterministic: fixed identities and dates from each patch's header, one
 * `git fast-import`, no hooks, no templates, no system or global config.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { applyPatch, parsePatch, reversePatch, type StructuredPatch } from 'diff';
import { git } from './git.ts';
import { EXAMPLE_ROOT, PACKAGE_ROOT } from './package-root.ts';
/** The patches its history is built from, oldest first by name. */
const EXAMPLE_PATCHES = path.join(PACKAGE_ROOT, 'content', 'example-history');
/** Bumped when the way commits are built changes, so an old private history is not reused. */
const BUILDER_VERSION = '1';

/** One commit of the example's history, from a patch file's header. */
export interface ExampleCommit {
  /** The patch file's name. */
  file: string;
  author: string;
  email: string;
  /** Seconds since the epoch. */
  time: number;
  /** `+0100`, as the header's date says. */
  zone: string;
  message: string;
  /** The diff after the header's `---` line (empty for the first commit). */
  diff: string;
}

/** A file of a tree: text and whether it is executable. */
interface TreeFile {
  text: string;
  executable: boolean;
}

type Tree = Map<string, TreeFile>;

const HEADER = /^From: (?<author>[^<\n]+?) <(?<email>[^>\n]+)>\nDate: (?<date>[^\n]+)\nSubject: (?<subject>[^\n]+)\n/;

/** A patch file: `From:`, `Date:` (RFC 2822) and `Subject:` lines, a body, `---`, then a git diff. */
export function parseExampleCommit(file: string, text: string): ExampleCommit {
  const header = HEADER.exec(text)?.groups;
  const time = header ? Date.parse(header.date) : Number.NaN;
  const zone = /([+-]\d{4})$/.exec(header?.date ?? '')?.[1];
  const end = text.indexOf('\n---\n');
  if (!header || Number.isNaN(time) || !zone || end < 0) {
    throw new Error(`content/example-history/${file}: expected From:, Date: (RFC 2822 with a zone), Subject:, a body, then a \`---\` line`);
  }
  const body = text.slice(HEADER.exec(text)![0].length, end).trim();
  return {
    file,
    author: header.author,
    email: header.email,
    time: time / 1000,
    zone,
    message: body ? `${header.subject}\n\n${body}\n` : `${header.subject}\n`,
    diff: text.slice(end + '\n---\n'.length),
  };
}

/** The patches, oldest first; undefined when the folder is absent (Waymark installed from npm carries no example). */
async function readCommits(): Promise<ExampleCommit[] | undefined> {
  const names = await readdir(EXAMPLE_PATCHES).catch(() => undefined);
  if (!names) return undefined;
  const patches = names.filter((name) => name.endsWith('.patch')).sort();
  return Promise.all(patches.map(async (name) => parseExampleCommit(name, await readFile(path.join(EXAMPLE_PATCHES, name), 'utf8'))));
}

/** Every file under the example but `.git`, by relative path with forward slashes, sorted. */
async function readExample(): Promise<Tree> {
  const tree: Tree = new Map();
  const entries = await readdir(EXAMPLE_ROOT, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(EXAMPLE_ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.split('/').includes('.git'))
    .sort();
  for (const file of files) {
    const absolute = path.join(EXAMPLE_ROOT, file);
    const [text, info] = await Promise.all([readFile(absolute, 'utf8'), lstat(absolute)]);
    tree.set(file, { text, executable: (info.mode & 0o111) !== 0 });
  }
  return tree;
}

/** `a/x` or `b/x` → `x`. */
function unprefixed(name: string | undefined): string {
  return (name ?? '').replace(/^[ab]\//, '');
}

/** The tree before `commit`, from the tree after it; throws naming the patch when it does not undo. */
function undo(after: Tree, commit: ExampleCommit): Tree {
  const before = new Map(after);
  // One chunk per file, in parsePatch's order, for the modes it does not keep.
  const chunks = commit.diff.split(/^(?=diff --git )/m).filter((chunk) => chunk.startsWith('diff --git '));
  const patches: StructuredPatch[] = parsePatch(commit.diff);
  const fail = (file: string, why: string) =>
    new Error(`content/example-history/${commit.file} no longer undoes on content/example-infra/${file} (${why}); update the patch to the example as it is`);
  patches.forEach((patch, at) => {
    const from = unprefixed(patch.oldFileName);
    const to = unprefixed(patch.newFileName);
    if (patch.isCreate) {
      if (!before.delete(to)) throw fail(to, 'the file it adds is not there');
      return;
    }
    if (patch.isDelete) {
      const text = applyPatch('', reversePatch(patch));
      if (text === false) throw fail(from, 'its deleted lines do not form a file');
      before.set(from, { text, executable: /^deleted file mode 100755$/m.test(chunks[at] ?? '') });
      return;
    }
    const current = before.get(to);
    if (!current) throw fail(to, 'the file it changes is not there');
    const text = patch.hunks.length ? applyPatch(current.text, reversePatch(patch)) : current.text;
    if (text === false) throw fail(to, 'its lines are not there');
    before.delete(to);
    before.set(from, { ...current, text });
  });
  return before;
}

/** The trees after each commit, oldest first; the last is the example as it is. */
async function exampleTrees(commits: ExampleCommit[]): Promise<Tree[]> {
  const trees: Tree[] = [await readExample()];
  for (let at = commits.length - 1; at > 0; at--) trees.unshift(undo(trees[0], commits[at]));
  return trees;
}

/** Every tree of the history, oldest first, with no fallback: throws naming the first patch that no longer undoes. */
export async function strictExampleTrees(): Promise<number> {
  const commits = (await readCommits()) ?? [];
  return (await exampleTrees(commits)).length;
}

/** A `git fast-import` path: the example's are plain, anything else is refused rather than quoted. */
function importPath(file: string): string {
  if (/[\n"\\]/.test(file) || file.startsWith(' ')) throw new Error(`content/example-infra: \`${file}\` is not a path the example history can hold`);
  return file;
}

/** One `git fast-import` stream: each commit a whole tree (`deleteall`, then every file), so no diff logic is git's. */
function importStream(commits: ExampleCommit[], trees: Tree[]): Buffer {
  const parts: Buffer[] = [];
  const line = (text: string) => parts.push(Buffer.from(`${text}\n`));
  const data = (text: string) => {
    const bytes = Buffer.from(text);
    line(`data ${bytes.length}`);
    parts.push(bytes);
    line('');
  };
  commits.forEach((commit, at) => {
    const who = `${commit.author} <${commit.email}> ${commit.time} ${commit.zone}`;
    line('commit refs/heads/main');
    line(`mark :${at + 1}`);
    line(`author ${who}`);
    line(`committer ${who}`);
    data(commit.message);
    if (at > 0) line(`from :${at}`);
    line('deleteall');
    for (const [file, { text, executable }] of trees[at]) {
      line(`M ${executable ? '100755' : '100644'} inline ${importPath(file)}`);
      data(text);
    }
  });
  line('done');
  return Buffer.concat(parts);
}

/**
 * Where private histories are kept: beside Waymark's own dependencies, never in the example or a
 * user's repository, and apart from the fact cache (`cache-folder.ts`): the example is Waymark's
 * content, so the folder goes with this checkout and `npm ci` clears it.
 */
const HISTORIES = path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'waymark-example-history');

let built: Promise<string | undefined> | undefined;
let builtKey: string | undefined;

/**
 * The git directory holding the example's history, built on first use (a
 * few tens of milliseconds) and reused while the patches and the example's
 * files are unchanged; undefined when Waymark carries no example.
 */
export async function exampleGitDir(): Promise<string | undefined> {
  const commits = await readCommits();
  if (!commits?.length) return undefined;
  const trees = await exampleTrees(commits).catch(async (error: unknown) => {
    // An edit to lines a patch changed (trying the demo in `waymark dev`): the last history built
    // is kept, so the edit shows as an uncommitted change. With none, the error names the patch.
    const previous = await newestHistory();
    if (previous) return previous;
    throw error;
  });
  if (typeof trees === 'string') return trees;
  const key = createHash('sha256')
    .update(JSON.stringify([BUILDER_VERSION, commits, trees.at(-1) ? [...trees.at(-1)!] : []]))
    .digest('hex')
    .slice(0, 16);
  if (built && builtKey === key) return built;
  builtKey = key;
  built = buildHistory(key, commits, trees);
  built.catch(() => (built = undefined));
  return built;
}

/** The most recently built history's git directory, if any. */
async function newestHistory(): Promise<string | undefined> {
  const names = await readdir(HISTORIES).catch(() => [] as string[]);
  const built = await Promise.all(
    names
      .filter((name) => /^[0-9a-f]{16}$/.test(name))
      .map(async (name) => ({ gitDir: path.join(HISTORIES, name, '.git'), info: await lstat(path.join(HISTORIES, name, '.git', 'index')).catch(() => undefined) })),
  );
  return built
    .filter((entry) => entry.info)
    .sort((a, b) => b.info!.mtimeMs - a.info!.mtimeMs)[0]?.gitDir;
}

async function buildHistory(key: string, commits: ExampleCommit[], trees: Tree[]): Promise<string> {
  const home = path.join(HISTORIES, key);
  const gitDir = path.join(home, '.git');
  if (await lstat(path.join(gitDir, 'index')).catch(() => undefined)) return gitDir;
  // Built aside and renamed into place, so a second process never sees half a history.
  await mkdir(HISTORIES, { recursive: true });
  const aside = `${home}.${process.pid}.${Date.now()}`;
  try {
    await git(undefined, ['init', '--quiet', '--template=', '--initial-branch=main', aside]);
    const scope = { root: EXAMPLE_ROOT, location: { gitDir: path.join(aside, '.git'), workTree: EXAMPLE_ROOT } };
    await git(scope, ['fast-import', '--quiet', '--done'], importStream(commits, trees).toString('utf8'));
    // The index discovery lists files from; only the index is written, the example's files are never touched.
    await git(scope, ['read-tree', 'HEAD']);
    await rename(aside, home).catch(async (error: NodeJS.ErrnoException) => {
      // Another process got there first: its history is the same.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    return gitDir;
  } finally {
    await rm(aside, { recursive: true, force: true });
  }
}
