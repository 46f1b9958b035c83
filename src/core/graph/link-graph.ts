/**
 * Join per-file facts into one cross-linked graph: resolve references, tie
 * markers to processes, tasks to plans, summaries and status updates, and
 * record the edges both ways. Collect first, then link: every join goes
 * through a map, never a nested scan.
 */
import path from 'node:path/posix';
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import { languageOf } from '../extract/languages.ts';
import { isSymbolAnchor } from '../extract/symbols.ts';
import { isPlaceholder } from '../extract/metadata.ts';
import { createFileIndex, resolveByContext, resolveReference, siblingRoots, type FileIndex, type ResolveOptions } from './resolve.ts';
import type {
  ChangeEntry,
  Document,
  Environment,
  FileNode,
  Marker,
  PlacedReference,
  Process,
  Reference,
  Task,
  TaskDefinition,
} from '../schema.ts';
import { compareText as compare } from '../text/compare.ts';
import { slugify } from '../text/slug.ts';

/** A graph before rules run: everything but diagnostics. */
export interface LinkedGraph {
  name: string;
  paths: string[];
  files: FileNode[];
  documents: Document[];
  processes: Process[];
  tasks: Task[];
  changes: ChangeEntry[];
  markers: Marker[];
  references: Reference[];
  environments: Environment[];
}

/** Facts the rules need that the published graph does not carry. */
export interface LinkFindings {
  /** Process ids defined more than once: the later documents. */
  duplicateProcesses: { process: Process; document: Document; firstFile: string }[];
  /** Task ids defined twice in one plan. */
  duplicateTasks: { file: string; definition: TaskDefinition; firstFile: string; firstLine: number }[];
  /** Task ids that could not be pinned to one task, with where they were named. */
  taskLookups: { taskId: string; file: string; line: number; column: number; outcome: TaskLookup; reference?: string; mention?: boolean }[];
  /** Markers whose process matches no document. */
  unknownProcessMarkers: UnknownProcessMarker[];
  index: FileIndex;
  lineCounts: Map<string, number>;
  documentsByPath: Map<string, Document>;
  /** Files that `path#symbol` references point at, sorted: only these need a symbol table. */
  symbolTargets: string[];
  /** Each linked file's references in file order: `graph.references` is their concatenation, and a file's array is the same object while the file is not linked again. */
  referenceRuns: Reference[][];
  /** Reference id → the reference in `graph.references` (looked up by its file: no map of them all is built). */
  referencesById: ReferenceLookup;
  /** `owner/repo` on GitHub, when known: links that climb above the root are explained with its URLs. */
  github?: string;
}

type TaskLookup = { status: 'ok'; key: string } | { status: 'missing' } | { status: 'ambiguous'; keys: string[] };

const TASK_ID_PREFIX = /^([A-Z][A-Z0-9]*)[-_]/;

/** How process names are compared: case, punctuation and `&`/`and` do not matter. */
export function processNameKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Reference id → reference. */
export type ReferenceLookup = Pick<Map<string, Reference>, 'get'>;

/** A reference's resolution, as `resolvePlaced` adds it. */
type Resolution = Pick<Reference, 'status' | 'targets' | 'candidates' | 'outside'>;

/** One file's references resolved against the file list (its own context included), before task ids are attached. */
interface ResolvedFile {
  /** In (line, column) order. */
  references: Reference[];
  /** As placed: the markers' references, then the document's. */
  placed: Reference[];
  byId: Map<string, Reference>;
  /** Files its resolved path references point at (which plan a document names). */
  linkedFrom: Set<string>;
}

/** One file's part of the graph: its references with task ids attached, its markers tied to their processes. */
interface FileLink {
  references: Reference[];
  /** The same references as placed, and how many of them are the markers'. */
  placed: Reference[];
  markerReferences: number;
  byId: Map<string, Reference>;
  /** Copies of the file's markers (linking marks them with their process), in the order extracted, and in line order. */
  markers: Marker[];
  sortedMarkers: Marker[];
  unknownProcessMarkers: UnknownProcessMarker[];
  taskLookups: LinkFindings['taskLookups'];
  /** Listed files its path and glob references point at. */
  cites: Set<string>;
  /** Files its `path#symbol` references point at. */
  symbolTargets: string[];
}

/** A file as the last link saw it: its facts, and its part of the graph while that is still good. */
interface FileEntry {
  fact: FileFacts;
  siblings: string[];
  resolved?: ResolvedFile;
  link?: FileLink;
  /** The files `citers` says it cites (its link's, when the file nodes were last built). */
  cited?: Set<string>;
}

/**
 * What one link hands the next (the resident engine relinks on every save).
 * Each file's part of the graph is kept with the facts object it was linked
 * from, so a relink redoes only the files whose facts are new objects. A
 * file's part depends on its own facts, the file list and outside roots
 * (resolution), and the processes and tasks it can name: a new file list or
 * new roots resolve every reference again, and processes or tasks that
 * changed (a process renamed, a task added) tie every file again. The file
 * nodes (`graph.files`) are kept too: only those of files linked again, or
 * cited by them, are built again.
 */
export interface LinkMemo {
  paths?: string[];
  roots?: string;
  index?: FileIndex;
  /** The names processes and tasks answer to, as the kept file links saw them. */
  names?: unknown[];
  resolved: WeakMap<PlacedReference, Resolution>;
  entries: Map<string, FileEntry>;
  /** The entries of files with markers, references or a document, in file order. */
  order: FileEntry[];
  lineCounts: Map<string, number>;
  nodes: Map<string, FileNode>;
  /** Listed file → the files whose path and glob references point at it. */
  citers: Map<string, Set<string>>;
  /**
   * Set by a caller that knows what changed (the resident engine), for the
   * next link only: the files whose facts may be new objects or gone since
   * the last link, and their facts now. The rest are not looked at (a pass
   * over every file's facts per save otherwise).
   */
  hint?: { paths: readonly string[]; factOf: (file: string) => FileFacts | undefined };
  /** What the changed files were at the last link (set by `updateEntries`). */
  before: Map<string, Pick<FileEntry, 'fact' | 'siblings' | 'resolved' | 'link'>>;
  /** The processes, tasks, changes and environments of the last link, and the file order they were built for. */
  stage?: DocumentStage & { order: FileEntry[] };
  /** Whether the last link kept them (patched for the changed documents) instead of building them again. */
  keptStage: boolean;
  /** Files the last link tied afresh (the rest were kept as they were): the work a relink did. */
  relinked: string[];
  /** The graph's lists as the last link made them, for the next to patch (`GraphLists`). */
  lists?: GraphLists;
}

