/**
 * The pure half of the accuracy harness (`npm run accuracy`): the shapes of the
 * committed corpus list, labels and baseline, matching today's findings to the
 * frozen labels, precision/recall arithmetic, the seeded sample and the
 * markdown table. No fs, no processes: `scripts/accuracy.ts` does the I/O.
 */
import { z } from 'zod';
import { createRandom } from './generate-repo.ts';

export const severities = ['error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

/** One finding as `waymark check --format json` prints it (the fields the harness reads). */
export const findingSchema = z.object({
  rule: z.string(),
  severity: z.enum(severities),
  file: z.string(),
  line: z.number().int(),
  column: z.number().int().optional(),
  message: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

export const corpusSchema = z.object({
  /** Seed of every random draw: the held-out choice and each repository's sample. */
  seed: z.number().int(),
  /** How many of today's error-level findings are sampled per repository for labelling. */
  samplePerRepository: z.number().int().positive(),
  /** How the held-out repositories were chosen, in words (the draw itself is `drawHeldOut`). */
  heldOutRule: z.string(),
  /**
   * Later draws from a later engine's errors, so precision is also measured on
   * what users see today, not only on what the first run reported.
   */
  rounds: z
    .array(
      z.object({
        /** 2, 3, …: labels of this draw carry `round`. */
        round: z.number().int().min(2),
        /** The engine commit whose errors were drawn. */
        engine: z.string().regex(/^[0-9a-f]{7,40}$/),
        /** How many of that engine's errors were drawn per repository. */
        samplePerRepository: z.number().int().positive(),
        /**
         * Drawn only from the repositories that joined the corpus in this round
         * (`since`): a measure on repositories no rule was ever tuned on.
         */
        onlyNew: z.boolean().default(false),
      }),
    )
    .default([]),
  repositories: z.array(
    z.object({
      /** `owner/name` on GitHub. */
      name: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
      /** The pinned commit the labels were made on. */
      commit: z.string().regex(/^[0-9a-f]{40}$/),
      /** Held out of all tuning: looked at only to measure. */
      heldOut: z.boolean(),
      /** How the labelled checkout differs from a full clone of that commit, if it does. */
      note: z.string().optional(),
      /** The round it joined the corpus in: its first labels are that round's draw. */
      since: z.number().int().positive().default(1),
    }),
  ),
});
export type Corpus = z.infer<typeof corpusSchema>;

export const labelSchema = z.object({
  /** Repository-relative path of the document or code file the finding is reported in. */
  file: z.string(),
  line: z.number().int().positive(),
  /** Only when two findings of one rule share a line. */
  column: z.number().int().positive().optional(),
  rule: z.string(),
  /** `right`: the maintainer would agree it is broken; `wrong`: a false alarm. */
  verdict: z.enum(['right', 'wrong']),
  /** Our own short words: why. */
  reason: z.string().min(3),
  /** False-alarm class (issue 12's list) for `wrong` labels, kind of breakage for `right` ones. */
  class: z.string().optional(),
  /**
   * Labelled outside the seeded draw (every past-end range is): counts for recall,
   * not for precision, so precision stays the estimate of a random sample.
   */
  extra: z.boolean().optional(),
  /**
   * Drawn from the findings one class demoted, after the engine change that
   * demoted them (issue 12: every demoting rule gets its demoted findings
   * labelled): the audit's name. Counted only in the demotion audit, never in
   * precision or recall, whose draws came from the first run.
   */
  audit: z.string().optional(),
  /**
   * Drawn in a later round (`corpus.rounds`) from that engine's errors:
   * scored as that round's own precision and recall, never mixed into the
   * first run's numbers.
   */
  round: z.number().int().min(2).optional(),
});
export type Label = z.infer<typeof labelSchema>;

export const labelFileSchema = z.object({
  repository: z.string(),
  commit: z.string(),
  labels: z.array(labelSchema),
});
export type LabelFile = z.infer<typeof labelFileSchema>;

export type Counts = Record<Severity, number>;
export type RepositoryCounts = Counts & { byRule: Record<string, Counts> };

export const baselineSchema = z.object({
  /** What produced the counts (engine commit), in words. */
  engine: z.string(),
  repositories: z.record(
    z.string(),
    z.object({
      error: z.number().int(),
      warning: z.number().int(),
      info: z.number().int(),
      byRule: z.record(z.string(), z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() })),
    }),
  ),
});
export type Baseline = z.infer<typeof baselineSchema>;

const zero = (): Counts => ({ error: 0, warning: 0, info: 0 });

export function countFindings(findings: Finding[]): RepositoryCounts {
  const total: RepositoryCounts = { ...zero(), byRule: {} };
  for (const finding of findings) {
    total[finding.severity] += 1;
    const rule = (total.byRule[finding.rule] ??= zero());
    rule[finding.severity] += 1;
  }
  return total;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * The finding a label is about: same file, line and rule (and column when the
 * label names one). When several match, the most severe counts, so a label is
 * "still an error" if any matching finding is.
 */
export function matchLabel(label: Label, findings: Finding[]): Finding | undefined {
  let best: Finding | undefined;
  for (const finding of findings) {
    if (finding.file !== label.file || finding.line !== label.line || finding.rule !== label.rule) continue;
    if (label.column !== undefined && finding.column !== label.column) continue;
    if (!best || severityRank[finding.severity] < severityRank[best.severity]) best = finding;
  }
  return best;
}

/** Where a labelled finding stands today. */
export type LabelStatus = Severity | 'silent';

export type Score = {
  labelled: number;
  /** Labelled findings of the seeded draw still reported at error level. */
  atError: number;
  /** …of which `right`: precision is rightAtError / atError. */
  rightAtError: number;
  /** Labelled `right` findings (drawn or extra), whatever their severity today. */
  right: number;
  /** …of which still reported at error level: recall is rightKept / right. */
  rightKept: number;
  /** Labelled findings now below error (warning, info or silent), by verdict. */
  demoted: { right: number; wrong: number };
  /** null when no drawn label is an error. */
  precision: number | null;
  /** null when nothing is labelled right. */
  recall: number | null;
};

export function emptyScore(): Score {
  return { labelled: 0, atError: 0, rightAtError: 0, right: 0, rightKept: 0, demoted: { right: 0, wrong: 0 }, precision: null, recall: null };
}

function addLabel(score: Score, label: Label, status: LabelStatus): void {
  score.labelled += 1;
  const right = label.verdict === 'right';
  if (right) score.right += 1;
  if (status !== 'error') {
    score.demoted[label.verdict] += 1;
    return;
  }
  if (right) score.rightKept += 1;
  if (label.extra) return;
  score.atError += 1;
  if (right) score.rightAtError += 1;
}

function finish(score: Score): Score {
  score.precision = score.atError === 0 ? null : score.rightAtError / score.atError;
  score.recall = score.right === 0 ? null : score.rightKept / score.right;
  return score;
}

export function mergeScores(scores: Score[]): Score {
  const total = emptyScore();
  for (const score of scores) {
    total.labelled += score.labelled;
    total.atError += score.atError;
    total.rightAtError += score.rightAtError;
    total.right += score.right;
    total.rightKept += score.rightKept;
    total.demoted.right += score.demoted.right;
    total.demoted.wrong += score.demoted.wrong;
  }
  return finish(total);
}

/**
 * Precision and recall of today's findings on one repository's frozen labels
 * of one draw (the first run's by default), overall and per rule.
 */
export function scoreLabels(labels: Label[], findings: Finding[], round = 1): { total: Score; byRule: Record<string, Score> } {
  const total = emptyScore();
  const byRule: Record<string, Score> = {};
  for (const label of labels) {
    if (label.audit || (label.round ?? 1) !== round) continue;
    const status: LabelStatus = matchLabel(label, findings)?.severity ?? 'silent';
    addLabel(total, label, status);
    addLabel((byRule[label.rule] ??= emptyScore()), label, status);
  }
  finish(total);
  for (const score of Object.values(byRule)) finish(score);
  return { total, byRule };
}

/**
 * The labels the engine disagrees with today, one line each: a `wrong` label
 * still reported at error level, or a `right` one no longer an error (audit
 * labels included: a demoted finding labelled right is a lost true finding).
 */
export function missesOf(repository: string, labels: Label[], findings: Finding[]): string[] {
  const lines: string[] = [];
  for (const label of labels) {
    const status: LabelStatus = matchLabel(label, findings)?.severity ?? 'silent';
    if ((label.verdict === 'wrong') !== (status === 'error')) continue;
    const where = `${repository} ${label.file}:${label.line}${label.column === undefined ? '' : `:${label.column}`}`;
    const draw = label.audit ? `audit ${label.audit}` : `round ${label.round ?? 1}`;
    lines.push(`${label.verdict === 'wrong' ? 'wrong, still error' : `right, now ${status}`}: ${where} ${label.rule} [${label.class ?? '?'}] ${label.reason} (${draw})`);
  }
  return lines;
}

/** One demotion audit: its labels by verdict, and where those findings stand today. */
export type Audit = { right: number; wrong: number; now: Record<LabelStatus, { right: number; wrong: number }> };

const emptyAudit = (): Audit => ({ right: 0, wrong: 0, now: { error: { right: 0, wrong: 0 }, warning: { right: 0, wrong: 0 }, info: { right: 0, wrong: 0 }, silent: { right: 0, wrong: 0 } } });

/** The audit labels of one repository, by audit name. */
export function auditLabels(labels: Label[], findings: Finding[]): Record<string, Audit> {
  const audits: Record<string, Audit> = {};
  for (const label of labels) {
    if (!label.audit) continue;
    const audit = (audits[label.audit] ??= emptyAudit());
    audit[label.verdict] += 1;
    audit.now[matchLabel(label, findings)?.severity ?? 'silent'][label.verdict] += 1;
  }
  return audits;
}

/** The seeded generator the benchmark repositories use, so every draw is the same on every machine. */
export const seededRandom = createRandom;

/** A 32-bit FNV-1a hash, to give each repository its own stream from the one seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The held-out repositories: `count` names drawn with the corpus seed from the sorted list; drawn per cohort (`since`), each cohort on its own. */
export function drawHeldOut(names: string[], seed: number, count: number): string[] {
  return shuffled([...names].sort(), seededRandom(seed)).slice(0, count).sort();
}

/** Whether a repository's errors are drawn in `round`: from the round it joined, and in later rounds unless a round draws only newcomers. */
export function drawnInRound(repository: Corpus['repositories'][number], round: number, rounds: Corpus['rounds']): boolean {
  if (repository.since === round) return true;
  return repository.since < round && !rounds.find((r) => r.round === round)?.onlyNew;
}

const findingKey = (f: Finding): string => `${f.file}\u0000${String(f.line).padStart(9, '0')}\u0000${String(f.column ?? 0).padStart(9, '0')}\u0000${f.rule}`;

/** A line range that was already past the end of its file: must stay an error, so always labelled. */
export const isPastEnd = (f: Finding): boolean => f.rule === 'line-out-of-range' && / past its end/.test(f.message);

/**
 * The labelling sample of one repository: up to `size` error-level findings in
 * a seeded random order, plus (as `extra`) every past-end-of-file
 * `line-out-of-range` the draw missed (first round only: later rounds measure
 * precision, and every past-end range is labelled already). The order of
 * `findings` does not matter.
 */
export function sampleFindings(findings: Finding[], repository: string, seed: number, size: number, round = 1): { finding: Finding; extra: boolean }[] {
  const byKey = (a: Finding, b: Finding): number => (findingKey(a) < findingKey(b) ? -1 : 1);
  const errors = findings.filter((f) => f.severity === 'error').sort(byKey);
  // Round 1 keeps its original stream, so the frozen first draw is reproducible.
  const stream = seed ^ hashString(round === 1 ? repository : `${repository} round ${round}`);
  const drawn = new Set(shuffled(errors, seededRandom(stream)).slice(0, size));
  return errors.filter((f) => drawn.has(f) || (round === 1 && isPastEnd(f))).map((finding) => ({ finding, extra: !drawn.has(finding) }));
}

export type RepositoryRow = {
  /** Demotion audits of its labels, by audit name. */
  audits?: Record<string, Audit>;
  name: string;
  heldOut: boolean;
  /** The round it joined the corpus in (1 when absent): it has no labels of earlier rounds. */
  since?: number;
  /** Why it was not measured (not present, commit differs, waymark failed). */
  skipped?: string;
  before?: RepositoryCounts;
  now?: RepositoryCounts;
  score?: { total: Score; byRule: Record<string, Score> };
  /** Scores of the later draws, by round. */
  rounds?: Record<number, Score>;
};

const percent = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(0)}%`);
const ratio = (num: number, den: number, value: number | null): string => (value === null ? '–' : `${percent(value)} (${num}/${den})`);
const change = (before: number | undefined, now: number): string => (before === undefined || before === now ? String(now) : `${before} → ${now}`);

/** The accuracy tables as markdown: per repository, per repository and rule, and pooled per rule. */
export function renderTables(allRows: RepositoryRow[]): string {
  // The first-round tables are about the first draw: later additions appear in their own round only.
  const rows = allRows.filter((row) => (row.since ?? 1) === 1);
  const measured = rows.filter((row) => row.score && row.now);
  const measuredAll = allRows.filter((row) => row.score && row.now);
  const lines: string[] = [];
  lines.push('| repository | held out | labels | precision | recall | demoted (right/wrong) | errors | warnings | infos |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    if (!row.score || !row.now) {
      lines.push(`| ${row.name} | ${row.heldOut ? 'yes' : 'no'} | skipped: ${row.skipped ?? 'not run'} | | | | | | |`);
      continue;
    }
    const s = row.score.total;
    lines.push(
      `| ${row.name} | ${row.heldOut ? 'yes' : 'no'} | ${s.labelled} | ${ratio(s.rightAtError, s.atError, s.precision)} | ${ratio(s.rightKept, s.right, s.recall)} | ${s.demoted.right}/${s.demoted.wrong} | ${change(row.before?.error, row.now.error)} | ${change(row.before?.warning, row.now.warning)} | ${change(row.before?.info, row.now.info)} |`,
    );
  }
  const pooled = mergeScores(measured.map((row) => row.score!.total));
  const sum = (pick: (c: RepositoryCounts) => number, which: 'before' | 'now'): number =>
    measured.reduce((n, row) => n + (row[which] ? pick(row[which]!) : 0), 0);
  const hasBefore = measured.every((row) => row.before);
  const total = (sev: Severity): string => change(hasBefore ? sum((c) => c[sev], 'before') : undefined, sum((c) => c[sev], 'now'));
  lines.push(
    `| **pooled** | | ${pooled.labelled} | ${ratio(pooled.rightAtError, pooled.atError, pooled.precision)} | ${ratio(pooled.rightKept, pooled.right, pooled.recall)} | ${pooled.demoted.right}/${pooled.demoted.wrong} | ${total('error')} | ${total('warning')} | ${total('info')} |`,
  );

  const rules = [...new Set(measured.flatMap((row) => [...Object.keys(row.score!.byRule), ...Object.keys(row.now!.byRule), ...Object.keys(row.before?.byRule ?? {})]))].sort();
  lines.push('', '### Per rule, pooled', '');
  lines.push('| rule | labels | precision | recall | demoted (right/wrong) | errors | warnings | infos |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const rule of rules) {
    const s = mergeScores(measured.map((row) => row.score!.byRule[rule] ?? emptyScore()));
    const count = (sev: Severity, which: 'before' | 'now'): number => sum((c) => c.byRule[rule]?.[sev] ?? 0, which);
    const cell = (sev: Severity): string => change(hasBefore ? count(sev, 'before') : undefined, count(sev, 'now'));
    lines.push(`| ${rule} | ${s.labelled} | ${ratio(s.rightAtError, s.atError, s.precision)} | ${ratio(s.rightKept, s.right, s.recall)} | ${s.demoted.right}/${s.demoted.wrong} | ${cell('error')} | ${cell('warning')} | ${cell('info')} |`);
  }

  lines.push('', '### Per repository and rule', '');
  lines.push('| repository | rule | labels | precision | recall | errors | warnings | infos |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of measured) {
    const ruleNames = [...new Set([...Object.keys(row.score!.byRule), ...Object.keys(row.now!.byRule), ...Object.keys(row.before?.byRule ?? {})])].sort();
    for (const rule of ruleNames) {
      const s = row.score!.byRule[rule] ?? emptyScore();
      const now = row.now!.byRule[rule] ?? zero();
      const before = row.before?.byRule[rule] ?? (row.before ? zero() : undefined);
      lines.push(
        `| ${row.name} | ${rule} | ${s.labelled} | ${ratio(s.rightAtError, s.atError, s.precision)} | ${ratio(s.rightKept, s.right, s.recall)} | ${change(before?.error, now.error)} | ${change(before?.warning, now.warning)} | ${change(before?.info, now.info)} |`,
      );
    }
  }
  const rounds = [...new Set(measuredAll.flatMap((row) => Object.keys(row.rounds ?? {}).map(Number)))].sort((a, b) => a - b);
  for (const round of rounds) {
    const scores = measuredAll.filter((row) => row.rounds?.[round]?.labelled);
    const newcomers = scores.length > 0 && scores.every((row) => row.since === round);
    lines.push('', `### Round ${round}: a draw of a later engine's errors${newcomers ? ', on repositories new to the corpus' : ''}`, '');
    lines.push('| repository | held out | labels | precision | recall | demoted (right/wrong) |');
    lines.push('| --- | --- | --- | --- | --- | --- |');
    for (const row of scores) {
      const s = row.rounds![round];
      lines.push(`| ${row.name} | ${row.heldOut ? 'yes' : 'no'} | ${s.labelled} | ${ratio(s.rightAtError, s.atError, s.precision)} | ${ratio(s.rightKept, s.right, s.recall)} | ${s.demoted.right}/${s.demoted.wrong} |`);
    }
    const p = mergeScores(scores.map((row) => row.rounds![round]));
    lines.push(`| **pooled** | | ${p.labelled} | ${ratio(p.rightAtError, p.atError, p.precision)} | ${ratio(p.rightKept, p.right, p.recall)} | ${p.demoted.right}/${p.demoted.wrong} |`);
  }

  const audits = new Map<string, Audit>();
  for (const row of measuredAll) {
    for (const [name, audit] of Object.entries(row.audits ?? {})) {
      const total = audits.get(name) ?? emptyAudit();
      total.right += audit.right;
      total.wrong += audit.wrong;
      for (const status of Object.keys(total.now) as LabelStatus[]) {
        total.now[status].right += audit.now[status].right;
        total.now[status].wrong += audit.now[status].wrong;
      }
      audits.set(name, total);
    }
  }
  if (audits.size > 0) {
    lines.push('', '### Demotion audits', '');
    lines.push('A seeded draw of the findings one class demoted, labelled after the change (right = the maintainer would want it fixed). Today: right/wrong at each level.', '');
    lines.push('| audit | labels | right | wrong | error | warning | info | silent |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, audit] of [...audits].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const at = (status: LabelStatus): string => `${audit.now[status].right}/${audit.now[status].wrong}`;
      lines.push(`| ${name} | ${audit.right + audit.wrong} | ${audit.right} | ${audit.wrong} | ${at('error')} | ${at('warning')} | ${at('info')} | ${at('silent')} |`);
    }
  }
  return lines.join('\n') + '\n';
}
