/**
 * Regenerate docs/screenshots/home.png and docs/screenshots/process.png from
 * the embedded example: `npx tsx test/site/screenshots.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildSite, PACKAGE_ROOT } from '../../src/astro/build-site.ts';
import { serveStatic } from './serve.ts';

const out = await mkdtemp(join(tmpdir(), 'waymark-shots-'));
const profile = await mkdtemp(join(tmpdir(), 'waymark-chromium-'));
const process_ = process.argv[2] ?? 'blue-green-rollout';
try {
  await buildSite({ repo: join(PACKAGE_ROOT, 'content', 'example-infra'), out, strict: false, quiet: true });
  const server = await serveStatic(out, '/');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 1000 },
  });
  const page = await context.newPage();
  const shots = join(PACKAGE_ROOT, 'docs', 'screenshots');
  await page.goto(server.url);
  await page.locator('.pagefind-ui__search-input').waitFor();
  await page.screenshot({ path: join(shots, 'home.png'), fullPage: true });
  await page.goto(`${server.url}processes/${process_}/`);
  await page.locator('.pagefind-ui__search-input').waitFor();
  await page.screenshot({ path: join(shots, 'process.png') });
  await context.close();
  await server.close();
} finally {
  await rm(out, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}
