/**
 * `waymark lsp`: the Language Server Protocol over stdio, on the resident
 * engine (`../resident.ts`). Open documents are checked from their unsaved
 * text as the user types (debounced), and every file's problems are
 * published, cleared when fixed; git history is read again once typing
 * stops, with the unsaved texts standing for the work tree, a buffer for a
 * file not on disk yet included. A check overtaken by a newer edit is
 * dropped (`check-queue.ts`); an edit to the config, or to any file its
 * `extends` chain names, reads the repository again with the new config. Definitions,
 * hovers, completions, code actions and "find references" are answered
 * from the latest check by the pure modules in `src/core/editor/`.
 *
 * Nothing is written to stdout but the protocol (vscode-languageserver
 * turns `console.*` into `window/logMessage`). A repository's
 * `waymark.config.mjs` runs only when the client says the workspace is
 * trusted (`initializationOptions.trusted: true`) or the command
 * line says `--trust-config`; files are read only inside the root.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type Disposable,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fingerprinter } from '../../core/baseline/fingerprint.ts';
import { applySuppressions, type SuppressionsFile } from '../../core/baseline/suppressions.ts';
import { targetAt, referenceSpan, referenceAt } from '../../core/editor/at-position.ts';
import { citationsOf } from '../../core/editor/citations.ts';
import { lastValidatedAction, movedLinesActions, symbolReferenceActions, type EditorAction, type TextEdit } from '../../core/editor/code-actions.ts';
import { completionsAt, type CandidateKind } from '../../core/editor/completion.ts';
import { definitionsOf, type SymbolLookup } from '../../core/editor/definitions.ts';
import { hoverText } from '../../core/editor/hover.ts';
import { findSymbols, matchSymbol, supportsSymbols, type SymbolBlock } from '../../core/extract/symbols.ts';
import { ruleDocsUrl } from '../../core/rules/rule-docs.ts';
import type { Diagnostic, Reference, ScanResult } from '../../core/schema.ts';
import { countLines } from '../../core/text/count-lines.ts';
import { ConfigError } from '../load-config.ts';
import { readRepositoryFileSync, type RealDirs } from '../read-files.ts';
import { configDependencies, ResidentEngine, repositoryPath, type ResidentOptions } from '../resident.ts';
import { readSuppressionsFile } from '../suppressions-file.ts';
import { CheckQueue } from './check-queue.ts';
import { listedOnceSaved } from './new-file.ts';

/** The largest position LSP allows (`uinteger`); clients cut it back to the line's end. */
const LINE_END = 2 ** 31 - 1;

/**
 * Keystrokes arrive in bursts: check once they pause this long (part of the ≤ 100 ms the bench holds the server to).
 * As `check --watch`'s: a keystroke typed during a check supersedes it (its result is dropped), so a shorter
 * pause costs at most a check of a text already outdated, and 25 ms was a fifth of an edit's latency on the large repository.
 */
const DEBOUNCE_MS = 10;
/** Git history is read again once edits have stopped for this long. */
const HISTORY_IDLE_MS = 500;
/** Thrown by a request's wait when the client cancelled the request. */
const CANCELLED = Symbol('cancelled');

export interface LanguageServerOptions extends Omit<ResidentOptions, 'trustConfig'> {
  /** The repository; default: the client's first workspace folder, else its root. */
  repo?: string;
  /** `--trust-config` on the command line: run `waymark.config.mjs` whatever the client says. */
  trustConfig?: boolean;
  /** Waymark's version, for the rule pages diagnostics link to. */
  version: string;
}

