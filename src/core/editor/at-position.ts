/**
 * What an editor position points at: a reference (`infra/lb.tf:12-30`,
 * `docs/x.md#section`, `TASK-012`), a process name after its area tag
 * (`Deployment Process: Blue/Green Rollout`) or a task id. Pure: the graph
 * of the latest check and the line's text in, a target out. Lines and
 * columns are 1-based, columns in UTF-16 code units (what LSP counts by
 * default and what the extractors record).
 */
import type { Graph, Process, Reference, Task } from '../schema.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

/** A span of one line: `start` inclusive, `end` exclusive (1-based columns). */
export interface LineSpan {
  line: number;
  start: number;
  end: number;
}

export type EditorTarget =
  | { kind: 'reference'; reference: Reference; span: LineSpan }
  | { kind: 'process'; process: Process; span: LineSpan }
  | { kind: 'task'; taskId: string; tasks: Task[]; span: LineSpan };

/** The graph parts these lookups read. */
export type EditorGraph = Pick<Graph, 'references' | 'processes' | 'tasks' | 'markers' | 'documents' | 'paths' | 'files'>;

/** Tags that name a process in any file, beside the areas the repository's processes use. */
const PROCESS_AREAS = ['Deployment Process', 'Process', 'Workflow', 'Runbook', 'Procedure'];

/** Task ids as plans write them: `TASK-012`, `GAP-7`, `INFRA-101`. */
const TASK_ID = /\b[A-Z][A-Z0-9]*-\d+\b/g;

/** The span a reference's text covers. */
export function referenceSpan(reference: Pick<Reference, 'source' | 'raw'>): LineSpan {
  return { line: reference.source.line, start: reference.source.column, end: reference.source.column + reference.raw.length };
}

const within = (span: LineSpan, line: number, column: number) => span.line === line && column >= span.start && column <= span.end;

/** The reference written at a position of `file`, innermost first when spans nest. */
export function referenceAt(graph: Pick<Graph, 'references'>, file: string, line: number, column: number): Reference | undefined {
  let found: Reference | undefined;
  for (const reference of graph.references) {
    if (reference.source.file !== file || !within(referenceSpan(reference), line, column)) continue;
    if (!found || reference.raw.length < found.raw.length) found = reference;
  }
  return found;
}

/** Tasks defined under an id, the ones in the folder of `file` (or above it) first: each plan numbers its own. */
export function tasksNamed(graph: Pick<Graph, 'tasks'>, taskId: string, file: string): Task[] {
  const tasks = graph.tasks.filter((task) => task.taskId === taskId);
  const near = (task: Task) => (task.scope === '' || file.startsWith(`${task.scope}/`) ? 0 : 1);
  return tasks.sort((a, b) => near(a) - near(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Process areas to look for on a line: the fixed tags and every area the repository's processes and markers use. */
export function processAreas(graph: Pick<Graph, 'processes' | 'markers'>): string[] {
  const areas = new Set([...PROCESS_AREAS, ...graph.processes.map((process) => process.area), ...graph.markers.flatMap((marker) => (marker.area ? [marker.area] : []))]);
  // Longest first, so `Deployment Process` wins over `Process`.
  return [...areas].filter(Boolean).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}


/** Find a process by name or alias, ignoring case and surrounding markup. */
export function processNamed(processes: readonly Process[], name: string): Process | undefined {
  const wanted = name.trim().toLowerCase();
  return processes.find((process) => process.name.toLowerCase() === wanted || process.aliases.some((alias) => alias.toLowerCase() === wanted));
}

/** `<Area>: <name>` on a line: the name's span and text, when the area is a process tag. */
export function processTagOnLine(lineText: string, areas: readonly string[]): { start: number; end: number; name: string } | undefined {
  for (const area of areas) {
    // `# Deployment Process: X`, `**Deployment Process**: X`, `// Process: X -->`.
    const match = new RegExp(`(?:^|[^\\w])${escapeRegExp(area)}(?:\\*\\*|__)?\\s*:(?:\\*\\*|__)?\\s*`, 'i').exec(lineText);
    if (!match) continue;
    const from = match.index + match[0].length;
    const rest = lineText.slice(from).replace(/\s*(?:-->|\*\/|\*\*|#}|%>)?\s*$/, '');
    if (!rest) continue;
    return { start: from + 1, end: from + 1 + rest.length, name: rest };
  }
  return undefined;
}

/** What the position points at, or undefined. */
export function targetAt(graph: EditorGraph, file: string, line: number, column: number, lineText: string): EditorTarget | undefined {
  const reference = referenceAt(graph, file, line, column);
  if (reference) {
    if (reference.kind === 'id' && reference.identifier) {
      const tasks = tasksNamed(graph, reference.identifier, file);
      if (tasks.length) return { kind: 'task', taskId: reference.identifier, tasks, span: referenceSpan(reference) };
    }
    return { kind: 'reference', reference, span: referenceSpan(reference) };
  }
  const tag = processTagOnLine(lineText, processAreas(graph));
  if (tag && column >= tag.start && column <= tag.end) {
    const process = processNamed(graph.processes, tag.name);
    if (process) return { kind: 'process', process, span: { line, start: tag.start, end: tag.end } };
  }
  for (const match of lineText.matchAll(TASK_ID)) {
    const span = { line, start: match.index + 1, end: match.index + 1 + match[0].length };
    if (!within(span, line, column)) continue;
    const tasks = tasksNamed(graph, match[0], file);
    if (tasks.length) return { kind: 'task', taskId: match[0], tasks, span };
  }
  return undefined;
}
