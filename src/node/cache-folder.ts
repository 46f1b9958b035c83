/**
 * Where the fact cache lives, and how its files are read and written.
 *
 * Anything inside a repository, `.git/` included, is the repository author's
 * to write: a cache kept there could feed a scan facts the files never said
 * (a `javascript:` URL, a broken reference hidden). So the cache lives in the
 * user's cache folder (`$XDG_CACHE_HOME/waymark`, `~/Library/Caches/waymark`,
 * `%LOCALAPPDATA%\waymark`) or where the user, never the repository, says
 * (`--cache-dir`, `WAYMARK_CACHE_DIR`), one folder per repository named by a
 * hash of its real path. Every file there is sealed with an HMAC whose key is
 * `WAYMARK_CACHE_KEY` or a random key kept beside the caches (`key`, 0600), so
 * a file that did not come from this user's Waymark is never believed, and is
 * read only when it is a regular file (no links followed) of at most 64 MiB.
 */
import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { chmod, link, lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isInside, resolvesInside } from './read-files.ts';

/** The most a cache file may hold; anything bigger is not read at all. */
export const MAX_CACHE_FILE = 64 * 1024 * 1024;
const KEY_BYTES = 32;
const MAC_HEX = 64;
// Windows has no O_NOFOLLOW: there an lstat comes first (see `readCacheFile`).
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Non-blocking, so a FIFO planted as a cache file cannot hang the open.
const READ_FLAGS = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);

export type Env = Record<string, string | undefined>;

/** Where caches go and what seals them, as the user (never the repository) set it. */
export interface CacheSettings {
  /** The folder holding one cache folder per repository, and the key file. */
  root: string;
  /** `WAYMARK_CACHE_KEY`'s bytes; undefined: use the key file in `root`. */
  key?: Buffer;
  /** Why there is no cache this run (an empty `WAYMARK_CACHE_KEY`). */
  off?: string;
}

/** The user's cache folder for Waymark on this platform. */
export function userCacheRoot(env: Env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'waymark');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'waymark');
  // The XDG spec says a relative value is invalid and to be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'waymark');
}

/**
 * The cache settings from `--cache-dir` (`override`), then
 * `WAYMARK_CACHE_DIR`, then the user's cache folder. `WAYMARK_CACHE_KEY` set
 * but empty turns the cache off: that is what CI gives a fork's pull request,
 * which gets no secrets, and it must not fall back to a key file a restored
 * cache might carry.
 */
export function cacheSettings(env: Env, cwd: string, override?: string): CacheSettings {
  const chosen = override || env.WAYMARK_CACHE_DIR;
  const root = chosen ? path.resolve(cwd, chosen) : userCacheRoot(env);
  const key = env.WAYMARK_CACHE_KEY;
  if (key === '') return { root, off: '`WAYMARK_CACHE_KEY` is set but empty' };
  return { root, key: key === undefined ? undefined : Buffer.from(key, 'utf8') };
}

/** One repository's cache folder, ready to use: private, ours, with the key that seals its files. */
export interface CacheFolder {
  path: string;
  /** The folder's name, a hash of the repository's real path; sealed into every file. */
  id: string;
  secret: Buffer;
}

/** The name of `realRoot`'s cache folder: two repositories never share one. */
export function repositoryCacheId(realRoot: string): string {
  return hash('sha256', realRoot).slice(0, 32);
}

/**
 * Open (creating if need be) the cache folder for the repository at
 * `realRoot`; a reason instead when there can be no cache: the folder is
 * not a private folder of this user's, no key can be had, or the cache root
 * is inside the repository and the key would come from a file there.
 */
export async function openCacheFolder(settings: CacheSettings, realRoot: string): Promise<CacheFolder | { off: string }> {
  if (settings.off) return { off: settings.off };
  const id = repositoryCacheId(realRoot);
  const folder = path.join(settings.root, id);
  try {
    if (!settings.key && (await resolvesInside(realRoot, settings.root))) {
      return { off: 'the cache folder is inside the repository, where a key file could be planted: set `WAYMARK_CACHE_KEY`' };
    }
    await privateFolder(settings.root, 'root');
    await privateFolder(folder, 'repository');
    const secret = settings.key ?? (await keyFile(settings.root));
    return { path: await realpath(folder), id, secret };
  } catch (error) {
    return { off: `the cache folder cannot be used (${(error as Error).message})` };
  }
}

/**
 * Create `folder` (0700) or make sure the existing one is a folder of ours,
 * and private. The root may be a link the user made (a cache on another
 * disk); a repository's folder, which Waymark creates, may not.
 */
