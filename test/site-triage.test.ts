/** The triage model: process rows, problems by severity and their pages, task progress, change links, page headings, 404 candidates. */
import { describe, expect, test } from 'vitest';
import { indexSite, type Problem } from '../src/site/model.ts';
import { pageHeadings } from '../src/site/on-this-page.ts';
import { suggestablePages } from '../src/site/suggest-pages.ts';
import { changeLinks, listPageUrl, paginate, paginateProblems, processRows, problemsBySeverity, taskProgress } from '../src/site/triage.ts';
import type { Checkbox, Diagnostic, Process, Task } from '../src/core/schema.ts';
import { sampleSiteData } from './site/sample-graph.ts';

const site = sampleSiteData;

const box = (checked: boolean, section?: string, line = 1): Checkbox => ({ text: checked ? 'done' : 'open', checked, line, section });
const task = (over: Partial<Task>): Pick<Task, 'progress' | 'status' | 'summaries' | 'plan'> => ({ status: 'in_progress', summaries: [], ...over });

describe('task progress', () => {
  const documents = new Map([
    ['s1.md', { checkboxes: [box(true, 'acceptance-criteria-status'), box(true, 'acceptance-criteria-status'), box(false, 'acceptance-criteria-status'), box(false, 'testing')] }],
    ['s2.md', { checkboxes: [box(true), box(false), box(false), box(false)] }],
    ['plan.md', { checkboxes: [box(true, 'task-001-x'), box(false, 'task-002-y')] }],
  ]);

  test('a stated percentage wins over the criteria', () => {
    expect(taskProgress(task({ progress: 40, summaries: ['s1.md'] }), documents)).toEqual({ percent: 40, source: 'stated' });
  });
  test('without one, the ticked share of the acceptance section (other checkboxes left out)', () => {
    expect(taskProgress(task({ summaries: ['s1.md'] }), documents)).toEqual({ percent: 67, source: 'criteria', done: 2, total: 3 });
  });
  test('a summary with no acceptance section counts all its checkboxes; several summaries add up', () => {
    expect(taskProgress(task({ summaries: ['s2.md'] }), documents)).toEqual({ percent: 25, source: 'criteria', done: 1, total: 4 });
    expect(taskProgress(task({ summaries: ['s1.md', 's2.md'] }), documents)).toEqual({ percent: 43, source: 'criteria', done: 3, total: 7 });
  });
  test('no summary criteria: the checkboxes under the task in its plan', () => {
    expect(taskProgress(task({ plan: { file: 'plan.md', line: 3, slug: 'task-001-x' } }), documents)).toEqual({ percent: 100, source: 'criteria', done: 1, total: 1 });
  });
  test('nothing to count: complete is 100, anything else 0', () => {
    expect(taskProgress(task({ status: 'complete' }), documents)).toEqual({ percent: 100, source: 'status' });
    expect(taskProgress(task({ status: 'blocked', summaries: ['missing.md'] }), documents)).toEqual({ percent: 0, source: 'status' });
  });
});

const problem = (file: string, line: number, severity: Diagnostic['severity'], rule = 'r'): Problem => ({ id: `${file}:${line}`, file, line, column: 1, severity, rule, message: 'm' });

