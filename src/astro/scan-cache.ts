/**
 * One scan per build, shared by every collection's loader.
 *
 * `buildSite` scans before Astro starts (it must fail on error-level problems
 * first) and hands the result over with {@link provideScan}; Astro loads this
 * module again inside its own module graph, so the hand-over goes through a
 * process-wide symbol rather than a module variable. Without a hand-over
 * (`astro dev`, `astro build` run directly) the loader scans by itself.
 */
import { join, relative, resolve, sep } from 'node:path';
import { isInside } from '../node/read-files.ts';
import { buildEntries, type ScanResult, type SiteEntries } from './entries.ts';
import { readRepoFile } from './read-repo-file.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

const HANDOVER = Symbol.for('waymark.site.scan');
const ENTRIES = Symbol.for('waymark.site.entries');
const WATCH = Symbol.for('waymark.site.watch');

type Global = typeof globalThis & {
  [HANDOVER]?: ScanResult;
  [ENTRIES]?: Map<string, { scan: ScanResult | undefined; entries: Promise<SiteEntries> }>;
  [WATCH]?: Map<string, RepositoryWatch>;
};

/** The part of Vite's file watcher the loader uses. */
export interface RepositoryWatcher {
  add(paths: string | readonly string[]): unknown;
  on(event: 'all', listener: (event: string, path: string) => void): unknown;
  off(event: 'all', listener: (event: string, path: string) => void): unknown;
}

interface RepositoryWatch {
  /** Each collection's re-sync, the latest registered. */
  syncs: Map<string, { watcher: RepositoryWatcher; sync: () => Promise<void>; listener: (event: string, path: string) => void }>;
  timer?: ReturnType<typeof setTimeout>;
  /** The re-sync in progress; a change during it queues one more. */
  running?: Promise<void>;
  again?: boolean;
  onError: (error: unknown) => void;
}

/** Called after every rescan the watcher triggered, with the repository root (`waymark dev` re-indexes search then). */
export const REFRESHED = Symbol.for('waymark.site.refreshed');
type RefreshListeners = typeof globalThis & { [REFRESHED]?: Set<(root: string) => void> };

/** How long the watcher waits for a burst of saves (an editor writing several files) to end. */
const SETTLE_MS = 150;

/** Make a finished scan available to the loaders of the next build in this process. */
export function provideScan(scan: ScanResult | undefined): void {
  const g = globalThis as Global;
  g[HANDOVER] = scan;
  g[ENTRIES]?.clear();
}

/** The embedded example, used when no repository is named. */
export function defaultRepo(): string {
  return join(PACKAGE_ROOT, 'content', 'example-infra');
}

/** The repository the site is built from: `WAYMARK_REPO`, else the embedded example. */
export function repoRoot(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.WAYMARK_REPO || defaultRepo());
}

async function scanFresh(root: string): Promise<ScanResult> {
  const g = globalThis as Global;
  const handed = g[HANDOVER];
  if (handed && resolve(handed.root) === root) return handed;
  // Loaded lazily so the site's modules do not pull in the engine unless needed.
  const [{ scanRepository }, { readRenames }] = await Promise.all([import('../node/scan.ts'), import('../node/links-fs.ts')]);
  // With the fact cache, a rescan in `astro dev` re-reads only the files that changed.
  const [scan, renames] = await Promise.all([scanRepository(root, { cache: true }), readRenames(root)]);
  return { ...scan, renames };
}

/** Entries of every collection for the repository at `root`, computed once per build and base. */
export function siteEntries(root: string, base: string): Promise<SiteEntries> {
  const g = globalThis as Global;
  const cache = (g[ENTRIES] ??= new Map());
  const key = `${root}\u0000${base}`;
  const hit = cache.get(key);
  if (hit && hit.scan === g[HANDOVER]) return hit.entries;
  const entries = scanFresh(root).then(async (scan) =>
    buildEntries(scan, (path) => readRepoFile(scan.root, path, scan.config.maxFileSize), base, process.env),
  );
  cache.set(key, { scan: g[HANDOVER], entries });
  return entries;
}

/** Forget the entries of `root`, so the next `siteEntries` rescans it. */
export function invalidateScan(root: string): void {
  const cache = (globalThis as Global)[ENTRIES];
  for (const key of [...(cache?.keys() ?? [])]) if (key.startsWith(`${root}\u0000`)) cache!.delete(key);
}

/**
 * Re-sync a collection whenever a file of the repository changes (dev
 * server). Every collection registers; one burst of changes causes one
 * rescan, which all of them share.
 */
export function watchRepository(
  root: string,
  watcher: RepositoryWatcher,
  collection: string,
  sync: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  const g = globalThis as Global;
  const watches = (g[WATCH] ??= new Map());
  let watch = watches.get(root);
  if (!watch) {
    watch = { syncs: new Map(), onError };
    watches.set(root, watch);
  }
  const previous = watch.syncs.get(collection);
  if (previous) previous.watcher.off('all', previous.listener);
  const state = watch;
  const listener = (_event: string, path: string) => {
    if (!inRepository(root, path)) return;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void refresh(root, state), SETTLE_MS);
  };
  watcher.add(root);
  watcher.on('all', listener);
  watch.syncs.set(collection, { watcher, sync, listener });
}

/** A path in the repository that can change what the site shows (not git's own files, not dependencies). */
function inRepository(root: string, path: string): boolean {
  const rel = relative(root, resolve(path));
  if (rel === '' || !isInside(root, resolve(path))) return false;
  const first = rel.split(sep)[0];
  return first !== '.git' && first !== 'node_modules';
}

async function refresh(root: string, watch: RepositoryWatch): Promise<void> {
  if (watch.running) {
    watch.again = true;
    return;
  }
  watch.running = (async () => {
    try {
      invalidateScan(root);
      for (const { sync } of watch.syncs.values()) await sync();
      for (const listener of (globalThis as RefreshListeners)[REFRESHED] ?? []) listener(root);
    } catch (error) {
      // A half-saved config or document: keep the last good site, try again on the next change.
      invalidateScan(root);
      watch.onError(error);
    }
  })();
  await watch.running;
  watch.running = undefined;
  if (watch.again) {
    watch.again = false;
    await refresh(root, watch);
  }
}

/** Be told when the watcher has rescanned a repository; returns the way to stop. */
export function onSiteRefreshed(listener: (root: string) => void): () => void {
  const g = globalThis as RefreshListeners;
  const listeners = (g[REFRESHED] ??= new Set());
  listeners.add(listener);
  return () => listeners.delete(listener);
}
