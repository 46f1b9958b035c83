/**
 * One scan per build (and per dev refresh), shared by every collection's
 * loader. A build hands over the scan it already made as a file; `waymark
 * dev` hands over its resident engine's result with each refresh; without
 * either (dev's first load, Astro run by hand) the loader scans the
 * repository itself, with the fact cache so a rescan reads only what changed.
 */
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../node/package-root.ts';
import { readScanFile } from '../node/scan-file.ts';
import type { ScanResult } from '../core/schema.ts';
import { buildEntries, COLLECTIONS, type CollectionName, type EntryReuse, type SiteEntries } from './entries.ts';
import { releaseHighlighter } from '../site/highlight.ts';
import { HighlightCache } from './highlight-cache.ts';
import type { SiteInput } from './loader.ts';
import { readRepoFile } from './read-repo-file.ts';

/** The embedded example, used when no repository is named. */
function defaultRepo(): string {
  return join(PACKAGE_ROOT, 'content', 'example-infra');
}

async function scanOf(input: SiteInput): Promise<ScanResult> {
  if (input.scanFile) return readScanFile(input.scanFile);
  // Loaded only here: a build, which hands over its scan, does not make Vite compile the engine.
  const [{ scanRepository }, { readRenames }] = await Promise.all([import('../node/scan.ts'), import('../node/links-fs.ts')]);
  const root = resolve(input.repo ?? defaultRepo());
  const options = { gitDir: input.gitDir };
  const [scan, renames] = await Promise.all([scanRepository(root, { cache: true, ...options }), readRenames(root, options)]);
  return { ...scan, renames };
}

/** The latest entries per input and base; a new generation replaces them. */
const cache = new Map<string, { generation: number; entries: Promise<SiteEntries>; taken: Set<CollectionName> }>();

/** `waymark dev`: what each refresh's entries keep for the next (file texts, rendered documents), per input and base. */
const kept = new Map<string, EntryReuse>();

/** Entries of every collection, computed once per input, base and generation; `changed`: the paths saved since the last generation, when known. */
function siteEntries(input: SiteInput, base: string, generation = 0, given?: ScanResult, changed?: readonly string[]): Promise<SiteEntries> {
  const key = cacheKey(input, base);
  const hit = cache.get(key);
  if (hit && hit.generation === generation) return hit.entries;
  const entries = (given ? Promise.resolve(given) : scanOf(input)).then((scan) => {
    if (input.colours) return buildSiteEntries(scan, base, input.colours.cacheDir);
    // Kept per size limit too: a config edit that changes it changes what every read gives.
    const keep = `${key}\0${scan.config.maxFileSize}`;
    let reuse = kept.get(keep);
    if (!reuse) kept.set(keep, (reuse = { texts: new Map(), html: new Map() }));
    // Only a refresh handed its scan and the paths saved since the last one may skip reading the others.
    const since = given && changed ? new Set(changed) : undefined;
    return buildEntries(scan, (path) => readRepoFile(scan.root, path, scan.config.maxFileSize), base, process.env, { reuse, ...(since ? { changed: since } : {}) });
  });
  // A failed scan (a half-saved config) is not kept: the next refresh tries again.
  entries.catch(() => cache.delete(key));
  cache.set(key, { generation, entries, taken: new Set() });
  return entries;
}

/**
 * A build's entries: every file coloured before rendering, through the
 * colour cache in the cache root `cacheDir` (`highlight-cache.ts`), and every
 * file's text left on disk for its page to read (`BuildEntryOptions`).
 */
export async function buildSiteEntries(scan: ScanResult, base: string, cacheDir: string | false | undefined): Promise<SiteEntries> {
  const colours = await HighlightCache.open(scan.root, cacheDir);
  const built = await buildEntries(scan, (path) => readRepoFile(scan.root, path, scan.config.maxFileSize), base, process.env, {
    colour: (path, language, lines) => colours.colours(path, language, lines),
    textOnDisk: true,
  });
  await colours.save();
  await releaseHighlighter();
  return built;
}

/**
 * One collection's entries. A build (its scan handed over as a file) reads
 * each collection once, so once all have taken theirs the entries, the scan
 * and every file's text are let go: Astro's store holds what the pages need.
 */
export async function collectionEntries(
  input: SiteInput,
  base: string,
  generation: number,
  collection: CollectionName,
  scan?: ScanResult,
  changed?: readonly string[],
): Promise<SiteEntries[CollectionName]> {
  const entries = await siteEntries(input, base, generation, scan, changed);
  const key = cacheKey(input, base);
  const hit = cache.get(key);
  if (input.scanFile && hit?.generation === generation) {
    hit.taken.add(collection);
    if (hit.taken.size === COLLECTIONS.length) cache.delete(key);
  }
  return entries[collection];
}

function cacheKey(input: SiteInput, base: string): string {
  return JSON.stringify([input.repo, input.gitDir, input.scanFile, base]);
}
