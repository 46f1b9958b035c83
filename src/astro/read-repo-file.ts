/**
 * Reading repository files for the site, and only repository files: a path
 * from the graph is resolved under the repository root and refused when it
 * (or a symlink on the way) leads outside it.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { isInside as inside } from '../node/read-files.ts';

export interface RepoFileText {
  /** The text, or undefined when the file could not be shown. */
  text?: string;
  /** Why there is no text: `outside`, `missing`, `too-large`, `binary`. */
  reason?: 'outside' | 'missing' | 'too-large' | 'binary';
}


/**
 * Read `path` (repository-relative) under `root` as UTF-8.
 *
 * @example
 * await readRepoFile('/repo', 'infra/lb.tf', 1 << 20); // { text: '…' }
 * await readRepoFile('/repo', '../etc/passwd', 1 << 20); // { reason: 'outside' }
 */
export async function readRepoFile(root: string, path: string, maxBytes: number): Promise<RepoFileText> {
  const absRoot = resolve(root);
  const target = resolve(absRoot, path);
  if (isAbsolute(path) || !inside(absRoot, target)) return { reason: 'outside' };
  let real: string;
  try {
    real = await realpath(target);
    if (!inside(await realpath(absRoot), real)) return { reason: 'outside' };
    const info = await stat(real);
    if (!info.isFile()) return { reason: 'missing' };
    if (info.size > maxBytes) return { reason: 'too-large' };
  } catch {
    return { reason: 'missing' };
  }
  const buffer = await readFile(real);
  if (buffer.subarray(0, 8192).includes(0)) return { reason: 'binary' };
  return { text: buffer.toString('utf8') };
}
