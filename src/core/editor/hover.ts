/**
 * Hover text (markdown) for a target: a reference shows the cited lines,
 * where they stand (ok, moved, stale since a commit) and who else cites
 * them; a process its status, last validation and owner; a task its plan
 * entry and status. Pure: texts and history come in as data.
 */
import { describeCommit, type RepositoryHistory } from '../history/history.ts';
import { relocations } from '../history/relocate.ts';
import { staleCitations } from '../history/staleness.ts';
import { languageOf } from '../extract/languages.ts';
import type { Graph, Process, Reference, Task } from '../schema.ts';
import { citationsOf } from './citations.ts';
import type { EditorTarget } from './at-position.ts';
import type { SymbolLookup } from './definitions.ts';

/** How many cited lines a hover shows. */
export const HOVER_LINES = 15;

export interface HoverInputs {
  graph: Pick<Graph, 'references' | 'documents' | 'files' | 'processes' | 'tasks'>;
  history?: RepositoryHistory;
  today?: string;
  /** The text of a repository file (unsaved text when open), undefined when it cannot be read. */
  textOf: (file: string) => string | undefined;
  symbol: SymbolLookup;
}

/** Markdown code that cannot be closed early by the text it holds. */
function fenced(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language === 'unknown' ? '' : language}\n${text}\n${fence}`;
}

/** Inline code for any text (names may hold backticks). */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.replace(/\n/g, ' ')}${fence}`;
}

/** The state line of a reference with lines: ok, moved to N-M, stale since a commit. */
function referenceState(inputs: HoverInputs, reference: Reference): string {
  const { history } = inputs;
  if (reference.status === 'missing') return `**missing**${reference.candidates.length ? `: did you mean ${reference.candidates.slice(0, 3).map(code).join(', ')}?` : ''}`;
  const states: string[] = [];
  // The history rules' problems are told below in words (moved to, stale since); any other is named.
  if (reference.problem && reference.problem !== 'stale-reference' && reference.problem !== 'moved-lines') states.push(`**${reference.problem}**`);
  if (!history || !reference.lines) return states.length ? states.join('; ') : 'ok';
  const relocation = relocations(inputs.graph, history).find((candidate) => candidate.cited.reference.id === reference.id);
  const lines = relocation?.lines;
  const written = reference.lines;
  const elsewhere = lines && 'start' in lines && (lines.path !== reference.targets[0] || lines.start !== written.start || lines.end !== written.end);
  if (lines && elsewhere && (lines.kind === 'moved' || lines.kind === 'renamed' || lines.kind === 'rewritten')) {
    states.push(`moved to ${lines.path === reference.targets[0] ? '' : `${code(lines.path)} `}${lines.start}-${lines.end}${relocation.newText ? ` (fix: ${code(relocation.newText)})` : ''}`);
  } else if (lines?.kind === 'deleted') states.push('the cited lines were deleted');
  const stale = staleCitations(inputs.graph, history, inputs.today).find((citation) => citation.cited.reference.id === reference.id);
  if (stale) states.push(`stale since ${describeCommit(stale.commits[0])}${stale.commits.length > 1 ? ` (+${stale.commits.length - 1} more)` : ''}`);
  return states.length ? states.join('; ') : 'ok';
}

function whereIs(reference: Reference): string {
  return `${reference.source.file}:${reference.source.line}`;
}

function referenceHover(inputs: HoverInputs, reference: Reference): string {
  const parts: string[] = [];
  const target = reference.targets[0];
  if (reference.kind === 'url') return `${code(reference.raw)}: a link outside the repository`;
  if (!target) return `${code(reference.raw)}: ${referenceState(inputs, reference)}`;
  const range = reference.lines ?? (reference.anchor ? inputs.symbol(target, reference.anchor) : undefined);
  parts.push(`**${code(target)}**${range ? ` lines ${range.start}-${range.end}` : ''}`);
  const text = range ? inputs.textOf(target) : undefined;
  if (text !== undefined && range) {
    const lines = text.split(/\r?\n|\r/);
    const last = Math.min(range.end, range.start + HOVER_LINES - 1, lines.length);
    const shown = lines.slice(range.start - 1, last).join('\n');
    if (shown) parts.push(fenced(shown, languageOf(target)) + (range.end > last ? `\n\n… ${range.end - last} more line${range.end - last === 1 ? '' : 's'}` : ''));
  }
  parts.push(`State: ${referenceState(inputs, reference)}`);
  const others = range ? citationsOf(inputs.graph, target, range, inputs.symbol, reference.id).filter((other) => other.lines || other.anchor) : [];
  if (others.length) parts.push(`Also cited by: ${others.slice(0, 8).map((other) => code(whereIs(other))).join(', ')}${others.length > 8 ? ` and ${others.length - 8} more` : ''}`);
  return parts.join('\n\n');
}

/** An owner as documents write it: `Owner`, `Maintainer`, `Team`. */
function ownerOf(inputs: HoverInputs, process: Process): string | undefined {
  const document = inputs.graph.documents.find((candidate) => candidate.path === process.file);
  return document?.metadata.find((entry) => /^(owner|owners|maintainer|maintainers|team|owning team)$/.test(entry.key))?.value;
}

function processHover(inputs: HoverInputs, process: Process): string {
  const rows = [
    `**${process.area}: ${process.name}**`,
    `Status: ${process.status ?? 'not stated'}`,
    `Last validated: ${process.lastValidated ?? 'never'}`,
    `Owner: ${ownerOf(inputs, process) ?? 'not stated'}`,
    `Defined in ${code(process.file)}; implemented by ${process.implementedBy.length} marker${process.implementedBy.length === 1 ? '' : 's'}`,
  ];
  return rows.join('\n\n');
}

function taskHover(tasks: Task[]): string {
  return tasks
    .map((task) => {
      const where = task.plan ? `${task.plan.file}:${task.plan.line}` : task.summaries[0];
      return `**${task.taskId}: ${task.name}**\n\nStatus: ${task.status}${task.progress !== undefined ? ` (${task.progress}%)` : ''}${task.priority ? `, priority ${task.priority}` : ''}${where ? `\n\nDefined in ${code(where)}` : ''}`;
    })
    .join('\n\n---\n\n');
}

/** The hover for a target, as markdown. */
export function hoverText(inputs: HoverInputs, target: EditorTarget): string {
  switch (target.kind) {
    case 'reference':
      return referenceHover(inputs, target.reference);
    case 'process':
      return processHover(inputs, target.process);
    case 'task':
      return taskHover(target.tasks);
  }
}
