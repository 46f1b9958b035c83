/**
 * The file page as an engineer checking cited code meets it, in Chromium at
 * 390 px and 1280 px, light and dark: `#L31-L40` selects exactly that range
 * and scrolls to it; the site's links carry the whole range; who cites a range
 * is said next to it; syntax colours come from the build; the header stays on
 * screen; "view on GitHub at this commit"; shift-click selects a range; the
 * commits that touched the file; a hostile file stays text; no document page
 * shows its front matter, whatever its fences, BOM or line endings.
 *
 * The fixture (`file-page-repo/`) is copied into a scratch git repository
 * with two dated commits, built once; every test reuses the build.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../src/astro/build-site.ts';
import { Repo, removeRepos } from '../git-repo.ts';
import { seriousViolations } from './axe-check.ts';
import { launchChromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const FIXTURE = join(import.meta.dirname, 'file-page-repo');
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

/** A file written to pass through the page as text: every line is something a browser would run if it were HTML. */
const HOSTILE = [
  "export const a = '</script><script>window.__pwned = 1; alert(1)</script>';",
  'export const b = \'<img src=x onerror="window.__pwned = 2; alert(2)">\';',
  '// </span></code></pre><svg onload="window.__pwned = 3"></svg>',
  'export const c = "&lt;script&gt; stays as written";',
  '',
].join('\n');

/** Documents whose front matter must never show, one per way of writing it. Each leaks its `FM-LEAK-…` word if shown. */
const FRONT_MATTER: Record<string, string> = {
  'docs/notes/bom.md': '\uFEFF---\ntitle: BOM note\nleak: FM-LEAK-BOM\n---\n# BOM note\n\nBody of the BOM note.\n',
  'docs/notes/crlf.md': '---\r\ntitle: CRLF note\r\nleak: FM-LEAK-CRLF\r\n---\r\n# CRLF note\r\n\r\nBody of the CRLF note.\r\n',
  'docs/notes/trailing.md': '---   \ntitle: Trailing note\nleak: FM-LEAK-TRAILING\n---  \t\n# Trailing note\n\nBody of the trailing note.\n',
  'docs/notes/bom-crlf-trailing.md': '\uFEFF--- \r\nleak: FM-LEAK-ALL\r\n--- \r\n# All at once\r\n\r\nBody of the combined note.\r\n',
  'docs/notes/toml.md': '+++\ntitle = "TOML note"\nleak = "FM-LEAK-TOML"\n+++\n# TOML note\n\nBody of the TOML note.\n',
  'docs/notes/toml-crlf.md': '+++ \r\nleak = "FM-LEAK-TOMLCRLF"\r\n+++\r\n# TOML CRLF note\r\n\r\nBody of the TOML CRLF note.\r\n',
  'docs/notes/yaml-named.md': '---yaml\nleak: FM-LEAK-NAMED\n---\n# Named YAML note\n\nBody of the named note.\n',
};

let repo: Repo;
let head: string;
let out: string;
let server: StaticServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  repo = new Repo();
  cpSync(FIXTURE, repo.dir, { recursive: true });
  repo.write('app/render.ts', HOSTILE);
  for (const [path, text] of Object.entries(FRONT_MATTER)) repo.write(path, text);
  repo.commit('2026-01-10', 'first version');
  repo.write('scripts/deploy.sh', repo.read('scripts/deploy.sh').replace('    sleep 10', '    sleep 5'));
  repo.commit('2026-03-02', 'deploy: poll the health check faster');
  head = repo.git('rev-parse', 'HEAD').trim();
  out = mkdtempSync(join(tmpdir(), 'waymark-file-page-'));
  const result = await buildSite({ repo: repo.dir, out, strict: false, quiet: true });
  expect(result.failed).toBe(false);
  server = await serveStatic(out, '/');
  browser = await launchChromium();
  page = await browser.context.newPage();
  // Any dialog is a script the repository's text managed to run.
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
  removeRepos();
});

const DEPLOY = 'files/scripts/deploy.sh/';

/** Numbers of the lines the page shows as selected. */
function selected(): Promise<number[]> {
  return page.locator('pre.source .line.selected').evaluateAll((lines) => lines.map((l) => Number(l.id.slice(1))));
}

