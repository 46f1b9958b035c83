/**
 * The Content Layer loader: every site collection is filled from one scan of
 * the repository through the engine, never from ad-hoc JSON reads in pages.
 *
 * @example
 * // src/content.config.ts
 * const processes = defineCollection({ loader: waymarkLoader('processes'), schema: Process });
 */
import type { Loader, LoaderContext } from 'astro/loaders';
import { normalizeBase } from '../core/urls/urls.ts';
import { COLLECTIONS, type CollectionName } from './entries.ts';
import { repoRoot, siteEntries, watchRepository } from './scan-cache.ts';

export interface WaymarkLoaderOptions {
  /** Repository to scan; defaults to `WAYMARK_REPO`, then the embedded example. */
  repo?: string;
}

/** A loader for one of the site's collections. */
export function waymarkLoader(collection: CollectionName, options: WaymarkLoaderOptions = {}): Loader {
  if (!COLLECTIONS.includes(collection)) {
    throw new Error(`waymarkLoader: unknown collection \`${collection}\`; expected one of ${COLLECTIONS.join(', ')}`);
  }
  return {
    name: `waymark-${collection}`,
    load: async (ctx: LoaderContext) => {
      const root = options.repo ?? repoRoot();
      const sync = () => syncCollection(ctx, collection, root);
      await sync();
      // `astro dev`: a change anywhere in the repository rescans it (once for all collections) and re-syncs.
      if (ctx.watcher) watchRepository(root, ctx.watcher, collection, sync, (error) => ctx.logger.error(String(error)));
    },
  };
}

/** Store one collection's entries: unchanged digests are skipped, entries no longer there deleted. */
async function syncCollection(ctx: LoaderContext, collection: CollectionName, root: string): Promise<void> {
  const entries = (await siteEntries(root, normalizeBase(ctx.config.base)))[collection];
  const seen = new Set<string>();
  let changed = 0;
  for (const entry of entries) {
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
