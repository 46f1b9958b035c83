/**
 * The linked repository: the graph joined from every file's facts, before the
 * rules run, with what the rules need besides it. The scan reads git history
 * between linking and checking (`checkGraph` in `../rules/run-checks.ts`).
 */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import { isSymbolAnchor } from '../extract/symbols.ts';
import type { SkippedFile } from '../rules/rule.ts';
import { linkGraph, type LinkedGraph, type LinkFindings, type LinkMemo } from './link-graph.ts';
import { symbolTable } from './symbol-index.ts';

export interface LinkedRepository {
  graph: LinkedGraph;
  findings: LinkFindings;
  facts: FileFacts[];
  skipped: SkippedFile[];
}

/** Link facts that were already extracted (perhaps from a cache, perhaps in workers). */
export function linkFacts(paths: string[], facts: FileFacts[], skipped: SkippedFile[], config: Config, memo?: LinkMemo): LinkedRepository {
  const { graph, findings } = linkGraph(config.name, paths, facts, config, memo);
  return { graph, findings, facts, skipped };
}

/** Files that `path#symbol` references point at: only these need a symbol table. */
export function symbolTargets(linked: LinkedRepository): string[] {
  const targets = new Set<string>();
  for (const reference of linked.graph.references) {
    if (reference.status !== 'ok' || reference.anchor === undefined || reference.targets.length !== 1) continue;
    const [target] = reference.targets;
    if (isSymbolAnchor(target, reference.anchor)) targets.add(target);
  }
  return [...targets].sort();
}

/** The same repository with the facts of symbol-referenced files given their symbol table, from whatever texts the caller has. */
export function withSymbolTables(linked: LinkedRepository, textOf: (path: string) => string | undefined): LinkedRepository {
  const tables = new Map<string, FileFacts['symbols']>();
  for (const target of symbolTargets(linked)) {
    const text = textOf(target);
    if (text !== undefined) tables.set(target, symbolTable(target, text));
  }
  if (tables.size === 0) return linked;
  const facts = linked.facts.map((fact) => (tables.has(fact.path) ? { ...fact, symbols: tables.get(fact.path) } : fact));
  return { ...linked, facts };
}
