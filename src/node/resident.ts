/**
 * The engine kept in memory between checks: `waymark check --watch` now, and
 * the editor's language server later. One full scan when it opens (with the
 * fact cache, as `check` does); after that a change costs the extraction of
 * the changed files, one relink and the checks — no start-up, no discovery,
 * no cache to parse, no git.
 *
 * History (git log, diffs) is read in the background instead
 * (`refreshHistory`): a check uses the latest history there is, so the
 * history rules judge a just-saved file by what git said a moment before,
 * and the next refresh brings them up to date (the watcher prints again
 * when that changes anything).
 *
 * For an editor: `setText` takes a file's unsaved text (it is checked as if
 * saved; `undefined` goes back to the disk's), and `diagnosticsFor` gives
 * one file's problems.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { extractFacts, type FileFacts } from '../core/extract/extract.ts';
import type { SymbolBlock } from '../core/extract/symbols.ts';
import { linkFacts, type LinkedRepository } from '../core/graph/linked-repository.ts';
import { linkMemo } from '../core/graph/link-graph.ts';
import { indexLinks, touchedByHistory, touchedFiles } from '../core/graph/touched-files.ts';
import { checkMemo, rekeyHistory } from '../core/rules/run-checks.ts';
import type { RepositoryHistory } from '../core/history/history.ts';
import type { SkippedFile } from '../core/rules/rule.ts';
import type { Diagnostic, ScanResult } from '../core/schema.ts';
import { compareText } from '../core/text/compare.ts';
import { collectFacts } from './collect-facts.ts';
import { discoverFiles } from './discover.ts';
import { extractRecord, extractSetup, type ExtractSetup } from './file-record.ts';
import { historyMemo, keepStart, readHistory, refreshStart, startHistory } from './history-scan.ts';
import type { RealDirs } from './read-files.ts';
import { RunTiming } from './run-timing.ts';
import { cacheInputs, finishScan, prepareScan, readableFiles, savedCache, withSymbolTablesFromDisk, type ScanOptions, type ScanSetup } from './scan.ts';

export type ResidentOptions = Pick<ScanOptions, 'trustConfig' | 'today' | 'cache' | 'gitDir' | 'workers'>;

/** What one check did. */
export interface ResidentCheck {
  result: ScanResult;
  /** Files whose facts were extracted again (changed on disk, or unsaved text). */
  extracted: string[];
  /** The file list was read again (a file appeared or went). */
  rediscovered: boolean;
  /** Files linked again, and files the per-file rules ran for: the work the check did, which a save keeps small. */
  relinked: number;
  rechecked: number;
  /** The processes, tasks, change rows and environments were kept from the last check (the change touched none of what they are built from). */
  keptStage: boolean;
  ms: number;
}

export class ResidentEngine {
  private readonly facts = new Map<string, FileFacts>();
  private readonly skipped = new Map<string, SkippedFile>();
  private readonly unsaved = new Map<string, string>();
  private readonly pending = new Set<string>();
  private rediscover = false;
  private linked: LinkedRepository;
  private history: RepositoryHistory | undefined;
  private current: ScanResult;
  /** Bumped by every relink, so a history read for an older graph is re-read. */
  private generation = 0;
  private readonly extract: ExtractSetup;
  private readonly realDirs: RealDirs = new Map();
  /** Each unchanged file's part of the graph, kept from one link to the next. */
  private readonly links = linkMemo();
  /** Symbol tables of the files `path#symbol` references point at, until the file changes. */
  private readonly symbolTables = new Map<string, SymbolBlock[]>();
  /** Each file's problems by the per-file rules, kept from one check to the next. */
  private readonly checks = checkMemo();
  /** What a history refresh keeps for the next (`history-scan.ts`), and the files changed since the last one: all a refresh looks at while git's side stays put. */
  private readonly historyMemo = historyMemo();
  private sinceRefresh = new Set<string>();
  /** A repository with commits whose history git could not give: every result says so, as `check`'s does (`historyExpected`). */
  private historyLost = false;
  private disposed = false;

