/**
 * Completion candidates at a cursor, from the latest check: file paths after
 * `Reference:` and inside backticks, heading anchors and symbols after `#`,
 * line ranges that exist after `:`, process names after a process tag, task
 * ids. Pure: the line's text and the graph in, candidates out; the editor
 * filters them by what is typed.
 */
import path from 'node:path/posix';
import type { SymbolBlock } from '../extract/symbols.ts';
import type { Graph } from '../schema.ts';
import { processAreas, processTagOnLine } from './at-position.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

export type CandidateKind = 'file' | 'range' | 'heading' | 'symbol' | 'process' | 'task';

export interface CompletionCandidate {
  label: string;
  kind: CandidateKind;
  detail?: string;
  /** The text inserted in place of `[from, to)` (1-based columns of the cursor's line). */
  insert: string;
  from: number;
  to: number;
}

export interface CompletionInputs {
  graph: Pick<Graph, 'paths' | 'documents' | 'processes' | 'tasks' | 'markers' | 'files'>;
  /** The file being edited (markdown paths may be relative to it). */
  file: string;
  /** Symbol blocks of a code file, when it has any. */
  symbols: (file: string) => readonly SymbolBlock[] | undefined;
  /** A file's line count, when it can be read. */
  lineCount: (file: string) => number | undefined;
}

/** At most this many paths are offered: the editor filters further as the user types. */
export const MAX_PATHS = 500;

/** Tags after which a value lists references: `Reference:`, `Code Reference:`, `See:`, `Implements:`. */
const REFERENCE_TAG = /(?:reference|references|see|ref|refs|implements|implemented in|files?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*/gi;
const TASK_FRAGMENT = /\b[A-Z][A-Z0-9]*-\d*$/;

/** The path a fragment names: as written when the repository has it, else relative to the editing document. */
function resolvePath(paths: ReadonlySet<string>, file: string, written: string): string | undefined {
  if (paths.has(written)) return written;
  const relative = path.normalize(path.join(path.dirname(file), written));
  return paths.has(relative) ? relative : undefined;
}

/** Whether the cursor sits where a path may be written: inside an open backtick, or in the value of a reference tag. */
function pathContext(before: string): boolean {
  const ticks = (before.match(/`/g) ?? []).length;
  if (ticks % 2 === 1) return true;
  return [...before.matchAll(REFERENCE_TAG)].length > 0;
}

function pathCandidates(inputs: CompletionInputs, fragment: string, from: number, to: number): CompletionCandidate[] {
  const paths = new Set(inputs.graph.paths);
  const hash = fragment.lastIndexOf('#');
  if (hash >= 0) {
    const file = resolvePath(paths, inputs.file, fragment.slice(0, hash));
    if (!file) return [];
    const start = from + hash + 1;
    const document = inputs.graph.documents.find((candidate) => candidate.path === file);
    if (document) return document.headings.map((heading) => ({ label: heading.slug, kind: 'heading', detail: heading.text, insert: heading.slug, from: start, to }));
    return (inputs.symbols(file) ?? []).map((block) => ({ label: block.name, kind: 'symbol', detail: `${block.kind}, lines ${block.start}-${block.end}`, insert: block.name, from: start, to }));
  }
  const colon = /^(.+):(\d*(?:-\d*)?)$/.exec(fragment);
  const ranged = colon ? resolvePath(paths, inputs.file, colon[1]) : undefined;
  if (colon && ranged) {
    const start = from + colon[1].length + 1;
    const candidates: CompletionCandidate[] = (inputs.symbols(ranged) ?? []).map((block) => ({
      label: `${block.start}-${block.end}`,
      kind: 'range',
      detail: `${block.kind} ${block.name}`,
      insert: `${block.start}-${block.end}`,
      from: start,
      to,
    }));
    const count = inputs.lineCount(ranged);
    if (count) candidates.push({ label: `1-${count}`, kind: 'range', detail: 'the whole file', insert: `1-${count}`, from: start, to });
    return candidates;
  }
  const matching = inputs.graph.paths.filter((candidate) => candidate.startsWith(fragment) || (fragment.length > 0 && candidate.includes(fragment)));
  // Prefix matches first: they are what a person typing a path from the root means.
  matching.sort((a, b) => Number(!a.startsWith(fragment)) - Number(!b.startsWith(fragment)));
  return matching.slice(0, MAX_PATHS).map((candidate) => ({ label: candidate, kind: 'file', insert: candidate, from, to }));
}

/** Candidates at column `column` (1-based, the cursor) of `lineText`. */
export function completionsAt(inputs: CompletionInputs, lineText: string, column: number): CompletionCandidate[] {
  const before = lineText.slice(0, column - 1);
  const { graph } = inputs;
  const tag = processTagOnLine(before, processAreas(graph));
  if (tag || new RegExp(`(?:${processAreas(graph).map(escapeRegExp).join('|')})(?:\\*\\*|__)?\\s*:(?:\\*\\*|__)?\\s*$`, 'i').test(before)) {
    const from = tag ? tag.start : column;
    const names = new Set<string>();
    return graph.processes
      .filter((process) => !names.has(process.name) && names.add(process.name))
      .map((process) => ({ label: process.name, kind: 'process', detail: `${process.area} (${process.status ?? 'no status'})`, insert: process.name, from, to: column }));
  }
  const task = TASK_FRAGMENT.exec(before);
  if (task || /\btasks?(?:\*\*|__)?\s*:(?:\*\*|__)?\s*$/i.test(before)) {
    const from = task ? task.index + 1 : column;
    const seen = new Set<string>();
    return graph.tasks
      .filter((candidate) => !seen.has(candidate.taskId) && seen.add(candidate.taskId))
      .map((candidate) => ({ label: candidate.taskId, kind: 'task', detail: candidate.name, insert: candidate.taskId, from, to: column }));
  }
  if (!pathContext(before)) return [];
  const fragment = /[^\s`,;()[\]<>"']*$/.exec(before)![0];
  return pathCandidates(inputs, fragment, column - fragment.length, column);
}
