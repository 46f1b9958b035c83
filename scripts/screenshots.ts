/**
 * `npm run screenshots`: build the current site from the embedded example
 * (with its history, content/example-history/), serve it, and write PNGs of
 * every page type at 1280 and 390 px, light and dark, into docs/screenshots/:
 * `<page>[-390][-dark].png`. Besides whole pages, the staleness views on
 * their own: the home page's staleness section (`staleness*.png`) and a
 * process page's "Changed since validation" (`changed-since-validation*.png`).
 * The README shows `home.png` and `process.png`. Chromium is Debian's
 * (/usr/bin/chromium), driven by playwright-core. Deterministic names; a page
 * type the example cannot show fails the run rather than being skipped.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildSite } from '../src/astro/build-site.ts';
import { createUrls } from '../src/core/urls/urls.ts';
import { EXAMPLE_ROOT, PACKAGE_ROOT } from '../src/node/package-root.ts';
import { scanRepository } from '../src/node/scan.ts';
import { serveStatic } from '../test/site/serve.ts';

const shots = join(PACKAGE_ROOT, 'docs', 'screenshots');
const urls = createUrls('/');

/** One page type: its file name, its URL, and (for a view inside a page) the element to capture. */
interface Shot {
  name: string;
  url: string;
  element?: string;
  /** Wait for search results before the capture. */
  search?: boolean;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`screenshots: the example has no ${what}`);
  return value;
}

const out = await mkdtemp(join(tmpdir(), 'waymark-shots-'));
const profile = await mkdtemp(join(tmpdir(), 'waymark-chromium-'));
try {
  const built = await buildSite({ repo: EXAMPLE_ROOT, out, strict: false, quiet: true });
  if (built.failed) throw new Error('screenshots: the example did not build');
  const { graph } = await scanRepository(EXAMPLE_ROOT);
  // One page of each type, choosing the example's pages that show the most states.
  const stale = required(
    graph.processes.find((p) => graph.diagnostics.some((d) => d.file === p.file && d.rule === 'moved-lines')),
    'process with stale and moved references',
  );
  const deprecated = required(
    graph.processes.find((p) => p.status === 'deprecated'),
    'deprecated process',
  );
  const cited = required(
    graph.references.find((r) => r.lines && r.status === 'ok' && r.targets.length === 1 && !r.targets[0].endsWith('.md')),
    'reference to a line range',
  );
  const task = required(graph.tasks[0], 'task');
  const doc = required(
    graph.documents.find((d) => d.path.includes('runbooks/')),
    'runbook',
  );
  const environment = required(graph.environments[0], 'environment');
  const shotsList: Shot[] = [
    { name: 'home', url: urls.home() },
    { name: 'staleness', url: urls.home(), element: 'section.staleness' },
    { name: 'process', url: urls.process(stale.id) },
    { name: 'changed-since-validation', url: urls.process(stale.id), element: 'section[aria-labelledby="wm-changed"]' },
    { name: 'process-deprecated', url: urls.process(deprecated.id) },
    { name: 'processes', url: urls.processes() },
    { name: 'tasks', url: urls.tasks() },
    { name: 'task', url: urls.task(task.key) },
    { name: 'changes', url: urls.changes() },
    { name: 'files', url: urls.files() },
    { name: 'file', url: `${urls.file(cited.targets[0])}#L${cited.lines!.start}-L${cited.lines!.end}` },
    { name: 'document', url: urls.doc(doc.path) },
    { name: 'environments', url: urls.environments() },
    { name: 'environment', url: urls.environment(environment.id) },
    { name: 'problems', url: urls.problems() },
    { name: 'search', url: `${urls.home()}?q=restore`, search: true },
    { name: 'not-found', url: '/no-such-page/' },
  ];
  const server = await serveStatic(out, '/');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  await mkdir(shots, { recursive: true });
  // Names no longer written (a page type renamed or gone) are removed, so the folder is exactly this run's.
  const written = new Set<string>();
  const page: Page = await context.newPage();
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 1000 });
        for (const shot of shotsList) {
          await page.goto(server.url + shot.url.replace(/^\//, ''));
          await page.waitForLoadState('networkidle');
          if (shot.search) await page.locator('.pagefind-ui__result').first().waitFor({ timeout: 30_000 });
          const file = `${shot.name}${width === 390 ? '-390' : ''}${scheme === 'dark' ? '-dark' : ''}.png`;
          const path = join(shots, file);
          if (shot.element) await page.locator(shot.element).first().screenshot({ path, animations: 'disabled' });
          else await page.screenshot({ path, animations: 'disabled', fullPage: shot.name === 'home' && width === 1280 && scheme === 'light' });
          written.add(file);
        }
      }
    }
  } finally {
    await context.close();
    await server.close();
  }
  for (const file of await readdir(shots)) if (file.endsWith('.png') && !written.has(file)) await rm(join(shots, file));
  process.stderr.write(`screenshots: wrote ${written.size} images into docs/screenshots\n`);
} finally {
  await rm(out, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}
