/**
 * `waymark check --watch`: the resident engine (`src/node/resident.ts`)
 * behind a file watcher. Every save is checked again and the whole report
 * printed, then a status line on stderr (`waymark: checked …`), which tells
 * a reader the report above it is complete. Git history is refreshed in the
 * background once saves stop; when that changes the report, it is printed
 * again with a `waymark: history refreshed` line.
 */
import { watch } from 'node:fs';
import { ResidentEngine, repositoryPath, type ResidentOptions } from '../node/resident.ts';
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
  const engine = await ResidentEngine.open(options.repo, options);
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
  const scheduleHistory = () => {
    clearTimeout(historyTimer);
    // Beside the checks, not before them: a save is checked at once with the history there is.
    historyTimer = setTimeout(() => {
      refreshing = refreshing.then(async () => {
        const refreshed = await engine.refreshHistory().catch(() => undefined);
        if (refreshed) print(refreshed, 'waymark: history refreshed; the report above replaces the one before');
      });
    }, HISTORY_IDLE_MS);
  };

  const onEvent = (file: string | undefined) => {
    if (!file || file.split('/').includes('node_modules')) return;
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
  const folders = new Set(['', '.git', ...engine.files.map((file) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : ''))]);
  const watchers = [...folders].flatMap((folder) => {
    try {
      return [watch(folder ? `${engine.root}/${folder}` : engine.root, (_event, name) => name && onEvent(repositoryPath(engine.root, `${engine.root}/${folder ? `${folder}/` : ''}${name}`)))];
    } catch {
      return []; // gone already, or not a folder (no `.git` folder): nothing to watch there
    }
  });
  print(engine.result, `waymark: checked ${engine.result.graph.documents.length} documents in ${Math.round(performance.now() - opened)} ms; watching ${watchers.length} folders for changes (Ctrl-C stops)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    options.signal?.addEventListener('abort', stop, { once: true });
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const watcher of watchers) watcher.close();
  clearTimeout(timer);
  clearTimeout(historyTimer);
  await Promise.all([running, refreshing]);
  return 0;
}
