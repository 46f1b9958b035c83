import { describe, expect, test } from 'vitest';
import { barChart, stackedBar, truncate, truncateStart } from '../src/site/charts.ts';
import { escapeHtml, formatMessage } from '../src/site/escape.ts';
import { daysBetween } from '../src/core/text/days-between.ts';
import { ageText, sourceHtml, statusTone } from '../src/site/format.ts';
import {
  citedRanges,
  homeStats,
  indexSite,
  problemsByRule,
  sortChanges,
  sourceLines,
  taskBoard,
} from '../src/site/model.ts';
import { relationsSvg } from '../src/site/relations.ts';
import { sampleSiteData } from './site/sample-graph.ts';

const site = sampleSiteData;

describe('escaping', () => {
  test('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  test('formats backticked names as code, escaping the rest', () => {
    expect(formatMessage('`<b>` is missing & `x`')).toBe('<code>&lt;b&gt;</code> is missing &amp; <code>x</code>');
  });
});

describe('site index', () => {
  const index = indexSite(site(), '/b/');

  test('repository locations map to the page that shows them', () => {
    expect(index.linkFor({ path: 'docs/processes/blue-green-rollout.md', anchor: 'rollback' })).toBe('/b/processes/blue-green-rollout/#rollback');
    // An anchor the document does not have is dropped rather than left broken.
    expect(index.linkFor({ path: 'docs/processes/blue-green-rollout.md', anchor: 'nope' })).toBe('/b/processes/blue-green-rollout/');
    expect(index.linkFor({ path: 'README.md' })).toBe('/b/docs/README/');
    expect(index.linkFor({ path: 'infra/lb.tf', line: 3 })).toBe('/b/files/infra/lb.tf/#L3');
    expect(index.linkFor({ path: 'infra/lb.tf', line: 300 })).toBe('/b/files/infra/lb.tf/');
    expect(index.linkFor({ path: 'nowhere.tf' })).toBeUndefined();
  });

  test('references link to the whole cited range, task ids to the task', () => {
    const [first] = index.references;
    expect(index.referenceHref(first)).toBe('/b/files/infra/lb.tf/#L3-L10');
    const id = index.references.find((r) => r.kind === 'id')!;
    expect(index.referenceHref(id)).toBe('/b/tasks/improvement-plan/TASK-001/');
  });

  test('a citation in a document links to its section', () => {
    expect(index.sectionAt('docs/processes/blue-green-rollout.md', 14)).toEqual({ text: 'Traffic Switch', slug: 'traffic-switch' });
    expect(index.sourceHref('docs/processes/blue-green-rollout.md', 14)).toBe('/b/processes/blue-green-rollout/#traffic-switch');
    expect(index.sourceHref('deploy/rollout.sh', 5)).toBe('/b/files/deploy/rollout.sh/#L5');
  });

  test('process environments merge the engine links and document names', () => {
    const names = index.processEnvironments(index.process.get('blue-green-rollout')!).map((e) => [e.name, e.environment?.id]);
    expect(names).toEqual([
      ['production', 'production'],
      ['staging', 'staging'],
    ]);
  });
});

