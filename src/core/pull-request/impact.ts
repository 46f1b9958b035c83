/**
 * What a change touches (`waymark check --changed-since`): the documented
 * code it edits, and the problems it brings. Pure: the texts of the cited
 * files at the base and now come in, data goes out.
 *
 * - **Impact**: every reference from a document to code whose cited lines
 *   (or whole file, for a reference without lines) the change edits, with
 *   the process and step that cite them: those need revalidating.
 * - **Introduced problems**: the problems now whose fingerprint the base did
 *   not have (as many times), wherever they are: a renamed file or removed
 *   lines break references in documents the change never opened.
 */
import { fingerprinter } from '../baseline/fingerprint.ts';
import { applySuppressions, suppressAll } from '../baseline/suppressions.ts';
import { lineChanges } from '../fix/unified-diff.ts';
import type { Hunk } from '../history/line-map.ts';
import { compareText } from '../text/compare.ts';
import type { Diagnostic, Graph } from '../schema.ts';

/** One citation the change touches. */
export interface ImpactItem {
  /** The cited file. */
  path: string;
  /** The cited lines (now), absent when the reference cites the whole file. */
  lines?: { start: number; end: number };
  /** The changed lines inside them (now; for lines only removed, the line before the gap). */
  changed: { start: number; end: number };
  /** The reference as written. */
  raw: string;
  /** Where it is written. */
  source: { file: string; line: number };
  /** The process whose document cites it, if it is a process document. */
  process?: { id: string; name: string };
  /** The step (sub-process) the reference is in, if any. */
  step?: string;
}

/** A cited file's text at the base and now; absent on the side where the file does not exist. */
export interface ChangedText {
  base?: string;
  head?: string;
}

type ImpactGraph = Pick<Graph, 'references' | 'documents' | 'processes'>;

/**
 * Code files documents cite with a plain path (with or without lines): the
 * files whose texts {@link impactOf} needs on both sides.
 */
export function citedCodeFiles(graph: ImpactGraph): string[] {
  return [...new Set(citations(graph).map(({ target }) => target))].sort(compareText);
}

function citations(graph: ImpactGraph) {
  const documents = new Set(graph.documents.map((document) => document.path));
  return graph.references
    .filter((reference) => reference.kind === 'path' && reference.status === 'ok' && reference.targets.length === 1)
    .filter((reference) => documents.has(reference.source.file) && !reference.anchor && !reference.section)
    .map((reference) => ({ reference, target: reference.targets[0] }))
    .filter(({ target }) => !documents.has(target));
}

/** The citations `texts` shows changed, sorted by citing file and line. A file new at the head cites nothing old: skipped. */
export function impactOf(graph: ImpactGraph, texts: ReadonlyMap<string, ChangedText>): ImpactItem[] {
  const processByFile = new Map(graph.processes.map((process) => [process.file, process]));
  const hunksByFile = new Map<string, Hunk[]>();
  const hunksOf = (file: string): Hunk[] => {
    let hunks = hunksByFile.get(file);
    if (!hunks) {
      const text = texts.get(file);
      hunks = text?.base === undefined || text.head === undefined || text.base === text.head ? [] : lineChanges(text.base, text.head);
      hunksByFile.set(file, hunks);
    }
    return hunks;
  };
  const items: ImpactItem[] = [];
  for (const { reference, target } of citations(graph)) {
    const changed = touched(hunksOf(target), reference.lines);
    if (!changed) continue;
    const process = processByFile.get(reference.source.file);
    const step = process?.subProcesses.find((sub) => sub.references.includes(reference.id))?.name;
    items.push({
      path: target,
      ...(reference.lines ? { lines: reference.lines } : {}),
      changed,
      raw: reference.raw,
      source: { file: reference.source.file, line: reference.source.line },
      ...(process ? { process: { id: process.id, name: process.name } } : {}),
      ...(step ? { step } : {}),
    });
  }
  return items.sort((a, b) => compareText(a.source.file, b.source.file) || a.source.line - b.source.line || compareText(a.raw, b.raw));
}

/** The span of changed lines within `range` (the whole file without one), or undefined when the change leaves it alone. */
function touched(hunks: Hunk[], range: { start: number; end: number } | undefined): { start: number; end: number } | undefined {
  let first = Infinity;
  let last = -Infinity;
  for (const hunk of hunks) {
    // Added or rewritten lines are `newStart…`; lines only removed sit after `newStart`.
    const start = hunk.newStart;
    const end = hunk.newCount === 0 ? hunk.newStart : hunk.newStart + hunk.newCount - 1;
    const inside = range
      ? hunk.newCount === 0
        ? range.start <= start && start < range.end
        : start <= range.end && end >= range.start
      : true;
    if (!inside) continue;
    first = Math.min(first, range ? Math.max(start, range.start) : start);
    last = Math.max(last, range ? Math.min(end, range.end) : end);
  }
  return first <= last ? { start: Math.max(first, 1), end: Math.max(last, 1) } : undefined;
}

/**
 * The problems of `head` that `base` did not have: compared by file, rule
 * and fingerprint, with counts (one more of a kind reports every one of that
 * kind, as the baseline does).
 */
export function introducedProblems(head: { graph: Graph; diagnostics: Diagnostic[] }, base: { graph: Graph; diagnostics: Diagnostic[] }): Diagnostic[] {
  const atBase = suppressAll(base.diagnostics, fingerprinter(base.graph));
  const { active } = applySuppressions(head.diagnostics, fingerprinter(head.graph), atBase);
  // Info-level problems are never recorded, so every one would look new: they never are.
  return active.filter((diagnostic) => diagnostic.severity !== 'info');
}