/**
 * The lists a link assembles from every file's part, in file order: each is
 * the files' runs one after the other. A link that ties only the changed
 * files again (the same file order, a kept stage) patches the changed files'
 * runs into copies of the last link's instead of assembling them again: a
 * save on the large bench repository assembled ~33k references, ~4.8k
 * markers twice and ~7k runs from ~7k files' parts, about a third of a
 * check's CPU with the young-generation GC it caused (h-graph profile).
 */
interface GraphLists {
  /** The file order they were made for (`LinkMemo.order`) and the config's roots. */
  order: FileEntry[];
  configRoots: readonly string[] | undefined;
  documents: Document[];
  documentsByPath: Map<string, Document>;
  externalRoots: string[];
  markers: Marker[];
  sortedMarkers: Marker[];
  references: Reference[];
  referenceRuns: Reference[][];
  /** The files' own unknown process markers and task lookups (before the stage's processes and lookups are joined in). */
  unknownProcessMarkers: UnknownProcessMarker[];
  taskLookups: LinkFindings['taskLookups'];
  symbolTargets: string[];
}

export function linkMemo(): LinkMemo {
  return { resolved: new WeakMap(), entries: new Map(), order: [], lineCounts: new Map(), nodes: new Map(), citers: new Map(), before: new Map(), stage: undefined, keptStage: false, relinked: [] };
}

const hasParts = (fact: FileFacts) => fact.markers.length > 0 || fact.markerReferences.length > 0 || fact.document !== undefined;

/**
 * Join the facts of every file into the repository's graph: processes, tasks
 * and environments from the documents, each reference resolved against the
 * file list, markers tied to their processes. Returns the graph and what the
 * rules need besides it (duplicates, unknown ids, line counts). With the memo
 * of the previous link, files whose facts are the same objects keep their part.
 */
export function linkGraph(
  name: string,
  paths: string[],
  facts: FileFacts[],
  config: Pick<Config, 'repositoryPrefixes'> & Partial<Pick<Config, 'externalRoots' | 'github'>>,
  memo: LinkMemo = linkMemo(),
): { graph: LinkedGraph; findings: LinkFindings } {
  if (memo.paths !== paths) Object.assign(memo, linkMemo(), { paths, index: createFileIndex(paths) });
  const index = memo.index!;
  const changed = updateEntries(memo, facts, index);
  const { order, lineCounts } = memo;
  // The last link's lists, when this one can patch them: the same file order, the changed files known.
  const kept = changed && memo.lists?.order === order && memo.lists.configRoots === config.externalRoots ? memo.lists : undefined;
  const documentOf = (file: string) => memo.entries.get(file)?.fact.document;
  const documents = kept ? patchRuns(kept.documents, changed!, (document) => document.path, (file) => listOf(documentOf(file))) : order.flatMap((entry) => (entry.fact.document ? [entry.fact.document] : []));
  const documentsByPath = kept ? new Map(kept.documentsByPath) : new Map(documents.map((document) => [document.path, document]));
  if (kept) {
    for (const file of changed!) {
      const document = documentOf(file);
      if (document) documentsByPath.set(file, document);
      else documentsByPath.delete(file);
    }
  }

  const sameSiblings = kept && changed!.every((file) => sameStrings(memo.before.get(file)?.siblings, memo.entries.get(file)!.siblings));
  const externalRoots = sameSiblings ? kept.externalRoots : [...(config.externalRoots ?? []), ...[...new Set(order.flatMap((entry) => entry.siblings))].sort(compare)];
  const options: ResolveOptions = { repositoryPrefixes: config.repositoryPrefixes, externalRoots };
  const roots = JSON.stringify([options.repositoryPrefixes, options.externalRoots]);
  if (memo.roots !== roots) {
    Object.assign(memo, { roots, resolved: new WeakMap(), stage: undefined });
    for (const entry of order) entry.resolved = entry.link = undefined;
  }
  for (const entry of order) entry.resolved ??= resolveFile(entry.fact, index, options, memo.resolved);
  const none = new Set<string>();
  const linkedFrom = (file: string) => memo.entries.get(file)?.resolved?.linkedFrom ?? none;

  // Processes, tasks, changes and environments are the last link's when the changed files change none of what they are built from.
  let stage = keptStage(memo, changed, order, linkedFrom);
  let fresh = !stage;
  const build = () => buildStage(documents, linkedFrom);
  stage ??= build();
  const lookup = (taskId: string, fromFile: string) => findTask(stage!.tasksById, taskId, fromFile, linkedFrom);

  // A kept stage answers to the same names by construction (each changed document is the same but for its references).
  const names = fresh ? nameSignature(stage.processByName, stage.processByDocument, stage.tasksById) : memo.names!;
  if (!sameItems(memo.names, names)) {
    memo.names = names;
    for (const entry of order) entry.link = undefined;
  }
  memo.relinked = [];
  for (const entry of order) {
    if (entry.link) continue;
    entry.link = tieFile(entry.fact, entry.resolved!, index.files, stage.processByName, stage.processByDocument, stage.tasksById, lookup);
    memo.relinked.push(entry.fact.path);
  }
  // Markers feed the processes (implementers, environments): a kept stage needs the changed files' markers as they were.
  if (!fresh && !changed!.every((file) => sameMarkers(memo.before.get(file)?.link?.markers, memo.entries.get(file)?.link?.markers))) {
    stage = build();
    fresh = true;
  }
  const { processes, duplicateProcesses, tasks, duplicateTasks, processByDocument } = stage;
  const referencesById = { get: (id: string) => memo.entries.get(referenceFile(id))?.link?.byId.get(id) };

  const processById = new Map(processes.map((process) => [process.id, process]));
  // Patched when only the changed files were tied again and the stage was kept (a stage built again marks every marker's process).
  const patch = kept && !fresh && memo.relinked.every((file) => memo.before.has(file));
  const lists = patch ? patchLists(kept, memo, memo.relinked, documents, documentsByPath, externalRoots) : assembleLists(order, fresh ? processById : undefined, config.externalRoots, documents, documentsByPath, externalRoots);
  memo.lists = lists;
  const { markers, sortedMarkers, references, referenceRuns } = lists;
  // Kept links hold the processes of an earlier link: the same names, but this link's objects.
  const unknownProcessMarkers = lists.unknownProcessMarkers.map((unknown) => (unknown.referenced ? { ...unknown, referenced: processById.get(unknown.referenced.id) } : unknown));
  const taskLookups = stage.taskLookups.concat(lists.taskLookups);

  if (fresh) {
    stage.changes = collectChanges(documents, processByDocument);
    linkTasksAndProcesses(tasks, processes, referencesById, (file) => memo.entries.get(file)?.link, stage.changes, lookup);
    stage.environments = collectEnvironments(markers, processes);
    stage.sortedTasks = [...tasks.values()].sort((a, b) => compare(a.key, b.key));
  }
  memo.stage = { ...stage, order };
  memo.keptStage = !fresh;
  const { changes, environments } = stage;
  const files = fileNodes(memo, changed, documentsByPath);

  const graph: LinkedGraph = {
    name,
    paths,
    files,
    documents,
    processes,
    tasks: stage.sortedTasks,
    changes,
    // Each file's markers and references are in order and the files are (`paths` is sorted): together they are sorted.
    markers: sortedMarkers,
    references,
    environments,
  };
  return {
    graph,
    findings: {
      duplicateProcesses,
      duplicateTasks,
      taskLookups,
      unknownProcessMarkers,
      index,
      lineCounts,
      documentsByPath,
      symbolTargets: lists.symbolTargets,
      referencesById,
      referenceRuns,
      github: config.github,
    },
  };
}

