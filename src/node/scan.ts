/**
 * Scan a repository on disk: config, file discovery, reading, then the pure
 * engine. The only place the engine meets the file system.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { linkFacts, symbolTargets, withTables, type LinkedRepository } from '../core/graph/linked-repository.ts';
import { symbolTable } from '../core/graph/symbol-index.ts';
import type { SymbolBlock } from '../core/extract/symbols.ts';
import { checkGraph, type CheckMemo } from '../core/rules/run-checks.ts';
import { quietlySkipped } from '../core/rules/unreadable-file.ts';
import { resolveConfig, type Config, type UserConfig } from '../core/config/config.ts';
import { fingerprinter } from '../core/baseline/fingerprint.ts';
import { applySuppressions, type SuppressionsFile } from '../core/baseline/suppressions.ts';
import { compareDiagnostics } from '../core/rules/run-checks.ts';
import type { Diagnostic, ScanResult } from '../core/schema.ts';
import type { RepositoryHistory } from '../core/history/history.ts';
import type { SkippedFile } from '../core/rules/rule.ts';
import { collectFacts, type CollectedFacts, type CollectOptions, type ScanProgress } from './collect-facts.ts';
import { readHistory, resolveToday, startHistory } from './history-scan.ts';
import { discoverFiles } from './discover.ts';
import { cacheSettings, openCacheFolder, prefixInside, type CacheFolder, type CacheSettings } from './cache-folder.ts';
import { openScope, type GitRefusal, type GitScope } from './git.ts';
import { GitStateCache } from './git-state-cache.ts';
import { githubRepository } from '../core/graph/link-resolve.ts';
import { cacheKey, engineKey, FactCache } from './fact-cache.ts';
import { HistoryCache } from './history-cache.ts';
import { loadConfig } from './load-config.ts';
import { readSuppressionsFile } from './suppressions-file.ts';
import { extractClock } from './file-record.ts';
import { RunTiming } from './run-timing.ts';
import { isBinaryByName, linkAliases, readRepositoryFileSync, type RealDirs } from './read-files.ts';

export interface ScanOptions {
  /** Run a `waymark.config.mjs` found in the repository. */
  trustConfig?: boolean;
  /** The date ages are judged by (YYYY-MM-DD); default `WAYMARK_TODAY`, else the clock. */
  today?: string;
  /**
   * Keep what each file says in the user's cache folder (never in the
   * repository), so the next scan reads only files whose size, times or
   * inode changed and parses only those whose text changed. `true` takes the
   * folder and key from the environment (`WAYMARK_CACHE_DIR`,
   * `WAYMARK_CACHE_KEY`); the CLI passes its own settings. Off by default: a
   * library call writes nothing unless asked (the CLI asks, unless `--no-cache`).
   */
  cache?: boolean | CacheSettings;
  /** Worker threads for extraction: `auto` (default) for big cold scans, a number, or 0 for none. */
  workers?: number | 'auto';
  /** Told how far reading and parsing have got, for a progress line. */
  onProgress?: (progress: ScanProgress) => void;
  /** `--git-dir`: the git directory to read, instead of looking for `.git` (see `git.ts`). */
  gitDir?: string;
  /** Give each diagnostic its `evidence`: why it got its severity (`--explain`). */
  explain?: boolean;
  /** Told how long each phase took (`--timing`). */
  timing?: RunTiming;
  /**
   * The baseline: problems it allows move from `graph.diagnostics` to
   * `baseline.suppressed`. Default: the repository's `waymark-suppressions.json`,
   * when there is one; `false` applies none (`--suppress-all` records them all).
   */
  suppressions?: SuppressionsFile | false;
  /** The config to use instead of the repository's (pull-request mode reads it from the base). */
  userConfig?: UserConfig;
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
  // Without `--timing` the phases are timed all the same, into an object nobody reads: a few clock reads per run.
  const timing = options.timing ?? new RunTiming();
  const setup = await prepareScan(root, options, timing);
  const { realRoot, config, cache, readable, paths, aliasSkips } = setup;
  const inputs = await cacheInputs(setup);
  const collected = await timedCollect(timing, () => collectFacts(realRoot, readable, config, { ...inputs, workers: options.workers, onProgress: options.onProgress }));
  setup.tellReadIds(collected.readIds);
  // Written while linking goes on.
  const saved = savedCache(setup, collected);
  const linked = timing.measure('link', () =>
    withSymbolTablesFromDisk(linkFacts(paths, collected.facts, [...collected.skipped, ...aliasSkips], config), realRoot, config.maxFileSize),
  );
  // History is read for what the linked graph cites, so it sits between linking and checking.
  const history = await timing.wait('git', readHistory(realRoot, linked.graph, setup.historyStart));
  const historyLost = !history && (await setup.historyExpected);
  // Written while the checks run; only when git was asked something this run.
  const stateSaved = cache ? setup.gitState?.then((state) => state.save()) : undefined;
  const result = timing.measure('check', () => finishScan(setup, linked, history, { explain: options.explain, historyLost }));
  const suppressions = options.suppressions === undefined ? await readSuppressionsFile(realRoot) : options.suppressions;
  if (saved) await timing.wait('cache save', saved);
  if (stateSaved) await timing.wait('cache save', stateSaved);
  if (!suppressions) return result;
  const { active, suppressed, unused } = applySuppressions(result.graph.diagnostics, fingerprinter(result.graph), suppressions);
  return { ...result, graph: { ...result.graph, diagnostics: active }, baseline: { suppressed, unused } };
}

