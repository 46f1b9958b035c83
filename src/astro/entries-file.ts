/**
 * A build's collection entries written to a file and read back by the pages
 * (`site-data.ts`), instead of passing through Astro's content store. Astro
 * inlines its whole store into one JavaScript module of the build
 * (`JSON.parse("…")`): bundling and compiling that module was the build's
 * memory peak (jinglero, 2,945 pages: 1.1–1.3 GB RSS, heap ~580 MB in use
 * while the store's module compiled, before the first page rendered), and
 * serialising, digesting and validating every entry cost seconds. A file the
 * pages read once per thread also reaches Astro's parallel prerender workers.
 *
 * The file lives in the build's private folder (0700), like Astro's own cache.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { SiteEntries } from './entries.ts';

/**
 * Write `entries` to `file` (created readable by the owner only), each
 * collection in the order Astro's store hands them to `getCollection` (by id,
 * `localeCompare`, as its data store writer sorts them): the pages list them
 * in that order, and the site stays byte-identical to one built through the store.
 */
export async function writeEntriesFile(file: string, entries: SiteEntries): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(entries).map(([name, list]) => [name, [...list].sort((a, b) => a.id.localeCompare(b.id))]));
  await writeFile(file, JSON.stringify(sorted), { mode: 0o600 });
}

/** Read the entries `writeEntriesFile` wrote. */
export async function readEntriesFile(file: string): Promise<SiteEntries> {
  return JSON.parse(await readFile(file, 'utf8')) as SiteEntries;
}
