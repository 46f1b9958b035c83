/**
 * Golden outputs: `waymark check --format json` and `waymark graph` for the
 * example, every fixture and the generated benchmark repositories, written
 * under `test/golden/`. Run it before and after an engine change and read
 * `git diff test/golden/`: every difference is either a bug fixed or intended.
 *
 *   npm run golden                  # example, fixtures, small and medium
 *   npm run golden -- --large       # also the 50k-file repository (digest only)
 *
 * Absolute paths are replaced by `<repo>` so the files compare across machines.
 * The generated repositories are committed with fixed dates, so their history
 * (and therefore every git-based rule) is the same on every run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateRepository, type RepositorySize } from './generate-repo.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const goldenDir = path.join(projectRoot, 'test', 'golden');
const bin = path.join(projectRoot, 'bin', 'waymark.mjs');
const env = { ...process.env, WAYMARK_TODAY: '2026-11-26', NO_COLOR: '1' };

function waymark(repo: string, args: string[]): string {
  const result = spawnSync(process.execPath, [bin, ...args, '--repo', repo, '--no-cache'], {
    cwd: repo,
    env,
    encoding: 'utf8',
    maxBuffer: 2 * 1024 * 1024 * 1024,
  });
  if (result.status === 2 || result.status === null) throw new Error(`waymark ${args.join(' ')} on ${repo} failed: ${result.stderr}`);
  return result.stdout.split(repo).join('<repo>');
}

function git(cwd: string, args: string[]): void {
  const date = '2026-11-01T12:00:00Z';
  const result = spawnSync('git', ['-c', 'user.name=waymark-golden', '-c', 'user.email=golden@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.toString()}`);
}

async function record(name: string, repo: string, digestOnly = false): Promise<void> {
  for (const [kind, args] of [
    ['check', ['check', '--format', 'json']],
    ['graph', ['graph']],
  ] as const) {
    const output = waymark(repo, [...args]);
    const file = path.join(goldenDir, `${name}.${kind}.json`);
    if (digestOnly && kind === 'graph') {
      await writeFile(`${file}.sha256`, `${createHash('sha256').update(output).digest('hex')}  ${output.length} bytes\n`);
    } else {
      await writeFile(file, output);
    }
  }
  process.stderr.write(`golden: ${name}\n`);
}

async function generated(size: RepositorySize): Promise<void> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), `waymark-golden-${size}-`));
  const dir = path.join(scratch, `synthetic-${size}`);
  try {
    await mkdir(dir);
    await generateRepository(dir, size, 1);
    git(dir, ['init', '-q']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', `Synthetic ${size} repository (seed 1)`]);
    await record(`generated-${size}`, dir, size === 'large');
  } finally {
    await rm(scratch, { recursive: true, force: true, maxRetries: 5 });
  }
}

await mkdir(goldenDir, { recursive: true });
await record('example', path.join(projectRoot, 'content', 'example-infra'));
const fixtures = path.join(projectRoot, 'test', 'fixtures');
for (const scenario of (await readdir(fixtures)).sort()) {
  // Not every fixture folder is a repository (some hold files a unit test reads).
  if (!existsSync(path.join(fixtures, scenario, 'repo'))) continue;
  await record(`fixture-${scenario}`, path.join(fixtures, scenario, 'repo'));
}
await generated('small');
await generated('medium');
if (process.argv.includes('--large')) await generated('large');
