/**
 * Git states a scanned repository can be in, made at test time: a work tree
 * with no commits at all, and a shallow clone of a repository with history.
 * Identity, signing and hooks are pinned so the user's git config cannot
 * change what the tests see.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PINNED = ['-c', 'user.name=Waymark Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', '-c', 'init.defaultBranch=main'];

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', [...PINNED, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `git init` and nothing else: every file is untracked, there is no HEAD. */
export function initWithoutCommits(repo: string): void {
  git(repo, ['init', '-q']);
}

/** Stage everything and commit it. */
export function commitAll(repo: string, message: string): void {
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '--no-verify', '-m', message]);
}

/** A `--depth 1` clone of `source` into `target`: HEAD only, the rest of history cut off. */
export function shallowClone(source: string, target: string): void {
  git(source, ['clone', '-q', '--depth', '1', `file://${source}`, target]);
}

/**
 * `files` committed in `<scratch>/<name>-original`, written an hour ago (a stamp that close to a scan
 * is racy, and the cache would keep none), then copied with `cp -a` to `<scratch>/<name>`: same times
 * and sizes, new inodes, so git's stat data vouches for no file of the copy.
 */
export function copiedCheckout(scratch: string, name: string, files: Record<string, string | Buffer>): string {
  const original = path.join(scratch, `${name}-original`);
  const earlier = new Date(Date.now() - 3_600_000);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(original, file)), { recursive: true });
    writeFileSync(path.join(original, file), text);
    utimesSync(path.join(original, file), earlier, earlier);
  }
  git(original, ['init', '-q']);
  commitAll(original, 'Initial');
  const copy = path.join(scratch, name);
  execFileSync('cp', ['-a', original, copy]);
  return copy;
}

/** HEAD's blob id of `file`. */
export function headBlobId(repo: string, file: string): string {
  return git(repo, ['rev-parse', `HEAD:${file}`]).trim();
}