/** What a scan settles before reading any file: the real root, the config, git, the file list, the cache. */
export interface ScanSetup {
  realRoot: string;
  config: Config;
  /** The config files read (the repository's own and its `extends` chain), relative to the root: an edit to one changes `config`. */
  configFiles: string[];
  today: string;
  located: { scope?: GitScope; refused?: GitRefusal };
  /** Every file of the repository, sorted. */
  paths: string[];
  /** The files to read: not binary by name, not a link to another listed file. */
  readable: string[];
  aliasSkips: SkippedFile[];
  cache?: FactCache;
  /** When reading began (ms since the epoch), for the cache's racy-stamp rule. */
  startedAt: number;
  /** git's log and uncommitted files, read while files are (`history-scan.ts`). */
  historyStart: ReturnType<typeof startHistory>;
  /** Must be called once the facts are collected (`CollectedFacts.readIds`): the work-tree comparison in `historyStart` waits for it. */
  tellReadIds: (ids: ReadonlyMap<string, string> | undefined) => void;
  /** Tracked files git's stat data says are unchanged (path → blob id); undefined without git. */
  indexIds: Promise<Map<string, string> | undefined>;
  /** The root is in a work tree with a commit: history should be read, and its absence is a failure to report. */
  historyExpected: Promise<boolean>;
  /** git's answers about HEAD and the index, to keep for the next run (`git-state-cache.ts`); undefined without git. */
  gitState?: Promise<GitStateCache>;
}

/** Config, git, file list and cache for a scan of `root` (shared by `scanRepository` and the resident engine). */
export async function prepareScan(root: string, options: ScanOptions, timing: RunTiming): Promise<ScanSetup> {
  const configStart = performance.now();
  const absolute = path.resolve(root);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new RepositoryError(`\`${root}\` is not a directory`);
  const realRoot = await realpath(absolute);
  const loaded = options.userConfig ? { config: options.userConfig, files: [] } : await loadConfig(realRoot, options);
  const configured = resolveConfig(loaded.config, path.basename(realRoot));
  const today = options.today ?? resolveToday(process.env);
  const located = await locateGit(realRoot, options.gitDir);
  // git reads the log and the uncommitted files on its own while files are read and parsed: started first, so
  // its chain of processes (rev-parse, then log and index) is not queued behind the origin remote's lookup.
  const gitStart = performance.now();
  const folder = openFolder(realRoot, options.cache);
  // git's answers about HEAD and the index, kept from the last run while its stamp holds (`git-state-cache.ts`).
  const gitState = located.scope ? GitStateCache.open(folder, located.scope, engineKey()) : undefined;
  // One `rev-parse` for discovery and history (`probeScope`).
  const probe = gitState?.then((state) => state.probe());
  probe?.catch(() => undefined);
  // Loaded beside git's first reads: they ask it which files it knows unchanged by their stamp (`worktree.ts`).
  const factCache = folder.then((opened) => opened && FactCache.open(opened, cacheKey(configured)));
  const cachedIds = factCache.then((opened) => opened && ((file: string, absolute: string) => opened.vouchedDigest(file, absolute)));
  // git's answers about commits live beside the facts (`history-cache.ts`); in memory only without a cache.
  let told: (ids: Map<string, string> | undefined) => void = () => undefined;
  const indexIds = new Promise<Map<string, string> | undefined>((resolve) => (told = resolve));
  // The blob ids extraction computes, for git's work-tree comparison: told by whoever collects the facts (`tellReadIds`).
  let tellReadIds: (ids: ReadonlyMap<string, string> | undefined) => void = () => undefined;
  const readIds = new Promise<ReadonlyMap<string, string> | undefined>((resolve) => (tellReadIds = resolve));
  const historyStart = startHistory(realRoot, located, folder.then((opened) => HistoryCache.open(opened, engineKey())), told, probe, cachedIds, gitState?.then((state) => ({ stamp: state.stamp, index: () => state.index() })), readIds);
  // Without git (or when it failed before comparing stat data) nothing is told: resolves empty-handed.
  void historyStart.then(() => told(undefined));
  void historyStart.then(() => timing.note('git', `waited for; git's log and status ran ${Math.round(performance.now() - gitStart)} ms beside reading`));
  // Links that climb above the root land in GitHub's URL space: whose repository, from config, else the origin remote,
  // else the site's repo URL. Only linking needs it: the remote is asked now and its answer awaited after discovery.
  const origin = configured.github ? undefined : gitState?.then((state) => state.origin());
  timing.add('config', performance.now() - configStart);
  const startedAt = Date.now();
  const [discovered, cache] = await Promise.all([
    timing.wait('discover', () => discoverFiles(realRoot, configured.include, configured.exclude, located, probe)),
    timing.wait('cache load', factCache),
  ]);
  const github = configured.github ?? githubRepository(await origin) ?? githubRepository(configured.site.repoUrl);
  // A checkout named otherwise than its repository (`/src` in CI, `api-main`) still reads `/<repo>/docs/a.md` as its own path.
  const config = github ? { ...configured, github, repositoryPrefixes: [...new Set([...configured.repositoryPrefixes, github.split('/')[1]])] } : configured;
  // A cache root the user put inside the repository is not part of it, even where `.gitignore` does not say so.
  const cachePrefix = cache && prefixInside(realRoot, path.dirname(cache.folder.path));
  // Files git's index vouches for are regular files, not links: their folders need no listing for aliases.
  const vouched = await indexIds;
  const listed = cachePrefix ? discovered.paths.filter((file) => !file.startsWith(cachePrefix)) : discovered.paths;
  const { paths, readable, aliasSkips } = readableFiles(realRoot, listed, vouched);
  timing.note('discover', `${paths.length.toLocaleString('en')} files (${discovered.source === 'git' ? 'git ls-files' : 'folder walk'}); discover and cache load run side by side`);
  const historyExpected = probe ? probe.then((facts) => facts.inside && facts.head !== undefined, () => false) : Promise.resolve(false);
  return { realRoot, config, configFiles: loaded.files, today, located, paths, readable, aliasSkips, cache, startedAt, historyStart, indexIds, historyExpected, gitState, tellReadIds };
}

