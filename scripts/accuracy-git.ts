/**
 * Git-based warnings, checked against git itself (issue 12: `moved-lines` and
 * `stale-reference` ≥ 95% correct, and `waymark fix` never writes a line it
 * cannot trace). For every such warning on the corpus (held-out repositories
 * included: this only measures, nothing is tuned on it):
 *
 * - **writer**: the commit the warning says wrote the reference is the one
 *   `git blame --first-parent` gives for the document's line;
 * - **moved** (what `waymark fix` writes): the cited lines at that commit are,
 *   byte for byte, the lines the warning says they are now;
 * - **rewritten / deleted / edits inside** (several lines): that block no
 *   longer appears anywhere in the file (else it moved, and we missed it).
 *   A single line is not decidable this way (`}` recurs), so it is not judged.
 *
 *   npm run accuracy:git [-- --only owner/name] [-- --write]   # --write: docs/accuracy-git.md
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusSchema, findingSchema, type Finding } from './accuracy-metrics.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusRoot = process.env.WAYMARK_CORPUS ?? '/work/corpus';
const bin = path.join(projectRoot, 'bin', 'waymark.mjs');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const corpus = corpusSchema.parse(JSON.parse(readFileSync(path.join(projectRoot, 'test', 'accuracy', 'corpus.json'), 'utf8')));

const git = (dir: string, gitArgs: string[]): string => spawnSync('git', ['-C', dir, ...gitArgs], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout ?? '';

const MOVED =
  /^lines? (\d+)(?:-(\d+))? of `([^`]+)` (?:moved to (\d+)(?:-(\d+))?|(?:are|is) now (\d+)-(\d+), with edits inside|(?:were|was) (rewritten|deleted)).* since the reference was written in ([0-9a-f]+)/;
const STALE = /changed after the reference was written in ([0-9a-f]+)/;

type Tally = { warnings: number; parsed: number; writerOk: number; moved: number; movedExact: number; judged: number; judgedOk: number; stale: number; staleWriterOk: number };

function verify(dir: string, findings: Finding[]): { tally: Tally; wrong: string[] } {
  const tally: Tally = { warnings: 0, parsed: 0, writerOk: 0, moved: 0, movedExact: 0, judged: 0, judgedOk: 0, stale: 0, staleWriterOk: 0 };
  const wrong: string[] = [];
  const shown = new Map<string, string[]>();
  const at = (commit: string, file: string): string[] => {
    const key = `${commit}:${file}`;
    if (!shown.has(key)) shown.set(key, git(dir, ['show', key]).split('\n'));
    return shown.get(key)!;
  };
  const current = (file: string): string[] => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8').split('\n') : []);
  const writer = (finding: Finding): string => git(dir, ['blame', '--first-parent', '-l', '-L', `${finding.line},${finding.line}`, '--', finding.file]).split(' ')[0].replace(/^\^/, '');
  for (const finding of findings) {
    if (finding.rule === 'stale-reference') {
      const match = STALE.exec(finding.message);
      if (!match) continue;
      tally.stale += 1;
      if (writer(finding).startsWith(match[1])) tally.staleWriterOk += 1;
      else wrong.push(`${finding.file}:${finding.line} stale-reference: written in ${match[1]}? blame says ${writer(finding).slice(0, 8)}`);
      continue;
    }
    if (finding.rule !== 'moved-lines') continue;
    tally.warnings += 1;
    const match = MOVED.exec(finding.message);
    if (!match) continue;
    tally.parsed += 1;
    const [start, end, file, commit] = [Number(match[1]), Number(match[2] ?? match[1]), match[3], match[9]];
    const blamed = writer(finding);
    if (blamed.startsWith(commit)) tally.writerOk += 1;
    else wrong.push(`${finding.file}:${finding.line} moved-lines: written in ${commit}? blame says ${blamed.slice(0, 8)}`);
    const old = at(commit, file).slice(start - 1, end);
    const now = current(file);
    if (match[4]) {
      tally.moved += 1;
      const [to, toEnd] = [Number(match[4]), Number(match[5] ?? match[4])];
      if (old.length === end - start + 1 && old.join('\n') === now.slice(to - 1, toEnd).join('\n')) tally.movedExact += 1;
      else wrong.push(`${finding.file}:${finding.line} moved-lines: ${file}:${start}-${end} at ${commit} is not ${to}-${toEnd} now`);
    } else if (old.length > 1) {
      tally.judged += 1;
      const text = old.join('\n');
      const still = now.some((_, i) => now.slice(i, i + old.length).join('\n') === text);
      if (!still) tally.judgedOk += 1;
      else wrong.push(`${finding.file}:${finding.line} moved-lines: ${file}:${start}-${end} said changed, but the block is still in the file`);
    }
  }
  return { tally, wrong };
}

const pct = (a: number, b: number): string => (b === 0 ? '–' : `${Math.round((100 * a) / b)}% (${a}/${b})`);
const lines = [
  '| repository | held out | moved-lines | writer commit right | moved: exact (what `fix` writes) | changed: block gone | stale-reference: writer right |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
const total: Tally = { warnings: 0, parsed: 0, writerOk: 0, moved: 0, movedExact: 0, judged: 0, judgedOk: 0, stale: 0, staleWriterOk: 0 };
for (const repository of corpus.repositories) {
  if (only && repository.name !== only) continue;
  const dir = path.join(corpusRoot, repository.name.replace('/', '+'));
  if (!existsSync(dir) || git(dir, ['rev-parse', 'HEAD']).trim() !== repository.commit) {
    process.stderr.write(`skip ${repository.name}: not checked out at ${repository.commit.slice(0, 12)}\n`);
    continue;
  }
  process.stderr.write(`check ${repository.name}…\n`);
  const run = spawnSync(process.execPath, [bin, 'check', '--format', 'json', '--no-cache', '--repo', dir], {
    cwd: dir,
    env: { ...process.env, WAYMARK_TODAY: process.env.WAYMARK_TODAY ?? '2026-11-26', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const findings = findingSchema.array().parse(JSON.parse(run.stdout).problems);
  const { tally, wrong } = verify(dir, findings);
  for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += tally[key];
  for (const line of wrong) process.stderr.write(`  ${line}\n`);
  lines.push(
    `| ${repository.name} | ${repository.heldOut ? 'yes' : 'no'} | ${tally.warnings} | ${pct(tally.writerOk, tally.parsed)} | ${pct(tally.movedExact, tally.moved)} | ${pct(tally.judgedOk, tally.judged)} | ${pct(tally.staleWriterOk, tally.stale)} |`,
  );
}
lines.push(
  `| **pooled** | | ${total.warnings} | ${pct(total.writerOk, total.parsed)} | ${pct(total.movedExact, total.moved)} | ${pct(total.judgedOk, total.judged)} | ${pct(total.staleWriterOk, total.stale)} |`,
);
process.stdout.write(lines.join('\n') + '\n');
if (args.includes('--write')) {
  const doc = [
    '# Git-based warnings, checked against git',
    '',
    'Written by `npm run accuracy:git -- --write` (issue 12). Every `moved-lines` and `stale-reference` warning',
    'on the corpus of `docs/accuracy.md` is checked against git itself, not against labels: the commit said',
    'to have written the reference is the one `git blame --first-parent` gives for the line; a range said',
    'to have moved is, byte for byte, the same lines at their new place (what `waymark fix` writes); a',
    'block of several lines said to be rewritten or deleted no longer appears anywhere in the file (single',
    'lines are not judged: `}` recurs). Held-out repositories are included, since nothing is tuned on this.',
    '',
    ...lines,
    '',
  ].join('\n');
  writeFileSync(path.join(projectRoot, 'docs', 'accuracy-git.md'), doc);
  process.stderr.write('wrote docs/accuracy-git.md\n');
}