  private constructor(
    private setup: ScanSetup,
    facts: FileFacts[],
    skipped: SkippedFile[],
    history: RepositoryHistory | undefined,
  ) {
    for (const fact of facts) this.facts.set(fact.path, fact);
    for (const skip of skipped) this.skipped.set(skip.path, skip);
    this.extract = extractSetup(setup.realRoot, setup.config);
    this.history = history;
    this.linked = this.link();
    this.current = this.finish(history);
  }

  /** Scan `root` once and keep what it found. */
  static async open(root: string, options: ResidentOptions = {}): Promise<ResidentEngine> {
    const setup = await prepareScan(root, options, new RunTiming());
    // The cache inputs `check` gives (git's vouched blob ids, the unread files), so the cache this writes serves the next `check` as well.
    const collected = await collectFacts(setup.realRoot, setup.readable, setup.config, { ...(await cacheInputs(setup)), workers: options.workers });
    setup.tellReadIds(collected.readIds);
    await savedCache(setup, collected);
    const engine = new ResidentEngine(setup, collected.facts, collected.skipped, undefined);
    const start = await setup.historyStart;
    keepStart(engine.historyMemo, start);
    engine.history = await readHistory(setup.realRoot, engine.linked.graph, Promise.resolve(start && { ...start, memo: engine.historyMemo }));
    engine.historyLost = !engine.history && (await setup.historyExpected);
    engine.current = engine.finish(engine.history);
    // What the first save needs of the graph and the file lists, made while opening (~70 ms of it on the large repository).
    indexLinks(engine.linked.graph);
    engine.listedSet();
    engine.readableSet();
    await engine.warmUp();
    return engine;
  }

  /**
   * The first save's first-time work, done while opening: one document read
   * again as if saved, checked, and a history refresh that looks at it. The
   * first save after opening cost the large repository ~160 ms of CPU against
   * ~50 ms for the next ones, and its refresh ~300 ms against ~130 ms (a first
   * markdown parse, the incremental link, checks and refresh run for the
   * first time); measured, the saves after opening are then as quick as the
   * rest. The document is unchanged, so the result is the one opening gave.
   */
  private async warmUp(): Promise<void> {
    const facts = this.ordered?.facts ?? [];
    const document = facts.find((fact) => fact.document?.kind === 'process') ?? facts.find((fact) => fact.document);
    if (!document) return;
    // Twice: the second run is where the checks' code is compiled for what a save does (measured: once left the first save at ~120 ms).
    for (let run = 0; run < 2; run++) {
      this.pending.add(document.path);
      await this.check();
    }
    await this.refreshHistory();
    // The counts are of the refreshes after opening.
    Object.assign(this.historyMemo, { fullReads: 0, quickReads: 0, pathsJudged: 0 });
    Object.assign(this.refreshChecks, { partial: 0, whole: 0, rechecked: 0, overtaken: 0 });
  }

  /** The repository's real root: paths given to this engine are relative to it. */
  get root(): string {
    return this.setup.realRoot;
  }

  /** The config files it was opened with (its own and its `extends` chain), relative to the root. */
  get configFiles(): readonly string[] {
    return this.setup.configFiles;
  }

  /** Every file of the repository, repository-relative, sorted. */
  get files(): readonly string[] {
    return this.setup.paths;
  }

  /** The latest result. */
  get result(): ScanResult {
    return this.current;
  }

  /** One file's problems in the latest result, in report order. */
  diagnosticsFor(file: string): Diagnostic[] {
    return this.current.graph.diagnostics.filter((diagnostic) => diagnostic.file === file);
  }

  /** Whether a repository-relative path is one of the files read. */
  has(file: string): boolean {
    return this.facts.has(file) || this.skipped.has(file);
  }

  /** Files changed on disk (saved, created, deleted), repository-relative; read at the next `check`. */
  changed(files: Iterable<string>): void {
    const listed = this.listedSet();
    for (const file of files) {
      // A file not listed may be new (or ignored: the list says which); a listed one may be gone.
      if (!listed.has(file) || !existsSync(path.join(this.setup.realRoot, file))) this.rediscover = true;
      this.pending.add(file);
    }
  }