/** Deferred scripts run after Pagefind's: on a loaded machine that takes seconds. */
const POLL = { timeout: 20_000 };

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe.each(WIDTHS)('the file page at $width px', (viewport) => {
  beforeAll(async () => {
    await page.setViewportSize(viewport);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('#L31-L40 selects exactly that range and scrolls it under the sticky header; #L31 one line', async () => {
    await page.goto(`${server.url}${DEPLOY}#L31-L40`);
    await expect.poll(selected, POLL).toEqual(range(31, 40));
    const headBottom = (await page.locator('#wm-file-head').boundingBox())!;
    const first = (await page.locator('#L31').boundingBox())!;
    expect(first.y, 'line 31 is below the sticky header').toBeGreaterThanOrEqual(headBottom.y + headBottom.height - 1);
    expect(first.y, 'line 31 is on screen').toBeLessThan(viewport.height - first.height);
    expect(await page.locator('.range-status').textContent()).toBe('Lines 31–40 selected');

    await page.goto(`${server.url}${DEPLOY}#L31`);
    await expect.poll(selected, POLL).toEqual([31]);
    // Reversed and past-the-end ranges, as hand-edited URLs have them.
    await page.goto(`${server.url}${DEPLOY}#L40-L31`);
    await expect.poll(selected, POLL).toEqual(range(31, 40));
    await page.goto(`${server.url}${DEPLOY}#L78-L500`);
    await expect.poll(selected, POLL).toEqual(range(78, 81));
  });

  test('the site links to a cited range with the whole range, and the page says who cites it next to the range', async () => {
    await page.goto(`${server.url}processes/web-deploy/`);
    const hrefs = await page.locator('a[href*="/files/scripts/deploy.sh/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(hrefs.length).toBeGreaterThan(1);
    expect(hrefs).toContain('/files/scripts/deploy.sh/#L31-L40');
    expect(hrefs).toContain('/files/scripts/deploy.sh/#L5-L12');
    // No link to the file stops at the range's first line.
    expect(hrefs.filter((h) => /#L(31|5)$/.test(h))).toEqual([]);

    await page.goto(`${server.url}${DEPLOY}`);
    expect(await page.locator('section:has(#wm-citations) ul.citations > li > a.range').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#L5-L12', '#L31-L40']);
    // Right above line 31: the process and its step that cite lines 31-40.
    const note = page.locator('pre.source .cite-note:has(+ #L31)');
    const said = await note.textContent();
    expect(said).toMatch(/^lines 31–40 cited by /);
    // The step, and the document's own line, of each citation (the overview's backticked range and the step's link).
    expect(said).toContain('Web Deploy › Wait for Health (docs/processes/deploy.md:');
    expect(said).toContain('Web Deploy › Overview (docs/processes/deploy.md:13)');
    const noteBox = (await note.boundingBox())!;
    expect(noteBox.x + noteBox.width).toBeLessThanOrEqual(viewport.width);
    // Clicking the range in the list selects it.
    await page.locator('ul.citations > li > a.range[href="#L5-L12"]').click();
    await expect.poll(selected, POLL).toEqual(range(5, 12));
  });

  test('syntax colours are in the HTML (no client highlighter), light and dark', async () => {
    await page.goto(`${server.url}${DEPLOY}`);
    expect(await page.locator('pre.source.coloured').count()).toBe(1);
    const keyword = page.locator('pre.source .k').first();
    const string = page.locator('pre.source .s').first();
    const comment = page.locator('pre.source .c').first();
    const colourOf = (l: typeof keyword) => l.evaluate((el) => getComputedStyle(el).color);
    const text = await page.locator('pre.source').evaluate((el) => getComputedStyle(el).color);
    const light = [await colourOf(keyword), await colourOf(string), await colourOf(comment)];
    expect(new Set([...light, text]).size).toBe(4);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = [await colourOf(keyword), await colourOf(string), await colourOf(comment)];
    for (const [i, c] of dark.entries()) expect(c).not.toBe(light[i]);
    await page.emulateMedia({ colorScheme: 'light' });
    // The only script the page adds for lines is the small selection script (every page loads search, site and navigation scripts).
    const scripts = await page.locator('script[src]').evaluateAll((s) => s.map((e) => new URL((e as HTMLScriptElement).src).pathname));
    expect(scripts.filter((s) => !s.includes('pagefind') && s !== '/waymark.js' && s !== '/navigation.js')).toEqual(['/file-lines.js']);
  });

  test('the file header stays on screen, and links to GitHub at the scanned commit', async () => {
    await page.goto(`${server.url}${DEPLOY}`);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
    const box = (await page.locator('#wm-file-head').boundingBox())!;
    expect(Math.abs(box.y)).toBeLessThan(2);
    const link = page.locator('#wm-file-head a[data-source-link]');
    expect(await link.isVisible()).toBe(true);
    expect(await link.getAttribute('href')).toBe(`https://github.com/acme/shop/blob/${head}/scripts/deploy.sh`);
    expect(await link.textContent()).toContain('View on GitHub at this commit');
    expect(await link.textContent()).toContain(head.slice(0, 7));
  });

  test('shift-click on a line number selects a range and puts it in the address, as on GitHub', async () => {
    await page.goto(`${server.url}${DEPLOY}`);
    await page.locator('#L5 a.ln').click();
    expect(new URL(page.url()).hash).toBe('#L5');
    await expect.poll(selected, POLL).toEqual([5]);
    await page.locator('#L12 a.ln').click({ modifiers: ['Shift'] });
    expect(new URL(page.url()).hash).toBe('#L5-L12');
    await expect.poll(selected, POLL).toEqual(range(5, 12));
    // Shift-click above the first line: the range runs from there to it.
    await page.locator('#L3 a.ln').click({ modifiers: ['Shift'] });
    expect(new URL(page.url()).hash).toBe('#L3-L5');
    await expect.poll(selected, POLL).toEqual(range(3, 5));
    // The address it wrote is one a reload selects again.
    await page.reload();
    await expect.poll(selected, POLL).toEqual(range(3, 5));
  });

  test("the page lists the commits and tasks that touched the file, from the scan's history", async () => {
    await page.goto(`${server.url}${DEPLOY}`);
    const commits = page.locator('#wm-history ~ .file-commits li, section:has(#wm-history) .file-commits li');
    await expect.poll(() => commits.count()).toBeGreaterThan(0);
    const items = await commits.allTextContents();
    expect(items.some((t) => t.includes('deploy: poll the health check faster') && t.includes('2026-03-02'))).toBe(true);
    const link = page.locator('section:has(#wm-history) .file-commits a').first();
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/github\.com\/acme\/shop\/commit\/[0-9a-f]{40}$/);
  });

  test('a hostile file renders as inert text', async () => {
    await page.goto(`${server.url}files/app/render.ts/`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    const source = page.locator('pre.source');
    expect(await source.locator('script, img, svg, iframe').count()).toBe(0);
    expect(await page.locator('[onerror], [onload]').count()).toBe(0);
    const shown = await source.locator('.line .lt').allTextContents();
    expect(shown).toEqual(HOSTILE.split('\n').slice(0, -1).map((l) => l || ' '));
  });

  test('no page shows front matter, whatever its fences, BOM or line endings', async () => {
    await page.goto(`${server.url}docs/`);
    for (const path of Object.keys(FRONT_MATTER)) {
      const href = await page.locator(`main a[href*="${path.slice('docs/notes/'.length, -'.md'.length)}"]`).first().getAttribute('href');
      await page.goto(new URL(href!, server.url).href);
      // The document itself starts with its heading; its metadata is a closed panel of its own, as GitHub shows front matter as a table.
      const article = (await page.locator('article.doc').textContent()) ?? '';
      expect(article, path).not.toMatch(/FM-LEAK|^\s*(---|\+\+\+)|title:|title =/);
      expect(article, path).toContain('Body of the');
      expect(await page.locator('article.doc h1').count(), path).toBe(1);
      expect(await page.locator('details[open]').filter({ hasText: 'Metadata' }).count(), path).toBe(0);
      await page.goto(`${server.url}docs/`);
    }
    await page.goto(`${server.url}processes/web-deploy/`);
    expect(await page.locator('article.doc').textContent()).not.toMatch(/last_validated|owner: Platform|---/);
  });

  test('the page fits its viewport and axe finds no serious or critical violation, light and dark, with a range selected', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of [`${DEPLOY}#L31-L40`, 'files/app/render.ts/']) {
        await page.goto(server.url + path);
        await page.locator('.pagefind-ui__search-input').waitFor();
        const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
        expect(scrollWidth, `${scheme} ${path}`).toBeLessThanOrEqual(clientWidth);
        expect(await seriousViolations(page), `${scheme} ${path}`).toEqual([]);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }, 120_000);
});
