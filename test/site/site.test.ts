/**
 * The built site in headless Chromium: search and its filters, navigation
 * process → file → citing document, a crawl with zero broken links or anchors,
 * a non-root base, escaping, dark mode, keyboard access, no layout shift.
 *
 * The site is built once from the sample graph of `fixture-repo` under the
 * base `/waymark-docs/`, so every test also checks the sub-path.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderSite } from '../../src/astro/build-site.ts';
import { crawl } from './crawl.ts';
import { sampleScan } from './sample-graph.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const BASE = '/waymark-docs/';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let out: string;
let server: StaticServer;
let context: BrowserContext;
let profile: string;

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}

function isRedirectPage(file: string): boolean {
  return readFileSync(file, 'utf8').includes('http-equiv="refresh"');
}

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`unexpected dialog: ${dialog.message()}`);
  });
  await page.goto(server.url + path);
  return page;
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'waymark-site-'));
  await renderSite(sampleScan(), { out, base: BASE, quiet: true });
  server = await serveStatic(out, BASE);
  profile = await mkdtemp(join(tmpdir(), 'waymark-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  await rm(profile, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

describe('built site', () => {
  test('a crawl from the home page finds no broken internal link or anchor', async () => {
    const result = await crawl(server.url);
    expect(result.broken).toEqual([]);
    // Every page the build wrote is reachable (404.html and the redirect pages of short forms aside).
    const written = (await htmlFiles(out)).filter((f) => !isRedirectPage(f)).map((f) => relative(out, f)).filter((f) => f !== '404.html');
    expect(result.pages.length).toBe(written.length);
  });

  test('every internal URL stays under the base', async () => {
    for (const file of await htmlFiles(out)) {
      const html = await readFile(file, 'utf8');
      for (const m of html.matchAll(/\s(?:href|src)="(\/[^"]*)"/g)) expect(m[1].startsWith(BASE), `${file}: ${m[1]}`).toBe(true);
    }
  });

  test('search finds a process by name and a filter narrows the results', async () => {
    const page = await open('');
    const input = page.locator('.pagefind-ui__search-input');
    await input.fill('rollback');
    const results = page.locator('.pagefind-ui__result-link');
    await expect.poll(() => results.count(), { timeout: 15_000 }).toBeGreaterThan(1);
    const before = await results.count();
    // Filter on kind = task.
    // The checkboxes are styled away; people click the label.
    const taskFilter = page.locator('label[for="kind-task"]');
    // Pagefind draws its filters after loading their index: slow on a busy machine.
    await taskFilter.click({ timeout: 90_000 });
    // List pages are out of the index now, so 'rollback' may already find only tasks: the filter keeps them all.
    await expect.poll(async () => results.count(), { timeout: 10_000 }).toBeLessThanOrEqual(before);
    // Pagefind redraws the list after the filter's index loads: wait until what is shown is filtered.
    const hrefs = () => results.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    await expect.poll(async () => (await hrefs()).filter((href) => !href.includes(`${BASE}tasks/`)), { timeout: 30_000 }).toEqual([]);
    expect((await hrefs()).length).toBeGreaterThan(0);

    await taskFilter.click();
    await input.fill('Blue/Green Rollout');
    await expect
      .poll(async () => results.evaluateAll((links) => links.map((a) => a.getAttribute('href'))), { timeout: 15_000 })
      .toContain(`${BASE}processes/blue-green-rollout/`);
    await page.close();
  });

  test('navigation: process → cited file at the line → citing document', async () => {
    const page = await open('processes/blue-green-rollout/');
    expect(await page.locator('h1').textContent()).toBe('Blue/Green Rollout');
    // A code reference in the rendered document links to the file page at its line.
    await page.locator('.doc a.wm-ref', { hasText: 'infra/lb.tf:3-10' }).first().click();
    await page.waitForURL(`**${BASE}files/infra/lb.tf/#L3-L10`);
    expect(await page.locator('#L3').getAttribute('class')).toContain('cited');
    expect(await page.locator('#L11').getAttribute('class')).not.toContain('cited');
    // The cited range lists the documents that cite it; follow one back.
    await page.locator('.citations a', { hasText: 'Blue/Green Rollout › Traffic Switch' }).click();
    await page.waitForURL(`**${BASE}processes/blue-green-rollout/#traffic-switch`);
    expect(await page.locator('#traffic-switch').isVisible()).toBe(true);
    await page.close();
  });

  test('broken references carry a broken badge, good ones an ok badge', async () => {
    const page = await open('processes/database-backup/');
    expect(await page.locator('.doc .wm-badge-broken').count()).toBe(1);
    expect(await page.locator('#wm-problems ~ ul .problem').count()).toBe(2);
    await page.goto(`${server.url}processes/blue-green-rollout/`);
    expect(await page.locator('.doc .wm-badge-ok').count()).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  test('the change history filters by process', async () => {
    const page = await open('changes/');
    const rows = page.locator('table.changes tbody tr');
    expect(await rows.count()).toBe(3);
    await page.selectOption('#change-process', 'database-backup');
    await expect.poll(() => page.locator('table.changes tbody tr:not([hidden])').count()).toBe(1);
    expect(page.url()).toContain('?process=database-backup');
    // Arriving with ?process= applies the filter.
    await page.goto(`${server.url}changes/?process=blue-green-rollout`);
    await expect.poll(() => page.locator('table.changes tbody tr:not([hidden])').count()).toBe(2);
    await page.close();
  });

  test('repository text is escaped, never executed', async () => {
    for (const file of await htmlFiles(out)) {
      const html = await readFile(file, 'utf8');
      expect(html, file).not.toMatch(/<script>alert|javascript:alert|<b>traffic|<em>first/);
    }
    const page = await open('files/deploy/rollout.sh/');
    expect(await page.locator('#L3').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('.brand').textContent()).toBe('Example <Infra>');
    await page.close();
  });

  test('dot-folders get a visible, reversible URL', async () => {
    const page = await open('files/~2Egithub/workflows/deploy.yml/');
    expect(await page.locator('h1').textContent()).toBe('.github/workflows/deploy.yml');
    await page.close();
  });

  test('keyboard: the first Tab reaches the skip link, which moves focus to the content', async () => {
    const page = await open('tasks/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });

  test('dark mode follows the system setting', async () => {
    const page = await open('');
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await page.close();
  });

  test('no layout shift while the page and the search box load', async () => {
    for (const path of ['', 'processes/blue-green-rollout/', 'tasks/']) {
      const page = await context.newPage();
      await page.addInitScript(() => {
        (window as unknown as { __cls: number }).__cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) (window as unknown as { __cls: number }).__cls += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(server.url + path);
      await page.locator('.pagefind-ui__search-input').waitFor();
      await page.waitForTimeout(300);
      const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
      expect(cls, path).toBeLessThan(0.01);
      await page.close();
    }
  });

  test('the output is deterministic', async () => {
    const again = await mkdtemp(join(tmpdir(), 'waymark-site-again-'));
    try {
      await renderSite(sampleScan(), { out: again, base: BASE, quiet: true });
      const list = async (dir: string) =>
        (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
      const files = await list(out);
      expect(await list(again)).toEqual(files);
      for (const f of files) expect((await readFile(join(again, f))).equals(await readFile(join(out, f))), f).toBe(true);
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });
});

describe('short forms and redirects', () => {
  test('/p/<id>/ lands on the canonical process page under the base', async () => {
    const page = await open('p/blue-green-rollout/');
    await page.waitForURL(`**${BASE}processes/blue-green-rollout/`);
    expect(await page.locator('h1').textContent()).toBe('Blue/Green Rollout');
    await page.close();
  });

  test('the fragment comes along: /f/<path>/#L3 and /p/<id>/#<sub-process>', async () => {
    const page = await open('f/infra/lb.tf/#L3');
    await page.waitForURL(`**${BASE}files/infra/lb.tf/#L3`);
    expect(await page.locator('#L3').getAttribute('class')).toContain('cited');
    await page.goto(`${server.url}p/blue-green-rollout/#rollback`);
    await page.waitForURL(`**${BASE}processes/blue-green-rollout/#rollback`);
    await page.goto(`${server.url}t/TASK-002/`);
    await page.waitForURL(`**${BASE}tasks/improvement-plan/TASK-002/`);
    await page.close();
  });

  test('without JavaScript, the meta refresh still lands on the canonical page', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    try {
      const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
      await page.goto(`${server.url}p/database-backup/`);
      await page.waitForURL(`**${BASE}processes/database-backup/`);
      expect(await page.locator('h1').textContent()).toBe('Database Backup');
    } finally {
      await browser.close();
    }
  });

  test('every redirect page has a canonical link and a meta refresh to a page that exists, and links.json and _redirects agree', async () => {
    const manifest = JSON.parse(await readFile(join(out, 'links.json'), 'utf8'));
    const redirects = Object.entries(manifest.redirects as Record<string, string>);
    expect(redirects.length).toBeGreaterThan(10);
    const lines = (await readFile(join(out, '_redirects'), 'utf8')).trim().split('\n');
    expect(lines).toEqual(redirects.map(([from, to]) => `${from} ${to} 301`));
    for (const [from, to] of redirects) {
      const html = await readFile(join(out, from.slice(BASE.length), 'index.html'), 'utf8');
      expect(html).toContain(`<link rel="canonical" href="${to}">`);
      expect(html).toContain(`<meta http-equiv="refresh" content="0; url=${to}">`);
      const res = await fetch(server.origin + to.split('#')[0]);
      expect(res.status, to).toBe(200);
      await res.arrayBuffer();
    }
    for (const url of manifest.urls as string[]) {
      const res = await fetch(server.origin + url);
      expect(res.status, url).toBe(200);
      await res.arrayBuffer();
    }
  });
});
