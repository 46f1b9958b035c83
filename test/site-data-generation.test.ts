/**
 * `waymark dev` rewrites Astro's content store on every refresh, and a page
 * reads its document's entry from the store as it is when the page renders,
 * so the pages' site index (`src/astro/site-data.ts`) must follow the store
 * too: a page rendered after a sync must never show the new text with the old
 * problems. Before, the index was kept until Astro's `astro:content-changed`
 * event dropped it, and under load the page mixed the two for seconds
 * (docs/benchmarks.md, `h-dev`). The race needs a loaded machine to show
 * through the real dev server, so this test makes it deterministic: the
 * store is swapped under the module (as the dev server's refresh does) and
 * no event comes.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';

interface StoredEntry {
  id: string;
  data: unknown;
  rendered?: { html: string };
}
/** The store the pages read: collection → entries; the test swaps it as a refresh does. */
let store: Record<string, StoredEntry[]> = {};

vi.mock('virtual:waymark/site-input', () => ({ default: {} }));
vi.mock('astro:content', () => ({
  getCollection: async (name: string) => store[name] ?? [],
  getEntry: async (name: string, id: string) => (store[name] ?? []).find((e) => e.id === id),
}));

const { documentHtml, loadSite } = await import('../src/astro/site-data.ts');

const DOC = 'docs/processes/cache-warmup.md';

/** A store as the loader writes it at `generation`, its one document citing `cited` (a missing file: one problem). */
function storeAt(generation: number | undefined, cited: string): Record<string, StoredEntry[]> {
  const meta = { name: 'repo', title: 'repo', base: '/', validationMaxAgeDays: 90, fileCount: 1, suppressed: [], ...(generation === undefined ? {} : { generation }) };
  const problem = { rule: 'missing-file', severity: 'error', file: DOC, line: 12, column: 7, message: `\`${cited}\` does not exist`, suggestion: '' };
  return {
    site: [{ id: 'site', data: meta }],
    documents: [{ id: DOC, data: { path: DOC, title: 'Cache Warmup', headings: [], links: [] }, rendered: { html: `<p>Apply <code>${cited}</code> first.</p>` } }],
    problems: [{ id: `missing-file/${DOC}:12:7`, data: problem }],
  };
}

const messages = async () => (await loadSite()).problems.map((p) => p.message);

describe('the pages’ site index follows the store it reads', () => {
  beforeEach(() => {
    store = storeAt(undefined, 'infra/first.tf');
  });

  test('a refresh that rewrites the store gives the next page the new problems with the new text, with no event', async () => {
    expect(await messages()).toEqual(['`infra/first.tf` does not exist']);
    // The dev server's refresh: a new generation, the document cites another missing file.
    store = storeAt(1, 'infra/second.tf');
    expect(await documentHtml(DOC)).toContain('infra/second.tf');
    expect(await messages()).toEqual(['`infra/second.tf` does not exist']);
    store = storeAt(2, 'infra/third.tf');
    expect(await messages()).toEqual(['`infra/third.tf` does not exist']);
  });

  test('the index is made once per generation, shared by every page rendered from it', async () => {
    store = storeAt(7, 'infra/kept.tf');
    const first = await loadSite();
    expect(await loadSite()).toBe(first);
    store = storeAt(8, 'infra/kept.tf');
    expect(await loadSite()).not.toBe(first);
  });
});
