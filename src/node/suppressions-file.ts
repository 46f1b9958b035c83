/**
 * `waymark-suppressions.json` on disk: read from the repository root like
 * the config (a regular file inside the root, never through a link, bounded),
 * written like `init`'s files (never through a link).
 */
import path from 'node:path';
import { parseSuppressions, SUPPRESSIONS_FILE, suppressionsText, type SuppressionsFile } from '../core/baseline/suppressions.ts';
import { ConfigError } from './load-config.ts';
import { readRegularFile } from './read-files.ts';
import { writeRepositoryFile } from './repo-write.ts';

/** Far above a real baseline (a 100,000-problem one is about 14 MiB). */
const MAX_SUPPRESSIONS_BYTES = 64 * 1024 * 1024;

/** The suppressions file in `root`, checked; undefined when there is none. A broken one is an error naming it (exit 2). */
export async function readSuppressionsFile(root: string): Promise<SuppressionsFile | undefined> {
  let read;
  try {
    read = await readRegularFile(path.join(root, SUPPRESSIONS_FILE), MAX_SUPPRESSIONS_BYTES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if ('skipped' in read) throw new ConfigError([`\`${SUPPRESSIONS_FILE}\` cannot be read: ${read.skipped}`]);
  const parsed = parseSuppressions(read.bytes.toString('utf8'));
  if ('problem' in parsed) throw new ConfigError([parsed.problem]);
  return parsed.file;
}

/** Write (or replace) the suppressions file in `root`. */
export async function writeSuppressionsFile(root: string, file: SuppressionsFile): Promise<void> {
  await writeRepositoryFile(root, SUPPRESSIONS_FILE, suppressionsText(file), { overwrite: true });
}
