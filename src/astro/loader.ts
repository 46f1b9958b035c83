/**
 * The Content Layer loader: every site collection is filled from one scan of
 * the repository through the engine, never from ad-hoc JSON reads in pages.
 *
 * @example
 * // src/content.config.ts
 * const processes = defineCollection({ loader: waymarkLoader('processes', input), schema: Process });
 */
import type { Loader, LoaderContext } from 'astro/loaders';
import type { ScanResult } from '../core/schema.ts';
import { normalizeBase } from '../core/urls/urls.ts';
import { COLLECTIONS, type CollectionName } from './entries.ts';
import { collectionEntries } from './scan-cache.ts';

/** What the loader is told (by `siteConfig`, through `virtual:waymark/site-input`). */
export interface SiteInput {
  /** Repository to scan; defaults to the embedded example. */
  repo?: string;
  /** A scan of `repo` already made (`writeScanFile`): read instead of scanning again. */
  scanFile?: string;
  /**
   * A build's entries already made (`writeEntriesFile`): the pages read them
   * from this file (`site-data.ts`) and the collections stay empty, so Astro
   * has nothing of the repository to inline into its bundle.
   */
  entriesFile?: string;
  /** `--git-dir`: the git directory to read instead of looking for `.git` (only when the loader scans). */
  gitDir?: string;
  /**
   * Colour every file's source while making the entries (a build), keeping
   * the colours in the cache root `cacheDir` (undefined: the default one;
   * false: in memory only). Without it each file page colours its own.
   */
  colours?: { cacheDir?: string | false };
}

/** A loader for one of the site's collections. */
export function waymarkLoader(collection: CollectionName, input: SiteInput = {}): Loader {
  if (!COLLECTIONS.includes(collection)) {
    throw new Error(`waymarkLoader: unknown collection \`${collection}\`; expected one of ${COLLECTIONS.join(', ')}`);
  }
  return {
    name: `waymark-${collection}`,
    // `waymark dev` refreshes every collection when the repository changes, with a new `generation`, the resident engine's `scan` and the paths `changed`.
    load: async (ctx: LoaderContext) => {
      const scan = ctx.refreshContextData?.scan as ScanResult | undefined;
      const changed = ctx.refreshContextData?.changed as string[] | undefined;
      if (!input.entriesFile) await syncCollection(ctx, collection, input, Number(ctx.refreshContextData?.generation ?? 0), scan, changed);
    },
  };
}

/** Store one collection's entries: unchanged digests are skipped, entries no longer there deleted. */
async function syncCollection(
  ctx: LoaderContext,
  collection: CollectionName,
  input: SiteInput,
  generation: number,
  scan: ScanResult | undefined,
  saved: string[] | undefined,
): Promise<void> {
  const entries = await collectionEntries(input, normalizeBase(ctx.config.base), generation, collection, scan, saved);
  const seen = new Set<string>();
  let changed = 0;
  for (const stored of entries) {
    // The refresh's generation goes into the `site` entry: the pages key their index on it (`site-data.ts`).
    const entry = collection === 'site' && generation > 0 ? { ...stored, data: { ...stored.data, generation } } : stored;
    seen.add(entry.id);
    const digest = ctx.generateDigest({ data: entry.data, body: entry.body ?? '', html: entry.html ?? '' });
    if (ctx.store.get(entry.id)?.digest === digest) continue;
    const data = await ctx.parseData({ id: entry.id, data: entry.data });
    ctx.store.set({
      id: entry.id,
      data,
      digest,
      ...(entry.body !== undefined ? { body: entry.body } : {}),
      ...(entry.html !== undefined ? { rendered: { html: entry.html } } : {}),
    });
    changed++;
  }
  for (const id of ctx.store.keys()) if (!seen.has(id)) ctx.store.delete(id);
  ctx.logger.debug(`${collection}: ${entries.length} entries, ${changed} changed`);
}
