/**
 * Writing a file into a repository Waymark does not control (`waymark init`):
 * never through a symbolic link, never outside the root. A link planted at
 * `.github/workflows/waymark.yml` or `.github` would otherwise carry the write
 * (and with `--force`, the overwrite) to any file the user can write.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from './read-files.ts';

/** What became of one file: written, or kept because it exists and overwriting was not asked for. */
export type RepositoryWrite = 'written' | 'kept';

/** The file cannot be written safely; the message says why and names it. */
export class UnsafeWriteError extends Error {
  name = 'UnsafeWriteError';
}

/** Create only, never through a final link: the write cannot land anywhere but a new file at this path. */
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Write `name` (repository-relative, forward slashes) under `root`. Folders
 * on the way are created as needed; one that exists must be a real folder,
 * not a link. An existing file is kept unless `overwrite`, and is refused
 * when it is a link or not a regular file, `overwrite` or not.
 */
export async function writeRepositoryFile(root: string, name: string, text: string, options: { overwrite?: boolean } = {}): Promise<RepositoryWrite> {
  const realRoot = await realpath(root);
  const target = path.join(realRoot, name);
  if (!isInside(realRoot, target) || target === realRoot) throw new UnsafeWriteError(`\`${name}\` is not a path inside the repository`);
  let folder = realRoot;
  for (const segment of path.relative(realRoot, path.dirname(target)).split(path.sep).filter(Boolean)) {
    folder = path.join(folder, segment);
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    // Checked after mkdir, so a link that was there before (or appeared since) is seen.
    const info = await lstat(folder);
    const shown = path.relative(realRoot, folder).split(path.sep).join('/');
    if (info.isSymbolicLink()) throw new UnsafeWriteError(`\`${shown}\` is a symbolic link; Waymark does not write through links`);
    if (!info.isDirectory()) throw new UnsafeWriteError(`\`${shown}\` is not a folder`);
  }
  const existing = await lstat(target).catch(() => undefined);
  if (existing?.isSymbolicLink()) throw new UnsafeWriteError(`\`${name}\` is a symbolic link; Waymark does not write through links`);
  if (existing && !existing.isFile()) throw new UnsafeWriteError(`\`${name}\` exists and is not a regular file`);
  if (existing && !options.overwrite) return 'kept';
  // A new file is created in place; an overwrite goes through a new file renamed over the old one,
  // and rename replaces a link itself, never what it points to.
  const written = existing ? path.join(folder, `.${path.basename(target)}.waymark-${randomBytes(6).toString('hex')}.tmp`) : target;
  const handle = await open(written, CREATE, existing ? existing.mode & 0o777 : 0o644).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ELOOP') throw new UnsafeWriteError(`\`${name}\` appeared while it was being written`);
    throw error;
  });
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  if (written !== target) await rename(written, target).catch(async (error) => {
    await unlink(written).catch(() => undefined);
    throw error;
  });
  return 'written';
}