/** The graph's lists from every file's part; with `processById` (a stage built afresh), each marker is recorded on its process too. */
function assembleLists(
  order: FileEntry[],
  processById: Map<string, Process> | undefined,
  configRoots: readonly string[] | undefined,
  documents: Document[],
  documentsByPath: Map<string, Document>,
  externalRoots: string[],
): GraphLists {
  const lists: GraphLists = { order, configRoots, documents, documentsByPath, externalRoots, markers: [], sortedMarkers: [], references: [], referenceRuns: [], unknownProcessMarkers: [], taskLookups: [], symbolTargets: [] };
  for (const { link } of order) {
    if (link!.references.length > 0) lists.referenceRuns.push(link!.references);
    for (const marker of link!.markers) {
      lists.markers.push(marker);
      const process = marker.processId === undefined ? undefined : processById?.get(marker.processId);
      if (!process) continue;
      process.implementedBy.push(marker.id);
      if (marker.environment) process.environments.push(...splitEnvironments(marker.environment));
    }
    for (const marker of link!.sortedMarkers) lists.sortedMarkers.push(marker);
    for (const reference of link!.references) lists.references.push(reference);
    for (const unknown of link!.unknownProcessMarkers) lists.unknownProcessMarkers.push(unknown);
    for (const found of link!.taskLookups) lists.taskLookups.push(found);
  }
  lists.symbolTargets = [...new Set(order.flatMap((entry) => entry.link!.symbolTargets))].sort();
  return lists;
}

/** The last link's lists with the runs of the files tied again replaced by their new parts (copies: the last link's graph is left as it was). */
function patchLists(kept: GraphLists, memo: LinkMemo, files: string[], documents: Document[], documentsByPath: Map<string, Document>, externalRoots: string[]): GraphLists {
  const linkOf = (file: string) => memo.entries.get(file)?.link;
  const sameTargets = files.every((file) => sameStrings(memo.before.get(file)?.link?.symbolTargets, linkOf(file)?.symbolTargets));
  return {
    ...kept,
    documents,
    documentsByPath,
    externalRoots,
    markers: patchRuns(kept.markers, files, (marker) => marker.file, (file) => linkOf(file)?.markers ?? []),
    sortedMarkers: patchRuns(kept.sortedMarkers, files, (marker) => marker.file, (file) => linkOf(file)?.sortedMarkers ?? []),
    references: patchRuns(kept.references, files, (reference) => reference.source.file, (file) => linkOf(file)?.references ?? []),
    referenceRuns: patchRuns(kept.referenceRuns, files, (run) => run[0].source.file, (file) => listOf(linkOf(file)?.references.length ? linkOf(file)!.references : undefined)),
    unknownProcessMarkers: patchRuns(kept.unknownProcessMarkers, files, (unknown) => unknown.marker.file, (file) => linkOf(file)?.unknownProcessMarkers ?? []),
    taskLookups: patchRuns(kept.taskLookups, files, (found) => found.file, (file) => linkOf(file)?.taskLookups ?? []),
    symbolTargets: sameTargets ? kept.symbolTargets : [...new Set(memo.order.flatMap((entry) => entry.link!.symbolTargets))].sort(),
  };
}

/**
 * A copy of `list` (grouped by file, the files in path order) with each of
 * `files`' items replaced by `itemsOf(file)`: a binary search and a splice
 * per file, not a pass over every item.
 */
export function patchRuns<T>(list: readonly T[], files: readonly string[], fileOf: (item: T) => string, itemsOf: (file: string) => readonly T[]): T[] {
  const patched = list.slice();
  for (const file of files) {
    const low = firstOfFile(patched, fileOf, file);
    let end = low;
    while (end < patched.length && fileOf(patched[end]) === file) end++;
    const items = itemsOf(file);
    if (end === low && items.length === 0) continue;
    patched.splice(low, end - low, ...items);
  }
  return patched;
}

/** Where `file`'s items start in `items` (grouped by file, the files in path order), or would: a binary search. */
export function firstOfFile<T>(items: readonly T[], fileOf: (item: T) => string, file: string): number {
  let [low, high] = [0, items.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (fileOf(items[middle]) < file) low = middle + 1;
    else high = middle;
  }
  return low;
}

function listOf<T>(item: T | undefined): T[] {
  return item === undefined ? [] : [item];
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((item, i) => item === b[i]);
}

/** What the documents say together: processes, tasks, their summaries and links, change rows, environments. */
interface DocumentStage {
  processes: Process[];
  duplicateProcesses: LinkFindings['duplicateProcesses'];
  processByDocument: Map<string, Process>;
  processByName: Map<string, Process>;
  tasks: Map<string, Task>;
  duplicateTasks: LinkFindings['duplicateTasks'];
  tasksById: Map<string, Task[]>;
  /** Task ids of summaries and status updates that could not be pinned (before the files' own). */
  taskLookups: LinkFindings['taskLookups'];
  /** Filled in once the files are tied. */
  changes: ChangeEntry[];
  environments: Environment[];
  sortedTasks: Task[];
  /** Plans and summaries: the files whose references tie tasks to processes. */
  taskSources: Set<string>;
}

function buildStage(documents: Document[], linkedFrom: (file: string) => ReadonlySet<string>): DocumentStage {
  const { processes, duplicateProcesses, processByDocument, processByName } = collectProcesses(documents);
  const { tasks, duplicateTasks, tasksById } = collectTaskDefinitions(documents);
  const taskLookups: LinkFindings['taskLookups'] = [];
  const lookup = (taskId: string, fromFile: string) => findTask(tasksById, taskId, fromFile, linkedFrom);
  attachSummaries(documents, tasks, tasksById, lookup, taskLookups);
  const taskSources = new Set<string>();
  for (const task of tasks.values()) {
    if (task.plan) taskSources.add(task.plan.file);
    for (const summary of task.summaries) taskSources.add(summary);
  }
  return { processes, duplicateProcesses, processByDocument, processByName, tasks, duplicateTasks, tasksById, taskLookups, changes: [], environments: [], sortedTasks: [], taskSources };
}

