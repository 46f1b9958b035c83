/**
 * The resident engine's long-lived `git check-ignore --stdin` (`IgnoreReader`
 * in src/node/git-history.ts) answers as one `check-ignore` per question
 * (`readIgnored`): nested ignore files, negations, `.git/info/exclude`,
 * several questions in a row; and a path git refuses (beyond a symbolic link)
 * costs that question's evidence as before, not a wrong answer or a hang.
 */
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { IgnoreReader, readIgnored } from '../src/node/git-history.ts';
import { openScope } from '../src/node/git.ts';
import { removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

it('answers as a check-ignore per question, question after question, and as before when git refuses a path', async () => {
  const repo = new Repo();
  repo.write('.gitignore', 'build/\n*.log\ntmp/*\n!tmp/keep.json\n');
  repo.write('services/api/.gitignore', 'generated/\n!important.log\n');
  repo.write('.git/info/exclude', 'scratch/\n');
  repo.write('src/app.ts', 'export {};\n');
  symlinkSync(path.join(repo.dir, 'src'), path.join(repo.dir, 'linked'));
  const { scope } = await openScope(repo.dir);
  if (!scope) throw new Error('no git scope');
  const reader = new IgnoreReader(scope);
  const questions = [
    ['build/report.md', 'src/app.ts', 'debug.log'],
    ['tmp/keep.json', 'tmp/other.json', 'services/api/generated/x.ts', 'services/api/important.log'],
    ['scratch/notes.md', ':magic', ''],
    ['linked/app.ts', 'build/again.md'],
    ['build/after-refusal.md', 'src/app.ts'],
  ];
  for (const paths of questions) {
    const through = await reader.read(paths);
    expect([...through].sort(), paths.join(', ')).toEqual([...(await readIgnored(scope, paths))].sort());
  }
  expect((await reader.read(['build/report.md'])).get('build/report.md')).toEqual({ source: '.gitignore', line: 1, pattern: 'build/' });
  reader.close();
});
