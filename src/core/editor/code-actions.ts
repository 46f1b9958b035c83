/**
 * The edits an editor offers on a document: follow moved lines (the
 * `moved-lines` fix `waymark fix` makes), turn a line range into a symbol
 * reference (`waymark fix --to-symbols`), and record today's validation on a
 * process document (`waymark validate`). Pure: each returns text edits.
 */
import { lineStarts, type Replacement } from '../fix/fix.ts';
import { recordValidation } from '../fix/record-validation.ts';
import { proposeSymbolConversions } from '../fix/to-symbols.ts';
import type { RepositoryHistory } from '../history/history.ts';
import { planFixes, relocations, renameFixes } from '../history/relocate.ts';
import type { SymbolBlock } from '../extract/symbols.ts';
import type { Graph, LineRange } from '../schema.ts';

/** A replacement of `[start, end)` (1-based line and UTF-16 column) with `newText`. */
export interface TextEdit {
  start: { line: number; column: number };
  end: { line: number; column: number };
  newText: string;
}

export interface EditorAction {
  title: string;
  /** `quickfix` answers a diagnostic; `refactor.rewrite` and `source` are offered anywhere they apply. */
  kind: 'quickfix' | 'refactor.rewrite' | 'source';
  /** The rule of the diagnostics it fixes. */
  rule?: string;
  /** The edits, all in the document the action was asked for. */
  edits: TextEdit[];
  preferred?: boolean;
}

function replacementEdit(replacement: Replacement): TextEdit {
  const { line, column, oldText, newText } = replacement;
  return { start: { line, column }, end: { line, column: column + oldText.length }, newText };
}

const touches = (line: number, range: LineRange) => line >= range.start && line <= range.end;

/** `waymark fix`'s rewrites for the references of `file` on lines `range`: one action each, and one for all of the file when there are several. */
export function movedLinesActions(graph: Pick<Graph, 'documents' | 'references' | 'files' | 'paths'>, history: RepositoryHistory | undefined, file: string, range: LineRange): EditorAction[] {
  if (!history) return [];
  // Lines that moved and files that were renamed: the plan `waymark fix` applies. A renamed file is reported as `missing-file`.
  const renames = renameFixes(graph, history).filter((rename) => rename.reference.source.file === file);
  const renamed = new Set(renames.map((rename) => `${rename.reference.source.line}:${rename.reference.source.column}`));
  const plan = planFixes(relocations(graph, history), renames).get(file) ?? [];
  const actions: EditorAction[] = plan
    .filter((replacement) => touches(replacement.line, range))
    .map((replacement) => {
      const rename = renamed.has(`${replacement.line}:${replacement.column}`);
      return {
        title: `Update \`${replacement.oldText}\` to ${rename ? 'the renamed file' : 'the moved lines'}: \`${replacement.newText}\``,
        kind: 'quickfix',
        rule: rename ? 'missing-file' : 'moved-lines',
        edits: [replacementEdit(replacement)],
        preferred: true,
      };
    });
  if (plan.length > 1 && actions.length > 0) actions.push({ title: `Update all ${plan.length} moved references in this file (as \`waymark fix\` would)`, kind: 'quickfix', edits: plan.map(replacementEdit) });
  return actions;
}

/** `path:12-30` → `path#symbol` for the line references of `file` on lines `range` that cover exactly one named block. */
export function symbolReferenceActions(
  graph: Pick<Graph, 'references'>,
  tables: ReadonlyMap<string, readonly SymbolBlock[]>,
  file: string,
  range: LineRange,
): EditorAction[] {
  const references = graph.references.filter((reference) => reference.source.file === file && touches(reference.source.line, range) && reference.lines);
  const byId = new Map(references.map((reference) => [reference.id, reference]));
  return proposeSymbolConversions(references, tables).map((conversion) => {
    const { line, column } = byId.get(conversion.referenceId)!.source;
    return {
      title: `Turn \`${conversion.oldText}\` into the symbol reference \`${conversion.newText}\``,
      kind: 'refactor.rewrite',
      edits: [replacementEdit({ line, column, oldText: conversion.oldText, newText: conversion.newText })],
    };
  });
}

/** The smallest edit that turns `before` into `after`: their common start and end stay. */
export function minimalEdit(before: string, after: string): TextEdit {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  const starts = lineStarts(before);
  const position = (offset: number) => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
  return { start: position(head), end: position(before.length - tail), newText: after.slice(head, after.length - tail) };
}

/** "Add `Last Validated: <today>`" on a process document (or set it when the line is there). */
export function lastValidatedAction(graph: Pick<Graph, 'documents' | 'processes'>, file: string, text: string, today: string): EditorAction | undefined {
  if (!graph.processes.some((process) => process.file === file)) return undefined;
  const document = graph.documents.find((candidate) => candidate.path === file);
  if (!document) return undefined;
  const recorded = recordValidation(text, document.metadata, { date: today });
  if ('problem' in recorded || recorded.text === text) return undefined;
  const had = document.metadata.some((entry) => entry.key === 'last validated');
  return { title: `${had ? 'Set' : 'Add'} \`Last Validated: ${today}\``, kind: 'source', edits: [minimalEdit(text, recorded.text)] };
}
