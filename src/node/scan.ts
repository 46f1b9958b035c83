/**
 * Scan a repository on disk: config, file discovery, reading, then the pure
 * engine. The only place the engine meets the file system.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { addSymbolTables, checkRepository, linkFacts, symbolTargets, type LinkedRepository } from '../core/graph/analyze.ts';
import { resolveConfig, type Config } from '../core/config/config.ts';
import type { RepositoryHistory } from '../core/history/history.ts';
import type { Graph } from '../core/schema.ts';
import { collectFacts, type ScanProgress } from './collect-facts.ts';
import { readHistory, resolveToday, startHistory } from './history-scan.ts';
import { discoverFiles } from './discover.ts';
import { cacheKey, FactCache } from './fact-cache.ts';
import { loadUserConfig } from './load-config.ts';
import { isBinaryByName, readRepositoryFileSync, type RealDirs } from './read-files.ts';

export interface ScanOptions {
  /** Run a `waymark.config.mjs` found in the repository. */
  trustConfig?: boolean;
  /** The date ages are judged by (YYYY-MM-DD); default `WAYMARK_TODAY`, else the clock. */
  today?: string;
  /**
   * Keep what each file says in the config's `cacheDir`, so the next scan
   * reads only files whose size, times or inode changed and parses only
   * those whose text changed. Off by default: a library call writes nothing
   * into the repository unless asked (the CLI asks, unless `--no-cache`).
   */
  cache?: boolean;
  /** Worker threads for extraction: `auto` (default) for big cold scans, a number, or 0 for none. */
  workers?: number | 'auto';
  /** Told how far reading and parsing have got, for a progress line. */
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanResult {
  graph: Graph;
  config: Config;
  /** Absolute, real path of the repository root. */
  root: string;
  /** What git knows of the files, when the repository has history. */
  history?: RepositoryHistory;
  /** The date ages were judged by (YYYY-MM-DD), for the site's staleness view to judge alike. */
  today?: string;
}

export class RepositoryError extends Error {
  name = 'RepositoryError';
}

/**
 * Scan a repository: load its config, list its files, extract facts (cached,
 * in workers), read git history, link the graph and run the checks. The one
 * entry point of `waymark check`, `graph`, `fix` and the site build.
 */
export async function scanRepository(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const absolute = path.resolve(root);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new RepositoryError(`\`${root}\` is not a directory`);
  const realRoot = await realpath(absolute);
  const config = resolveConfig(await loadUserConfig(realRoot, options), path.basename(realRoot));
  const today = options.today ?? resolveToday(process.env);
  // git reads the log and the uncommitted files on its own while files are read and parsed.
  const historyStart = startHistory(realRoot);
  const startedAt = Date.now();
  const [discovered, cache] = await Promise.all([
    discoverFiles(realRoot, config.include, config.exclude),
    options.cache ? FactCache.openInside(realRoot, path.join(realRoot, config.cacheDir), cacheKey(config)) : undefined,
  ]);
  // The cache is not part of the repository, even where `.gitignore` does not say so.
  const cachePrefix = `${path.posix.normalize(config.cacheDir.replaceAll('\\', '/')).replace(/\/+$/, '')}/`;
  const paths = discovered.paths.filter((file) => !file.startsWith(cachePrefix));
  const readable = paths.filter((file) => !isBinaryByName(file));
  const collected = await collectFacts(realRoot, readable, config, { cache, workers: options.workers, onProgress: options.onProgress });
  // Nothing read and nothing gone: the cache on disk already says all of this. Written while linking goes on.
  const saved = cache && (collected.read > 0 || cache.size !== readable.length) ? cache.save(collected.records, startedAt) : undefined;
  const linked = linkFacts(paths, collected.facts, collected.skipped, config);
  addSymbolTablesFromDisk(linked, realRoot, config.maxFileSize);
  // History is read for what the linked graph cites, so it sits between linking and checking.
  const history = await readHistory(realRoot, linked.graph, historyStart);
  const graph = checkRepository(linked, config, { history, today });
  await saved;
  return { graph, config, root: realRoot, history, today };
}

/** Symbol tables for the few files `path#symbol` references point at, read again now that linking named them. */
function addSymbolTablesFromDisk(linked: LinkedRepository, realRoot: string, maxFileSize: number): void {
  const realDirs: RealDirs = new Map();
  const texts = new Map<string, string>();
  for (const target of symbolTargets(linked)) {
    const read = readRepositoryFileSync(realRoot, target, maxFileSize, realDirs);
    if ('text' in read) texts.set(target, read.text);
  }
  addSymbolTables(linked, (file) => texts.get(file));
}
