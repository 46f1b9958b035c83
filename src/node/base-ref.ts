/**
 * The base of a pull request, for `waymark check --changed-since`: which
 * commit to compare with, and that commit's files checked out in a private
 * folder. All through `git.ts`, never fetching: what the clone lacks is
 * said, with the checkout depth that would bring it.
 *
 * The base is checked out into a new repository in a private temporary
 * folder that borrows the clone's objects (`objects/info/alternates`) and has
 * its own config: none of the scanned repository's config, hooks or filter
 * drivers applies there, and the scanned working tree is never touched. The
 * base's history comes with it, so the history rules judge it as they judge
 * the head.
 */
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git, type GitScope } from './git.ts';

/** The commit to compare with, or why there is none; `notes` say what was assumed. */
export interface BaseCommit {
  /** Full hash, when found. */
  commit?: string;
  /** The ref as named or guessed (`origin/main`). */
  ref?: string;
  /** What the user should know: a shallow clone, a ref that is not there. */
  notes: string[];
}

/** What a ref given on the command line may look like: no option, no revision syntax beyond a name. */
const REF_NAME = /^(?!-)[\w./@{}^~-]+$/;

const SHALLOW_HINT =
  'the clone is shallow: check out with `fetch-depth: 0` (actions/checkout) or `GIT_DEPTH: 0` (GitLab CI) so the base is in it';

/**
 * The merge base of HEAD and `ref` (default: the default branch: the pull
 * request's base in GitHub Actions, else `origin/HEAD`, else `origin/main`,
 * `origin/master`, `main`, `master`). In a shallow clone without a merge
 * base, the ref's own commit, with a note; without the ref, none.
 */
export async function findBase(scope: GitScope, ref: string | undefined, env: Record<string, string | undefined>): Promise<BaseCommit> {
  const shallow = (await git(scope, ['rev-parse', '--is-shallow-repository']).catch(() => '')).trim() === 'true';
  const named = ref ?? (await defaultBranch(scope, env));
  if (!named) {
    const why = shallow ? SHALLOW_HINT : 'name one: `--changed-since origin/main`';
    return { notes: [`no default branch found to compare with (no \`origin/HEAD\`, \`origin/main\`, \`main\`, …); ${why}`] };
  }
  if (!REF_NAME.test(named)) return { ref: named, notes: [`\`${named}\` is not a branch, tag or commit name`] };
  const commit = await resolveCommit(scope, named);
  if (!commit) {
    return { ref: named, notes: [`\`${named}\` is not in this clone${shallow ? `; ${SHALLOW_HINT}` : ''}`] };
  }
  const base = (await git(scope, ['merge-base', commit, 'HEAD']).catch(() => '')).trim();
  if (base) return { commit: base, ref: named, notes: [] };
  const why = shallow ? SHALLOW_HINT : 'the histories are unrelated';
  return { commit, ref: named, notes: [`no merge base of \`${named}\` and HEAD (${why}); comparing with \`${named}\` itself`] };
}

async function resolveCommit(scope: GitScope, ref: string): Promise<string | undefined> {
  const out = await git(scope, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).catch(() => '');
  return /^[0-9a-f]{40,64}$/.test(out.trim()) ? out.trim() : undefined;
}

async function defaultBranch(scope: GitScope, env: Record<string, string | undefined>): Promise<string | undefined> {
  const candidates: string[] = [];
  // Set by GitHub Actions on pull_request events: the branch the pull request goes into.
  if (env.GITHUB_BASE_REF && REF_NAME.test(env.GITHUB_BASE_REF)) candidates.push(`origin/${env.GITHUB_BASE_REF}`);
  if (env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME && REF_NAME.test(env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME)) {
    candidates.push(`origin/${env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME}`);
  }
  const originHead = (await git(scope, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']).catch(() => '')).trim();
  if (originHead) candidates.push(originHead);
  candidates.push('origin/main', 'origin/master', 'main', 'master');
  for (const candidate of candidates) if (await resolveCommit(scope, candidate)) return candidate;
  return undefined;
}

/** A base checked out in a private folder; `dispose` removes it. */
export interface BaseCheckout {
  /** The folder matching the scanned root, inside the checkout. */
  root: string;
  dispose: () => Promise<void>;
}

/** A `shallow` file of sane size is copied as it is; a link or a huge one is not (the base then reads as cut at itself). */
const SHALLOW_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Check `commit` out into a new private folder, as a repository of its own
 * that borrows `scope`'s objects; `root` there is the scanned folder's place.
 */
export async function checkOutBase(scope: GitScope, commit: string): Promise<BaseCheckout> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'waymark-base-'));
  const dispose = () => rm(folder, { recursive: true, force: true });
  try {
    const tree = path.join(folder, 'tree');
    await mkdir(tree, { mode: 0o700 });
    const own: GitScope = { root: tree, location: { gitDir: path.join(tree, '.git'), workTree: tree } };
    await git(own, ['init', '--quiet']);
    const common = path.resolve(scope.root, (await git(scope, ['rev-parse', '--git-common-dir'])).trim());
    await writeFile(path.join(own.location.gitDir, 'objects/info/alternates'), `${path.join(common, 'objects')}\n`);
    await copyShallow(path.join(common, 'shallow'), path.join(own.location.gitDir, 'shallow'));
    await git(own, ['update-ref', '--no-deref', 'HEAD', commit]);
    // Our own repository: no filter driver or hook is configured in it, so checking out runs nothing.
    await git(own, ['read-tree', '--reset', '-u', 'HEAD']);
    const inside = path.relative(scope.location.workTree, scope.root);
    return { root: path.join(tree, inside), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

async function copyShallow(from: string, to: string): Promise<void> {
  const info = await lstat(from).catch(() => undefined);
  if (!info?.isFile() || info.size > SHALLOW_MAX_BYTES) return;
  const hashes = (await readFile(from, 'utf8')).split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  await writeFile(to, hashes.map((hash) => `${hash}\n`).join(''));
}