  /** The file list may have changed without a file event (a checkout, a `.gitignore` edit): read it again at the next check. */
  relistNext(): void {
    this.rediscover = true;
  }

  /** An editor's unsaved text for a file (checked as if saved); `undefined` goes back to the text on disk. */
  setText(file: string, text: string | undefined): void {
    if (text === undefined) this.unsaved.delete(file);
    else this.unsaved.set(file, text);
    this.pending.add(file);
  }

  /**
   * Apply what changed since the last check and check again, with the latest
   * history. With `cancelled`: asked once the file list was read again (the
   * check's one wait, when newer edits can arrive), and when it says so the
   * check stops there, undefined, with every change still pending for the next.
   */
  async check(): Promise<ResidentCheck>;
  async check(cancelled: () => boolean): Promise<ResidentCheck | undefined>;
  async check(cancelled?: () => boolean): Promise<ResidentCheck | undefined> {
    const started = performance.now();
    const rediscovered = this.rediscover;
    if (rediscovered) await this.relist();
    // Past this point the check runs to its end without a wait: nothing newer can be read before it ends.
    if (cancelled?.()) return undefined;
    const readable = this.readableSet();
    const changed = [...this.pending];
    for (const file of changed) this.sinceRefresh.add(file);
    const extracted = changed.filter((file) => readable.has(file));
    for (const file of this.pending) if (!extracted.includes(file)) this.forget(file);
    this.pending.clear();
    for (const file of extracted) this.reextract(file);
    for (const file of changed) this.symbolTables.delete(file);
    const before = this.linked.graph;
    this.linked = this.link(changed);
    this.generation++;
    const touched = touchedFiles(before, this.linked.graph, changed, this.links.relinked);
    this.current = this.finish(this.history, touched);
    return { result: this.current, extracted, rediscovered, relinked: this.links.relinked.length, rechecked: this.checks.rechecked, keptStage: this.links.keptStage, ms: performance.now() - started };
  }

  /**
   * Read git history again for the current graph and check with it. Resolves
   * to the new result, or undefined when nothing changed; a history read
   * while the graph changed is read again. While HEAD and the index stay as
   * they were, only the files changed since the last refresh are looked at
   * (`refreshStart`); a history that says what the last one said checks nothing again.
   *
   * `pause`, for a caller that checks edits while this runs (`check --watch`,
   * the language server): waited for before each read and before the checks
   * (until no check waits), so an edit's check never queues behind the
   * refresh; and a history read while a check changed the graph is checked
   * with as it is, as that check used the one before: the caller refreshes
   * again after its checks, so no edit reads the history twice.
   */
  async refreshHistory(options: { pause?: () => Promise<void> } = {}): Promise<ScanResult | undefined> {
    const { pause } = options;
    for (;;) {
      await pause?.();
      if (this.disposed) return undefined;
      const generation = this.generation;
      const unsaved = this.unsaved.size ? new Map(this.unsaved) : undefined;
      const changed = this.sinceRefresh;
      this.sinceRefresh = new Set();
      // git's answers about commits are kept across refreshes: a refresh with no new commit reads no log.
      const answers = this.setup.historyStart.then((start) => start?.repository.answers);
      const started = refreshStart(this.historyMemo, changed, unsaved, () => startHistory(this.setup.realRoot, this.setup.located, answers)).then((start) => start && { ...start, pause });
      const history = await readHistory(this.setup.realRoot, this.linked.graph, started);
      await pause?.();
      if (this.disposed) {
        // A whole read may have started a `cat-file` of its own meanwhile, or the first `check-ignore`.
        this.historyMemo.worktree.reader?.close();
        this.historyMemo.ignoreReader?.close();
        return undefined;
      }
      if (generation !== this.generation) {
        if (!pause) continue;
        this.refreshChecks.overtaken++;
      }
      const lost = !history && (await this.setup.historyExpected);
      // Only the files the new history can change are checked again (all of them when HEAD moved; none when it says the same).
      const touched = touchedByHistory(this.linked.graph, this.history, history);
      if (touched === 'same' && lost === this.historyLost) return undefined;
      if (touched) rekeyHistory(this.checks, history);
      this.refreshChecks[touched ? 'partial' : 'whole']++;
      this.history = history;
      this.historyLost = lost;
      const before = JSON.stringify(this.current.graph.diagnostics);
      this.current = this.finish(history, touched === 'same' ? undefined : touched);
      this.refreshChecks.rechecked += this.checks.rechecked;
      return JSON.stringify(this.current.graph.diagnostics) === before ? undefined : this.current;
    }
  }

