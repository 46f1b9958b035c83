/**
 * MDX is Waymark's own, never the repository's: the guide pages (src/guides/*.mdx) are
 * compiled with the site's components, and a repository `.mdx` document is rendered as
 * markdown, its `import`, `export` and `{…}` expressions shown as text, never evaluated.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from '../src/astro/build-site.ts';
import { fixturesDir } from './helpers.ts';

const REPO = join(fixturesDir, 'mdx-document', 'repo');
let out: string;

/** The text of a page's `<main>`, tags dropped and entities decoded. */
function mainText(html: string): string {
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#123;|&#x7b;|&lbrace;/gi, '{')
    .replace(/&#125;|&#x7d;|&rbrace;/gi, '}')
    .replace(/&#39;|&#x27;/gi, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'waymark-guides-'));
  const result = await buildSite({ repo: REPO, out, strict: false, quiet: true });
  expect(result.failed).toBe(false);
}, 300_000);

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('a repository .mdx document', () => {
  test('is shown as text: import, export and expressions appear as written', async () => {
    const html = await readFile(join(out, 'docs/release-notes/index.html'), 'utf8');
    const text = mainText(html);
    expect(text).toContain("import Chart from '../components/Chart.jsx'");
    expect(text).toContain("export const x = 'EVALUATED-EXPORT'");
    expect(text).toContain('{alert(1)}');
    expect(text).toContain('{x}');
    expect(text).toContain('{globalThis.process?.exit?.(1)}');
    // Evaluated, `{x}` would have become the export's value with no braces left around it.
    expect(text).not.toMatch(/ships \S* and EVALUATED-EXPORT/);
    // The component tag is not rendered as an element, and no script was added.
    expect(html).not.toMatch(/<chart[\s>]/i);
    expect(html.match(/<script/g)?.length ?? 0).toBe((await readFile(join(out, 'docs/runbook/index.html'), 'utf8')).match(/<script/g)?.length ?? 0);
  });

  test('has a readable URL like any document: no docs/ twice, no extension', async () => {
    expect((await readdir(join(out, 'docs'))).sort()).toEqual(expect.arrayContaining(['release-notes', 'runbook']));
  });
});

describe('guide pages', () => {
  test('are built from src/guides with the site components, and listed on /guide/', async () => {
    const index = await readFile(join(out, 'guide/index.html'), 'utf8');
    for (const slug of ['read-a-badge', 'stale-and-moved', 'write-a-reference']) expect(index).toContain(`href="/guide/${slug}/"`);
    const badge = await readFile(join(out, 'guide/read-a-badge/index.html'), 'utf8');
    for (const state of ['ok', 'stale', 'moved', 'broken']) expect(badge).toContain(`class="badge ref-state ref-state-${state} `);
    expect(badge).toMatch(/<aside class="callout callout-caution">/);
    expect(badge).toContain('<a href="/guide/" aria-current="page">Guides</a>');
  });
});
