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
import { isPlaceholder } from '../extract/metadata.ts';
import { createFileIndex, resolveReference, type FileIndex } from './resolve.ts';
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
  /** Task ids defined twice in one scope. */
  duplicateTasks: { file: string; definition: TaskDefinition; firstFile: string; firstLine: number }[];
  /** Task ids that could not be pinned to one task, with where they were named. */
  taskLookups: { taskId: string; file: string; line: number; column: number; outcome: TaskLookup; reference?: string }[];
  /** Markers whose process matches no document. */
  unknownProcessMarkers: Marker[];
  index: FileIndex;
  lineCounts: Map<string, number>;
  documentsByPath: Map<string, Document>;
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

/**
 * Join the facts of every file into the repository's graph: processes, tasks
 * and environments from the documents, each reference resolved against the
 * file list, markers tied to their processes. Returns the graph and what the
 * rules need besides it (duplicates, unknown ids, line counts).
 */
export function linkGraph(
  name: string,
  paths: string[],
  facts: FileFacts[],
  config: Pick<Config, 'repositoryPrefixes' | 'github'>,
): { graph: LinkedGraph; findings: LinkFindings } {
  const index = createFileIndex(paths);
  const lineCounts = new Map(facts.map((fact) => [fact.path, fact.lineCount]));
  const documents = facts.flatMap((fact) => (fact.document ? [fact.document] : []));
  const documentsByPath = new Map(documents.map((document) => [document.path, document]));
  const markers = facts.flatMap((fact) => fact.markers);

  const placed = [...facts.flatMap((fact) => fact.markerReferences), ...documents.flatMap((document) => document.references)];
  const references = placed.map((reference) => resolvePlaced(reference, index, config.repositoryPrefixes));
  const referencesById = new Map(references.map((reference) => [reference.id, reference]));

  const { processes, duplicateProcesses, processByDocument, processByName } = collectProcesses(documents);
  const unknownProcessMarkers = linkMarkers(markers, processByName, processByDocument, referencesById);

  const { tasks, duplicateTasks, tasksById } = collectTaskDefinitions(documents);
  const taskLookups: LinkFindings['taskLookups'] = [];
  const lookup = (taskId: string, fromFile: string) => findTask(tasksById, taskId, fromFile);
  attachSummaries(documents, tasks, tasksById, lookup, taskLookups);
  attachIdReferences(references, tasksById, lookup, taskLookups);

  const changes = collectChanges(documents, processByDocument);
  linkTasksAndProcesses(tasks, processes, documentsByPath, referencesById, markers, changes, lookup);

  const environments = collectEnvironments(markers, processes);
  const files = collectFiles(paths, lineCounts, markers, references, documentsByPath);

  const graph: LinkedGraph = {
    name,
    paths,
    files,
    documents,
    processes,
    tasks: [...tasks.values()].sort((a, b) => compare(a.key, b.key)),
    changes,
    markers: markers.sort((a, b) => compare(a.file, b.file) || a.line - b.line),
    references: references.sort(
      (a, b) => compare(a.source.file, b.source.file) || a.source.line - b.source.line || a.source.column - b.source.column,
    ),
    environments,
  };
  return {
    graph,
    findings: { duplicateProcesses, duplicateTasks, taskLookups, unknownProcessMarkers, index, lineCounts, documentsByPath, github: config.github },
  };
}

