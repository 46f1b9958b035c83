/**
 * Load every page of a built site in headless Chromium and report what a
 * script injection would leave behind: a dialog, the `window.__pwned`
 * sentinel, event-handler attributes, `javascript:` URLs, inline scripts and
 * frames.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../site/serve.ts';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PageFinding {
  page: string;
  finding: string;
}

/** Every `.html` file under `dir`, as site paths (`processes/x/index.html` → `processes/x/`). */
export async function sitePages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .map((file) => file.replace(/(^|\/)index\.html$/, '$1'))
    .sort();
}

/** What the DOM of a loaded page holds that only an injection could have put there. */
function injectedInDom(): string[] {
  const found: string[] = [];
  if ((window as unknown as { __pwned?: unknown }).__pwned !== undefined) found.push('window.__pwned is set');
  for (const element of Array.from(document.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) found.push(`<${element.tagName.toLowerCase()} ${name}>`);
      const url = /^(?:href|src|action|formaction|xlink:href|data|srcdoc)$/.test(name) && /^\s*javascript:/i.test(attribute.value);
      // Pagefind's own search form uses `javascript:void(0);` as its action.
      if (url && !(element.classList.contains('pagefind-ui__form') && attribute.value === 'javascript:void(0);')) {
        found.push(`<${element.tagName.toLowerCase()} ${name}="${attribute.value}">`);
      }
    }
  }
  for (const script of Array.from(document.scripts)) if (!script.src) found.push(`inline <script>: ${script.textContent?.slice(0, 60)}`);
  for (const tag of ['iframe', 'object', 'embed', 'frame']) if (document.querySelector(tag)) found.push(`<${tag}>`);
  return found;
}

