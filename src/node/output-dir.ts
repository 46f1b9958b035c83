/**
 * Which folder `waymark build --out` may empty. A build deletes its output
 * folder first, so `--out .` would delete the repository (`.git` and
 * uncommitted work included) and `--out docs` the documents it reads. Only a
 * folder Waymark made (it leaves {@link OUTPUT_MARKER} in it) or an empty one
 * is ever emptied; the repository, a folder holding it, and a folder with
 * files git tracks are refused whatever is in them. Checked before the scan,
 * so a refusal costs nothing.
 */
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { git, openScope } from './git.ts';
import { isInside } from './read-files.ts';

/** Left in every output folder Waymark builds: a later build may empty that folder. */
export const OUTPUT_MARKER = '.waymark-output';

const MARKER_TEXT = 'Built by `waymark build`, which empties this folder on every build.\n';

/** The output folder may not be emptied; the message names it and says why. */
export class OutputFolderError extends Error {
  name = 'OutputFolderError';
}

/**
 * Throw an {@link OutputFolderError} unless `out` may be emptied and written
 * for a build of the repository at `root`.
 *
 * @param shown how to name the folder in the message (as the user wrote it)
 */
export async function checkOutputFolder(root: string, out: string, shown = out): Promise<void> {
  const refuse = (why: string) => new OutputFolderError(`refusing to build into \`${shown}\`: ${why}`);
  // A repository that does not resolve is the scan's to report; the folder rules still hold.
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const realOut = await realPathOf(path.resolve(out));
  if (realOut === realRoot) throw refuse('it is the repository itself, and a build empties its output folder first');
  if (isInside(realOut, realRoot)) throw refuse('it contains the repository, and a build empties its output folder first');
  const info = await lstat(realOut).catch(() => undefined);
  if (info && !info.isDirectory()) throw refuse('it exists and is not a folder');
  if (isInside(realRoot, realOut)) await refuseTracked(realRoot, realOut, refuse);
  if (!info) return;
  const entries = await readdir(realOut);
  if (entries.length > 0 && !entries.includes(OUTPUT_MARKER)) {
    throw refuse(`it holds files Waymark did not build (no \`${OUTPUT_MARKER}\` in it); empty or delete it, or pick another --out`);
  }
}

/** Files git tracks in the output folder are the user's: a build would delete them. */
async function refuseTracked(realRoot: string, realOut: string, refuse: (why: string) => OutputFolderError): Promise<void> {
  const relative = path.relative(realRoot, realOut).split(path.sep).join('/');
  const { scope } = await openScope(realRoot).catch(() => ({ scope: undefined }));
  if (!scope) return;
  const listed = await git(scope, ['ls-files', '-z', '--', `:(literal)${relative}`]).catch(() => '');
  const inside = listed.split('\0').find(Boolean);
  if (inside) throw refuse(`it holds files git tracks (\`${inside}\`), which a build would delete`);
}

/** The real path of `file`, or of its nearest existing ancestor joined with the rest (a folder not made yet). */
async function realPathOf(file: string): Promise<string> {
  const real = await realpath(file).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = path.dirname(file);
  return parent === file ? file : path.join(await realPathOf(parent), path.basename(file));
}

/**
 * Leave the marker in a built output folder (no link followed), so the next
 * build may empty it. Called after {@link checkOutputFolder} passed and a
 * build ran or stopped: what is in the folder then is Waymark's. An empty
 * folder (the build stopped before writing) is left as it was.
 */
export async function markOutputFolder(out: string): Promise<void> {
  const info = await lstat(out).catch(() => undefined);
  if (!info?.isDirectory() || (await readdir(out)).length === 0) return;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
  const handle = await open(path.join(out, OUTPUT_MARKER), flags, 0o644);
  try {
    await handle.writeFile(MARKER_TEXT);
  } finally {
    await handle.close();
  }
}
