import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  auditLabels,
  corpusSchema,
  countFindings,
  drawHeldOut,
  labelFileSchema,
  matchLabel,
  missesOf,
  renderTables,
  drawnInRound,
  sampleFindings,
  scoreLabels,
  type Finding,
  type Label,
} from '../scripts/accuracy-metrics.ts';

const finding = (file: string, line: number, rule: string, severity: Finding['severity'] = 'error', column = 1, message = 'x'): Finding => ({
  rule,
  severity,
  file,
  line,
  column,
  message,
});
const label = (file: string, line: number, rule: string, verdict: Label['verdict'], column?: number): Label => ({
  file,
  line,
  rule,
  verdict,
  reason: 'test label',
  ...(column ? { column } : {}),
});

describe('matching findings to labels', () => {
  it('matches on file, line and rule, and on column only when the label names one', () => {
    const findings = [finding('docs/a.md', 3, 'missing-file', 'error', 5), finding('docs/a.md', 3, 'missing-file', 'warning', 20)];
    expect(matchLabel(label('docs/a.md', 3, 'missing-file', 'right'), findings)?.column).toBe(5);
    expect(matchLabel(label('docs/a.md', 3, 'missing-file', 'right', 20), findings)?.severity).toBe('warning');
    expect(matchLabel(label('docs/a.md', 4, 'missing-file', 'right'), findings)).toBeUndefined();
    expect(matchLabel(label('docs/a.md', 3, 'missing-anchor', 'right'), findings)).toBeUndefined();
  });
});

describe('precision and recall on frozen labels', () => {
  const labels = [
    label('a.md', 1, 'missing-file', 'right'),
    label('a.md', 2, 'missing-file', 'wrong'),
    label('a.md', 3, 'missing-file', 'wrong'),
    label('b.md', 9, 'line-out-of-range', 'right'),
  ];

  it('counts only labelled findings still at error level', () => {
    // Line 3 was demoted to a warning, b.md:9 disappeared: one right and one wrong remain errors.
    const findings = [finding('a.md', 1, 'missing-file'), finding('a.md', 2, 'missing-file'), finding('a.md', 3, 'missing-file', 'warning'), finding('c.md', 1, 'missing-file')];
    const { total, byRule } = scoreLabels(labels, findings);
    expect(total).toMatchObject({ labelled: 4, atError: 2, rightAtError: 1, right: 2, demoted: { right: 1, wrong: 1 } });
    expect(total.precision).toBe(0.5);
    expect(total.recall).toBe(0.5);
    expect(byRule['line-out-of-range']).toMatchObject({ atError: 0, precision: null, recall: 0 });
    expect(byRule['missing-file'].precision).toBe(0.5);
  });

  it('leaves labels made outside the draw out of precision but not out of recall', () => {
    const extra: Label = { ...label('b.md', 9, 'line-out-of-range', 'right'), extra: true };
    const kept = scoreLabels([label('a.md', 2, 'missing-file', 'wrong'), extra], [finding('a.md', 2, 'missing-file'), finding('b.md', 9, 'line-out-of-range')]);
    expect([kept.total.precision, kept.total.recall]).toEqual([0, 1]);
    const dropped = scoreLabels([extra], []);
    expect([dropped.total.precision, dropped.total.recall]).toEqual([null, 0]);
  });

  it('keeps demotion-audit labels out of precision and recall, and tallies them by where they stand', () => {
    const audit = (line: number, verdict: Label['verdict']): Label => ({ ...label('d.md', line, 'missing-file', verdict), audit: 'missing-file/unseen' });
    const labels = [audit(1, 'right'), audit(2, 'wrong'), audit(3, 'wrong'), label('a.md', 1, 'missing-file', 'wrong')];
    const findings = [finding('d.md', 1, 'missing-file', 'warning'), finding('d.md', 2, 'missing-file', 'warning'), finding('a.md', 1, 'missing-file')];
    expect(scoreLabels(labels, findings).total).toMatchObject({ labelled: 1, atError: 1, right: 0 });
    const audits = auditLabels(labels, findings);
    expect(Object.keys(audits)).toEqual(['missing-file/unseen']);
    expect(audits['missing-file/unseen']).toMatchObject({ right: 1, wrong: 2, now: { warning: { right: 1, wrong: 1 }, silent: { right: 0, wrong: 1 }, error: { right: 0, wrong: 0 } } });
  });

  it('scores a later round on its own labels only, never mixed into the first run', () => {
    const later = (line: number, verdict: Label['verdict']): Label => ({ ...label('r.md', line, 'missing-file', verdict), round: 2 });
    const labels = [label('a.md', 1, 'missing-file', 'right'), later(1, 'wrong'), later(2, 'right'), later(3, 'right')];
    const findings = [finding('a.md', 1, 'missing-file'), finding('r.md', 1, 'missing-file'), finding('r.md', 2, 'missing-file'), finding('r.md', 3, 'missing-file', 'info')];
    expect(scoreLabels(labels, findings).total).toMatchObject({ labelled: 1, precision: 1, recall: 1 });
    expect(scoreLabels(labels, findings, 2).total).toMatchObject({ labelled: 3, atError: 2, rightAtError: 1, right: 2, rightKept: 1, demoted: { right: 1, wrong: 0 } });
  });

  it('lists the labels the engine disagrees with: wrong ones still errors, right ones demoted or gone', () => {
    const labels = [
      { ...label('a.md', 1, 'missing-file', 'wrong'), class: 'planned', round: 12 },
      label('a.md', 2, 'missing-file', 'wrong'),
      label('b.md', 3, 'line-out-of-range', 'right', 7),
      label('b.md', 4, 'missing-file', 'right'),
      { ...label('c.md', 5, 'missing-file', 'right'), audit: 'x/demoted' },
    ];
    const findings = [finding('a.md', 1, 'missing-file'), finding('a.md', 2, 'missing-file', 'info'), finding('b.md', 3, 'line-out-of-range', 'warning', 7), finding('b.md', 4, 'missing-file')];
    expect(missesOf('o/r', labels, findings)).toEqual([
      'wrong, still error: o/r a.md:1 missing-file [planned] test label (round 12)',
      'right, now warning: o/r b.md:3:7 line-out-of-range [?] test label (round 1)',
      'right, now silent: o/r c.md:5 missing-file [?] test label (audit x/demoted)',
    ]);
  });

  it('reaches full precision only by keeping the right ones and dropping the wrong ones', () => {
    const findings = [finding('a.md', 1, 'missing-file'), finding('b.md', 9, 'line-out-of-range')];
    const { total } = scoreLabels(labels, findings);
    expect([total.precision, total.recall]).toEqual([1, 1]);
  });

  it('counts findings per severity and rule', () => {
    const counts = countFindings([finding('a.md', 1, 'r1'), finding('a.md', 2, 'r1', 'info'), finding('a.md', 3, 'r2', 'warning')]);
    expect(counts).toMatchObject({ error: 1, warning: 1, info: 1 });
    expect(counts.byRule.r1).toEqual({ error: 1, warning: 0, info: 1 });
  });
});