/** A document as the processes, tasks and change rows see it: all of it but its references (a process lists their ids) and what only its own page shows. */
const stageKeys = new WeakMap<Document, string>();
function stageKey(document: Document | undefined): string | undefined {
  if (!document) return undefined;
  let key = stageKeys.get(document);
  if (key === undefined) {
    const { references: _references, headings: _headings, anchors: _anchors, labels: _labels, checkboxes: _checkboxes, testResults: _testResults, lineCount: _lineCount, ...rest } = document;
    stageKeys.set(document, (key = JSON.stringify(rest)));
  }
  return key;
}

/**
 * A document's stage key without positions: its lines, its change rows' ids
 * (`path:line`) and its sub-processes' reference ids, which move when a line
 * is typed above them, and its metadata entries (the stage reads only the
 * values drawn from them, but a summary's, whose lines place its task lookup:
 * summaries are never kept this way). Plans' tasks, status updates and file
 * lists keep theirs: tasks carry them, and those documents build the stage again anyway.
 */
const placeKeys = new WeakMap<Document, string>();
function placeFreeKey(document: Document | undefined): string | undefined {
  if (!document) return undefined;
  let key = placeKeys.get(document);
  if (key === undefined) {
    const { references: _references, headings: _headings, anchors: _anchors, labels: _labels, checkboxes: _checkboxes, testResults: _testResults, lineCount: _lineCount, metadata: _metadata, subProcesses, environments, changes, ...rest } = document;
    const unplaced = {
      ...rest,
      subProcesses: subProcesses.map(({ line: _line, references: _ids, ...entry }) => entry),
      environments: environments.map(({ line: _line, ...entry }) => entry),
      changes: changes.map(({ line: _line, id: _id, ...entry }) => entry),
    };
    placeKeys.set(document, (key = JSON.stringify(unplaced)));
  }
  return key;
}

/**
 * The last link's document stage, when every changed file leaves it as it
 * was: the same file order and roots, a document the same but for its
 * references, its own page and where things are in it (a line typed above its
 * sub-processes or change rows), not a plan or summary (their references tie
 * tasks to processes), linking to the same plans and summaries (bare task
 * ids are found through them). A changed process document gets a copy of its process with
 * its new references, sub-processes and change row ids, and its change rows
 * their new places (the rows' order is the same: by date, file, then line,
 * which moves for all of one file's rows alike). Its markers are compared once the file is tied again.
 */
function keptStage(memo: LinkMemo, changed: string[] | undefined, order: FileEntry[], linkedFrom: (file: string) => ReadonlySet<string>): DocumentStage | undefined {
  const stage = memo.stage;
  if (!stage || !changed || stage.order !== order) return undefined;
  const replaced = new Map<Process, Process>();
  /** Old change row id → the row where it is now. */
  const movedRows = new Map<string, ChangeEntry>();
  for (const file of changed) {
    const before = memo.before.get(file);
    const fact = memo.entries.get(file)!.fact;
    if (!before) {
      if (hasParts(fact)) return undefined;
      continue;
    }
    if (stage.taskSources.has(file)) return undefined;
    const moved = stageKey(before.fact.document) !== stageKey(fact.document);
    // A summary's task lookup is placed at its metadata's line (`metadataPosition`): moved, it builds the stage again.
    if (moved && (fact.document?.kind === 'summary' || placeFreeKey(before.fact.document) !== placeFreeKey(fact.document))) return undefined;
    // Bare task ids from this file are found through the plans and summaries it links to.
    if (!sameSources(before.resolved?.linkedFrom, linkedFrom(file), stage.taskSources)) return undefined;
    const process = stage.processByDocument.get(file);
    const rows = new Map<string, string>();
    if (moved && before.fact.document && fact.document) {
      const now = fact.document.changes;
      before.fact.document.changes.forEach((row, i) => {
        if (row.id === now[i].id) return;
        rows.set(row.id, now[i].id);
        movedRows.set(row.id, { ...now[i], processId: process?.id });
      });
    }
    if (process && fact.document) {
      replaced.set(process, {
        ...process,
        subProcesses: fact.document.subProcesses,
        changes: rows.size ? process.changes.map((id) => rows.get(id) ?? id) : process.changes,
        references: fact.document.references.map((reference) => reference.id),
      });
    }
  }
  const changes = movedRows.size ? stage.changes.map((row) => movedRows.get(row.id) ?? row) : stage.changes;
  if (replaced.size === 0) return changes === stage.changes ? stage : { ...stage, changes };
  const swap = (process: Process) => replaced.get(process) ?? process;
  const swapValues = (map: Map<string, Process>) => new Map([...map].map(([key, process]) => [key, swap(process)]));
  return {
    ...stage,
    changes,
    processes: stage.processes.map(swap),
    duplicateProcesses: stage.duplicateProcesses.map((found) => ({ ...found, process: swap(found.process), document: memo.entries.get(found.document.path)?.fact.document ?? found.document })),
    processByDocument: swapValues(stage.processByDocument),
    processByName: swapValues(stage.processByName),
  };
}

/** The same plans and summaries among two sets of linked files. */
function sameSources(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>, sources: ReadonlySet<string>): boolean {
  for (const file of a ?? []) if (sources.has(file) && !b.has(file)) return false;
  for (const file of b) if (sources.has(file) && !a?.has(file)) return false;
  return true;
}