/** Of the repository's files: those to read, and the links read under their target's name; `regular`: files known not to be links. */
export function readableFiles(realRoot: string, paths: string[], regular?: ReadonlyMap<string, string>): { paths: string[]; readable: string[]; aliasSkips: SkippedFile[] } {
  const aliases = linkAliases(realRoot, regular ? paths.filter((file) => !regular.has(file)) : paths, paths);
  const aliasSkips = [...aliases].map(([link, target]) => ({ path: link, reason: `it is a symbolic link to \`${target}\`, which is read under its own path`, kind: 'link' as const }));
  const readable = paths.filter((file) => !isBinaryByName(file) && !aliases.has(file));
  return { paths, readable, aliasSkips };
}

/**
 * What `collectFacts` takes from a scan's setup besides the files: the cache, the blob ids git's
 * index vouches for, and the files never read for their name, whose blob ids the cache keeps
 * (the one-shot scan and the resident engine both: a cache written without them makes the next
 * run hash every image again).
 */
export async function cacheInputs(setup: Pick<ScanSetup, 'cache' | 'indexIds' | 'paths' | 'aliasSkips'>): Promise<Pick<CollectOptions, 'cache' | 'indexIds' | 'unread'>> {
  const { cache } = setup;
  if (!cache) return {};
  return { cache, indexIds: await setup.indexIds, unread: unreadFiles(setup) };
}

/** The cache written with what was collected, unless nothing was read and nothing is gone: the cache on disk already says all of it. */
export function savedCache(setup: Pick<ScanSetup, 'cache' | 'startedAt'>, collected: CollectedFacts): Promise<boolean> | undefined {
  const { cache } = setup;
  const stale = cache && (collected.read > 0 || cache.size !== collected.records.length || collected.records.some(([file, record]) => cache.get(file) !== record));
  return stale ? cache.save(collected.records, setup.startedAt) : undefined;
}

/** Files listed but never read for their name (images, archives): the cache keeps their blob ids (`unreadRecord`). */
function unreadFiles({ paths, aliasSkips }: Pick<ScanSetup, 'paths' | 'aliasSkips'>): string[] {
  const aliases = new Set(aliasSkips.map((skip) => skip.path));
  return paths.filter((file) => isBinaryByName(file) && !aliases.has(file));
}