/** What the client may pass as `initializationOptions`. */
interface WaymarkInitializationOptions {
  /** The editor trusts this workspace (VS Code's workspace trust): the repository's `waymark.config.mjs` may run. */
  trusted?: boolean;
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const COMPLETION_KIND: Record<CandidateKind, CompletionItemKind> = {
  file: CompletionItemKind.File,
  range: CompletionItemKind.Value,
  heading: CompletionItemKind.Reference,
  symbol: CompletionItemKind.Function,
  process: CompletionItemKind.Module,
  task: CompletionItemKind.Event,
};

/** The folder a client names as its workspace. */
function workspaceRoot(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (uri?.startsWith('file:')) return fileURLToPath(uri);
  return params.rootPath ?? undefined;
}

/** Serve the protocol on `connection` until the client exits. */
export function serveLanguageServer(connection: Connection, options: LanguageServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  let clientRoot = '';
  let watchFiles = false;
  /** The client takes watchers on a folder of their own (LSP 3.17 `RelativePattern`), for config bases outside the workspace. */
  let watchOutside = false;
  /** The watcher on the config bases outside the root, and what it watches. */
  let outsideWatcher: { files: string; registered?: Promise<Disposable> } = { files: '' };
  let engine: ResidentEngine | undefined;
  let ready: Promise<ResidentEngine | undefined> = Promise.resolve(undefined);
  let suppressions: SuppressionsFile | undefined;
  let current: ScanResult | undefined;
  const published = new Map<string, string>();
  /** Documents opened since the last publish: they get their diagnostics, an empty list included, so a client knows they were checked. */
  const justOpened = new Set<string>();
  /** Open documents by file, with the URI the client spells them with. */
  const openUris = new Map<string, string>();
  let historyTimer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> = Promise.resolve();
  /** Open buffers of files not on disk yet (new, never saved), checked as the work-tree version of their file. */
  const newFiles = new Set<string>();
  let trusted = false;
  const realDirs: RealDirs = new Map();
  /** The config files of the last read (the repository's own and its `extends` chain, a missing or broken one included), relative to the engine's root. */
  let configFiles = configDependencies();

  /** Repository-relative path of a `file:` URI, undefined outside the repository (never read). */
  const fileOf = (uri: string): string | undefined => {
    if (!uri.startsWith('file:') || !engine) return undefined;
    const absolute = fileURLToPath(uri);
    return repositoryPath(clientRoot, absolute) ?? repositoryPath(engine.root, absolute);
  };
  const uriOf = (file: string) => openUris.get(file) ?? pathToFileURL(path.join(clientRoot, file)).href;

  /** A file's text: the editor's when open, else the disk's, inside the root only. */
  const textOf = (file: string): string | undefined => {
    const uri = openUris.get(file);
    const open = uri === undefined ? undefined : documents.get(uri);
    if (open) return open.getText();
    if (!engine || !current) return undefined;
    const read = readRepositoryFileSync(engine.root, file, current.config.maxFileSize, realDirs);
    return 'text' in read ? read.text : undefined;
  };
  const symbolsOf = (file: string): SymbolBlock[] | undefined => {
    if (!supportsSymbols(file)) return undefined;
    const text = textOf(file);
    return text === undefined ? undefined : findSymbols(file, text);
  };
  const symbol: SymbolLookup = (file, name) => {
    const blocks = symbolsOf(file);
    const block = blocks && matchSymbol(file, blocks, name);
    return block ? { start: block.start, end: block.end } : undefined;
  };

  const toLsp = (diagnostic: Diagnostic, exact: Pick<Reference, 'source' | 'raw'> | undefined): LspDiagnostic => {
    const line = diagnostic.line - 1;
    // Without a reference there, to the end of the line: clients cut a position past the end back to it.
    const end = exact ? exact.source.column - 1 + exact.raw.length : LINE_END;
    const href = ruleDocsUrl(diagnostic.rule, options.version);
    return {
      range: { start: { line, character: diagnostic.column - 1 }, end: { line, character: end } },
      severity: SEVERITY[diagnostic.severity],
      code: diagnostic.rule,
      ...(href ? { codeDescription: { href } } : {}),
      source: 'waymark',
      message: diagnostic.suggestion ? `${diagnostic.message} (${diagnostic.suggestion})` : diagnostic.message,
      data: { rule: diagnostic.rule, ...(diagnostic.suggestion ? { suggestion: diagnostic.suggestion } : {}) },
    };
  };

  /**
   * Publish the files whose problems changed since the last publish (an empty list clears a file).
   * A file is compared by what its diagnostics say, and converted only when that changed: a
   * check touches a few files, and converting every problem of a large repository (with a map of
   * its ~30k references for the spans) took 30-110 ms of each edit on the bench's large one.
   */
  const publish = (result: ScanResult): number => {
    let sent = 0;
    const active = suppressions ? applySuppressions(result.graph.diagnostics, fingerprinter(result.graph), suppressions).active : result.graph.diagnostics;
    current = result;
    const byFile = new Map<string, Diagnostic[]>();
    for (const diagnostic of active) {
      const list = byFile.get(diagnostic.file);
      if (list) list.push(diagnostic);
      else byFile.set(diagnostic.file, [diagnostic]);
    }
    const spans = referenceSpans(result.graph.references);
    for (const file of new Set([...published.keys(), ...byFile.keys(), ...justOpened])) {
      const problems = byFile.get(file) ?? [];
      const key = publishedKey(problems, spans);
      if ((published.get(file) ?? '') === key && !justOpened.has(file)) continue;
      if (problems.length) published.set(file, key);
      else published.delete(file);
      void connection.sendDiagnostics({ uri: uriOf(file), diagnostics: problems.map((diagnostic) => toLsp(diagnostic, spans(diagnostic))) });
      sent++;
    }
    justOpened.clear();
    return sent;
  };

  /** A check that throws is logged; the queue goes on, so the next keystroke is checked. */
  const failed = (error: unknown) => connection.console.error(`waymark: check failed: ${(error as Error)?.stack ?? String(error)}`);

  const scheduleHistory = () => {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(() => {
      // Beside the checks, not in their queue: a keystroke is never checked behind a history read (the engine reads again if the graph changed meanwhile).
      refreshing = refreshing
        .then(async () => {
          // Paused while an edit waits for its check or is being checked: a keystroke is never checked behind the refresh's reads.
          const refreshed = await engine?.refreshHistory({ pause: () => checks.idle() }).catch(() => undefined);
          if (refreshed && engine) publish(engine.result);
        })
        .catch(failed);
    }, HISTORY_IDLE_MS);
  };

  const checks = new CheckQueue(
    DEBOUNCE_MS,
    async (superseded) => {
      if (!engine) return;
      const checked = await engine.check(superseded);
      if (!checked) {
        // Stopped after reading the file list again, before any file was read: the next check does the rest.
        connection.console.log('waymark: check interrupted after listing the files; a newer edit came');
        return;
      }
      const { result, extracted, ms } = checked;
      if (superseded()) {
        // Its positions are those of older text: the next check publishes.
        connection.console.log(`waymark: checked ${extracted.length} changed file(s) in ${Math.round(ms)} ms; dropped, a newer edit came`);
        return;
      }
      const started = performance.now();
      const sent = publish(result);
      connection.console.log(`waymark: checked ${extracted.length} changed file(s) in ${Math.round(ms)} ms; published ${sent} file(s) in ${Math.round(performance.now() - started)} ms`);
      scheduleHistory();
    },
    failed,
  );
  const schedule = () => checks.schedule();

  /**
   * A monorepo's base config above the workspace folder is outside what the
   * client watches for us (`**` is relative to the workspace): watch each such
   * file on its own folder, and again when the chain changes.
   */
  const watchConfigOutside = (root: string) => {
    if (!watchOutside) return;
    const outside = [...configFiles].filter((file) => file.startsWith('../')).map((file) => path.resolve(root, file)).filter((file) => repositoryPath(clientRoot, file) === undefined);
    const files = outside.join('\n');
    if (files === outsideWatcher.files) return;
    void outsideWatcher.registered?.then((registration) => registration.dispose());
    outsideWatcher = {
      files,
      registered: outside.length
        ? connection.client.register(DidChangeWatchedFilesNotification.type, {
            watchers: outside.map((file) => ({ globPattern: { baseUri: pathToFileURL(path.dirname(file)).href, pattern: path.basename(file) } })),
          })
        : undefined,
    };
  };

  /** Open the engine on the root (again after a config edit), with the open buffers' unsaved text; undefined when the repository cannot be read. */
  const openEngine = async (): Promise<ResidentEngine | undefined> => {
    try {
      const opened = await ResidentEngine.open(clientRoot, { ...options, trustConfig: trusted });
      configFiles = configDependencies(opened.configFiles);
      watchConfigOutside(opened.root);
      for (const [file, uri] of openUris) {
        const text = documents.get(uri)?.getText();
        if (text === undefined) continue;
        if (newFiles.has(file)) opened.setNewFile(file, text);
        else opened.setText(file, text);
      }
      const result = openUris.size ? (await opened.check()).result : opened.result;
      const before = engine;
      engine = opened;
      // A reopened engine's git process ends once a refresh under way is over.
      if (before) refreshing = refreshing.then(() => before.dispose());
      suppressions = await readSuppressionsFile(opened.root);
      publish(result);
      connection.console.info(`waymark: checked ${opened.files.length} files in ${opened.root}${trusted ? '' : ' (workspace not trusted: waymark.config.mjs not run)'}`);
      return opened;
    } catch (caught) {
      const error = caught as Error & { problems?: string[] };
      // The chain up to the problem: creating or fixing a base it names reads the config again.
      if (caught instanceof ConfigError) {
        configFiles = configDependencies(caught.files);
        watchConfigOutside(engine?.root ?? clientRoot);
      }
      // A notification, not `showErrorMessage` (a request some clients do not answer).
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Error,
        message: `Waymark could not read the repository: ${error.problems?.join('; ') ?? error.message}`,
      });
      return undefined;
    }
  };

  /** The config changed on disk: read the repository again with it (the old engine answers meanwhile, and stays if the new config is broken). */
  const reopen = () => {
    ready = ready.then(async (before) => {
      await checks.settle();
      return (await openEngine()) ?? before;
    });
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    clientRoot = path.resolve(options.repo ?? workspaceRoot(params) ?? process.cwd());
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    watchOutside = watchFiles && params.capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport === true;
    trusted = options.trustConfig === true || (params.initializationOptions as WaymarkInitializationOptions | undefined)?.trusted === true;
    ready = openEngine();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        definitionProvider: true,
        hoverProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ['/', '#', ':', '`', ' ', '-'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.Source] },
      },
      serverInfo: { name: 'waymark', version: options.version },
    };
  });

  connection.onInitialized(() => {
    // Saves, new and deleted files outside the editor (a checkout, a script): the client watches, the engine relists.
    if (watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
  });

  /** A request's handler, answering `RequestCancelled` when the client cancelled it while it waited. */
  const answer =
    <P, R>(handler: (params: P, token: CancellationToken) => Promise<R>) =>
    (params: P, token: CancellationToken): Promise<R | ResponseError> =>
      handler(params, token).catch((error: unknown) => {
        if (error === CANCELLED) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
        throw error;
      });

  /** The engine and the file of a request, once pending edits are checked; undefined outside the repository. */
  const settle = async (uri: string, token: CancellationToken, fresh = true): Promise<{ file: string; result: ScanResult } | undefined> => {
    await ready;
    if (fresh) await checks.settle();
    // Cancelled while it waited (the user typed on, moved away): no answer is computed.
    if (token.isCancellationRequested) throw CANCELLED;
    const file = fileOf(uri);
    return file !== undefined && current ? { file, result: current } : undefined;
  };
  const lineText = (uri: string, file: string, line: number): string => {
    const open = documents.get(uri);
    const text = open ? open.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }) : textOf(file)?.split(/\r?\n|\r/)[line];
    return (text ?? '').replace(/\r?\n$/, '');
  };
  const range = (start: number, end: number): Range => ({ start: { line: start - 1, character: 0 }, end: { line: end - 1, character: LINE_END } });
  const lspEdit = (edit: TextEdit) => ({
    range: { start: { line: edit.start.line - 1, character: edit.start.column - 1 }, end: { line: edit.end.line - 1, character: edit.end.column - 1 } },
    newText: edit.newText,
  });
  const targetOf = async (uri: string, position: Position, token: CancellationToken) => {
    const settled = await settle(uri, token);
    if (!settled) return undefined;
    const { file, result } = settled;
    const target = targetAt(result.graph, file, position.line + 1, position.character + 1, lineText(uri, file, position.line));
    return target && { ...settled, target };
  };

  const onContent = (uri: string, text: string | undefined) => {
    void ready.then(async () => {
      const file = fileOf(uri);
      if (file === undefined || !engine) return;
      const opening = !openUris.has(file);
      if (text === undefined) openUris.delete(file);
      else openUris.set(file, uri);
      if (newFiles.has(file)) {
        // A buffer never saved: edited, or closed (then forgotten).
        if (text === undefined) newFiles.delete(file);
        engine.setNewFile(file, text);
      } else if (opening && text !== undefined && !engine.has(file)) {
        // Not one of the files read: new on disk since the last listing, or a buffer for a file that does not exist yet.
        if (existsSync(path.join(engine.root, file))) {
          engine.changed([file]);
          engine.setText(file, text);
        } else if (await listedOnceSaved(engine.root, file, engine.result.config)) {
          // The text now: edits may have come while git answered.
          const latest = openUris.has(file) ? documents.get(uri)?.getText() : undefined;
          if (latest === undefined) return;
          newFiles.add(file);
          engine.setNewFile(file, latest);
        } else return;
      } else engine.setText(file, text);
      schedule();
    });
  };
  documents.onDidOpen((opened) => {
    void ready.then(() => {
      const file = fileOf(opened.document.uri);
      if (file !== undefined) justOpened.add(file);
    });
  });
  documents.onDidChangeContent((change) => onContent(change.document.uri, change.document.getText()));
  documents.onDidClose((closed) => onContent(closed.document.uri, undefined));
  /** Whether a file is one the config is read from: the repository's own, or a base its `extends` chain names (above the root too, in a monorepo). */
  const isConfigFile = (uri: string) => {
    if (!uri.startsWith('file:')) return false;
    const absolute = fileURLToPath(uri);
    return [clientRoot, engine?.root].some((root) => root !== undefined && configFiles.has(path.relative(root, absolute).split(path.sep).join('/')));
  };
  /** Files changed on disk, saved in the editor or reported by the client's watcher. */
  const onDisk = async (uris: string[]) => {
    // A new config reads everything again (and may fix a config that kept the engine from opening).
    if (uris.some(isConfigFile)) return reopen();
    if (!engine) return;
    const files = uris.map(rootFileOf).filter((file): file is string => file !== undefined);
    if (files.includes('waymark-suppressions.json')) suppressions = await readSuppressionsFile(engine.root);
    // A commit, checkout or `git add`, or an ignore file: the file list (and the history) may have changed.
    const relist = files.some((file) => /^\.git\/(HEAD|index)$/.test(file) || file === '.gitignore' || file.endsWith('/.gitignore'));
    if (relist) engine.relistNext();
    const changed = files.filter((file) => file !== '.git' && !file.startsWith('.git/') && !file.split('/').includes('node_modules'));
    if (changed.length) engine.changed(changed);
    if (relist || changed.length) schedule();
  };
  /** A file of the root, whether or not it is inside the engine's (which may be a symbolic link's target). */
  const rootFileOf = (uri: string) => (uri.startsWith('file:') ? repositoryPath(clientRoot, fileURLToPath(uri)) : undefined) ?? fileOf(uri);
  documents.onDidSave((saved) => {
    void ready.then(() => onDisk([saved.document.uri]));
  });
  connection.onDidChangeWatchedFiles((params) => {
    void ready.then(() => onDisk(params.changes.map((change) => change.uri)));
  });

  connection.onDefinition(answer(async (params, token) => {
    const found = await targetOf(params.textDocument.uri, params.position, token);
    if (!found) return null;
    return definitionsOf(found.result.graph, found.target, symbol).map((location): Location => ({ uri: uriOf(location.file), range: range(location.start, location.end) }));
  }));

  connection.onHover(answer(async (params, token) => {
    const found = await targetOf(params.textDocument.uri, params.position, token);
    if (!found) return null;
    const { result, target } = found;
    const value = hoverText({ graph: result.graph, history: result.history, today: result.today, textOf, symbol }, target);
    const { span } = target;
    return { contents: { kind: 'markdown', value }, range: { start: { line: span.line - 1, character: span.start - 1 }, end: { line: span.line - 1, character: span.end - 1 } } };
  }));

  connection.onReferences(answer(async (params, token) => {
    const settled = await settle(params.textDocument.uri, token);
    if (!settled) return null;
    const { file, result } = settled;
    const line = params.position.line + 1;
    // On a reference: everyone citing the same lines; elsewhere: everyone citing this line of this file.
    const on = referenceAt(result.graph, file, line, params.position.character + 1);
    const target = on?.targets.length === 1 ? on.targets[0] : file;
    const lines = on?.targets.length === 1 ? (on.lines ?? (on.anchor ? symbol(target, on.anchor) : undefined) ?? { start: 1, end: LINE_END }) : { start: line, end: line };
    return citationsOf(result.graph, target, lines, symbol).map((reference): Location => {
      const span = referenceSpan(reference);
      return { uri: uriOf(reference.source.file), range: { start: { line: span.line - 1, character: span.start - 1 }, end: { line: span.line - 1, character: span.end - 1 } } };
    });
  }));

  connection.onCompletion(answer(async (params, token): Promise<CompletionItem[]> => {
    // The last check's graph, not a new one: completion reads the line from the editor's text, and a check per trigger character would cost every space typed a check.
    const settled = await settle(params.textDocument.uri, token, false);
    if (!settled) return [];
    const { file, result } = settled;
    const line = params.position.line;
    const lineCount = (target: string) => {
      const text = textOf(target);
      return text === undefined ? undefined : countLines(text);
    };
    const candidates = completionsAt({ graph: result.graph, file, symbols: symbolsOf, lineCount }, lineText(params.textDocument.uri, file, line), params.position.character + 1);
    return candidates.map((candidate, index) => ({
      label: candidate.label,
      kind: COMPLETION_KIND[candidate.kind],
      detail: candidate.detail,
      // Keep the order given (best first) whatever the client sorts by.
      sortText: String(index).padStart(5, '0'),
      textEdit: { range: { start: { line, character: candidate.from - 1 }, end: { line, character: candidate.to - 1 } }, newText: candidate.insert },
    }));
  }));

  connection.onCodeAction(answer(async (params, token): Promise<CodeAction[]> => {
    const uri = params.textDocument.uri;
    const settled = await settle(uri, token);
    if (!settled) return [];
    const { file, result } = settled;
    const lines = { start: params.range.start.line + 1, end: params.range.end.line + 1 };
    const actions: EditorAction[] = movedLinesActions(result.graph, result.history, file, lines);
    const targets = [...new Set(result.graph.references.filter((reference) => reference.source.file === file && reference.lines && reference.targets.length === 1).map((reference) => reference.targets[0]))];
    const tables = new Map(targets.flatMap((target) => {
      const blocks = symbolsOf(target);
      return blocks ? [[target, blocks] as const] : [];
    }));
    actions.push(...symbolReferenceActions(result.graph, tables, file, lines));
    const text = textOf(file);
    const validated = text === undefined || !result.today ? undefined : lastValidatedAction(result.graph, file, text, result.today);
    if (validated) actions.push(validated);
    const only = params.context.only;
    return actions
      .filter((action) => !only || only.some((kind) => action.kind === kind || action.kind.startsWith(`${kind}.`)))
      .map((action) => ({
        title: action.title,
        kind: action.kind,
        ...(action.preferred ? { isPreferred: true } : {}),
        diagnostics: action.rule ? params.context.diagnostics.filter((diagnostic) => diagnostic.code === action.rule) : undefined,
        edit: { changes: { [uri]: action.edits.map(lspEdit) } },
      }));
  }));

  connection.onShutdown(() => {
    checks.stop();
    clearTimeout(historyTimer);
    refreshing = refreshing.then(() => engine?.dispose());
  });

  documents.listen(connection);
  connection.listen();
}