  /**
   * End what the engine keeps running: git's `cat-file --batch` (HEAD's blobs for the history
   * refreshes) and `check-ignore --stdin` (the new missing paths). `check --watch` and the language server dispose of an engine they reopen (a
   * config edit) once its last refresh is over; a refresh after this reads nothing.
   */
  dispose(): void {
    this.disposed = true;
    this.historyMemo.worktree.reader?.close();
    this.historyMemo.ignoreReader?.close();
  }

  /** The checks over the current graph with `history`, with the `git-history` warning `check` gives when history was lost; `touched`: only those files' per-file rules run again. */
  private finish(history: RepositoryHistory | undefined, touched?: ReadonlySet<string>): ScanResult {
    return finishScan(this.setup, this.linked, history, { memo: this.checks, touched, historyLost: this.historyLost });
  }

  /** Checks after a refresh that found a new history: of the files it touches only, or of every file. */
  private readonly refreshChecks = { partial: 0, whole: 0, rechecked: 0, overtaken: 0 };

  /**
   * History refreshes so far that read everything again and those that looked at the changed files only,
   * and the checks they made: of the files the new history touches, or of all; the files those checks ran
   * the per-file rules for, and the missing paths whose facts were worked out (not kept from an earlier read);
   * `overtaken`: reads during which a check changed the graph, checked with as they were (`pause`), not read again.
   */
  get historyReads(): { full: number; quick: number; partialChecks: number; wholeChecks: number; recheckedFiles: number; pathsJudged: number; overtaken: number } {
    return {
      full: this.historyMemo.fullReads,
      quick: this.historyMemo.quickReads,
      partialChecks: this.refreshChecks.partial,
      wholeChecks: this.refreshChecks.whole,
      recheckedFiles: this.refreshChecks.rechecked,
      pathsJudged: this.historyMemo.pathsJudged,
      overtaken: this.refreshChecks.overtaken,
    };
  }

  private readable?: { list: string[]; set: Set<string> };
  private listed?: { list: string[]; set: Set<string> };

  /** Every file listed, as a set (made again only when the list is). */
  private listedSet(): Set<string> {
    if (this.listed?.list !== this.setup.paths) this.listed = { list: this.setup.paths, set: new Set(this.setup.paths) };
    return this.listed.set;
  }

  /** The files to read, as a set (made again only when the list is). */
  private readableSet(): Set<string> {
    if (this.readable?.list !== this.setup.readable) this.readable = { list: this.setup.readable, set: new Set(this.setup.readable) };
    return this.readable.set;
  }

  private async relist(): Promise<void> {
    const { realRoot, config, located } = this.setup;
    const discovered = await discoverFiles(realRoot, config.include, config.exclude, located);
    const listed = readableFiles(realRoot, this.withNewFiles(discovered.paths));
    const readable = new Set(listed.readable);
    // Files gone are changed files too: their problems go with them.
    for (const file of [...this.facts.keys(), ...this.skipped.keys()]) if (!readable.has(file)) this.pending.add(file);
    // New files are read like changed ones.
    for (const file of listed.readable) if (!this.has(file)) this.pending.add(file);
    this.setup = { ...this.setup, ...listed };
    this.rediscover = false;
  }

  private forget(file: string): void {
    this.facts.delete(file);
    this.skipped.delete(file);
  }

