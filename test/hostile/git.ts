/**
 * Git states a scanned repository can be in, made at test time: a work tree
 * with no commits at all, and a shallow clone of a repository with history.
 * Identity, signing and hooks are pinned so the user's git config cannot
 * change what the tests see.
 */
import { execFileSync } from 'node:child_process';

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
