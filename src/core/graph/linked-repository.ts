/**
 * The linked repository: the graph joined from every file's facts, before the
 * rules run, with what the rules need besides it. The scan reads git history
 * between linking and checking (`checkGraph` in `../rules/run-checks.ts`).
 */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import type { SymbolBlock } from '../extract/symbols.ts';
import type { SkippedFile } from '../rules/rule.ts';
import { linkGraph, type LinkedGraph, type LinkFindings, type LinkMemo } from './link-graph.ts';

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

/** Files that `path#symbol` references point at: only these need a symbol table (the linker lists them, file by file). */
export function symbolTargets(linked: LinkedRepository): string[] {
  return linked.findings.symbolTargets;
}

/** The same repository with the given symbol tables in the facts of their files (the resident engine keeps tables between links). */
export function withTables(linked: LinkedRepository, tables: ReadonlyMap<string, SymbolBlock[]>): LinkedRepository {
  if (tables.size === 0) return linked;
  const facts = linked.facts.map((fact) => (tables.has(fact.path) ? { ...fact, symbols: tables.get(fact.path) } : fact));
  return { ...linked, facts };
}
