/**
 * The pure engine: a repository's file list and texts in, the checked graph
 * out. No disk, no git, no clock: history and "today" come in as data.
 *
 * Two phases, because git history is read between them: `linkRepository`
 * extracts and links, `checkRepository` runs the rules.
 */
import { runChecks } from '../rules/run-checks.ts';
import type { Config } from '../config/config.ts';
import { extractFacts, type FileFacts } from '../extract/extract.ts';
import { linkGraph, type LinkedGraph, type LinkFindings } from './link-graph.ts';
import type { RuleContext, SkippedFile } from '../rules/rule.ts';
import type { Graph } from '../schema.ts';
import { symbolTable } from './symbol-index.ts';
import { isSymbolAnchor } from '../extract/symbols.ts';

export interface RepositoryInput {
  /** Every file in the repository, repository-relative. */
  paths: string[];
  /** Texts of the files that could be read. */
  texts: { path: string; text: string }[];
  /** Files that could not be read, and why. */
  skipped: SkippedFile[];
}

export interface LinkedRepository {
  graph: LinkedGraph;
  findings: LinkFindings;
  facts: FileFacts[];
  skipped: SkippedFile[];
}

/** What the rules may know beyond the files: git history and the date to judge ages by. */
export type CheckExtras = Pick<RuleContext, 'history' | 'today'>;

export function linkRepository(input: RepositoryInput, config: Config): LinkedRepository {
  const facts = input.texts.map((file) => extractFacts(file.path, file.text, config));
  const linked = linkFacts(input.paths, facts, input.skipped, config);
  const texts = new Map(input.texts.map((file) => [file.path, file.text]));
  addSymbolTables(linked, (path) => texts.get(path));
  return linked;
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

/** Give the facts of symbol-referenced files their symbol table, from whatever texts the caller has. */
export function addSymbolTables(linked: LinkedRepository, textOf: (path: string) => string | undefined): void {
  const factsByPath = new Map(linked.facts.map((fact) => [fact.path, fact]));
  for (const target of symbolTargets(linked)) {
    const text = textOf(target);
    const fact = factsByPath.get(target);
    if (text !== undefined && fact) fact.symbols = symbolTable(target, text);
  }
}

/** Link facts that were already extracted (perhaps from a cache, perhaps in workers). */
export function linkFacts(paths: string[], facts: FileFacts[], skipped: SkippedFile[], config: Config): LinkedRepository {
  const { graph, findings } = linkGraph(config.name, paths, facts, config);
  return { graph, findings, facts, skipped };
}

export function checkRepository(linked: LinkedRepository, config: Config, extras: CheckExtras = {}): Graph {
  const diagnostics = runChecks(linked.graph, linked.findings, linked.facts, linked.skipped, config, extras);
  return { ...linked.graph, diagnostics };
}

/** Both phases at once, for callers without history. */
export function analyzeRepository(input: RepositoryInput, config: Config, extras: CheckExtras = {}): Graph {
  return checkRepository(linkRepository(input, config), config, extras);
}
