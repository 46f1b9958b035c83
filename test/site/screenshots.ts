/**
 * Regenerate docs/screenshots/ from the current build of the embedded example:
 * every page type at 1280 px and 390 px, light and dark, plus the search box
 * open. `npx tsx test/site/screenshots.ts` (about a minute). The README shows
 * `home.png` and `process.png`; the rest are for reviewing the site.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildSite, PACKAGE_ROOT } from '../../src/astro/build-site.ts';
import { scanRepository } from '../../src/node/scan.ts';
import { serveStatic } from './serve.ts';

const EXAMPLE = join(PACKAGE_ROOT, 'content', 'example-infra');
const out = await mkdtemp(join(tmpdir(), 'waymark-shots-'));
const profile = await mkdtemp(join(tmpdir(), 'waymark-chromium-'));
const shots = join(PACKAGE_ROOT, 'docs', 'screenshots');
try {
  await buildSite({ repo: EXAMPLE, out, strict: false, quiet: true });
  const { graph } = await scanRepository(EXAMPLE);
  // One page of each type, choosing the example's pages that show the most states.
  const revalidate = graph.diagnostics.find((d) => d.rule === 'process-needs-revalidation');
  const process = graph.processes.find((p) => p.file === revalidate?.file) ?? graph.processes[0];
  const deprecated = graph.processes.find((p) => p.status === 'deprecated');
  const cited = graph.references.find((r) => r.lines && r.targets.length === 1 && !r.targets[0].endsWith('.md'));
  const task = graph.tasks[0];
  const doc = graph.documents.find((d) => !graph.processes.some((p) => p.file === d.path));
  const pages: [string, string][] = [
    ['home', ''],
    ['process', `processes/${process.id}/`],
    ...(deprecated ? [['process-deprecated', `processes/${deprecated.id}/`] as [string, string]] : []),
    ['processes', 'processes/'],
    ['tasks', 'tasks/'],
    ...(task ? [['task', `t/${task.taskId}/`] as [string, string]] : []),
    ['changes', 'changes/'],
    ['files', 'files/'],
    ...(cited ? [['file', `files/${cited.targets[0]}/#L${cited.lines!.start}-L${cited.lines!.end}`] as [string, string]] : []),
    ...(doc ? [['document', `docs/${doc.path}/`] as [string, string]] : []),
    ['environments', 'environments/'],
    ['problems', 'problems/'],
    ['search', '?q=restore'],
  ];
  const server = await serveStatic(out, '/');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(shots, { recursive: true });
  const page = await context.newPage();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
      for (const [name, path] of pages) {
        await page.goto(server.url + path);
        await page.locator('.pagefind-ui__search-input').waitFor();
        if (name === 'search') await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 30_000 });
        const suffix = `${width === 390 ? '-390' : ''}${scheme === 'dark' ? '-dark' : ''}`;
        await page.screenshot({ path: join(shots, `${name}${suffix}.png`), fullPage: name === 'home' && width === 1280 && scheme === 'light' });
      }
    }
  }
  await context.close();
  await server.close();
} finally {
  await rm(out, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}