describe('the seeded sample', () => {
  const errors = Array.from({ length: 40 }, (_, i) => finding(`docs/f${i}.md`, i + 1, 'missing-file'));
  const pastEnd = finding('docs/z.md', 7, 'line-out-of-range', 'error', 1, '`x.ts` has 4 lines, so lines 9-12 are past its end');
  const all = [...errors, pastEnd, finding('docs/w.md', 1, 'missing-file', 'warning')];

  it('is the same whatever the input order, differs per repository, and keeps every past-end range', () => {
    const one = sampleFindings(all, 'o/a', 12, 10);
    expect(sampleFindings([...all].reverse(), 'o/a', 12, 10)).toEqual(one);
    expect(one.map((s) => s.finding)).toContain(pastEnd);
    expect(one.every((s) => s.finding.severity === 'error')).toBe(true);
    expect(one.filter((s) => !s.extra)).toHaveLength(10);
    expect(one.filter((s) => s.extra).map((s) => s.finding)).toEqual(one.some((s) => s.finding === pastEnd && !s.extra) ? [] : [pastEnd]);
    expect(sampleFindings(all, 'o/b', 12, 10)).not.toEqual(one);
  });

  it('draws a later round from its own stream, without the past-end extras the first round labelled', () => {
    const second = sampleFindings(all, 'o/a', 12, 10, 2);
    expect(second).toHaveLength(10);
    expect(second.every((s) => !s.extra)).toBe(true);
    expect(second.map((s) => s.finding)).not.toEqual(sampleFindings(all, 'o/a', 12, 10).filter((s) => !s.extra).map((s) => s.finding));
  });

  it('draws held-out repositories independently of the listing order', () => {
    const names = ['a/1', 'b/2', 'c/3', 'd/4', 'e/5'];
    expect(drawHeldOut(names, 7, 3)).toEqual(drawHeldOut([...names].reverse(), 7, 3));
    expect(drawHeldOut(names, 7, 3)).toHaveLength(3);
  });
});

describe('the table', () => {
  it('shows before → now counts, so a finding demoted to silence is visible', () => {
    const now = countFindings([finding('a.md', 1, 'missing-file')]);
    const before = countFindings([finding('a.md', 1, 'missing-file'), finding('a.md', 2, 'missing-file')]);
    const table = renderTables([
      { name: 'o/a', heldOut: true, before, now, score: scoreLabels([label('a.md', 1, 'missing-file', 'right')], [finding('a.md', 1, 'missing-file')]) },
      { name: 'o/b', heldOut: false, skipped: 'not present' },
    ]);
    const rows = table.split('\n');
    expect(rows).toContain('| o/a | yes | 1 | 100% (1/1) | 100% (1/1) | 0/0 | 2 → 1 | 0 | 0 |');
    expect(rows).toContain('| o/b | no | skipped: not present | | | | | | |');
  });

  it('gives each later round its own table', () => {
    const now = countFindings([finding('a.md', 1, 'missing-file')]);
    const labels: Label[] = [{ ...label('a.md', 1, 'missing-file', 'wrong'), round: 2 }];
    const findings = [finding('a.md', 1, 'missing-file')];
    const table = renderTables([{ name: 'o/a', heldOut: false, now, score: scoreLabels(labels, findings), rounds: { 2: scoreLabels(labels, findings, 2).total } }]);
    expect(table).toContain("### Round 2: a draw of a later engine's errors");
    expect(table.split('\n')).toContain('| o/a | no | 1 | 0% (0/1) | – | 0/0 |');
  });
});

