/**
 * Triage at scale and navigation, in Chromium at 390 and 1280 px, on a
 * generated repository of 60 processes with a git history (a later commit
 * edits cited code, so some references are stale and some moved):
 * the process list sorts and filters with its state in the URL and is whole
 * without JavaScript; problems by severity, then process or file, filtered
 * and paginated (pages out of links.json); task progress from ticked
 * criteria; breadcrumbs, sticky header, "On this page", copy buttons, change
 * rows linking files and commits, and a 404 page that finds the page meant.
 *
 * Built once; one browser for every test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../src/astro/build-site.ts';
import { scanRepository } from '../../src/node/scan.ts';
import { generateRepository, SIZES, type RepositorySize } from '../../scripts/generate-repo.ts';
import type { Graph } from '../../src/core/schema.ts';
import { createUrls } from '../../src/core/urls/urls.ts';
import { CHANGES_PER_PAGE } from '../../src/site/triage.ts';
import { Repo, removeRepos } from '../git-repo.ts';
import { seriousViolations } from './axe-check.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;
const CHANGE_DAY = '2026-11-20';
const COMMIT_URL = 'https://git.example.com/infra/commit/{hash}';

let out: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let graph: Graph;
/** Process whose cited file the later commit rewrote, and that got a change row of that day. */
let changedProcess: { id: string; file: string };
let repoDir: string;
/** The process document given a code block. */
let codeProcessFile: string;

/** `path` of a code reference in a process document's top metadata. */
function citedFile(doc: string): string {
  return /\*\*Code Reference\*\*: `([^`:#]+)/.exec(doc)![1];
}

beforeAll(async () => {
  // The benchmark's generator at 60 processes: the shape of a team's repository, sized for triage.
  (SIZES as Record<string, (typeof SIZES)['small']>).triage = { files: 400, processes: 60, tasks: 90 };
  const repo = new Repo();
  repoDir = repo.dir;
  try {
    await generateRepository(repo.dir, 'triage' as RepositorySize, 7);
  } finally {
    delete (SIZES as Record<string, unknown>).triage;
  }
  const config = JSON.parse(await readFile(join(repo.dir, 'waymark.config.json'), 'utf8'));
  config.site = { ...config.site, commitUrl: COMMIT_URL };
  repo.write('waymark.config.json', `${JSON.stringify(config, null, 2)}\n`);
  // A code block to copy, in the first process document.
  const processFiles = readdirSync(join(repo.dir, 'docs/processes')).sort().map((f) => `docs/processes/${f}`);
  codeProcessFile = processFiles[0];
  const first = readFileSync(join(repo.dir, processFiles[0]), 'utf8');
  repo.write(processFiles[0], first.replace('## Overview\n', '## Overview\n\n```sh\nmake backup ENV=staging\n./scripts/verify.sh --all\n```\n'));
  repo.git('add', '-A');
  repo.gitAt('2025-01-01', 'commit', '-qm', 'initial');
  // Later: a line one process cites is edited (that reference goes stale; the engine follows the
  // rest of the file), another's cited file shifted down (moved); the next day the first process
  // records the change in its history.
  const text = (p: string) => readFileSync(join(repo.dir, p), 'utf8');
  const [, edited, line] = /`([^`:#]+):(\d+)/.exec(text(processFiles[1]).split('## Sub-Processes')[1])!;
  repo.write(edited, text(edited).split('\n').map((l, i) => (i + 1 === Number(line) ? `${l} # reviewed` : l)).join('\n'));
  const shifted = citedFile(text(processFiles[2]));
  if (shifted !== edited) repo.write(shifted, `${'# header\n'.repeat(6)}${text(shifted)}`);
  repo.git('add', '-A');
  repo.gitAt(CHANGE_DAY, 'commit', '-qm', 'review cited code');
  const doc = text(processFiles[1]);
  repo.write(processFiles[1], doc.replace(/(\| Version \| Date \| Change \| Author \| Rationale \|\n\| [-| ]+\|\n)/, `$1| 9.0 | ${CHANGE_DAY} | Reviewed the cited code | jtan | TASK-001 |\n`));
  repo.git('add', '-A');
  repo.gitAt('2026-11-21', 'commit', '-qm', 'record the review');

  out = await mkdtemp(join(tmpdir(), 'waymark-triage-site-'));
  const result = await buildSite({ repo: repo.dir, out, strict: false, quiet: true });
  expect(result.failed).toBe(false);
  graph = (await scanRepository(repo.dir)).graph;
  const changed = graph.processes.find((p) => p.file === processFiles[1])!;
  changedProcess = { id: changed.id, file: changed.file };
  server = await serveStatic(out, '/');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
  removeRepos();
});

