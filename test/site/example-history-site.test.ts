/**
 * The demo with real history (content/example-history/): in Chromium at 390
 * and 1280 px, the home page's staleness view counts stale and moved
 * references and draws the most stale processes from real commits; a process
 * page shows its stale and moved references and the commits that changed its
 * cited code since validation; the deleted and the renamed file cited show as
 * broken. Every value checked here comes from a commit of the example's
 * history: without it these pages say "No git history was read".
 *
 * The example is built once; every test reuses the build and one browser.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../../src/astro/build-site.ts';
import { EXAMPLE_ROOT } from '../../src/node/package-root.ts';
import { launchChromium } from './chromium.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

let out: string;
let server: StaticServer;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'waymark-example-history-site-'));
  const result = await buildSite({ repo: EXAMPLE_ROOT, out, strict: false, quiet: true });
  expect(result.failed).toBe(false);
  server = await serveStatic(out, '/');
  browser = await launchChromium();
  page = await browser.context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

/** Visible and inside the viewport's width: a reader sees it without scrolling sideways. */
async function onScreen(locator: Locator, width: number): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  expect(await locator.isVisible()).toBe(true);
  const box = await locator.boundingBox();
  expect(box, 'has a box').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(-1);
  expect(box!.x + Math.min(box!.width, width)).toBeLessThanOrEqual(width + 1);
}

/** The page does not scroll sideways. */
async function fits(): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

const text = (locator: Locator) => locator.innerText().then((t) => t.replace(/\s+/g, ' ').trim());

describe.each(WIDTHS)('at $width px', ({ width, height }) => {
  beforeAll(async () => {
    await page.setViewportSize({ width, height });
  });

  test('home: the staleness view counts stale and moved references and charts the most stale processes from real commits', async () => {
    await page.goto(server.url);
    await fits();
    const stale = page.locator('[data-stat="stale-references"]');
    const moved = page.locator('[data-stat="moved-references"]');
    await onScreen(stale, width);
    // 0002 and 0004 changed four cited ranges after validation; 0005 moved one.
    expect(await text(stale.locator('.stat'))).toBe('4');
    expect(await text(moved.locator('.stat'))).toBe('1');
    expect(await page.getByText('No git history was read').count()).toBe(0);
    const section = page.locator('section.staleness');
    expect(await section.locator('svg').count()).toBeGreaterThan(0);
    const backup = section.locator('tr[data-process="database-backup-and-restore"]');
    const health = section.locator('tr[data-process="health-checks"]');
    // The table scrolls inside its own box on a phone; the process it names is on screen.
    await onScreen(backup.locator('a').first(), width);
    expect(await text(backup)).toContain('2026-11-09');
    expect(await text(health)).toContain('2026-11-12');
    expect(await section.locator('tr[data-process]').count()).toBe(2);
  });

  test('a process page: stale and moved references, and the commit that changed its cited code since validation', async () => {
    await page.goto(`${server.url}processes/database-backup-and-restore/`);
    await fits();
    expect(await page.locator('[data-health]').first().getAttribute('data-health')).toBe('needs-revalidation');
    const staleRefs = page.locator('.wm-ref-stale');
    expect(await staleRefs.count()).toBeGreaterThanOrEqual(2);
    expect(await text(staleRefs.first())).toMatch(/^infra\/backup\.tf:/);
    const moved = page.locator('.wm-ref-moved');
    expect(await moved.count()).toBe(1);
    expect(await text(moved)).toBe('scripts/backup.sh:10-20');
    await onScreen(moved, width);
    const changed = page.locator('section[aria-labelledby="wm-changed"]');
    await onScreen(changed.locator('h2'), width);
    const changedText = await text(changed);
    expect(changedText).toContain('since it was last validated (2026-10-22)');
    expect(changedText).toContain('infra/backup.tf:35-60');
    expect(changedText).toContain('2026-11-09 backup: keep DR copies as long as the primary recovery points');
    await onScreen(changed.locator('.commit-subject').first(), width);
  });

  test('a process a task changed: the task and the commit both listed as changed since validation', async () => {
    await page.goto(`${server.url}processes/health-checks/`);
    await fits();
    const changed = page.locator('section[aria-labelledby="wm-changed"]');
    const changedText = await text(changed);
    expect(changedText).toContain('TASK-001');
    expect(changedText).toContain('2026-11-12 TASK-001: faster health checks on the ALB and the readiness probe');
    expect(changedText).toContain('infra/lb.tf:41-47');
    await onScreen(changed.locator('.commit-subject').first(), width);
  });

  test('the deleted and the renamed file cited show as broken where they are cited', async () => {
    await page.goto(`${server.url}processes/rolling-update/`);
    await fits();
    const deleted = page.locator('.wm-ref-broken', { hasText: 'k8s/production-deployment.yaml' });
    expect(await deleted.count()).toBe(1);
    await onScreen(deleted, width);
    // The runbook's page, found as a reader would: from the documents list.
    await page.goto(`${server.url}docs/`);
    await page.locator('a[href*="on-call"]').first().click();
    await page.waitForLoadState();
    await fits();
    const renamed = page.locator('.wm-ref-broken', { hasText: 'infra/output.tf' });
    expect(await renamed.count()).toBe(1);
    await onScreen(renamed, width);
  });
});