describe('view data', () => {
  test('home stats count what the home page shows', () => {
    const stats = homeStats(site());
    expect(stats.counts).toMatchObject({ processes: 2, tasks: 2, references: 15, brokenReferences: 2, markers: 3, problems: 3 });
    expect(stats.validation).toMatchObject({ validated: 1, never: 1 });
    expect(stats.validation.buckets.map((b) => b.value)).toEqual([1, 0, 0, 1]);
    expect(stats.taskStatus).toEqual([
      { status: 'not_started', value: 0 },
      { status: 'in_progress', value: 1 },
      { status: 'blocked', value: 0 },
      { status: 'complete', value: 1 },
    ]);
    expect(stats.recentChanges.map((c) => c.date)).toEqual(['2026-02-01', '2026-01-05', '2025-11-02']);
  });

  test('changes sort newest first, undated last, ties by id', () => {
    const c = (id: string, date?: string) => ({ id, file: 'a', line: 1, change: id, date, taskIds: [] });
    expect(sortChanges([c('b'), c('a', '2026-01-01'), c('d', '2026-02-01'), c('c', '2026-01-01')]).map((x) => x.id)).toEqual(['d', 'a', 'c', 'b']);
  });

  test('problems group by rule, tasks by status', () => {
    expect(problemsByRule(site().problems).map((g) => g.rule)).toEqual(['line-out-of-range', 'missing-file', 'never-validated']);
    expect(taskBoard(site().tasks).map((c) => c.tasks.length)).toEqual([0, 1, 0, 1]);
  });

  test('cited ranges merge identical ranges and clamp to the file', () => {
    const data = site();
    const refs = data.references.filter((r) => r.targets.includes('infra/lb.tf'));
    const { ranges, whole } = citedRanges('infra/lb.tf', refs, 11);
    expect(ranges.map((r) => [r.start, r.end, r.references.length])).toEqual([[3, 10, 2]]);
    expect(whole).toHaveLength(1);
    const out = citedRanges('deploy/rollout.sh', data.references, 8);
    expect(out.ranges.map((r) => [r.start, r.end])).toEqual([[1, 6]]);
    expect(out.whole.some((r) => r.problem === 'line-out-of-range')).toBe(true);
  });

  test('source lines carry highlighting and escape their text', () => {
    const lines = sourceLines('a\r\n<b>\nc\n', [{ start: 2, end: 2, references: [] }], [{ id: 'm', file: 'f', line: 3, column: 1, endLine: 3, fields: [], references: [] }]);
    expect(lines.map((l) => [l.number, l.cited, l.marker])).toEqual([
      [1, false, false],
      [2, true, false],
      [3, false, true],
    ]);
    const html = sourceHtml(lines);
    expect(html).toContain('<span class="line cited" id="L2"><a class="ln" href="#L2" aria-label="line 2">2</a><span class="lt">&lt;b&gt;</span></span>');
  });

  test('dates and tones', () => {
    expect(daysBetween('2026-01-20', '2026-02-01')).toBe(12);
    expect(ageText('2026-01-20', '2026-02-01')).toBe('2026-01-20 (12 days old as of 2026-02-01)');
    expect(ageText('2026-02-01', '2026-02-01')).toBe('2026-02-01 (the newest date)');
    expect(ageText('2026-01-20', '2026-02-01', true)).toBe('2026-01-20 (12 days old)');
    expect(ageText(undefined, '2026-02-01')).toBe('never');
    expect(statusTone('complete')).toBe('ok');
    expect(statusTone(undefined)).toBe('muted');
  });
});

describe('charts', () => {
  test('bar charts have a fixed size, escape labels and are deterministic', () => {
    const svg = barChart([{ label: '<x>', value: 3, tone: 'bad' }, { label: 'y', value: 0 }], { title: 'T & U' });
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 520 52" width="520" height="52" aria-hidden="true"/);
    expect(svg).toContain('&lt;x&gt;');
    expect(svg).toContain('<title>T &amp; U</title>');
    expect(svg).not.toContain('<x>');
    expect(barChart([{ label: '<x>', value: 3, tone: 'bad' }, { label: 'y', value: 0 }], { title: 'T & U' })).toBe(svg);
  });

  test('stacked bars fill exactly the width', () => {
    const svg = stackedBar([{ label: 'a', value: 1 }, { label: 'b', value: 2 }, { label: 'c', value: 0 }], { title: 't', width: 100 });
    const widths = [...svg.matchAll(/<rect class="tone-accent" x="(\d+)" y="0" width="(\d+)"/g)].map((m) => Number(m[2]));
    expect(widths.reduce((a, b) => a + b, 0)).toBe(100);
  });

  test('labels are truncated by characters', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncateStart('deploy/charts/values.yaml', 12)).toBe('…values.yaml');
  });

  test('the process picture links its boxes and escapes their text', () => {
    const svg = relationsSvg({ label: 'P <1>' }, [{ label: 'T', href: '/t/?a=1&b=2' }], []);
    expect(svg).toContain('<a href="/t/?a=1&amp;b=2" aria-label="T">');
    expect(svg).toContain('P &lt;1&gt;');
    expect(svg).toContain('no code');
  });
});
