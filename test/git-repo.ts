/** Scratch git repositories for the history tests: real commits with the dates each test gives them. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const folders: string[] = [];

/** Remove every repository made so far (call from `afterAll`). */
export function removeRepos(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** A scratch git repository whose commits carry the dates we give them. */
export class Repo {
  readonly dir: string;

  constructor(init = true) {
    this.dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'waymark-history-')));
    folders.push(this.dir);
    if (init) this.git('init', '-q');
  }

  git(...args: string[]): string {
    return this.gitAt(undefined, ...args);
  }

  gitAt(date: string | undefined, ...args: string[]): string {
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    if (date) Object.assign(env, { GIT_AUTHOR_DATE: `${date}T12:00:00+00:00`, GIT_COMMITTER_DATE: `${date}T12:00:00+00:00` });
    return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      env,
      encoding: 'utf8',
    });
  }

  write(file: string, text: string): this {
    mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
    writeFileSync(path.join(this.dir, file), text);
    return this;
  }

  /** `git mv`, creating the destination folder first. */
  move(from: string, to: string): this {
    mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    this.git('mv', from, to);
    return this;
  }

  read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8');
  }

  /** Commit everything on `date` (YYYY-MM-DD, noon UTC); returns the short hash. */
  commit(date: string, message: string): string {
    this.git('add', '-A');
    this.gitAt(date, 'commit', '-q', '--date', `${date}T12:00:00+00:00`, '-m', message);
    return this.git('rev-parse', '--short', 'HEAD').trim();
  }
}

/** `line 1` … `line n`, every line distinct so git's diffs are exact. */
export function code(count: number, label = 'line'): string {
  return Array.from({ length: count }, (_, index) => `${label} ${index + 1}\n`).join('');
}