/** Data of the rows the process list shows, in order. */
async function shownRows(p: Page) {
  return p.locator('table[data-triage-table="processes"] tbody tr').evaluateAll((rows) =>
    rows
      .filter((r) => !(r as HTMLElement).hidden)
      .map((r) => ({
        name: r.getAttribute('data-name')!,
        status: r.getAttribute('data-status')!,
        owner: r.getAttribute('data-owner')!,
        env: JSON.parse(r.getAttribute('data-env')!) as string[],
        days: Number(r.getAttribute('data-days')),
        stale: Number(r.getAttribute('data-stale')),
        moved: Number(r.getAttribute('data-moved')),
        overdue: r.classList.contains('overdue'),
      })),
  );
}

test('without JavaScript the process list is whole and readable, and the controls are hidden', async () => {
  const plain = await browser.newContext({ javaScriptEnabled: false, viewport: WIDTHS[0] });
  const p = await plain.newPage();
  await p.goto(`${server.url}processes/`);
  expect(await p.locator('tbody tr:visible').count()).toBe(graph.processes.length);
  expect(await p.locator('form.triage-controls').isVisible()).toBe(false);
  // Every row names its process as a link.
  expect(await p.locator('tbody tr td.card-title a').count()).toBe(graph.processes.length);
  await plain.close();
});

test('links.json holds no pagination page', async () => {
  const links = await readFile(join(out, 'links.json'), 'utf8');
  expect(links).not.toMatch(/\/page\/\d/);
  // …while the pages exist.
  const res = await fetch(`${server.url}problems/page/2/`);
  expect(res.status).toBe(200);
});

test('the change history is paginated: every row on exactly one page, the pages outside links.json', async () => {
  const perPage = CHANGES_PER_PAGE;
  const pages = Math.max(1, Math.ceil(graph.changes.length / perPage));
  let rows = 0;
  for (let n = 1; n <= pages + 1; n++) {
    const res = await fetch(`${server.url}changes/${n > 1 ? `page/${n}/` : ''}`);
    if (n > pages) {
      expect(res.status, 'no page after the last').toBe(404);
      break;
    }
    const html = await res.text();
    const onPage = html.match(/<tr data-process=/g)?.length ?? 0;
    expect(onPage).toBe(n < pages ? perPage : graph.changes.length - perPage * (pages - 1));
    rows += onPage;
  }
  expect(rows).toBe(graph.changes.length);
});

