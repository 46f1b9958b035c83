/**
 * Readable URLs and guide pages in Chromium, at a phone width (390 px) and a laptop width
 * (1280 px), on test/fixtures/url-contract (built once): every older form of a URL lands on the
 * canonical page, fragment kept; `/t/<id>/` redirects when one plan defines the id and lists the
 * plans when several do; a guide page renders its components, fits the screen and passes axe.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../src/astro/build-site.ts';
import { fixturesDir } from '../helpers.ts';
import { seriousViolations } from './axe-check.ts';
import { launchChromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const REPO = join(fixturesDir, 'url-contract', 'repo');
const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

let out: string;
let server: StaticServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'waymark-readable-urls-'));
  const result = await buildSite({ repo: REPO, out, strict: false, quiet: true });
  expect(result.failed).toBe(false);
  server = await serveStatic(out, '/');
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

/** Open `from` and wait until the browser is at `to` (path and fragment). */
async function lands(from: string, to: string): Promise<void> {
  await page.goto(server.url + from.replace(/^\//, ''));
  await page.waitForURL((url) => url.pathname + url.hash === to, { timeout: 15_000 });
  expect(await page.locator('h1').count(), `${from} → ${to} has a heading`).toBeGreaterThan(0);
}

describe.each(WIDTHS)('readable URLs at $width px', (viewport) => {
  beforeAll(async () => {
    await page.setViewportSize(viewport);
  });

  test('every older form lands on the canonical page, the fragment carried over', async () => {
    // A document: the form with docs/ twice and the extension.
    await lands('/docs/docs/runbooks/on-call.md/', '/docs/runbooks/on-call/');
    await lands('/docs/docs/runbooks/on-call.md/#escalation', '/docs/runbooks/on-call/#escalation');
    expect(await page.locator('h1').textContent()).toBe('On-call Runbook');
    // A process document's URLs, old and new, and the process's alias.
    await lands('/docs/docs/processes/deploy.md/', '/processes/deploy-the-shop/');
    await lands('/docs/processes/deploy/', '/processes/deploy-the-shop/');
    await lands('/p/ship-the-shop/#steps', '/processes/deploy-the-shop/#steps');
    // A task: last release's plan-path form and the folder-scoped form before it.
    await lands('/tasks/docs/plans/network/plan/TASK-001/', '/tasks/network-plan/TASK-001/');
    await lands('/tasks/docs/plans/storage/TASK-001/', '/tasks/storage-plan/TASK-001/');
    expect(await page.locator('h1').textContent()).toBe('TASK-001: Encrypt Backups at Rest');
    // A file under .github keeps its escaped path.
    await lands('/f/~2Egithub/workflows/deploy.yml/', '/files/~2Egithub/workflows/deploy.yml/');
  }, 120_000);

  test('/t/<id>/ lists the plans that define the id, and each entry opens that plan’s task', async () => {
    await page.goto(`${server.url}t/TASK-001/`);
    expect(await page.locator('h1').textContent()).toBe('TASK-001 names 2 tasks');
    const options = page.locator('main ul.choices li a');
    expect(await options.allTextContents()).toEqual([
      'Network Improvement Plan › TASK-001: Add a Web Application Firewall',
      'Storage Improvement Plan › TASK-001: Encrypt Backups at Rest',
    ]);
    await options.nth(1).click();
    await page.waitForURL(`${server.url}tasks/storage-plan/TASK-001/`);
    // The scoped short form names one task: a redirect.
    await lands('/t/docs/plans/network/plan/TASK-001/', '/tasks/network-plan/TASK-001/');
    // The page stays inside the screen.
    await page.goto(`${server.url}t/TASK-001/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
  }, 60_000);

  test('a guide page renders its components, fits the screen and has no serious or critical axe violation', async () => {
    await page.goto(server.url);
    await page.locator('.site-nav a', { hasText: 'Guides' }).click();
    await page.waitForURL(`${server.url}guide/`);
    await page.locator('main a', { hasText: 'How to read a badge' }).click();
    await page.waitForURL(`${server.url}guide/read-a-badge/`);
    expect(await page.locator('main h1').textContent()).toBe('How to read a badge');
    expect(await page.locator('main .guide-example .ref-state').allTextContents()).toEqual(['ok', 'stale', 'moved', 'broken']);
    expect(await page.locator('main aside.callout-caution .callout-title').textContent()).toContain('Caution is not danger');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    for (const slug of ['read-a-badge', 'stale-and-moved', 'write-a-reference']) {
      await page.goto(`${server.url}guide/${slug}/`);
      await page.locator('.pagefind-ui__search-input').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), slug).toBeLessThanOrEqual(viewport.width);
      expect(await seriousViolations(page), slug).toEqual([]);
    }
    expect(dialogs).toEqual([]);
  }, 120_000);
});
