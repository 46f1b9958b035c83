/**
 * `waymark check --watch`: the resident engine (`src/node/resident.ts`)
 * behind a file watcher. Every save is checked again and the whole report
 * printed, then a status line on stderr (`waymark: checked …`), which tells
 * a reader the report above it is complete. Git history is refreshed in the
 * background once saves stop; when that changes the report, it is printed
 * again with a `waymark: history refreshed` line. An edit to the config (its
 * own file or one its `extends` chain names, above the root too) opens the
 * engine again with it, as the language server does; a broken config is
 * reported and the last good one stays.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../node/load-config.ts';
import { configDependencies, ResidentEngine, repositoryPath, type ResidentOptions } from '../node/resident.ts';
import type { Diagnostic, ScanResult } from '../core/schema.ts';
import type { CliIo } from './context.ts';

/** Saves arrive as bursts of events (truncate, write, rename): wait this long after the last one. */
const DEBOUNCE_MS = 10;
/** Git history is read again once saves have stopped for this long. */
const HISTORY_IDLE_MS = 400;

export interface WatchOptions extends ResidentOptions {
  repo: string;
  io: CliIo;
  /** The report for one result, as `check` prints it. */
  render: (diagnostics: Diagnostic[], root: string) => string;
  /** Stops the watch (tests, and the bench); Ctrl-C stops it otherwise. */
  signal?: AbortSignal;
}

export async function watchCheck(options: WatchOptions): Promise<number> {
  const { io } = options;
  const opened = performance.now();
  let engine = await ResidentEngine.open(options.repo, options);
  let configFiles = configDependencies(engine.configFiles);
  const print = (result: ScanResult, status: string) => {
    io.stdout(options.render(result.graph.diagnostics, result.root));
    io.stderr(`${status}\n`);
  };

  let timer: NodeJS.Timeout | undefined;
  let historyTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let refreshing: Promise<void> = Promise.resolve();
  const changed = new Set<string>();
  let firstEvent = 0;

  const runCheck = () => {
    timer = undefined;
    const files = [...changed];
    changed.clear();
    const since = firstEvent;
    running = running.then(async () => {
      engine.changed(files);
      const { result, extracted } = await engine.check();
      print(result, `waymark: checked ${extracted.length} changed file${extracted.length === 1 ? '' : 's'} in ${Math.round(performance.now() - since)} ms`);
      scheduleHistory();
    });
  };
  /** Resolves once no save waits for its check or is being checked: the history refresh waits for this between its reads, so a save is never checked behind them. */
  const idle = async (): Promise<void> => {
    for (;;) {
      if (timer !== undefined) {
        await new Promise((resume) => setTimeout(resume, DEBOUNCE_MS));
        continue;
      }
      const waiting = running;
      await waiting;
      if (timer === undefined && running === waiting) return;
    }
  };
  const scheduleHistory = () => {
    clearTimeout(historyTimer);
    // Beside the checks, not before them: a save is checked at once with the history there is.
    historyTimer = setTimeout(() => {
      refreshing = refreshing.then(async () => {
        const refreshing = engine;
        const refreshed = await refreshing.refreshHistory({ pause: idle }).catch(() => undefined);
        // An engine replaced meanwhile (a config edit) printed its own report.
        if (refreshed && refreshing === engine) print(refreshed, 'waymark: history refreshed; the report above replaces the one before');
      });
    }, HISTORY_IDLE_MS);
  };

  /** The config changed: a new engine with it, once the checks under way end (the old one stays when the new config is broken). */
  const reopen = () => {
    clearTimeout(timer);
    timer = undefined;
    changed.clear();
    running = running.then(async () => {
      const started = performance.now();
      try {
        const next = await ResidentEngine.open(options.repo, options);
        const before = engine;
        engine = next;
        // Its git process ends once a refresh under way is over.
        refreshing = refreshing.then(() => before.dispose());
        configFiles = configDependencies(next.configFiles);
        watchFolders();
        print(next.result, `waymark: checked ${next.result.graph.documents.length} documents with the changed config in ${Math.round(performance.now() - started)} ms`);
        scheduleHistory();
      } catch (caught) {
        // Creating or fixing a base the broken chain names reads the config again.
        if (caught instanceof ConfigError) configFiles = configDependencies([...engine.configFiles, ...caught.files]);
        watchFolders();
        const problem = caught instanceof ConfigError ? caught.problems.join('; ') : ((caught as Error)?.message ?? String(caught));
        io.stderr(`waymark: the changed config cannot be used, still checking with the last one: ${problem}\n`);
      }
    });
  };

  const onEvent = (file: string | undefined) => {
    if (!file) return;
    if (configFiles.has(file)) return reopen();
    if (file.startsWith('../') || file.split('/').includes('node_modules')) return;
    if (file === '.git' || file.startsWith('.git/')) {
      // A commit, checkout or `git add`: the file list and the history may have changed.
      if (/^\.git\/(HEAD|index)$/.test(file)) {
        engine.relistNext();
        scheduleHistory();
      }
      return;
    }
    if (changed.size === 0 && timer === undefined) firstEvent = performance.now();
    changed.add(file);
    clearTimeout(timer);
    timer = setTimeout(runCheck, DEBOUNCE_MS);
  };
  // One watcher per folder that holds a file, set up before "watching" is printed: Node's recursive
  // watch on Linux adds its folders asynchronously, and missed the first save of a fresh start.
  // The folders of config files above the root too (a monorepo's base config), reported as `../…`.
  const watchers = new Map<string, FSWatcher>();
  const watchFolders = () => {
    const { root } = engine;
    const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '');
    const folders = new Set(['', '.git', ...engine.files.map(folderOf), ...[...configFiles].map(folderOf)]);
    for (const folder of folders) {
      const absolute = path.resolve(root, folder);
      if (watchers.has(absolute)) continue;
      try {
        watchers.set(absolute, watch(absolute, (_event, name) => name && onEvent(relativeTo(root, path.join(absolute, name)))));
      } catch {
        // Gone already, or not a folder (no `.git` folder): nothing to watch there.
      }
    }
  };
  watchFolders();
  print(engine.result, `waymark: checked ${engine.result.graph.documents.length} documents in ${Math.round(performance.now() - opened)} ms; watching ${watchers.size} folders for changes (Ctrl-C stops)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    options.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const watcher of watchers.values()) watcher.close();
  clearTimeout(timer);
  clearTimeout(historyTimer);
  await Promise.all([running, refreshing]);
  engine.dispose();
  return 0;
}

/** A watched path relative to the root with forward slashes: inside it as `repositoryPath` gives it, above it as `../…`. */
function relativeTo(root: string, absolute: string): string | undefined {
  return repositoryPath(root, absolute) ?? path.relative(root, absolute).split(path.sep).join('/');
}