describe.each(WIDTHS)('at $width px', (viewport) => {
  beforeAll(async () => {
    await page.setViewportSize(viewport);
  });

  test('process list: filters and sorts by status, owner, environment, days since validation, stale/moved; the state is in the URL', async () => {
    await page.goto(`${server.url}processes/`);
    expect(await page.locator('form.triage-controls').isVisible()).toBe(true);
    expect((await shownRows(page)).length).toBe(60);
    const all = await shownRows(page);
    // The data the rows carry is the scan's: stale and moved references exist after the later commit.
    expect(all.some((r) => r.stale > 0)).toBe(true);
    expect(all.some((r) => r.moved > 0)).toBe(true);
    expect(all.filter((r) => r.overdue).length).toBeGreaterThan(0);

    // Status.
    const status = all[0].status;
    await page.selectOption('#wm-f-status', status);
    let rows = await shownRows(page);
    expect(rows.length).toBe(all.filter((r) => r.status === status).length);
    expect(new URL(page.url()).searchParams.get('status')).toBe(status);
    // Owner on top of status.
    const owner = rows[0].owner;
    await page.selectOption('#wm-f-owner', owner);
    rows = await shownRows(page);
    expect(rows.length).toBe(all.filter((r) => r.status === status && r.owner === owner).length);
    expect(await page.locator('[data-triage-count]').textContent()).toBe(`${rows.length} of 60 processes shown`);
    // A shared link restores the view.
    const shared = page.url();
    await page.goto(shared);
    expect(await page.locator('#wm-f-owner').inputValue()).toBe(owner);
    expect((await shownRows(page)).length).toBe(rows.length);
    await page.click('button[type="reset"]');
    await expect.poll(async () => (await shownRows(page)).length).toBe(60);
    expect(new URL(page.url()).search).toBe('');

    // Environment, stale, moved, overdue.
    const env = all.find((r) => r.env.length)!.env[0];
    await page.selectOption('#wm-f-env', env);
    expect((await shownRows(page)).length).toBe(all.filter((r) => r.env.includes(env)).length);
    await page.selectOption('#wm-f-env', '');
    await page.selectOption('#wm-f-changed', 'stale');
    expect((await shownRows(page)).length).toBe(all.filter((r) => r.stale > 0).length);
    await page.selectOption('#wm-f-changed', 'moved');
    expect((await shownRows(page)).length).toBe(all.filter((r) => r.moved > 0).length);
    await page.selectOption('#wm-f-changed', '');
    await page.selectOption('#wm-f-days', 'overdue');
    expect((await shownRows(page)).map((r) => r.overdue)).toEqual(all.filter((r) => r.overdue).map(() => true));
    await page.selectOption('#wm-f-days', '90');
    expect((await shownRows(page)).every((r) => r.days > 90)).toBe(true);
    await page.selectOption('#wm-f-days', '');

    // Sorting: by days since validation, most first, and by stale count.
    await page.selectOption('#wm-f-sort', 'days-desc');
    const days = (await shownRows(page)).map((r) => r.days);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('days-desc');
    await page.selectOption('#wm-f-sort', 'stale-desc');
    const stale = (await shownRows(page)).map((r) => r.stale);
    expect(stale).toEqual([...stale].sort((a, b) => b - a));
    expect(stale[0]).toBeGreaterThan(0);
    // Column headers sort on wide screens (on a phone the header row is hidden and the select does it).
    if (viewport.width >= 640) {
      await page.locator('th[data-sort="name"] button').click();
      const names = (await shownRows(page)).map((r) => r.name);
      expect(names).toEqual([...names].sort());
      expect(await page.locator('th[data-sort="name"]').getAttribute('aria-sort')).toBe('ascending');
      await page.locator('th[data-sort="days"] button').focus();
      await page.keyboard.press('Enter');
      expect(await page.locator('th[data-sort="days"]').getAttribute('aria-sort')).toBe('descending');
    }
  });

  test('process list: overdue validation is coloured', async () => {
    await page.goto(`${server.url}processes/`);
    const colours = await page.locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({ overdue: r.classList.contains('overdue'), colour: getComputedStyle(r.querySelector('td[data-label="Last validated"]')!).color })),
    );
    const overdue = new Set(colours.filter((c) => c.overdue).map((c) => c.colour));
    const fresh = new Set(colours.filter((c) => !c.overdue).map((c) => c.colour));
    expect(overdue.size).toBe(1);
    for (const c of fresh) expect(overdue.has(c)).toBe(false);
  });

  test('problems: by severity, then process or file, each linking to its process page; filters in the URL; paginated', async () => {
    await page.goto(`${server.url}problems/`);
    const sections = await page.locator('[data-severity-section]').evaluateAll((s) => s.map((x) => x.getAttribute('data-severity-section')));
    const order = ['error', 'warning', 'info'];
    expect(sections).toEqual([...sections].sort((a, b) => order.indexOf(a!) - order.indexOf(b!)));
    expect(sections[0]).toBe('error');
    // Each process group links to its process page's problems.
    const groups = await page.locator('[data-problem-group] h3 a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname + new URL((a as HTMLAnchorElement).href).hash));
    const processLinks = groups.filter((g) => g.startsWith('/processes/'));
    expect(processLinks.length).toBeGreaterThan(5);
    for (const link of processLinks) expect(link).toMatch(/^\/processes\/[^/]+\/#wm-problems$/);
    // Every problem appears on exactly one page.
    const pager = await page.locator('nav.pager').first().locator('a[data-page-link]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    const pages = [`${server.url}problems/`, ...new Set(pager)];
    expect(pages.length).toBeGreaterThan(1);
    let total = 0;
    for (const url of pages) {
      await page.goto(url);
      total += await page.locator('li[data-problem]').count();
    }
    expect(total).toBe(graph.diagnostics.length);

    // Filters: severity and rule, kept in the URL and carried by the pager links.
    await page.goto(`${server.url}problems/`);
    await page.selectOption('#wm-f-severity', 'warning');
    const visible = () => page.locator('li[data-problem]').evaluateAll((li) => li.filter((x) => !(x as HTMLElement).hidden).map((x) => `${x.getAttribute('data-severity')} ${x.getAttribute('data-rule')}`));
    const warnings = await visible();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.startsWith('warning '))).toBe(true);
    expect(await page.locator('[data-severity-section="error"]').isVisible()).toBe(false);
    expect(new URL(page.url()).searchParams.get('severity')).toBe('warning');
    const next = await page.locator('nav.pager a[rel="next"]').first().getAttribute('href');
    expect(next).toContain('severity=warning');
    const rule = graph.diagnostics.find((d) => d.severity === 'error')!.rule;
    await page.goto(`${server.url}problems/?rule=${rule}`);
    expect((await visible()).every((w) => w.endsWith(` ${rule}`))).toBe(true);
    // A rule link (`#rule-…`, as problem lists elsewhere link) shows that rule.
    await page.goto(`${server.url}problems/#rule-${rule}`);
    expect(await page.locator('#wm-f-rule').inputValue()).toBe(rule);
    // Typing part of a process name narrows to its group.
    await page.goto(`${server.url}problems/`);
    const label = (await page.locator('[data-problem-group] h3 a').first().textContent())!;
    await page.fill('#wm-f-where', label.toLowerCase());
    expect(await page.locator('[data-problem-group]:visible').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-problem-group]:visible h3 a').first().textContent()).toBe(label);
  });

  test('task progress comes from ticked acceptance criteria when no percentage is stated', async () => {
    // Generated tasks state no percentage; their summaries tick some criteria.
    const withSummary = graph.tasks.filter((t) => t.progress === undefined && t.summaries.length === 1).slice(0, 3);
    expect(withSummary.length).toBeGreaterThan(0);
    for (const t of withSummary) {
      const text = await readFile(join(repoDir, t.summaries[0]), 'utf8');
      const section = text.split(/^## Acceptance Criteria Status$/m)[1] ?? '';
      const ticked = (section.match(/^- \[x\]/gm) ?? []).length;
      const boxes = (section.match(/^- \[[ x]\]/gm) ?? []).length;
      expect(boxes, t.key).toBeGreaterThan(0);
      await page.goto(server.origin + createUrls('/').task(t.key));
      const shown = page.locator('[data-progress-source]');
      expect(await shown.getAttribute('data-progress-source'), t.key).toBe('criteria');
      expect(await shown.textContent()).toContain(`${Math.round((ticked / boxes) * 100)}%`);
      expect(await shown.textContent()).toContain(`${ticked} of ${boxes} acceptance criteria ticked`);
      // The board's bar says the same.
      await page.goto(`${server.url}tasks/`);
      const bar = page.locator(`[role="progressbar"][aria-label="${t.taskId} progress"]`);
      expect(await bar.getAttribute('aria-valuenow')).toBe(String(Math.round((ticked / boxes) * 100)));
    }
  });

  test('breadcrumbs, sticky header and the "On this page" sidebar', async () => {
    const process = graph.processes.find((p) => p.id === changedProcess.id)!;
    await page.goto(`${server.url}processes/${process.id}/`);
    const crumbs = await page.locator('nav.breadcrumbs li').allTextContents();
    expect(crumbs).toEqual(['Home', 'Processes', process.name]);
    expect(await page.locator('nav.breadcrumbs [aria-current="page"]').textContent()).toBe(process.name);
    const sidebar = page.locator('aside.on-this-page');
    expect(await sidebar.count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight * 0.6));
    await page.waitForTimeout(150);
    const header = (await page.locator('.site-header').boundingBox())!;
    if (viewport.width >= 1200) {
      // The header stays at the top; the sidebar stays on screen and marks where the reader is.
      expect(header.y).toBe(0);
      const box = (await sidebar.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(header.height - 1);
      expect(box.y + Math.min(box.height, 200)).toBeLessThanOrEqual(viewport.height);
      const current = await sidebar.locator('a[aria-current="location"]').getAttribute('href');
      expect(current).toBeTruthy();
      const target = (await page.locator(decodeURIComponent(current!)).boundingBox())!;
      expect(target.y).toBeLessThan(viewport.height * 0.3 + 1);
      // A sidebar link lands below the sticky header, not under it.
      const last = sidebar.locator('a').nth(1);
      const id = decodeURIComponent((await last.getAttribute('href'))!);
      await last.click();
      await page.waitForTimeout(100);
      const landed = (await page.locator(id).boundingBox())!;
      expect(landed.y).toBeGreaterThanOrEqual(header.height - 1);
    } else {
      // On a phone the header scrolls away and the sidebar is not shown.
      expect(header.y).toBeLessThan(0);
      expect(await sidebar.isVisible()).toBe(false);
    }
    // Section index pages: Home › section.
    await page.goto(`${server.url}problems/`);
    expect(await page.locator('nav.breadcrumbs li').allTextContents()).toEqual(['Home', 'Problems']);
  });

  test('a code block has a copy button that works from the keyboard', async () => {
    const process = graph.processes.find((p) => p.file === codeProcessFile)!;
    await page.goto(`${server.url}processes/${process.id}/`);
    const button = page.locator('.code-block .copy-button').first();
    expect(await button.getAttribute('aria-label')).toMatch(/^Copy code block/);
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => button.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('make backup ENV=staging\n./scripts/verify.sh --all');
    expect(await page.locator('[role="status"]', { hasText: 'copied' }).count()).toBe(1);
  });

  test('change history rows link the files their tasks changed and the commits of their day', async () => {
    await page.goto(`${server.url}changes/`);
    const files = await page.locator('a[data-change-file]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(files.length).toBeGreaterThan(0);
    for (const href of [...new Set(files)].slice(0, 5)) expect((await fetch(href)).status, href).toBe(200);
    const row = page.locator('tr', { hasText: 'Reviewed the cited code' }).first();
    const commit = row.locator('a[data-change-commit]');
    expect(await commit.count()).toBe(1);
    expect(await commit.getAttribute('href')).toMatch(/^https:\/\/git\.example\.com\/infra\/commit\/[0-9a-f]{40}$/);
    expect(await commit.getAttribute('title')).toBe('review cited code');
  });

  test('a misspelled process URL lands on a 404 that suggests the process', async () => {
    const process = graph.processes.find((p) => p.id.length > 12)!;
    const typo = process.id.slice(0, 4) + process.id.slice(5, 9) + process.id[4] + process.id.slice(9);
    const response = await page.goto(`${server.url}processes/${typo}/`);
    expect(response!.status()).toBe(404);
    const suggestions = page.locator('[data-suggest] ol a');
    await suggestions.first().waitFor();
    expect(new URL((await suggestions.first().getAttribute('href'))!, server.url).pathname).toBe(`/processes/${process.id}/`);
    // A task id in the wrong case still finds the task.
    const task = graph.tasks[0];
    await page.goto(`${server.url}t/${task.taskId.toLowerCase()}x/`);
    await page.locator('[data-suggest] ol a').first().waitFor();
    const found = await page.locator('[data-suggest] ol a').evaluateAll((as) => as.map((a) => a.textContent));
    expect(found.some((t) => t?.startsWith(task.taskId))).toBe(true);
  });

  test('no page of these types is wider than the screen, and axe finds no serious or critical violation', async () => {
    const process = graph.processes.find((p) => p.id === changedProcess.id)!;
    const urls = ['processes/', 'problems/', 'problems/page/2/', 'changes/', 'tasks/', `processes/${process.id}/`, 'processes/no-such-proces/'];
    const problems: string[] = [];
    for (const path of urls) {
      await page.goto(server.url + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > viewport.width) problems.push(`${path}: ${width}px wide`);
      const found = await seriousViolations(page);
      for (const v of found) problems.push(`${path}: ${v}`);
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
