/**
 * The build's search index, fed page by page while Astro renders
 * (`src/astro/search-index.ts`): every page reaches Pagefind under the URL and
 * with the words it would find on disk, and the lean copy of a page that
 * Pagefind is handed gives the very index the whole page gives.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, PACKAGE_ROOT } from '../src/astro/build-site.ts';
import { outputPath, searchCopy } from '../src/astro/search-index.ts';
import { SEARCH_INDEX } from '../src/astro/site-config.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-search-index-'));
const out = path.join(scratch, 'site');

beforeAll(async () => {
  // Under a base, as a project site is served: the pages' URLs carry it, their files and Pagefind's URLs do not.
  const result = await buildSite({ repo: path.join(PACKAGE_ROOT, 'content', 'example-infra'), out, base: '/handbook/', strict: false, quiet: true });
  expect(result.failed).toBe(false);
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The site's HTML files, relative, sorted (Pagefind's own folder aside). */
function pages(): string[] {
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('pagefind/'))
    .sort();
}

/** Pagefind's files for `files` given as `content(file)`, in this order; a page given as undefined is left out. */
async function index(files: readonly string[], content: (file: string) => string | undefined): Promise<Map<string, string>> {
  const pagefind = await import('pagefind');
  try {
    const { index } = await pagefind.createIndex(SEARCH_INDEX);
    if (!index) throw new Error('no index');
    for (const file of files) {
      const html = content(file);
      if (html === undefined) continue;
      const added = await index.addHTMLFile({ sourcePath: file, content: html });
      expect(added.errors).toEqual([]);
    }
    const { files: written, errors } = await index.getFiles();
    expect(errors).toEqual([]);
    return new Map(written.map((file) => [file.path, Buffer.from(file.content).toString('base64')]));
  } finally {
    await pagefind.close();
  }
}

describe('search index fed during the render', () => {
  it('holds every page Pagefind finds on disk, with the same words and URLs', async () => {
    // A fragment file is named by a digest of its page's URL, words, filters and anchors.
    const fragments = (dir: string) => readdirSync(path.join(dir, 'fragment')).sort();
    const pagefind = await import('pagefind');
    const fromDisk = path.join(scratch, 'from-disk');
    try {
      const { index } = await pagefind.createIndex(SEARCH_INDEX);
      if (!index) throw new Error('no index');
      const added = await index.addDirectory({ path: out });
      expect(added.page_count).toBeGreaterThan(50);
      await index.writeFiles({ outputPath: fromDisk });
    } finally {
      await pagefind.close();
    }
    expect(fragments(path.join(out, 'pagefind'))).toEqual(fragments(fromDisk));
  }, 120_000);

  it('gives Pagefind a lean copy of each page that makes the same index as the whole page', async () => {
    const files = pages();
    const text = (file: string) => readFileSync(path.join(out, file), 'utf8');
    const listing = files.find((file) => file.startsWith('files/') && text(file).includes('<pre class="source coloured"'));
    expect(listing).toBeDefined();
    const lean = searchCopy(text(listing!))!;
    expect(lean.length).toBeLessThan(text(listing!).length * 0.75);
    expect(lean).not.toMatch(/site-header|site-footer/);
    expect(/<pre class="source[\s\S]*?<\/pre>/.exec(lean)?.[0]).not.toMatch(/<span class="[a-z]+">|class="ln"/);
    // The pages Pagefind skips (no page body marked) are the ones the lean copy leaves out.
    expect(files.filter((file) => searchCopy(text(file)) === undefined)).toEqual(files.filter((file) => !text(file).includes('data-pagefind-body')));
    expect(await index(files, (file) => searchCopy(text(file)))).toEqual(await index(files, text));
  }, 120_000);

  it('finds each page where Astro writes it', () => {
    expect(outputPath('http://localhost/handbook/files/a%20b.md/', '/handbook/')).toBe('files/a b.md/index.html');
    expect(outputPath('http://localhost/handbook/', '/handbook/')).toBe('index.html');
    expect(outputPath('http://localhost/handbook', '/handbook/')).toBe('index.html');
    expect(outputPath('http://localhost/handbook/404.html', '/handbook/')).toBe('404.html');
    expect(outputPath('http://localhost/404/', '/')).toBe('404.html');
    expect(outputPath('http://localhost/docs/guide/', '/')).toBe('docs/guide/index.html');
    // What Astro wrote, as the build found it on disk: every page sent was one of these.
    expect(pages()).toContain('404.html');
  });
});
