/**
 * `waymark dev` after a save: the first page served after Astro's `Synced
 * content` shows the new text and its new problem together (the pages' index
 * follows the store, `src/astro/site-data.ts`), and search is brought up to
 * date by fetching only the pages the save touched (`dev-search-index.ts`),
 * not every page: a word added to a document is found on its page, and once
 * removed it is found nowhere. The executable runs in a child process on a
 * copy of test/fixtures/resident-moved-lines, as in `test/dev.test.ts`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { devOnCopy, type DevOnCopy } from './dev-server-helpers.ts';
import { fixturesDir } from './helpers.ts';

const DOC = 'docs/processes/cache-warmup.md';
const PAGE = 'processes/cache-warmup/';
/** A word no page has: what search must find after the save, and not after the next. */
const WORD = 'quokkawarden';
const MISSING = 'infra/quokka-pen.tf';
let dev: DevOnCopy;
const get = async (path: string) => (await fetch(dev.url + path)).text();

/** The next `indexed for search` line after `from`: pages fetched, and pages in all. */
const indexed = (from: number) =>
  dev.until('the search index', async () => {
    const match = /indexed for search: (\d+) of (\d+) pages fetched/.exec(dev.output().slice(from));
    return match ? { fetched: Number(match[1]), pages: Number(match[2]) } : undefined;
  });

/**
 * Every page's text as Pagefind keeps it: the fragments the index's meta file
 * names (gzip, a `pagefind_dcd` signature, then JSON). The meta file names the
 * word index chunks the same way; those are not fragments and answer 404.
 */
async function searchTexts(): Promise<Map<string, string>> {
  const read = async (path: string) => {
    const response = await fetch(dev.url + path);
    const body = Buffer.from(await response.arrayBuffer());
    return response.ok ? gunzipSync(body).toString('utf8') : undefined;
  };
  const entry = JSON.parse(await get('pagefind/pagefind-entry.json')) as { languages: Record<string, { hash: string }> };
  const meta = (await read(`pagefind/pagefind.${entry.languages.en.hash}.pf_meta`)) ?? '';
  const texts = new Map<string, string>();
  for (const hash of new Set(meta.match(/en_[0-9a-f]{7}/g) ?? [])) {
    const fragment = await read(`pagefind/fragment/${hash}.pf_fragment`);
    if (!fragment) continue;
    const { url: page, content } = JSON.parse(fragment.replace(/^pagefind_dcd/, '')) as { url: string; content: string };
    texts.set(page, content);
  }
  return texts;
}

beforeAll(async () => {
  dev = await devOnCopy(join(fixturesDir, 'resident-moved-lines', 'repo'), 'waymark-dev-search-');
}, 90_000);

afterAll(() => dev?.stop());

describe('waymark dev after a save', () => {
  test('the page is complete on the first request after the sync, and search fetches only the pages the save touched', async () => {
    await dev.until('the first search index', async () => (dev.output().includes('search index ready') ? true : undefined));
    const first = await indexed(0);
    expect(first.fetched).toBe(first.pages);
    const before = await searchTexts();
    expect(before.get(`/${PAGE}`)).toContain('Fills the cache');
    expect([...before.values()].some((text) => text.includes(WORD))).toBe(false);

    const text = await readFile(join(dev.repo, DOC), 'utf8');
    let from = dev.output().length;
    await writeFile(join(dev.repo, DOC), text.replace('## Overview\n', `## Overview\n\nThe ${WORD} applies \`${MISSING}:1-5\` first.\n`));
    from = await dev.synced(from);
    // The first request after the sync: the new text and the new problem on one page, never the text alone.
    const page = await get(PAGE);
    expect(page).toContain(WORD);
    expect(page).toMatch(new RegExp(`missing-file[^]*${MISSING.replace(/[.]/g, '\\.')}|${MISSING.replace(/[.]/g, '\\.')}[^]*missing-file`));
    const added = await indexed(from);
    expect(added.fetched).toBeLessThan(added.pages);
    const after = await searchTexts();
    expect([...after].filter(([, content]) => content.includes(WORD)).map(([page]) => page)).toEqual([`/${PAGE}`]);

    from = dev.output().length;
    await writeFile(join(dev.repo, DOC), text);
    from = await dev.synced(from);
    expect(await get(PAGE)).not.toContain(WORD);
    const removed = await indexed(from);
    expect(removed.fetched).toBeLessThan(removed.pages);
    expect([...(await searchTexts()).values()].some((content) => content.includes(WORD))).toBe(false);
  }, 240_000);
});