/** The checks over a linked graph, with the warning for a `.git` that was not followed. */
export function finishScan(
  setup: Pick<ScanSetup, 'realRoot' | 'config' | 'today' | 'located'>,
  linked: LinkedRepository,
  history: RepositoryHistory | undefined,
  extras: { explain?: boolean; memo?: CheckMemo; touched?: ReadonlySet<string>; historyLost?: boolean } = {},
): ScanResult {
  const { config, today, located, realRoot } = setup;
  // The resident engine passes its memo and the files a change touched: only those are checked again.
  const checked = checkGraph(linked, config, { history, today, explain: extras.explain }, extras.memo, extras.touched);
  const notices = [...(located.refused ? [refusedGitDiagnostic(located.refused)] : []), ...(extras.historyLost ? [lostHistoryDiagnostic()] : [])];
  const graph = notices.length > 0 ? { ...checked, diagnostics: [...notices, ...checked.diagnostics].sort(compareDiagnostics) } : checked;
  return { graph, config, root: realRoot, history, today, quietlySkipped: quietlySkipped(linked.skipped) };
}

/**
 * Collect facts and split the wall time between reading and parsing by the
 * threads' own clocks (with workers, both run on every thread at once).
 */
async function timedCollect(timing: RunTiming, collect: () => ReturnType<typeof collectFacts>): ReturnType<typeof collectFacts> {
  const [readMs, parseMs] = [extractClock.readMs, extractClock.parseMs];
  const start = performance.now();
  const collected = await collect();
  const wall = performance.now() - start - collected.stampMs;
  const [read, parse] = [extractClock.readMs - readMs, extractClock.parseMs - parseMs];
  const readShare = read + parse > 0 ? read / (read + parse) : 1;
  const cached = collected.records.length - collected.read;
  timing.add('read', collected.stampMs + wall * readShare, `${cached.toLocaleString('en')} files unchanged by their stamp, ${collected.read.toLocaleString('en')} read`);
  timing.add('parse', wall * (1 - readShare), `on ${collected.threads} thread${collected.threads === 1 ? '' : 's'}; CPU: read ${Math.round(read)} ms, parse ${Math.round(parse)} ms`);
  return collected;
}

/** The repository's cache folder, or none (not asked for, or it cannot be used: a cache is only ever a saving). */
async function openFolder(realRoot: string, setting: ScanOptions['cache']): Promise<CacheFolder | undefined> {
  if (!setting) return undefined;
  const folder = await openCacheFolder(setting === true ? cacheSettings(process.env, process.cwd()) : setting, realRoot);
  return 'off' in folder ? undefined : folder;
}

/** The repository's git directory, checked (`git.ts`); a bad `--git-dir` is the user's error, said so. */
async function locateGit(realRoot: string, gitDir: string | undefined): Promise<{ scope?: GitScope; refused?: GitRefusal }> {
  try {
    return await openScope(realRoot, { gitDir });
  } catch (error) {
    if (gitDir) throw new RepositoryError((error as Error).message);
    return {};
  }
}

/** A `.git` that was not followed: the history checks are off, and the report says why. */
function refusedGitDiagnostic(refused: GitRefusal): Diagnostic {
  return { rule: 'git-history', severity: 'warning', file: refused.file, line: 1, column: 1, message: refused.message };
}

/** A repository whose history git could not give (a damaged or partial copy): the history checks are off, and the report says so. */
function lostHistoryDiagnostic(): Diagnostic {
  return {
    rule: 'git-history',
    severity: 'warning',
    file: '.git',
    line: 1,
    column: 1,
    message: 'git history could not be read (git failed on this copy): `stale-reference`, `moved-lines` and the deleted and renamed file checks are off for this run',
    suggestion: 'run `git log --name-status` and `git fsck` to see what git cannot read',
  };
}

/**
 * Symbol tables for the few files `path#symbol` references point at, read
 * again now that linking named them; `unsaved` gives an editor's text for a
 * file instead of the disk's, and `kept` tables read before (both from the
 * resident engine, which drops a file's table when the file changes).
 */
export function withSymbolTablesFromDisk(
  linked: LinkedRepository,
  realRoot: string,
  maxFileSize: number,
  unsaved?: (file: string) => string | undefined,
  kept: Map<string, SymbolBlock[]> = new Map(),
): LinkedRepository {
  const realDirs: RealDirs = new Map();
  const tables = new Map<string, SymbolBlock[]>();
  for (const target of symbolTargets(linked)) {
    let table = kept.get(target);
    if (!table) {
      const given = unsaved?.(target);
      const read = given === undefined ? readRepositoryFileSync(realRoot, target, maxFileSize, realDirs) : { text: given };
      if (!('text' in read)) continue;
      kept.set(target, (table = symbolTable(target, read.text)));
    }
    tables.set(target, table);
  }
  return withTables(linked, tables);
}
