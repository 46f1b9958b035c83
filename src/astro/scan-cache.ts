/**
 * One scan per build, shared by every collection's loader.
 *
 * `buildSite` scans before Astro starts (it must fail on error-level problems
 * first) and hands the result over with {@link provideScan}; Astro loads this
 * module again inside its own module graph, so the hand-over goes through a
 * process-wide symbol rather than a module variable. Without a hand-over
 * (`astro dev`, `astro build` run directly) the loader scans by itself.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { buildEntries, type ScanResult, type SiteEntries } from './entries.ts';
import { readRepoFile } from './read-repo-file.ts';

const HANDOVER = Symbol.for('waymark.site.scan');
const ENTRIES = Symbol.for('waymark.site.entries');

type Global = typeof globalThis & {
  [HANDOVER]?: ScanResult;
  [ENTRIES]?: Map<string, { scan: ScanResult | undefined; entries: Promise<SiteEntries> }>;
};

/** Make a finished scan available to the loaders of the next build in this process. */
export function provideScan(scan: ScanResult | undefined): void {
  const g = globalThis as Global;
  g[HANDOVER] = scan;
  g[ENTRIES]?.clear();
}

/** The embedded example, used when no repository is named. */
export function defaultRepo(): string {
  return fileURLToPath(new URL('../../content/example-infra/', import.meta.url));
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
  const { scanRepository } = await import('../node/scan.ts');
  return scanRepository(root);
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
