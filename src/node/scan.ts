/**
 * Scan a repository on disk: config, file discovery, reading, then the pure
 * engine. The only place the engine meets the file system.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { analyzeRepository } from '../core/analyze.ts';
import { resolveConfig, type Config } from '../core/config.ts';
import type { Graph } from '../core/schema.ts';
import { discoverFiles } from './discover.ts';
import { loadUserConfig } from './load-config.ts';
import { isBinaryByName, readRepositoryFiles } from './read-files.ts';

export interface ScanOptions {
  /** Run a `waymark.config.mjs` found in the repository. */
  trustConfig?: boolean;
}

export interface ScanResult {
  graph: Graph;
  config: Config;
  /** Absolute, real path of the repository root. */
  root: string;
}

export class RepositoryError extends Error {
  name = 'RepositoryError';
}

export async function scanRepository(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const absolute = path.resolve(root);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new RepositoryError(`\`${root}\` is not a directory`);
  const realRoot = await realpath(absolute);
  const config = resolveConfig(await loadUserConfig(realRoot, options), path.basename(realRoot));
  const { paths } = await discoverFiles(realRoot, config.include, config.exclude);
  const outcomes = await readRepositoryFiles(realRoot, paths.filter((file) => !isBinaryByName(file)), config.maxFileSize);
  const texts = outcomes.flatMap((outcome) => ('text' in outcome ? [outcome] : []));
  const skipped = outcomes.flatMap((outcome) => ('skipped' in outcome ? [{ path: outcome.path, reason: outcome.skipped }] : []));
  const graph = analyzeRepository({ paths, texts, skipped }, config);
  return { graph, config, root: realRoot };
}