/** Serve `dir`, load each of its pages, and collect every sign of injected script. */
export async function findInjections(dir: string): Promise<{ pages: string[]; findings: PageFinding[] }> {
  const pages = await sitePages(dir);
  const server = await serveStatic(dir, '/');
  const profile = await mkdtemp(join(tmpdir(), 'waymark-hostile-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const findings: PageFinding[] = [];
  try {
    const tab = await context.newPage();
    let current = '';
    tab.on('dialog', (dialog) => {
      findings.push({ page: current, finding: `dialog: ${dialog.message()}` });
      void dialog.dismiss();
    });
    for (const page of pages) {
      current = page;
      const url = server.url + page.split('/').map(encodeURIComponent).join('/');
      const response = await tab.goto(url, { waitUntil: 'load' });
      if (response?.status() !== 200 && page !== '404.html') findings.push({ page, finding: `HTTP ${response?.status()}` });
      for (const finding of await tab.evaluate(injectedInDom)) findings.push({ page, finding });
    }
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
  return { pages, findings };
}

export interface InteractionResult {
  findings: PageFinding[];
  /** Filter labels the search UI showed, as text. */
  filterLabels: string[];
  /** How many search results the queries brought up, in all. */
  results: number;
  /** Links clicked, distinct by target. */
  clicked: number;
  /** Clicks that started a navigation (held with a 204). */
  navigations: number;
}

/**
 * Type every query into the search box of the first of `pages` (the box is the
 * same on every page; the others get the first query), open every filter and
 * tick each value, then on each page click every link, the search results'
 * included (each distinct target once; a same-page `#anchor` per page). Any run of the payload is caught wherever it
 * happens: the `window.__pwned` sentinel is a trap set before any script of
 * any document, dialogs are recorded, and a script, style or frame loaded
 * from another origin is a finding. Navigation to other origins is answered
 * with an empty 204, so nothing leaves the machine.
 */
export async function exerciseSite(dir: string, pages: readonly string[], queries: readonly string[]): Promise<InteractionResult> {
  const server = await serveStatic(dir, '/');
  const profile = await mkdtemp(join(tmpdir(), 'waymark-hostile-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const result: InteractionResult = { findings: [], filterLabels: [], results: 0, clicked: 0, navigations: 0 };
  let current = '';
  let holding = false;
  const found = (finding: string) => result.findings.push({ page: current, finding });
  try {
    await context.exposeBinding('__waymarkPwned', ({ frame }) => found(`payload ran in ${frame.url()}`));
    // A string, not a function: test transforms may add helpers the page does not have.
    await context.addInitScript(`Object.defineProperty(window, '__pwned', { configurable: false, get: () => undefined, set: () => void window.__waymarkPwned() });`);
    await context.route('**/*', (route) => {
      const request = route.request();
      const local = new URL(request.url()).origin === server.origin;
      if (!local && !request.isNavigationRequest()) found(`${request.resourceType()} loaded from ${request.url()}`);
      // While links are clicked, a click that navigates is recorded and answered with 204, which
      // leaves the page where it is (every page's own load is checked by `findInjections`).
      if (request.isNavigationRequest() && (holding || !local)) {
        result.navigations++;
        return route.fulfill({ status: 204, body: '' });
      }
      return local ? route.continue() : route.fulfill({ status: 204, body: '' });
    });
    const tab = await context.newPage();
    tab.on('dialog', (dialog) => {
      found(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const open = async (page: string) => {
      current = page;
      holding = false;
      await tab.goto(server.url + page, { waitUntil: 'load' });
    };
    const inspect = async () => {
      await tab.waitForLoadState('load');
      const seen = await tab.evaluate(injectedInDom).catch(async () => (await tab.waitForLoadState('load'), tab.evaluate(injectedInDom)));
      for (const finding of seen) found(finding);
    };
    const clickedTargets = new Set<string>();
    for (const [index, page] of pages.entries()) {
      await open(page);
      await tab.waitForSelector('.pagefind-ui__search-input', { timeout: 10_000 });
      // The search box is the same on every page: every query on the first, one on the others.
      for (const [at, query] of (index === 0 ? queries : queries.slice(0, 1)).entries()) {
        await tab.fill('.pagefind-ui__search-input', query);
        // Done when the message names this query's count, and the results for a count are there.
        await tab
          .waitForFunction(
            (q) => {
              const message = document.querySelector('.pagefind-ui__message')?.textContent ?? '';
              if (!message.endsWith(q)) return false;
              return message.startsWith('No results') || document.querySelectorAll('.pagefind-ui__result').length > 0;
            },
            query,
            { timeout: 20_000 },
          )
          .catch(() => found(`search for ${JSON.stringify(query)} never finished`));
        result.results += await tab.locator('.pagefind-ui__result').count();
        // Every filter group open; on the last query every value ticked, so the labels render again with each search.
        await tab.evaluate(() => document.querySelectorAll('details.pagefind-ui__filter-block').forEach((d) => ((d as HTMLDetailsElement).open = true)));
        if (index === 0 && at === queries.length - 1) {
          for (const box of await tab.locator('.pagefind-ui__filter-checkbox').all()) await box.dispatchEvent('click');
        }
        result.filterLabels.push(...(await tab.locator('.pagefind-ui__filter-label').allTextContents()));
        await inspect();
      }
      // The page's own links, then the search results' (they exist only while a query is typed).
      const search = async (query: string) => {
        await tab.fill('.pagefind-ui__search-input', query);
        await tab.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 20_000 }).catch(() => found(`no results for ${JSON.stringify(query)}`));
      };
      for (const [selector, query] of [['main a[href], header a[href], footer a[href]', undefined], ['.pagefind-ui__results a[href]', queries.at(-1)]] as const) {
        await open(page);
        if (query) await search(query);
        holding = true;
        const links = tab.locator(selector);
        const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute('href') ?? ''));
        for (const [i, href] of hrefs.entries()) {
          const target = href.startsWith('#') ? `${page}${href}` : new URL(href, server.url + page).href;
          if (clickedTargets.has(target)) continue;
          clickedTargets.add(target);
          // A click event follows the link the way a reader's click does, hidden or not, SVG links included.
          await links.nth(i).dispatchEvent('click');
          result.clicked++;
          await tab.waitForTimeout(20);
          await inspect();
        }
      }
    }
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
  return result;
}