/** Markers the same as far as processes are concerned: ids, processes, environments, in order. */
function sameMarkers(a: readonly Marker[] | undefined, b: readonly Marker[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((marker, i) => marker.id === b[i].id && marker.processId === b[i].processId && marker.environment === b[i].environment);
}

/**
 * Bring the memo's entries up to the given facts: new facts objects start
 * afresh, files gone are dropped. Returns the paths whose facts changed (or
 * undefined when files went: everything is rebuilt).
 */
function updateEntries(memo: LinkMemo, facts: FileFacts[], index: FileIndex): string[] | undefined {
  const { entries, lineCounts } = memo;
  memo.before = new Map();
  const changed: string[] = [];
  let partsChanged = entries.size === 0;
  const hint = entries.size > 0 ? memo.hint : undefined;
  memo.hint = undefined;
  let gone = false;
  // The caller says which files may have new facts: only those are looked at.
  for (const file of hint?.paths ?? []) {
    const fact = hint!.factOf(file);
    if (fact) continue;
    const entry = entries.get(file);
    if (!entry) continue;
    if (hasParts(entry.fact)) partsChanged = true;
    entries.delete(file);
    lineCounts.delete(file);
    gone = true;
  }
  const candidates = hint ? hint.paths.flatMap((file) => hint.factOf(file) ?? []) : facts;
  for (const fact of candidates) {
    const entry = entries.get(fact.path);
    if (entry?.fact === fact) continue;
    changed.push(fact.path);
    lineCounts.set(fact.path, fact.lineCount);
    if (!entry || hasParts(entry.fact) !== hasParts(fact)) partsChanged = true;
    const fresh = { fact, siblings: siblingRoots(placedReferences(fact), index) };
    if (entry) memo.before.set(fact.path, { fact: entry.fact, siblings: entry.siblings, resolved: entry.resolved, link: entry.link });
    if (entry) Object.assign(entry, fresh, { resolved: undefined, link: undefined });
    else entries.set(fact.path, fresh);
  }
  if (!hint && entries.size !== facts.length) {
    const present = new Set(facts.map((fact) => fact.path));
    for (const file of entries.keys()) {
      if (present.has(file)) continue;
      entries.delete(file);
      lineCounts.delete(file);
      gone = true;
    }
  }
  if (partsChanged || gone) memo.order = facts.flatMap((fact) => (hasParts(fact) ? [entries.get(fact.path)!] : []));
  if (gone) memo.nodes = new Map();
  return gone ? undefined : changed;
}

/**
 * The file nodes: those of files whose facts changed, and of files that
 * files tied again cite (before or after), are built again; the rest are
 * the last link's.
 */
function fileNodes(memo: LinkMemo, changed: string[] | undefined, documentsByPath: Map<string, Document>): FileNode[] {
  const { citers, order } = memo;
  const fresh = memo.nodes.size === 0 || !changed;
  if (fresh) {
    memo.nodes = new Map();
    citers.clear();
  }
  const nodes = memo.nodes;
  const dirty = new Set<string>();
  // Files tied again, and files whose facts changed (they may have lost their references): what they cite now.
  const retied = fresh ? order.map((entry) => entry.fact.path) : new Set([...changed, ...memo.relinked]);
  for (const file of retied) {
    const entry = memo.entries.get(file)!;
    for (const target of fresh ? [] : (entry.cited ?? [])) {
      citers.get(target)?.delete(file);
      dirty.add(target);
    }
    entry.cited = entry.link?.cites ?? new Set();
    for (const target of entry.cited) {
      addTo(citers, target, file);
      dirty.add(target);
    }
    dirty.add(file);
  }
  const linkOf = (file: string) => memo.entries.get(file)?.link;
  const sources = fresh ? order.map((entry) => entry.fact.path) : [...new Set([...dirty].flatMap((file) => [...(citers.get(file) ?? [])]))].sort(compare);
  const citedBy = citationsOf(dirty, sources.map((source) => linkOf(source)!));
  let added = fresh;
  for (const file of dirty) {
    const markers = linkOf(file)?.markers.map((marker) => marker.id) ?? [];
    const cited = citedBy.get(file)!;
    const had = nodes.has(file);
    if (markers.length === 0 && cited.length === 0) {
      if (had) (nodes.delete(file), (added = true));
      continue;
    }
    if (!had) added = true;
    const node: FileNode = {
      path: file,
      lineCount: memo.lineCounts.get(file) ?? 0,
      language: languageOf(file),
      markers,
      citedBy: cited,
      isDocument: documentsByPath.has(file),
    };
    nodes.set(file, node);
  }
  if (added) memo.nodes = new Map([...nodes].sort(([a], [b]) => compare(a, b)));
  return [...memo.nodes.values()];
}

/**
 * The ids of the path and glob references of `sources` (in file order) that
 * point at each of `files`, once per time they name it: the markers'
 * references of every source first, then the documents' (the order a cold
 * link gives them).
 */
function citationsOf(files: Set<string>, sources: FileLink[]): Map<string, string[]> {
  const cited = new Map([...files].map((file) => [file, [] as string[]]));
  const collect = (references: Reference[], from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const reference = references[i];
      if (reference.kind !== 'path' && reference.kind !== 'glob') continue;
      for (const target of reference.targets) cited.get(target)?.push(reference.id);
    }
  };
  for (const link of sources) collect(link.placed, 0, link.markerReferences);
  for (const link of sources) collect(link.placed, link.markerReferences, link.placed.length);
  return cited;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** The file a reference's id (`path:line:column`) names. */
export function referenceFile(id: string): string {
  return id.slice(0, id.lastIndexOf(':', id.lastIndexOf(':') - 1));
}

function placedReferences(fact: FileFacts): PlacedReference[] {
  return fact.document ? [...fact.markerReferences, ...fact.document.references] : fact.markerReferences;
}

function resolveFile(fact: FileFacts, index: FileIndex, options: ResolveOptions, memo: LinkMemo['resolved']): ResolvedFile {
  const placed = placedReferences(fact);
  if (placed.length === 0) return { references: [], placed: [], byId: new Map(), linkedFrom: new Set() };
  const resolved = placed.map((reference) => resolvePlaced(reference, index, options, memo));
  resolveByContext(resolved, () => fact.document?.headings.map((heading) => heading.line) ?? [], index);
  const references = [...resolved].sort((a, b) => a.source.line - b.source.line || a.source.column - b.source.column);
  const linkedFrom = new Set<string>();
  for (const reference of references) if (reference.status === 'ok' && reference.kind === 'path') for (const target of reference.targets) linkedFrom.add(target);
  return { references, placed: resolved, byId: new Map(references.map((reference) => [reference.id, reference])), linkedFrom };
}

/** Everything the kept file links depend on of the processes and tasks: the names they answer to, as a flat list (compared item by item, not serialized). */
function nameSignature(processByName: Map<string, Process>, processByDocument: Map<string, Process>, tasksById: Map<string, Task[]>): unknown[] {
  const parts: unknown[] = [];
  for (const [key, process] of processByName) parts.push(key, process.id, process.name);
  parts.push(processByName.size);
  for (const [file, process] of processByDocument) parts.push(file, process.id);
  parts.push(processByDocument.size);
  for (const [id, found] of tasksById) {
    parts.push(id, found.length);
    for (const task of found) parts.push(task.key, task.scope, task.plan?.file, task.summaries.length, ...task.summaries);
  }
  return parts;
}

function sameItems(a: readonly unknown[] | undefined, b: readonly unknown[]): boolean {
  if (a?.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A file's markers tied to their processes and its task ids to their tasks, from its resolved references. */
function tieFile(
  fact: FileFacts,
  resolved: ResolvedFile,
  listed: ReadonlySet<string>,
  processByName: Map<string, Process>,
  processByDocument: Map<string, Process>,
  tasksById: Map<string, Task[]>,
  lookup: (taskId: string, fromFile: string) => TaskLookup,
): FileLink {
  const markers = fact.markers.map((marker) => ({ ...marker }));
  const unknownProcessMarkers = linkMarkers(markers, processByName, processByDocument, resolved.byId);
  // Attaching task ids changes the references it attaches: those are this link's copies.
  const attached = resolved.references.some((reference) => reference.kind === 'id');
  const copies = new Map(attached ? resolved.references.filter((reference) => reference.kind === 'id').map((reference) => [reference, { ...reference }]) : []);
  const copy = (reference: Reference) => copies.get(reference) ?? reference;
  const references = attached ? resolved.references.map(copy) : resolved.references;
  const placed = attached ? resolved.placed.map(copy) : resolved.placed;
  const taskLookups: LinkFindings['taskLookups'] = [];
  if (attached) attachIdReferences(placed, tasksById, lookup, taskLookups);
  const byId = attached ? new Map(references.map((reference) => [reference.id, reference])) : resolved.byId;
  const cites = new Set(references.flatMap((reference) => (reference.kind === 'path' || reference.kind === 'glob' ? reference.targets.filter((target) => listed.has(target)) : [])));
  const sortedMarkers = markers.length > 1 ? [...markers].sort((a, b) => a.line - b.line) : markers;
  const symbolTargets = references.flatMap((reference) =>
    reference.status === 'ok' && reference.anchor !== undefined && reference.targets.length === 1 && isSymbolAnchor(reference.targets[0], reference.anchor) ? reference.targets : [],
  );
  return { references, placed, markerReferences: fact.markerReferences.length, byId, markers, sortedMarkers, unknownProcessMarkers, taskLookups, cites, symbolTargets };
}

function resolvePlaced(reference: PlacedReference, index: FileIndex, options: ResolveOptions, memo?: LinkMemo['resolved']): Reference {
  let resolved: Resolution | undefined = memo?.get(reference);
  if (!resolved) {
    resolved = resolveReference(reference, reference.source.file, index, { ...options, link: reference.origin === 'link' });
    memo?.set(reference, resolved);
  }
  const outside = resolved.outside ? { outside: resolved.outside } : {};
  return { ...reference, status: resolved.status, targets: resolved.targets, candidates: resolved.candidates, ...outside };
}

function collectProcesses(documents: Document[]) {
  const processes: Process[] = [];
  const duplicateProcesses: LinkFindings['duplicateProcesses'] = [];
  const processByDocument = new Map<string, Process>();
  const processByName = new Map<string, Process>();
  const byId = new Map<string, Process>();
  for (const document of documents) {
    if (document.kind !== 'process') continue;
    const name = document.processName ?? document.title;
    // A template's `# Deployment Process: [Process Name]` defines nothing.
    if (isPlaceholder(name)) continue;
    const baseId = slugify(name) || slugify(path.basename(document.path, path.extname(document.path)));
    let id = baseId;
    const first = byId.get(baseId);
    for (let n = 2; byId.has(id); n++) id = `${baseId}-${n}`;
    const process: Process = {
      id,
      name,
      area: document.area ?? 'Process',
      file: document.path,
      status: document.status,
      lastUpdated: document.lastUpdated,
      lastValidated: document.lastValidated,
      aliases: document.aliases,
      subProcesses: document.subProcesses,
      environments: document.environments.map((environment) => environment.name),
      changes: [],
      implementedBy: [],
      tasks: [],
      references: document.references.map((reference) => reference.id),
    };
    if (first) duplicateProcesses.push({ process, document, firstFile: first.file });
    byId.set(id, process);
    processes.push(process);
    processByDocument.set(document.path, process);
    for (const alias of [name, ...document.aliases]) {
      const key = processNameKey(alias);
      if (key && !processByName.has(key)) processByName.set(key, process);
    }
  }
  return { processes, duplicateProcesses, processByDocument, processByName };
}

/** A marker whose process names nothing, and the process its `Reference:` points at, if any. */
export interface UnknownProcessMarker {
  marker: Marker;
  /** The process whose document the marker's reference names (the marker is linked to it). */
  referenced?: Process;
}

/**
 * The process a marker names: by name, or by the name before a ` - Section` suffix (which
 * names a sub-process or a section of it).
 */
function processNamed(name: string, processByName: Map<string, Process>): Process | undefined {
  const whole = processByName.get(processNameKey(name));
  if (whole) return whole;
  const dash = /\s+[-–—]\s+(?!.*\s[-–—]\s)/.exec(name);
  return dash ? processByName.get(processNameKey(name.slice(0, dash.index))) : undefined;
}

/**
 * A marker belongs to the process it names, or failing that to the process document it
 * references; a name that matches nothing is reported either way, with the referenced process.
 */
function linkMarkers(
  markers: Marker[],
  processByName: Map<string, Process>,
  processByDocument: Map<string, Process>,
  referencesById: ReferenceLookup,
): UnknownProcessMarker[] {
  const unknown: UnknownProcessMarker[] = [];
  for (const marker of markers) {
    const byName = marker.process ? processNamed(marker.process, processByName) : undefined;
    const byReference = marker.references
      .flatMap((id) => referencesById.get(id)?.targets ?? [])
      .map((target) => processByDocument.get(target))
      .find(Boolean);
    const process = byName ?? byReference;
    // The process's `implementedBy` and environments are filled in by `linkGraph`, from kept markers too.
    if (process) marker.processId = process.id;
    if (marker.process && !byName) unknown.push({ marker, referenced: byReference });
  }
  return unknown;
}

/** Split environment values, by value: markers repeat a few values (`production`) thousands of times. */
const environmentNames = new Map<string, string[]>();

function splitEnvironments(value: string): string[] {
  let names = environmentNames.get(value);
  if (!names) {
    names = splitEnvironmentValue(value);
    if (environmentNames.size < 10_000) environmentNames.set(value, names);
  }
  return names;
}

function splitEnvironmentValue(value: string): string[] {
  return value
    .split(/\s*(?:,|&|\/|\band\b)\s*/i)
    .map((part) => part.trim())
    .filter(Boolean);
}

function taskScope(file: string): string {
  const folder = path.dirname(file);
  return folder === '.' ? '' : folder;
}

function taskKey(scope: string, taskId: string): string {
  return scope ? `${scope}/${taskId}` : taskId;
}

/** A task's identity is its id within its plan: every plan numbers its own `TASK-001`. */
function planScope(planFile: string): string {
  return planFile.replace(/\.(?:md|mdx|markdown)$/i, '');
}

function collectTaskDefinitions(documents: Document[]) {
  const tasks = new Map<string, Task>();
  const tasksById = new Map<string, Task[]>();
  const duplicateTasks: LinkFindings['duplicateTasks'] = [];
  for (const document of documents) {
    for (const definition of document.tasks) {
      const key = taskKey(planScope(document.path), definition.taskId);
      const existing = tasks.get(key);
      if (existing) {
        duplicateTasks.push({ file: document.path, definition, firstFile: existing.plan!.file, firstLine: existing.plan!.line });
        continue;
      }
      const task: Task = {
        key,
        taskId: definition.taskId,
        scope: taskScope(document.path),
        name: definition.name,
        plan: { file: document.path, line: definition.line, slug: definition.slug },
        priority: definition.priority,
        gapId: definition.gapId,
        area: definition.area,
        status: definition.status ?? 'not_started',
        progress: undefined,
        summaries: [],
        statusUpdates: [],
        blocks: definition.blocks,
        blockedBy: definition.blockedBy,
        files: definition.files.map((file) => file.reference),
        processes: [],
      };
      tasks.set(key, task);
      tasksById.set(definition.taskId, [...(tasksById.get(definition.taskId) ?? []), task]);
    }
  }
  return { tasks, duplicateTasks, tasksById };
}

function commonPrefixLength(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  let n = 0;
  while (n < left.length && n < right.length && left[n] === right[n] && left[n] !== '') n++;
  return n;
}

/** `plans/rollout-v2.md` → `plans/rollout` and 2: versions of one plan repeat its ids by design. */
function planVersion(file: string): { family: string; version: number } | undefined {
  const match = /^(.*?)[-_. ]?v(\d+)(?:\.\d+)*\.(?:md|mdx|markdown)$/i.exec(file);
  return match ? { family: match[1], version: Number(match[2]) } : undefined;
}

/** Narrow `candidates` with `prefer`; keep them all when it picks none. */
function narrow(candidates: Task[], prefer: (task: Task) => boolean): Task[] {
  const preferred = candidates.filter(prefer);
  return preferred.length > 0 ? preferred : candidates;
}

/**
 * A bare id means, in order: the task of the document naming it, of a plan
 * that document links to, of the nearest folder, of the latest version of one
 * plan. Context that cannot decide leaves it ambiguous.
 */
function findTask(tasksById: Map<string, Task[]>, taskId: string, fromFile: string, linkedFrom: (file: string) => ReadonlySet<string>): TaskLookup {
  let candidates = tasksById.get(taskId) ?? [];
  if (candidates.length === 0) return { status: 'missing' };
  const defines = (task: Task, file: string) => task.plan?.file === file || task.summaries.includes(file);
  candidates = narrow(candidates, (task) => defines(task, fromFile));
  const linked = linkedFrom(fromFile);
  candidates = narrow(candidates, (task) => [...linked].some((file) => defines(task, file)));
  const folder = taskScope(fromFile);
  const best = Math.max(...candidates.map((task) => commonPrefixLength(task.scope, folder)));
  candidates = candidates.filter((task) => commonPrefixLength(task.scope, folder) === best);
  const versions = candidates.map((task) => (task.plan ? planVersion(task.plan.file) : undefined));
  if (candidates.length > 1 && versions.every((version) => version && version.family === versions[0]!.family)) {
    const latest = Math.max(...versions.map((version) => version!.version));
    candidates = candidates.filter((_, i) => versions[i]!.version === latest);
  }
  if (candidates.length === 1) return { status: 'ok', key: candidates[0].key };
  return { status: 'ambiguous', keys: candidates.map((task) => task.key).sort() };
}

function metadataPosition(document: Document, key: string): { line: number; column: number } {
  const entry = document.metadata.find((item) => item.key === key);
  return entry ? { line: entry.line, column: 1 } : { line: 1, column: 1 };
}

function attachSummaries(
  documents: Document[],
  tasks: Map<string, Task>,
  tasksById: Map<string, Task[]>,
  lookup: (taskId: string, fromFile: string) => TaskLookup,
  taskLookups: LinkFindings['taskLookups'],
): void {
  const register = (task: Task) => {
    tasks.set(task.key, task);
    tasksById.set(task.taskId, [...(tasksById.get(task.taskId) ?? []), task]);
  };
  // Summaries first: a summary without a plan entry still defines its task.
  for (const document of documents) {
    if (document.kind !== 'summary' || !document.taskId) continue;
    const found = lookup(document.taskId, document.path);
    const position = metadataPosition(document, 'task id');
    if (found.status === 'ambiguous') {
      taskLookups.push({ taskId: document.taskId, file: document.path, ...position, outcome: found });
      continue;
    }
    let task = found.status === 'ok' ? tasks.get(found.key)! : undefined;
    if (!task) {
      const scope = taskScope(document.path);
      task = {
        key: taskKey(scope, document.taskId),
        taskId: document.taskId,
        scope,
        name: summaryTaskName(document),
        status: 'not_started',
        summaries: [],
        statusUpdates: [],
        blocks: [],
        blockedBy: [],
        files: [],
        processes: [],
      };
      register(task);
    }
    task.summaries.push(document.path);
    task.files.push(...document.filesModified.map((file) => file.reference));
    if (document.taskStatus) task.status = document.taskStatus;
    if (document.lastUpdated && (!task.date || document.lastUpdated > task.date)) task.date = document.lastUpdated;
  }
  for (const document of documents) {
    for (const update of document.statusUpdates) {
      if (!update.taskId) continue;
      const found = lookup(update.taskId, document.path);
      if (found.status !== 'ok') {
        taskLookups.push({ taskId: update.taskId, file: document.path, line: update.line, column: 1, outcome: found });
        continue;
      }
      const task = tasks.get(found.key)!;
      task.statusUpdates.push({ ...update, file: document.path });
      // A summary's verdict outranks a progress note.
      if (update.status && task.summaries.length === 0) task.status = update.status;
      if (update.progress !== undefined) task.progress = update.progress;
    }
  }
  for (const task of tasks.values()) if (task.status === 'complete') task.progress = 100;
}

/** `# Infrastructure Implementation Summary: TASK-001 - Add CI` → `Add CI`. */
function summaryTaskName(document: Document): string {
  const afterColon = document.title.split(':').slice(1).join(':').trim() || document.title;
  return afterColon.replace(/^[A-Z][A-Z0-9]*[-_][0-9]+\s*[-–—:]\s*/, '').trim() || afterColon;
}

/** Ids shaped like a known task id (same prefix) are checked as tasks; GAP-/ADR- ids are just ids. */
/** The id families (`TASK`, `PROJ`) of each task table, worked out once: every file with an id reference asks. */
const prefixesByTable = new WeakMap<Map<string, Task[]>, Set<string | undefined>>();

/**
 * Prose mentions only of families the repository's plans and summaries define: a `TASK-` id
 * in a repository without task documents points at a tracker Waymark cannot see. Kept per
 * table: worked out per file, it cost 0.7 s of a warm check of a 50k-file repository.
 */
function taskPrefixesOf(tasksById: Map<string, Task[]>): Set<string | undefined> {
  let prefixes = prefixesByTable.get(tasksById);
  if (!prefixes) prefixesByTable.set(tasksById, (prefixes = new Set([...tasksById.keys()].map((id) => TASK_ID_PREFIX.exec(id)?.[1]).filter(Boolean))));
  return prefixes;
}

function attachIdReferences(
  references: Reference[],
  tasksById: Map<string, Task[]>,
  lookup: (taskId: string, fromFile: string) => TaskLookup,
  taskLookups: LinkFindings['taskLookups'],
): void {
  const taskPrefixes = taskPrefixesOf(tasksById);
  for (const reference of references) {
    if (reference.kind !== 'id' || !reference.identifier) continue;
    const prefix = TASK_ID_PREFIX.exec(reference.identifier)?.[1];
    if (!prefix) continue;
    // A marker's `Task:` or a `Task ID` field claims a task whatever the repository keeps.
    if (!taskPrefixes.has(prefix) && (reference.origin === 'mention' || prefix !== 'TASK')) continue;
    const found = lookup(reference.identifier, reference.source.file);
    if (found.status === 'ok') {
      reference.targets = [found.key];
      continue;
    }
    reference.status = found.status === 'ambiguous' ? 'ambiguous' : 'missing';
    if (found.status === 'ambiguous') reference.candidates = found.keys;
    taskLookups.push({
      taskId: reference.identifier,
      file: reference.source.file,
      line: reference.source.line,
      column: reference.source.column,
      outcome: found,
      reference: reference.id,
      mention: reference.origin === 'mention',
    });
  }
}

function collectChanges(documents: Document[], processByDocument: Map<string, Process>): ChangeEntry[] {
  const changes: ChangeEntry[] = [];
  for (const document of documents) {
    const process = processByDocument.get(document.path);
    for (const change of document.changes) {
      const entry = { ...change, processId: process?.id };
      changes.push(entry);
      process?.changes.push(entry.id);
    }
  }
  // Newest first; undated rows last; ties in file order so output is stable.
  changes.sort(
    (a, b) =>
      compare(b.date ?? '', a.date ?? '') || compare(a.file, b.file) || a.line - b.line,
  );
  const order = new Map(changes.map((change, position) => [change.id, position]));
  for (const process of processByDocument.values()) process.changes.sort((a, b) => order.get(a)! - order.get(b)!);
  return changes;
}

function linkTasksAndProcesses(
  tasks: Map<string, Task>,
  processes: Process[],
  referencesById: ReferenceLookup,
  linkOf: (file: string) => FileLink | undefined,
  changes: ChangeEntry[],
  lookup: (taskId: string, fromFile: string) => TaskLookup,
): void {
  const processByDocument = new Map(processes.map((process) => [process.file, process]));
  // Sets while linking (both lists are sorted at the end): `includes` on a process's tasks made this quadratic.
  const taskProcesses = new Map<Task, Set<string>>();
  const processTasks = new Map<string, Set<string>>();
  const touch = (task: Task, processId: string | undefined) => {
    if (!processId) return;
    addTo(taskProcesses, task, processId);
    addTo(processTasks, processId, task.key);
  };
  // The processes a cited file leads to (its own process document's, its markers'), once per file.
  const reached = new Map<string, string[]>();
  const processesAt = (target: string) => {
    let found = reached.get(target);
    if (!found) {
      const ids = new Set<string>();
      const own = processByDocument.get(target)?.id;
      if (own) ids.add(own);
      for (const marker of linkOf(target)?.markers ?? []) if (marker.processId) ids.add(marker.processId);
      reached.set(target, (found = [...ids]));
    }
    return found;
  };
  const touchCited = (task: Task, reference: Reference | undefined) => {
    for (const target of reference?.targets ?? []) for (const processId of processesAt(target)) touch(task, processId);
  };
  for (const task of tasks.values()) {
    for (const id of task.files) touchCited(task, referencesById.get(id));
    for (const summary of task.summaries) {
      // The summary document's own references: its link's placed references after the markers'.
      const link = linkOf(summary);
      if (!link) continue;
      for (let i = link.markerReferences; i < link.placed.length; i++) touchCited(task, link.placed[i]);
    }
  }
  for (const change of changes) {
    for (const taskId of change.taskIds) {
      const found = lookup(taskId, change.file);
      if (found.status === 'ok') touch(tasks.get(found.key)!, change.processId);
    }
  }
  for (const [task, ids] of taskProcesses) task.processes = [...ids].sort();
  for (const process of processes) {
    const ids = processTasks.get(process.id);
    if (ids) process.tasks = [...ids].sort();
  }
}

function collectEnvironments(markers: Marker[], processes: Process[]): Environment[] {
  const environments = new Map<string, Environment>();
  const get = (name: string) => {
    const id = slugify(name);
    let environment = environments.get(id);
    if (!environment) {
      environment = { id, name, markers: [], processes: [] };
      environments.set(id, environment);
    }
    return environment;
  };
  // An environment's processes, as a set: `production` may hold every process, and `includes` on it made this quadratic.
  const processIds = new Map<Environment, Set<string>>();
  const addProcess = (environment: Environment, processId: string) => {
    let ids = processIds.get(environment);
    if (!ids) processIds.set(environment, (ids = new Set()));
    if (ids.has(processId)) return;
    ids.add(processId);
    environment.processes.push(processId);
  };
  for (const marker of markers) {
    for (const name of splitEnvironments(marker.environment ?? '')) {
      const environment = get(name);
      environment.markers.push(marker.id);
      if (marker.processId) addProcess(environment, marker.processId);
    }
  }
  for (const process of processes) {
    const seen = new Set<string>();
    for (const name of process.environments) {
      const environment = get(name);
      addProcess(environment, process.id);
      seen.add(environment.name);
    }
    // One name per environment on the process, as first written.
    process.environments = [...seen].sort();
  }
  for (const environment of environments.values()) environment.processes.sort();
  return [...environments.values()].filter((environment) => environment.id).sort((a, b) => compare(a.id, b.id));
}
