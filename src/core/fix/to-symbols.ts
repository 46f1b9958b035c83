/**
 * `waymark fix --to-symbols`: rewrite line references that cover exactly one
 * named block (`infra/lb.tf:12-48`) as symbol references
 * (`infra/lb.tf#aws_lb_listener_rule.switch`), which survive line drift.
 * Pure: references and symbol tables in, proposed edits out.
 */
import type { LineRange } from '../schema.ts';
import { matchSymbol, type SymbolBlock } from '../extract/symbols.ts';

/** The parts of a resolved reference this needs (`Reference` fits as is). */
export interface LineReference {
  id: string;
  raw: string;
  path?: string;
  anchor?: string;
  lines?: LineRange;
  status?: string;
  targets?: readonly string[];
}

/** One proposed rewrite: replace `oldText` at the reference's source with `newText`. */
export interface SymbolConversion {
  referenceId: string;
  oldText: string;
  newText: string;
}

/** Names a reference can carry after `#` without quoting: no blanks, quotes, `#` or list punctuation. */
const WRITABLE = /^[^\s`'"#,;()<>{}[\]]+$/;

/**
 * Whether `lines` covers `block` exactly: same start (or a start within the
 * comment lines directly above it) and same end (or an end within the blank
 * lines directly below it).
 */
export function coversBlock(lines: LineRange, block: SymbolBlock): boolean {
  const firstStart = block.leadStart ?? block.start;
  const lastEnd = block.tailEnd ?? block.end;
  return lines.start >= firstStart && lines.start <= block.start && lines.end >= block.end && lines.end <= lastEnd;
}

/** The block a reference covers exactly, when its name would lead back to that same block. */
function coveredBlock(target: string, lines: LineRange, blocks: readonly SymbolBlock[]): SymbolBlock | undefined {
  // Outer blocks come first, so a class wins over its only method spanning the same lines.
  const block = blocks.find((candidate) => coversBlock(lines, candidate));
  if (!block || !WRITABLE.test(block.name)) return undefined;
  return matchSymbol(target, blocks, block.name) === block ? block : undefined;
}

/**
 * Proposed conversions, in reference order. Only resolved references to one
 * file, with lines and no anchor, whose file has a symbol table.
 *
 * @example
 * proposeSymbolConversions(graph.references, symbolTables(facts))
 * // → [{ referenceId: 'docs/p.md:12:5', oldText: 'infra/lb.tf:12-48', newText: 'infra/lb.tf#aws_lb_listener_rule.switch' }]
 */
export function proposeSymbolConversions(
  references: readonly LineReference[],
  tables: ReadonlyMap<string, readonly SymbolBlock[]>,
): SymbolConversion[] {
  const conversions: SymbolConversion[] = [];
  for (const reference of references) {
    if (!reference.lines || reference.anchor !== undefined) continue;
    if (reference.status !== undefined && reference.status !== 'ok') continue;
    const target = reference.targets?.length === 1 ? reference.targets[0] : reference.targets === undefined ? reference.path : undefined;
    const blocks = target === undefined ? undefined : tables.get(target);
    if (target === undefined || !blocks) continue;
    const block = coveredBlock(target, reference.lines, blocks);
    if (!block) continue;
    conversions.push({ referenceId: reference.id, oldText: reference.raw, newText: `${reference.path ?? target}#${block.name}` });
  }
  return conversions;
}
