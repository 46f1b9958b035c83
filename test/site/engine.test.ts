/**
 * `buildSite` end to end with the real engine: strict mode stops on errors,
 * and the embedded example builds into a site under a sub-path whose crawl
 * finds no broken link and whose search finds every process; the executable
 * builds from anywhere.
 */
import { execFile } from 'node:child_process';
import { access, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite, PACKAGE_ROOT, type BuildSiteResult } from '../../src/astro/build-site.ts';
import { scanRepository } from '../../src/node/scan.ts';
import { crawl } from './crawl.ts';
import { FIXTURE_REPO } from './sample-graph.ts';
import { serveStatic, type StaticServer } from './serve.ts';

const EXAMPLE = join(PACKAGE_ROOT, 'content', 'example-infra');
const BASE = '/acme/';

let out: string;
let result: BuildSiteResult;
let server: StaticServer;

/** A fresh Chromium page (Debian's build, headless), closed with its profile afterwards. */
async function withPage(use: (page: Page) => Promise<void>): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), 'waymark-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await use(await context.newPage());
  } finally {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'waymark-example-'));
  result = await buildSite({ repo: EXAMPLE, out, base: BASE, strict: false, quiet: true });
  server = await serveStatic(out, BASE);
});

afterAll(async () => {
  await server?.close();
  await rm(out, { recursive: true, force: true });
});

describe('buildSite', () => {
  test('strict mode stops on error-level problems and writes nothing', async () => {
    const target = join(await mkdtemp(join(tmpdir(), 'waymark-strict-')), 'site');
    const strict = await buildSite({ repo: FIXTURE_REPO, out: target, quiet: true });
    expect(strict.failed).toBe(true);
    expect(strict.pages).toBe(0);
    expect(strict.diagnostics.some((d) => d.severity === 'error' && d.rule === 'missing-file')).toBe(true);
    await expect(access(target)).rejects.toThrow();
  });

  test('the example builds under a sub-path with no broken internal link', async () => {
    expect(result.failed).toBe(false);
    expect(result.pages).toBeGreaterThan(10);
    const { pages, broken } = await crawl(server.url);
    expect(broken).toEqual([]);
    const { graph } = await scanRepository(EXAMPLE);
    for (const p of graph.processes) expect(pages).toContain(`${server.url}processes/${p.id}/`);
    expect(JSON.parse(await readFile(join(out, 'pagefind', 'pagefind-entry.json'), 'utf8'))).toHaveProperty('languages');
  });

  test('search finds every process of the example by name', async () => {
    const { graph } = await scanRepository(EXAMPLE);
    await withPage(async (page) => {
      await page.goto(server.url);
      const input = page.locator('.pagefind-ui__search-input');
      for (const process of graph.processes) {
        await input.fill(process.name);
        await expect
          .poll(() => page.locator('.pagefind-ui__result-link').evaluateAll((links) => links.map((a) => a.getAttribute('href'))), { timeout: 15_000 })
          .toContain(`${BASE}processes/${process.id}/`);
      }
    });
  });

  test('no page of the example shows a document\'s front matter as text (Chromium)', async () => {
    // Lines of YAML front matter in the example's documents, as a page would show them if it rendered them.
    const frontMatterLines: string[] = [];
    const { graph } = await scanRepository(EXAMPLE);
    for (const document of graph.documents) {
      const text = await readFile(join(EXAMPLE, document.path), 'utf8');
      const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
      if (!block) continue;
      frontMatterLines.push(...block[1].split(/\r?\n/).filter((line) => /^[a-z_]+: \S/.test(line)));
    }
    expect(frontMatterLines).toContain('type: process');
    const { pages } = await crawl(server.url);
    await withPage(async (page) => {
      const shown: string[] = [];
      let rendered = 0;
      for (const url of pages) {
        await page.goto(url);
        // The rendered document only: a file page's source view shows the raw `.md`, front matter and all, on purpose.
        const text = (await page.locator('article.doc').allInnerTexts()).join('\n');
        if (text.trim()) rendered++;
        for (const line of frontMatterLines) if (text.includes(line)) shown.push(`${url}: ${line}`);
      }
      // Every document page and process page renders its document, so the check looked at real text.
      expect(rendered).toBeGreaterThanOrEqual(graph.documents.length);
      expect(shown).toEqual([]);
    });
  }, 300_000);

  test('the executable builds a repository with no node_modules above it, run from a folder with none either', async () => {
    // Astro's prerender chunks import its packages: they must resolve from Waymark's install, not from here.
    const scratch = await mkdtemp(join(tmpdir(), 'waymark-elsewhere-'));
    try {
      const repo = join(scratch, 'repo');
      await cp(EXAMPLE, repo, { recursive: true });
      const site = join(scratch, 'site');
      await promisify(execFile)(process.execPath, [join(PACKAGE_ROOT, 'bin/waymark.mjs'), 'build', '--repo', repo, '--out', site, '--no-strict', '--quiet'], { cwd: scratch });
      expect(await readFile(join(site, 'index.html'), 'utf8')).toContain('Blue/Green');
      await access(join(site, 'pagefind', 'pagefind-entry.json'));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
