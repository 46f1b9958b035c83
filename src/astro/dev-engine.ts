/**
 * `waymark dev`'s resident engine (`src/node/resident.ts`), as `check --watch`
 * and the language server use it: opened once, told which files changed,
 * and checked per refresh — only the changed files read, relinked and
 * judged again — instead of a whole warm rescan per change. Its result, with
 * the baseline applied and git's renames (what `scanRepository` and the
 * loader's own scan give the site), is handed to the loader with each
 * refresh (`refreshContent`'s context) and read by the search index. An edit
 * to a config file opens it again; one that breaks the config leaves the
 * loader to scan (and report the problem).
 */
import { fingerprinter } from '../core/baseline/fingerprint.ts';
import { applySuppressions } from '../core/baseline/suppressions.ts';
import type { ScanResult } from '../core/schema.ts';
import { readRenames } from '../node/links-fs.ts';
import { configDependencies, ResidentEngine, repositoryPath } from '../node/resident.ts';
import { readSuppressionsFile } from '../node/suppressions-file.ts';

export interface DevEngine {
  /** Open the engine (once the site's first load is done: it scans on its own, and the two would share the cores). */
  start(): void;
  /** Check the files changed since the last call (absolute paths) and give the scan the site reads; undefined when no engine could be opened (the loader scans then). */
  scan(changed: readonly string[]): Promise<ScanResult | undefined>;
  /** The last scan given out, if any. */
  latest(): ScanResult | undefined;
  /** Read git history again (saves stopped); true when that changed the result, so the site is due a refresh. */
  refreshHistory(): Promise<boolean>;
  /** End the engine's git process. */
  stop(): void;
}

export function devEngine(root: string, gitDir: string | undefined): DevEngine {
  let engine: Promise<ResidentEngine | undefined> | undefined;
  let configFiles = configDependencies();
  let last: ScanResult | undefined;
  let stopped = false;
  const open = () => {
    const opening = ResidentEngine.open(root, { cache: true, gitDir }).then(
      (opened) => {
        configFiles = configDependencies(opened.configFiles);
        return opened;
      },
      // A broken config: the loader's own scan reports it; the next change tries again.
      () => undefined,
    );
    engine = opening;
    return opening;
  };
  /** The site's scan: the engine's result as `scanRepository` gives it (the baseline applied), with git's renames. */
  const site = async (opened: ResidentEngine, result: ScanResult): Promise<ScanResult> => {
    const [suppressions, renames] = await Promise.all([readSuppressionsFile(opened.root), readRenames(opened.root, { gitDir })]);
    const scan = suppressions ? withBaseline(result, suppressions) : result;
    last = { ...scan, renames };
    return last;
  };
  return {
    start() {
      engine ??= open();
    },
    async scan(changed) {
      if (stopped) return undefined;
      let opened = await (engine ?? open());
      // Relative to the root the watcher watches: the engine's is its real path, the same tree.
      const files = changed.flatMap((file) => repositoryPath(root, file) ?? []);
      if (!opened || files.some((file) => configFiles.has(file))) {
        const before = opened;
        opened = await open();
        before?.dispose();
        return opened && site(opened, opened.result);
      }
      // An ignore file may list or unlist files: read the file list again.
      if (files.some((file) => file === '.gitignore' || file.endsWith('/.gitignore'))) opened.relistNext();
      opened.changed(files);
      return site(opened, (await opened.check()).result);
    },
    latest: () => last,
    async refreshHistory() {
      const opened = await engine;
      if (!opened || stopped) return false;
      return (await opened.refreshHistory().catch(() => undefined)) !== undefined;
    },
    stop() {
      stopped = true;
      void engine?.then((opened) => opened?.dispose());
    },
  };
}

function withBaseline(result: ScanResult, suppressions: NonNullable<Awaited<ReturnType<typeof readSuppressionsFile>>>): ScanResult {
  const { active, suppressed, unused } = applySuppressions(result.graph.diagnostics, fingerprinter(result.graph), suppressions);
  return { ...result, graph: { ...result.graph, diagnostics: active }, baseline: { suppressed, unused } };
}
