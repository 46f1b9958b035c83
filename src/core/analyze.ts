/**
 * The pure engine: a repository's file list and texts in, the checked graph
 * out. No disk, no git, no clock.
 */
import { runChecks } from './check.ts';
import type { Config } from './config.ts';
import { extractFacts, type FileFacts } from './extract.ts';
import { linkGraph } from './link.ts';
import type { SkippedFile } from './rules/rule.ts';
import type { Graph } from './schema.ts';

export interface RepositoryInput {
  /** Every file in the repository, repository-relative. */
  paths: string[];
  /** Texts of the files that could be read. */
  texts: { path: string; text: string }[];
  /** Files that could not be read, and why. */
  skipped: SkippedFile[];
}

export function analyzeRepository(input: RepositoryInput, config: Config): Graph {
  const facts = input.texts.map((file) => extractFacts(file.path, file.text, config));
  return analyzeFacts(input.paths, facts, input.skipped, config);
}

/** Link and check facts that were already extracted (perhaps from a cache, perhaps in workers). */
export function analyzeFacts(paths: string[], facts: FileFacts[], skipped: SkippedFile[], config: Config): Graph {
  const { graph, findings } = linkGraph(config.name, paths, facts, config);
  const diagnostics = runChecks(graph, findings, facts, skipped, config);
  return { ...graph, diagnostics };
}
