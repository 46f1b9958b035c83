/**
 * Real-world accuracy (issue 12): runs `waymark check` over the corpus of public
 * repositories listed in `test/accuracy/corpus.json`, checked out (at their
 * pinned commits) under `$WAYMARK_CORPUS/<owner>+<name>` (default /work/corpus),
 * and measures today's findings against the frozen labels in
 * `test/accuracy/labels/`. Their text never enters this repository.
 *
 *   npm run accuracy                    # print the tables
 *   npm run accuracy -- --write         # also rewrite docs/accuracy.md
 *   npm run accuracy -- --baseline      # record today's counts as the "before"
 *   npm run accuracy -- --sample        # print the seeded sample not yet labelled (JSON lines)
 *   npm run accuracy -- --sample --round 2   # the same for a later draw (corpus.rounds)
 *   npm run accuracy -- --only owner/name
 *   npm run accuracy -- --misses        # also list each label the engine disagrees with (not for held-out repositories)
 *
 * Repositories that are not present are skipped, and said so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  baselineSchema,
  corpusSchema,
  countFindings,
  drawnInRound,
  findingSchema,
  labelFileSchema,
  matchLabel,
  missesOf,
  renderTables,
  auditLabels,
  sampleFindings,
  scoreLabels,
  type Baseline,
  type Finding,
  type LabelFile,
  type RepositoryRow,
} from './accuracy-metrics.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const accuracyDir = path.join(projectRoot, 'test', 'accuracy');
const baselinePath = path.join(accuracyDir, 'baseline.json');
const bin = path.join(projectRoot, 'bin', 'waymark.mjs');
const corpusRoot = process.env.WAYMARK_CORPUS ?? '/work/corpus';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const sampleRound = args.includes('--round') ? Number(args[args.indexOf('--round') + 1]) : 1;

const corpus = corpusSchema.parse(JSON.parse(readFileSync(path.join(accuracyDir, 'corpus.json'), 'utf8')));
const baseline: Baseline | undefined = existsSync(baselinePath) ? baselineSchema.parse(JSON.parse(readFileSync(baselinePath, 'utf8'))) : undefined;

const dirName = (name: string): string => name.replace('/', '+');

function readLabels(name: string): LabelFile | undefined {
  const file = path.join(accuracyDir, 'labels', `${dirName(name)}.json`);
  return existsSync(file) ? labelFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
}

function git(dir: string, gitArgs: string[]): string {
  return spawnSync('git', ['-C', dir, ...gitArgs], { encoding: 'utf8' }).stdout.trim();
}

function check(dir: string): Finding[] | string {
  const result = spawnSync(process.execPath, [bin, 'check', '--format', 'json', '--no-cache', '--repo', dir], {
    cwd: dir,
    // A fixed day keeps age-based rules from drifting with the calendar.
    env: { ...process.env, WAYMARK_TODAY: process.env.WAYMARK_TODAY ?? '2026-11-26', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.status !== 0 && result.status !== 1) return `waymark exited ${result.status}: ${(result.stderr ?? '').split('\n')[0]}`;
  try {
    return findingSchema.array().parse(JSON.parse(result.stdout).problems);
  } catch (error) {
    return `unreadable output: ${(error as Error).message.split('\n')[0]}`;
  }
}

const rows: RepositoryRow[] = [];
const misses: string[] = [];
const newBaseline: Baseline = { engine: `waymark ${git(projectRoot, ['rev-parse', '--short', 'HEAD'])}`, repositories: { ...(baseline?.repositories ?? {}) } };

for (const repository of corpus.repositories) {
  if (only && repository.name !== only) continue;
  const row: RepositoryRow = { name: repository.name, heldOut: repository.heldOut, since: repository.since, before: baseline?.repositories[repository.name] };
  rows.push(row);
  const dir = path.join(corpusRoot, dirName(repository.name));
  if (!existsSync(dir)) {
    row.skipped = `not present under ${corpusRoot}`;
    process.stderr.write(`skip ${repository.name}: ${row.skipped}\n`);
    continue;
  }
  const head = git(dir, ['rev-parse', 'HEAD']);
  if (head !== repository.commit) {
    row.skipped = `checked out at ${head.slice(0, 12) || '?'}, labels are for ${repository.commit.slice(0, 12)}`;
    process.stderr.write(`skip ${repository.name}: ${row.skipped}\n`);
    continue;
  }
  process.stderr.write(`check ${repository.name}…\n`);
  const findings = check(dir);
  if (typeof findings === 'string') {
    row.skipped = findings;
    process.stderr.write(`skip ${repository.name}: ${findings}\n`);
    continue;
  }
  const labels = readLabels(repository.name)?.labels ?? [];
  row.now = countFindings(findings);
  row.score = scoreLabels(labels, findings);
  row.audits = auditLabels(labels, findings);
  row.rounds = Object.fromEntries(corpus.rounds.map(({ round }) => [round, scoreLabels(labels, findings, round).total]));
  newBaseline.repositories[repository.name] = row.now;
  // What to work on next: a held-out repository's misses stay unread, by design.
  if (flag('--misses') && !repository.heldOut) misses.push(...missesOf(repository.name, labels, findings));

  if (flag('--sample')) {
    const later = corpus.rounds.find((r) => r.round === sampleRound);
    if (sampleRound !== 1 && !later) throw new Error(`--round ${sampleRound}: corpus.json lists no such round`);
    if (!drawnInRound(repository, sampleRound, corpus.rounds)) continue;
    const size = later?.samplePerRepository ?? corpus.samplePerRepository;
    const ofRound = labels.filter((label) => (label.round ?? 1) === sampleRound && !label.audit);
    for (const { finding, extra } of sampleFindings(findings, repository.name, corpus.seed, size, sampleRound)) {
      if (ofRound.some((label) => matchLabel(label, [finding]))) continue;
      // A finding an earlier round labelled keeps its verdict: copy it into this round's label.
      const earlier = labels.find((label) => !label.audit && matchLabel(label, [finding]));
      const known = earlier ? { earlier: { verdict: earlier.verdict, reason: earlier.reason, class: earlier.class } } : {};
      process.stdout.write(JSON.stringify({ repository: repository.name, ...finding, ...(extra ? { extra } : {}), ...(sampleRound !== 1 ? { round: sampleRound } : {}), ...known }) + '\n');
    }
  }
}

const tables = renderTables(rows);
if (!flag('--sample')) process.stdout.write(tables);
if (flag('--misses')) process.stdout.write(['', '### Misses (wrong labels still errors, right labels no longer errors)', '', ...misses.sort()].join('\n') + '\n');

if (flag('--baseline')) {
  writeFileSync(baselinePath, JSON.stringify(newBaseline, null, 2) + '\n');
  process.stderr.write(`wrote ${path.relative(projectRoot, baselinePath)}\n`);
}

if (flag('--write')) {
  const heldOut = corpus.repositories.filter((r) => r.heldOut).map((r) => r.name);
  const doc = [
    '# Accuracy on real repositories',
    '',
    'Written by `npm run accuracy -- --write` (issue 12). The corpus is a list of public repositories',
    'that follow the conventions Waymark reads, pinned at a commit (`test/accuracy/corpus.json`); their',
    'text stays outside this repository. For each, a seeded random sample of the error-level findings',
    `of the first run (up to ${corpus.samplePerRepository} per repository, seed ${corpus.seed}), plus every line range past the end`,
    'of its file, was labelled `right` (the maintainer would agree it is broken) or `wrong` (a false',
    'alarm), after reading the cited document in the checkout. Labels are frozen in `test/accuracy/labels/`.',
    '',
    '- **precision**: labelled findings of the seeded draw still reported at error level that are',
    '  `right`, over those still reported at error level (past-end ranges labelled outside the draw',
    '  are left out, so it stays a random-sample estimate).',
    '- **recall**: labelled `right` findings (drawn or not) still reported at error level, over all',
    '  labelled `right`.',
    '- **demoted**: labelled findings now below error (warning, info or not reported), right/wrong.',
    '  A `right` one demoted is lost recall, not a gain.',
    '- **errors / warnings / infos**: counts today; `before → now` where they differ from',
    '  `test/accuracy/baseline.json`, so findings demoted to silence stay visible.',
    '- **demotion audits**: when an engine change moves a class of findings below error, a seeded',
    '  draw of that class is labelled after the change (labels with `audit`), so what the demotion',
    '  costs in lost true findings is measured, not assumed; these labels count nowhere else.',
    '- **round N**: a later seeded draw from a later engine\'s errors (`rounds` in `corpus.json`),',
    '  labelled the same way (labels with `round`), so precision is also measured on what users see',
    '  today and not only on the first run\'s findings; each round is scored on its own labels only.',
    '- **newcomers**: repositories that joined the corpus in a later round (`since`) are drawn from that',
    '  round on; a round marked `onlyNew` draws only them, so it measures repositories no rule was',
    '  ever tuned on. They have no first-round labels and appear only in their rounds\' tables.',
    '',
    `Held out of all tuning (seeded draw): ${heldOut.join(', ') || 'none'}.`,
    '',
    'To reproduce: clone each repository of the list into `$WAYMARK_CORPUS/<owner>+<name>` (default',
    '`/work/corpus`) with its full history, check out the pinned commit, point its `origin` remote at',
    "`https://github.com/<owner>/<name>.git` as a user's clone has it (the engine reads the repository's",
    'name from it), and run `npm run accuracy`.',
    'Missing ones are skipped and listed as such.',
    ...corpus.repositories.filter((r) => r.note).flatMap((r) => ['', `Note on ${r.name}: ${r.note}.`]),
    '',
    tables,
  ].join('\n');
  writeFileSync(path.join(projectRoot, 'docs', 'accuracy.md'), doc);
  process.stderr.write('wrote docs/accuracy.md\n');
}