function resolvePlaced(reference: PlacedReference, index: FileIndex, repositoryPrefixes: string[]): Reference {
  const resolved = resolveReference(reference, reference.source.file, index, { repositoryPrefixes, link: reference.origin === 'link' });
  return { ...reference, status: resolved.status, targets: resolved.targets, candidates: resolved.candidates };
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

/** A marker belongs to the process it names, or failing that to the process document it references. */
function linkMarkers(
  markers: Marker[],
  processByName: Map<string, Process>,
  processByDocument: Map<string, Process>,
  referencesById: Map<string, Reference>,
): Marker[] {
  const unknown: Marker[] = [];
  for (const marker of markers) {
    const byName = marker.process ? processByName.get(processNameKey(marker.process)) : undefined;
    const byReference = marker.references
      .flatMap((id) => referencesById.get(id)?.targets ?? [])
      .map((target) => processByDocument.get(target))
      .find(Boolean);
    const process = byName ?? byReference;
    if (process) {
      marker.processId = process.id;
      process.implementedBy.push(marker.id);
      if (marker.environment) process.environments.push(...splitEnvironments(marker.environment));
    } else if (marker.process) {
      unknown.push(marker);
    }
  }
  return unknown;
}

function splitEnvironments(value: string): string[] {
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

function collectTaskDefinitions(documents: Document[]) {
  const tasks = new Map<string, Task>();
  const tasksById = new Map<string, Task[]>();
  const duplicateTasks: LinkFindings['duplicateTasks'] = [];
  for (const document of documents) {
    for (const definition of document.tasks) {
      const scope = taskScope(document.path);
      const key = taskKey(scope, definition.taskId);
      const existing = tasks.get(key);
      if (existing) {
        duplicateTasks.push({ file: document.path, definition, firstFile: existing.plan!.file, firstLine: existing.plan!.line });
        continue;
      }
      const task: Task = {
        key,
        taskId: definition.taskId,
        scope,
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

/**
 * Task ids repeat across plans, so a bare id means the task whose scope is
 * nearest the file naming it; a tie is ambiguous.
 */
function findTask(tasksById: Map<string, Task[]>, taskId: string, fromFile: string): TaskLookup {
  const candidates = tasksById.get(taskId) ?? [];
  if (candidates.length === 0) return { status: 'missing' };
  if (candidates.length === 1) return { status: 'ok', key: candidates[0].key };
  const folder = taskScope(fromFile);
  const scored = candidates.map((task) => ({ task, score: commonPrefixLength(task.scope, folder) }));
  const best = Math.max(...scored.map((entry) => entry.score));
  const nearest = scored.filter((entry) => entry.score === best);
  if (nearest.length === 1) return { status: 'ok', key: nearest[0].task.key };
  return { status: 'ambiguous', keys: nearest.map((entry) => entry.task.key).sort() };
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
function attachIdReferences(
  references: Reference[],
  tasksById: Map<string, Task[]>,
  lookup: (taskId: string, fromFile: string) => TaskLookup,
  taskLookups: LinkFindings['taskLookups'],
): void {
  const taskPrefixes = new Set([...tasksById.keys()].map((id) => TASK_ID_PREFIX.exec(id)?.[1]).filter(Boolean));
  taskPrefixes.add('TASK');
  for (const reference of references) {
    if (reference.kind !== 'id' || !reference.identifier) continue;
    const prefix = TASK_ID_PREFIX.exec(reference.identifier)?.[1];
    if (!prefix || !taskPrefixes.has(prefix)) continue;
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
  documentsByPath: Map<string, Document>,
  referencesById: Map<string, Reference>,
  markers: Marker[],
  changes: ChangeEntry[],
  lookup: (taskId: string, fromFile: string) => TaskLookup,
): void {
  const processById = new Map(processes.map((process) => [process.id, process]));
  const processByDocument = new Map(processes.map((process) => [process.file, process]));
  const processesByFile = new Map<string, Set<string>>();
  for (const marker of markers) {
    if (!marker.processId) continue;
    const set = processesByFile.get(marker.file) ?? new Set();
    set.add(marker.processId);
    processesByFile.set(marker.file, set);
  }
  const touch = (task: Task, processId: string | undefined) => {
    if (!processId) return;
    if (!task.processes.includes(processId)) task.processes.push(processId);
    const process = processById.get(processId)!;
    if (!process.tasks.includes(task.key)) process.tasks.push(task.key);
  };
  for (const task of tasks.values()) {
    const referenceIds = [
      ...task.files,
      ...task.summaries.flatMap((summary) => documentsByPath.get(summary)?.references.map((reference) => reference.id) ?? []),
    ];
    for (const id of referenceIds) {
      for (const target of referencesById.get(id)?.targets ?? []) {
        touch(task, processByDocument.get(target)?.id);
        for (const processId of processesByFile.get(target) ?? []) touch(task, processId);
      }
    }
  }
  for (const change of changes) {
    for (const taskId of change.taskIds) {
      const found = lookup(taskId, change.file);
      if (found.status === 'ok') touch(tasks.get(found.key)!, change.processId);
    }
  }
  for (const task of tasks.values()) task.processes.sort();
  for (const process of processes) process.tasks.sort();
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
  for (const marker of markers) {
    for (const name of splitEnvironments(marker.environment ?? '')) {
      const environment = get(name);
      environment.markers.push(marker.id);
      if (marker.processId && !environment.processes.includes(marker.processId)) environment.processes.push(marker.processId);
    }
  }
  for (const process of processes) {
    const seen = new Set<string>();
    for (const name of process.environments) {
      const environment = get(name);
      if (!environment.processes.includes(process.id)) environment.processes.push(process.id);
      seen.add(environment.name);
    }
    // One name per environment on the process, as first written.
    process.environments = [...seen].sort();
  }
  for (const environment of environments.values()) environment.processes.sort();
  return [...environments.values()].filter((environment) => environment.id).sort((a, b) => compare(a.id, b.id));
}

function collectFiles(
  paths: string[],
  lineCounts: Map<string, number>,
  markers: Marker[],
  references: Reference[],
  documentsByPath: Map<string, Document>,
): FileNode[] {
  const files = new Map<string, FileNode>();
  const get = (file: string) => {
    let node = files.get(file);
    if (!node) {
      node = {
        path: file,
        lineCount: lineCounts.get(file) ?? 0,
        language: languageOf(file),
        markers: [],
        citedBy: [],
        isDocument: documentsByPath.has(file),
      };
      files.set(file, node);
    }
    return node;
  };
  const known = new Set(paths);
  for (const marker of markers) get(marker.file).markers.push(marker.id);
  for (const reference of references) {
    if (reference.kind !== 'path' && reference.kind !== 'glob') continue;
    for (const target of reference.targets) if (known.has(target)) get(target).citedBy.push(reference.id);
  }
  return [...files.values()].sort((a, b) => compare(a.path, b.path));
}