describe('problems by severity, then process or file', () => {
  const processes = new Map<string, Process>([
    ['docs/b.md', { id: 'bravo', name: 'Bravo', file: 'docs/b.md' } as Process],
    ['docs/a.md', { id: 'alpha', name: 'Alpha', file: 'docs/a.md' } as Process],
  ]);
  const problems = [
    problem('z.tf', 3, 'warning'),
    problem('docs/b.md', 9, 'error'),
    problem('docs/b.md', 2, 'error'),
    problem('docs/a.md', 5, 'warning'),
    problem('a.sh', 1, 'error'),
    problem('docs/a.md', 1, 'info'),
  ];

  test('errors first; processes by name before other files by path; problems by line', () => {
    const grouped = problemsBySeverity(problems, processes);
    expect(grouped.map((s) => `${s.severity} ${s.count}: ${s.groups.map((g) => `${g.kind}:${g.key}[${g.problems.map((p) => p.line).join(',')}]`).join(' ')}`)).toEqual([
      'error 3: process:bravo[2,9] file:a.sh[1]',
      'warning 2: process:alpha[5] file:z.tf[3]',
      'info 1: process:alpha[1]',
    ]);
  });

  test('pages hold about `size` problems and never split a group', () => {
    const many = [...Array.from({ length: 7 }, (_, i) => problem('docs/b.md', i + 1, 'error')), ...Array.from({ length: 4 }, (_, i) => problem(`f${i}.tf`, 1, 'warning'))];
    const pages = paginateProblems(problemsBySeverity(many, processes), 5);
    const shape = pages.map((page) => page.map((s) => `${s.severity}:${s.groups.map((g) => g.problems.length).join('+')}`).join(' '));
    // The 7 errors of one process fill a page alone; the warnings split at file boundaries.
    expect(shape).toEqual(['error:7', 'warning:1+1+1+1']);
    expect(pages.flat().reduce((n, s) => n + s.count, 0)).toBe(many.length);
    expect(paginateProblems([], 5)).toEqual([[]]);
  });

  test('page URLs: the first page is the list itself', () => {
    expect(paginate([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(paginate([], 2)).toEqual([[]]);
    expect(paginate([1, 2], 2)).toEqual([[1, 2]]);
    expect(listPageUrl('/b/problems/', 1)).toBe('/b/problems/');
    expect(listPageUrl('/b/problems/', 3)).toBe('/b/problems/page/3/');
  });
});

describe('process rows and change links', () => {
  test('owner from metadata, days since validation against the reference date, overdue past the limit or never', () => {
    const data = site();
    const doc = data.documents.find((d) => d.path === data.processes[0].file)!;
    doc.metadata = [...doc.metadata, { key: 'owner', label: 'Owner', value: 'Platform team', line: 3 }];
    const index = indexSite(data);
    const rows = processRows(index);
    expect(rows.map((r) => r.process.name)).toEqual([...rows.map((r) => r.process.name)].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    const first = rows.find((r) => r.process.id === data.processes[0].id)!;
    expect(first.owner).toBe('Platform team');
    for (const r of rows) {
      const days = r.process.lastValidated ? Math.round((Date.parse(data.meta.referenceDate!) - Date.parse(r.process.lastValidated)) / 86_400_000) : undefined;
      expect(r.daysSinceValidation, r.process.id).toBe(days);
      expect(r.overdue, r.process.id).toBe(days === undefined || days > 90);
      expect(r.problems).toBe(data.problems.filter((p) => p.file === r.process.file).length);
      expect(r.health).toBe(index.health.get(r.process.id)!.state);
    }
    expect(rows.some((r) => r.overdue)).toBe(true);
  });

  test('a change row links the files its task modified, and commits of its day on the cited code', () => {
    const data = site();
    const change = data.changes.find((c) => c.taskIds.length > 0 && c.processId)!;
    const t = data.tasks.find((x) => x.taskId === change.taskIds[0])!;
    const fileRef = data.references.find((r) => r.targets.length === 1 && !r.targets[0].endsWith('.md'))!;
    t.files = [fileRef.id];
    change.date = '2026-01-05';
    data.staleness = [
      {
        id: change.processId!,
        since: { kind: 'validated', day: '2026-01-01' },
        commitCount: 2,
        changed: [
          {
            path: fileRef.targets[0],
            start: 1,
            end: 2,
            references: [fileRef.id],
            commits: [
              { hash: 'a'.repeat(40), short: 'aaaaaaa', date: '2026-01-05T10:00:00+00:00', subject: 'same day' },
              { hash: 'b'.repeat(40), short: 'bbbbbbb', date: '2026-01-04T10:00:00+00:00', subject: 'day before' },
            ],
          },
        ],
      },
    ];
    const links = changeLinks(change, indexSite(data));
    expect(links.files).toEqual([fileRef.targets[0]]);
    expect(links.commits.map((c) => c.subject)).toEqual(['same day']);
    expect(changeLinks({ ...change, taskIds: [], date: undefined }, indexSite(data))).toEqual({ files: [], commits: [] });
  });
});

describe('page headings for "On this page"', () => {
  test('h2 and h3 with ids, text without badges or tags, entities decoded; skipped and id-less headings left out', () => {
    const html = [
      '<h1 id="t">Title</h1>',
      '<h2 id="wm-problems">Problems <span class="count">3</span></h2>',
      '<h3 id="a&amp;b"><a href="#x">Rock &amp; <code>roll</code></a></h3>',
      '<h2>No id</h2>',
      '<h2 id="skip" data-toc="skip">Skipped</h2>',
      '<h2 id="sev"><span class="badge tone-bad" data-pagefind-ignore>error</span> Errors</h2>',
      '<h4 id="deep">Deep</h4>',
    ].join('\n');
    expect(pageHeadings(html)).toEqual([
      { depth: 2, id: 'wm-problems', text: 'Problems' },
      { depth: 3, id: 'a&b', text: 'Rock & roll' },
      { depth: 2, id: 'sev', text: 'Errors' },
    ]);
  });
});

describe('404 candidates', () => {
  test('every section, process, task and environment once, documents and files at the page that shows them', () => {
    const index = indexSite(site(), '/b/');
    const pages = suggestablePages(index);
    const urls = pages.map((p) => p.url);
    expect(new Set(urls).size).toBe(urls.length);
    for (const p of index.processes) expect(urls).toContain(index.urls.process(p.id));
    for (const t of index.tasks) expect(urls).toContain(index.urls.task(t.key));
    for (const f of index.files) expect(urls).toContain(index.linkFor({ path: f.path }));
    expect(urls).toContain('/b/problems/');
    expect(urls.every((u) => u.startsWith('/b/'))).toBe(true);
  });
});