/** What a file's published diagnostics say (their places, the spans of the references they are about, rules, severities, messages), as one string. */
function publishedKey(problems: readonly Diagnostic[], spans: (diagnostic: Diagnostic) => Pick<Reference, 'raw'> | undefined): string {
  let key = '';
  for (const diagnostic of problems) {
    key += `${diagnostic.line}:${diagnostic.column}:${spans(diagnostic)?.raw.length ?? ''}:${diagnostic.rule}:${diagnostic.severity}:${diagnostic.message}\u0000${diagnostic.suggestion ?? ''}\u0001`;
  }
  return key;
}

/**
 * The reference a diagnostic starts at, if any (its span is the diagnostic's range): found in
 * the graph's references (in file order, then line and column) by a search per file, not a map of them all.
 */
function referenceSpans(references: readonly Pick<Reference, 'id' | 'source' | 'raw'>[]): (diagnostic: Diagnostic) => Pick<Reference, 'source' | 'raw'> | undefined {
  const byFile = new Map<string, Map<string, Pick<Reference, 'source' | 'raw'>>>();
  return (diagnostic) => {
    let starts = byFile.get(diagnostic.file);
    if (!starts) {
      starts = new Map();
      let [low, high] = [0, references.length];
      while (low < high) {
        const middle = (low + high) >> 1;
        if (references[middle].source.file < diagnostic.file) low = middle + 1;
        else high = middle;
      }
      for (let i = low; i < references.length && references[i].source.file === diagnostic.file; i++) starts.set(references[i].id, references[i]);
      byFile.set(diagnostic.file, starts);
    }
    return starts.get(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`);
  };
}
