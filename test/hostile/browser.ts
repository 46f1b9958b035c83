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
