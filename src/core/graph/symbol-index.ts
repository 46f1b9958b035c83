/**
 * Symbol tables computed at extraction time. Rules are pure and never see file
 * texts, so each code file's symbols travel in its facts (`FileFacts.symbols`)
 * and rules read them from there.
 */
import { findSymbols, supportsSymbols, type SymbolBlock } from '../extract/symbols.ts';

/** The symbols of one file; empty for markdown and languages without symbol support. */
export function symbolTable(path: string, text: string): SymbolBlock[] {
  return supportsSymbols(path) ? findSymbols(path, text) : [];
}

/** What a rule or `waymark fix` needs of per-file facts. `FileFacts` fits as is. */
export interface SymbolFacts {
  path: string;
  symbols?: readonly SymbolBlock[];
}

/** Path → symbols, for files whose facts carry a table. */
export function symbolTables(facts: readonly SymbolFacts[]): Map<string, readonly SymbolBlock[]> {
  const tables = new Map<string, readonly SymbolBlock[]>();
  for (const fact of facts) if (fact.symbols) tables.set(fact.path, fact.symbols);
  return tables;
}