  private reextract(file: string): void {
    this.facts.delete(file);
    this.skipped.delete(file);
    const text = this.unsaved.get(file);
    if (text !== undefined) {
      this.facts.set(file, extractFacts(file, text, { tags: this.setup.config.tags }));
      return;
    }
    const record = extractRecord(file, this.extract, this.setup.config.tags, this.realDirs, undefined, true);
    if (record.extracted) this.facts.set(file, record.extracted);
    else this.skipped.set(file, { path: file, reason: record.skipped ?? 'it could not be read' });
  }

  /** The facts and skips in file order as the last link took them, and where each file's facts are in the list. */
  private ordered?: { readable: string[]; facts: FileFacts[]; skipped: SkippedFile[]; at: Map<string, number> };

  /**
   * Link the kept facts: the memo keeps each unchanged file's part of the
   * graph, so only changed files are linked again. With the files changed
   * since the last link, the ordered lists are patched in place (a pass over
   * every file otherwise) when each of them has facts before and after.
   */
  private link(changed?: readonly string[]): LinkedRepository {
    const { paths, config, realRoot } = this.setup;
    const ordered = changed && this.ordered?.readable === this.setup.readable ? this.ordered : undefined;
    const patched = ordered !== undefined && changed!.every((file) => ordered.at.has(file) && this.facts.has(file));
    if (patched) {
      for (const file of changed!) ordered.facts[ordered.at.get(file)!] = this.facts.get(file)!;
      this.links.hint = { paths: changed!, factOf: (file) => this.facts.get(file) };
    } else {
      // In the order a scan gives them (the file list's), so results match `scanRepository` byte for byte.
      const facts: FileFacts[] = [];
      const skipped: SkippedFile[] = [];
      const at = new Map<string, number>();
      for (const file of this.setup.readable) {
        const fact = this.facts.get(file);
        if (fact) at.set(file, facts.push(fact) - 1);
        const skip = this.skipped.get(file);
        if (skip) skipped.push(skip);
      }
      this.ordered = { readable: this.setup.readable, facts, skipped, at };
    }
    const { facts, skipped } = this.ordered!;
    const linked = linkFacts(paths, facts, [...skipped, ...this.setup.aliasSkips], config, this.links);
    return withSymbolTablesFromDisk(linked, realRoot, config.maxFileSize, (file) => this.unsaved.get(file), this.symbolTables);
  }

  /** Editor buffers of files not on disk yet (`setNewFile`), listed as if saved. */
  private readonly newFiles = new Set<string>();

  /**
   * An editor's buffer for a file that is not on disk yet (new, never saved):
   * listed and checked as if saved; `undefined` forgets it (closed unsaved).
   * The caller decides that the file list would hold it (include, exclude, `.gitignore`).
   */
  setNewFile(file: string, text: string | undefined): void {
    if ((text !== undefined) !== this.newFiles.has(file)) this.rediscover = true;
    if (text === undefined) this.newFiles.delete(file);
    else this.newFiles.add(file);
    this.setText(file, text);
  }

  /** The discovered files and the new buffers still not on disk (once saved, the listing has them, or ignores them). */
  private withNewFiles(paths: string[]): string[] {
    const added = [...this.newFiles].filter((file) => !paths.includes(file) && !existsSync(path.join(this.setup.realRoot, file)));
    return added.length ? [...paths, ...added].sort(compareText) : paths;
  }
}

/** The repository's own config files, read when present: creating, editing or deleting one changes the config. */
const CONFIG_FILES = ['waymark.config.json', 'waymark.config.mjs'];

/**
 * The files a config read depends on, relative to the root: the own config
 * names and the `extends` chain as read (`ResidentEngine.configFiles`), or as
 * far as a read that failed got (`ConfigError.files`). An edit to one of them
 * calls for a new engine (`check --watch` and the language server reopen).
 */
export function configDependencies(read: readonly string[] = []): Set<string> {
  return new Set([...CONFIG_FILES, ...read]);
}

/** A path the watcher reported, relative to the repository with forward slashes, or undefined when it is outside it. */
export function repositoryPath(root: string, absolute: string): string | undefined {
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}