async function privateFolder(folder: string, kind: 'root' | 'repository'): Promise<void> {
  await mkdir(folder, { recursive: kind === 'root', mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = kind === 'root' ? await stat(folder) : await lstat(folder);
  if (!info.isDirectory()) throw new Error(`\`${folder}\` is not a folder`);
  if (!ownedByUs(info)) throw new Error(`\`${folder}\` belongs to another user`);
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) await chmod(folder, 0o700);
}

function ownedByUs(info: Stats): boolean {
  return typeof process.getuid !== 'function' || info.uid === process.getuid();
}

/**
 * The key in `<root>/key`, created once from random bytes. A key file that
 * is not a private regular file of ours with exactly the key's length is
 * replaced: whoever could write it could forge every cache file.
 */
async function keyFile(root: string): Promise<Buffer> {
  const file = path.join(root, 'key');
  const existing = await readCacheFile(file, KEY_BYTES);
  if ('bytes' in existing && existing.bytes.length === KEY_BYTES && existing.private) return existing.bytes;
  const fresh = randomBytes(KEY_BYTES);
  const temporary = await writeTemporary(root, [fresh]);
  try {
    // `link` never replaces: of two processes creating the key at once, one wins and both use its key.
    if ('missing' in existing) await link(temporary, file);
    else await rename(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readCacheFile(file, KEY_BYTES);
    if (!('bytes' in winner) || winner.bytes.length !== KEY_BYTES) throw new Error('the key file cannot be read', { cause: error });
    return winner.bytes;
  } finally {
    await rm(temporary, { force: true });
  }
  return fresh;
}

export type CacheFileRead =
  | { bytes: Buffer; read: number; private: boolean }
  | { missing: true; read: 0 }
  | { problem: string; read: number };

/**
 * The bytes of `file` when it is a regular file (a link is not followed) of
 * at most `limit` bytes; `read` says how many bytes were read, which is
 * never more than the limit, whatever the file is.
 */
export async function readCacheFile(file: string, limit = MAX_CACHE_FILE): Promise<CacheFileRead> {
  let handle;
  try {
    if (NOFOLLOW === 0 && (await lstat(file)).isSymbolicLink()) return { problem: 'it is a symbolic link', read: 0 };
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: true, read: 0 };
    return { problem: code === 'ELOOP' ? 'it is a symbolic link' : `it cannot be opened (${code})`, read: 0 };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'it is not a regular file', read: 0 };
    if (info.size > limit) return { problem: `it is larger than ${limit} bytes`, read: 0 };
    // Read at most the size fstat gave: a file growing meanwhile is cut short and fails its seal.
    const bytes = Buffer.alloc(info.size);
    let read = 0;
    while (read < bytes.length) {
      const { bytesRead } = await handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    // Windows reports no owner and no group or other bits worth reading.
    const isPrivate = process.platform === 'win32' || (ownedByUs(info) && (info.mode & 0o077) === 0);
    return { bytes: bytes.subarray(0, read), read, private: isPrivate };
  } catch (error) {
    return { problem: `it cannot be read (${(error as NodeJS.ErrnoException).code})`, read: 0 };
  } finally {
    await handle.close();
  }
}

/**
 * A new file in `folder`, created exclusively (a planted name is never
 * followed) and private. Parts are written as they are: a 3 MB shard copied
 * into one buffer twice cost ~0.4 s per 50k-file cold save (profiled).
 */
async function writeTemporary(folder: string, parts: Buffer[]): Promise<string> {
  const temporary = path.join(folder, `.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    for (const part of parts) await handle.writeFile(part);
  } finally {
    await handle.close();
  }
  return temporary;
}

/**
 * Write `bytes` as `name` in the cache folder, sealed: to a temporary file,
 * then renamed, so a crash or a second process never leaves half of one.
 * False when it could not be written: a cache is only ever a saving.
 */
export async function writeSealed(folder: CacheFolder, name: string, ...parts: Buffer[]): Promise<boolean> {
  const seal = Buffer.from(`${mac(folder, name, ...parts)}\n`);
  // Never written: it would be refused on reading anyway.
  if (parts.reduce((sum, part) => sum + part.length, seal.length) > MAX_CACHE_FILE) return false;
  let temporary: string | undefined;
  try {
    temporary = await writeTemporary(folder.path, [seal, ...parts]);
    await rename(temporary, path.join(folder.path, name));
    return true;
  } catch {
    if (temporary) await rm(temporary, { force: true }).catch(() => undefined);
    return false;
  }
}

/** The bytes sealed in a file's contents, or undefined when its seal does not verify for this folder, name and key. */
export function unseal(folder: CacheFolder, name: string, contents: Buffer): Buffer | undefined {
  if (contents.length <= MAC_HEX || contents[MAC_HEX] !== 10) return undefined;
  const bytes = contents.subarray(MAC_HEX + 1);
  const expected = Buffer.from(mac(folder, name, bytes), 'latin1');
  return timingSafeEqual(expected, contents.subarray(0, MAC_HEX)) ? bytes : undefined;
}

/** HMAC-SHA256 over the bytes (the parts in order), bound to the repository's folder and the file's name so no file can stand in for another. */
function mac(folder: CacheFolder, name: string, ...parts: Buffer[]): string {
  const hmac = createHmac('sha256', folder.secret).update(`waymark-cache\0${folder.id}\0${name}\0`);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/** The repository-relative prefix of the cache folder when the user put it inside the repository (so the scan skips it). */
export function prefixInside(realRoot: string, folder: string): string | undefined {
  if (!isInside(realRoot, folder)) return undefined;
  return `${path.relative(realRoot, folder).split(path.sep).join('/')}/`;
}
