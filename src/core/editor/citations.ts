/**
 * Who cites a line: the references (from documents and markers) that resolve
 * to a file and cover a line of it, for "find references" from a code file
 * and for the "also cited by" line of a hover. Pure.
 */
import type { Graph, LineRange, Reference } from '../schema.ts';
import type { SymbolLookup } from './definitions.ts';

/** The lines a reference covers in `file`: its range, its symbol's lines, or undefined for the whole file. */
function coveredLines(reference: Reference, file: string, symbol: SymbolLookup): LineRange | undefined {
  if (reference.lines) return reference.lines;
  if (reference.anchor) return symbol(file, reference.anchor);
  return undefined;
}

/**
 * References that cite lines `range` of `file` (any overlap), then those that
 * cite the whole file, each group in source order; `except` leaves one out.
 */
export function citationsOf(graph: Pick<Graph, 'references'>, file: string, range: LineRange, symbol: SymbolLookup, except?: string): Reference[] {
  const ranged: Reference[] = [];
  const whole: Reference[] = [];
  for (const reference of graph.references) {
    if (reference.id === except || reference.status !== 'ok' || !reference.targets.includes(file)) continue;
    const lines = coveredLines(reference, file, symbol);
    if (!lines) whole.push(reference);
    else if (lines.start <= range.end && lines.end >= range.start) ranged.push(reference);
  }
  return [...ranged, ...whole];
}