describe('repositories added in a later round', () => {
  const repository = (since: number) => ({ name: 'o/n', commit: 'a'.repeat(40), heldOut: false, since });
  const rounds = [
    { round: 2, engine: 'abc1234', samplePerRepository: 10, onlyNew: false },
    { round: 4, engine: 'abc1235', samplePerRepository: 10, onlyNew: true },
  ];

  it('are drawn from the round they joined, and a newcomers-only round draws no one else', () => {
    expect(drawnInRound(repository(1), 2, rounds)).toBe(true);
    expect(drawnInRound(repository(1), 4, rounds)).toBe(false);
    expect(drawnInRound(repository(4), 4, rounds)).toBe(true);
    expect(drawnInRound(repository(4), 2, rounds)).toBe(false);
  });

  it('appear in the table of the round they joined only, not in the first draw totals', () => {
    const findings = [finding('a.md', 1, 'missing-file')];
    const labels: Label[] = [{ ...label('a.md', 1, 'missing-file', 'right'), round: 4 }];
    const row = (name: string, since: number) => ({ name, heldOut: false, since, now: countFindings(findings), score: scoreLabels(labels, findings), rounds: { 4: scoreLabels(labels, findings, 4).total } });
    const lines = renderTables([{ ...row('o/old', 1), rounds: {} }, row('o/new', 4)]).split('\n');
    expect(lines.filter((l) => l.startsWith('| o/new |'))).toEqual(['| o/new | no | 1 | 100% (1/1) | 100% (1/1) | 0/0 |']);
    expect(lines).toContain("### Round 4: a draw of a later engine's errors, on repositories new to the corpus");
    expect(lines).toContain('| **pooled** | | 0 | – | – | 0/0 | 1 | 0 | 0 |');
  });
});

describe('the committed corpus and labels', () => {
  const dir = path.join(import.meta.dirname, 'accuracy');
  const corpus = corpusSchema.parse(JSON.parse(readFileSync(path.join(dir, 'corpus.json'), 'utf8')));

  it('holds out the seeded draw of at least three repositories, and of each later cohort on its own', () => {
    const cohorts = [...new Set(corpus.repositories.map((r) => r.since))].map((since) => corpus.repositories.filter((r) => r.since === since));
    expect(corpus.repositories.filter((r) => r.since === 1 && r.heldOut).length).toBeGreaterThanOrEqual(3);
    for (const cohort of cohorts) {
      const held = cohort.filter((r) => r.heldOut).map((r) => r.name).sort();
      expect(held).toEqual(drawHeldOut(cohort.map((r) => r.name), corpus.seed, held.length));
    }
  });

  it('holds out of each cohort as many as heldOutRule says, so the words and the list cannot drift apart', () => {
    // "3 of the first 13, 2 of round 4's 6, …": cohort (since) → held out, size.
    const stated = [...corpus.heldOutRule.matchAll(/(\d+) of (?:the first|round (\d+)'s) (\d+)/g)].map((m) => ({ since: Number(m[2] ?? 1), held: Number(m[1]), size: Number(m[3]) }));
    const actual = [...new Set(corpus.repositories.map((r) => r.since))].map((since) => {
      const cohort = corpus.repositories.filter((r) => r.since === since);
      return { since, held: cohort.filter((r) => r.heldOut).length, size: cohort.length };
    });
    const bySince = (a: { since: number }, b: { since: number }): number => a.since - b.since;
    expect(actual.sort(bySince)).toEqual(stated.sort(bySince));
  });

  it('has a label file per repository, pinned to the same commit, with no duplicate labels', () => {
    const files = readdirSync(path.join(dir, 'labels')).sort();
    expect(files).toEqual(corpus.repositories.map((r) => `${r.name.replace('/', '+')}.json`).sort());
    for (const repository of corpus.repositories) {
      const labels = labelFileSchema.parse(JSON.parse(readFileSync(path.join(dir, 'labels', `${repository.name.replace('/', '+')}.json`), 'utf8')));
      expect(labels.commit).toBe(repository.commit);
      const keys = labels.labels.map((l) => `${l.file}:${l.line}:${l.column ?? ''}:${l.rule}:${l.round ?? 1}:${l.audit ?? ''}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});
