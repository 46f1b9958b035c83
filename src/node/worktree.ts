/**
 * HEAD against the work tree, without letting git read a work file: git
 * passes work-tree content through the repository's `filter.<name>.clean`
 * (and `process`) programs whenever it hashes it (`git diff HEAD`,
 * `git status`, and any racily-clean index entry), and a filter's name is
 * the repository's choice, so no `-c` can switch them all off. Here git
 * reports only what it stores (index entries with their stat data, HEAD's
 * blobs); files are read from disk, hashed and diffed in JavaScript.
 *
 * Differences from `git diff HEAD`: mode-only changes are not reported;
 * renames are paired only when staged (`git mv`; git would also pair a
 * deletion left unstaged with a similar staged new file); and hunks come
 * from a plain Myers diff (git adds an indent heuristic), so an ambiguous
 * block of added lines may sit a line apart.
 */
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { lstat, readFile, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { FileDiff } from '../core/history/line-map.ts';
import { lineChanges } from '../core/fix/unified-diff.ts';
import { chunkPathGroups } from './git-history.ts';
import { git, gitBytes, GitPipe, type GitScope } from './git.ts';
import { isInside } from './read-files.ts';

/** A file's blob id as the fact cache recorded it, while its stamp is unchanged (`FactCache.vouchedDigest`). */
export type CachedIds = (file: string, absolute: string) => string | undefined;

/** One index entry of `git ls-files --stage --debug -z`. */
interface IndexEntry {
  mode: string;
  oid: string;
  stage: number;
  path: string;
  mtimeSeconds: bigint;
  mtimeNanoseconds: bigint;
  ino: bigint;
  size: bigint;
  /** `assume-unchanged` or `skip-worktree` (a sparse checkout): git does not look at the file, nor do we. */
  notChecked: boolean;
}

const ENTRY =
  /(\d{6}) ([0-9a-f]{40,64}) (\d)\t([^\0]*)\0 {2}ctime: \d+:\d+\n {2}mtime: (\d+):(\d+)\n {2}dev: \d+\tino: (\d+)\n {2}uid: \d+\tgid: \d+\n {2}size: (\d+)\tflags: ([0-9a-f]+)\n/g;
/** `CE_VALID` (assume-unchanged) and `CE_SKIP_WORKTREE`, as `--debug` prints the entry's flags. */
const NOT_CHECKED = 0x8000 | 0x40000000;

/** The index under `root` with the stat data git recorded; a crafted index is only data here. */
function parseIndexListing(text: string): IndexEntry[] {
  return [...text.matchAll(ENTRY)].map((match) => ({
    mode: match[1],
    oid: match[2],
    stage: Number(match[3]),
    path: match[4],
    mtimeSeconds: BigInt(match[5]),
    mtimeNanoseconds: BigInt(match[6]),
    ino: BigInt(match[7]),
    size: BigInt(match[8]),
    notChecked: (Number.parseInt(match[9], 16) & NOT_CHECKED) !== 0,
  }));
}

/** `:old new oldOid newOid status\0path\0` records of `git diff-index --raw -z` → path → HEAD's object id (undefined: not in HEAD). */
function parseRawHeadSide(text: string): Map<string, string | undefined> {
  const heads = new Map<string, string | undefined>();
  const tokens = text.split('\0');
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const fields = tokens[i].split(' ');
    const oid = fields[2];
    if (!oid) break;
    heads.set(tokens[i + 1], /^0+$/.test(oid) ? undefined : oid);
  }
  return heads;
}

const HASH_CONCURRENCY = 16;
const U32 = 0xffffffffn;

/** Git's object id for blob `bytes`, in the repository's hash (told by the id's length). */
function blobId(bytes: Uint8Array, like: string): string {
  return createHash(like.length === 64 ? 'sha256' : 'sha1')
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest('hex');
}

/**
 * Tracked files under the scanned root whose work-tree content differs from
 * HEAD (staged or not), sorted. A file git's stat data says is untouched
 * (and not racily so) is trusted as git would; any other is hashed.
 * `onUnchanged` is told those untouched files (path → blob id), and those
 * the fact cache vouches for with HEAD's id (`cachedIds`), as soon as the
 * stat data is compared: the fact cache takes them without a stat of its own.
 */
export async function readDirtyFiles(
  scope: GitScope,
  onUnchanged?: (ids: Map<string, string>) => void,
  cachedIds?: Promise<CachedIds | undefined>,
): Promise<string[]> {
  return [...(await readDirtyState(scope, onUnchanged, cachedIds)).dirty].sort();
}

/**
 * What {@link readDirtyFiles} compared, kept so that a later look at a few
 * files (`updateDirtyFiles`) gives what a whole new read would, as long as
 * HEAD and the index have not changed (`readGitStamp` says so).
 */
export interface DirtyState {
  dirty: Set<string>;
  /** The index entries whose verdict depends on the work tree, with HEAD's object id for each. */
  checked: Array<[IndexEntry, string | undefined]>;
  indexTime: bigint;
  /**
   * Every path HEAD's tree holds under the scanned root (the index with what is staged taken back), when the index
   * says it plainly: undefined with a conflict, a submodule or an entry of another kind.
   */
  inHead?: Set<string>;
  /** `checked` by path, made at the first update (a one-shot check never needs it). */
  byPath?: Map<string, [IndexEntry, string | undefined]>;
}

/**
 * git's two answers a work-tree comparison starts from, as it printed them: the index with its stat data
 * (`ls-files --stage --debug`) and HEAD's side of what is staged (`diff-index --cached --raw`). Both follow
 * from HEAD and the index alone, so a one-shot run may take them from the last run's (`git-state-cache.ts`).
 */
export interface IndexAnswers {
  listing: string;
  staged: string;
}

/** {@link IndexAnswers} from git: two processes, side by side. */
export async function readIndexAnswers(scope: GitScope): Promise<IndexAnswers> {
  const [listing, staged] = await Promise.all([
    git(scope, ['ls-files', '--stage', '--debug', '-z', '--', '.']),
    git(scope, ['diff-index', '--cached', '--raw', '-z', '--no-renames', '--relative', 'HEAD', '--']),
  ]);
  return { listing, staged };
}

/** {@link readDirtyFiles}, keeping what it compared; `answers`: git's index answers when already known, else asked. */
export async function readDirtyState(
  scope: GitScope,
  onUnchanged?: (ids: Map<string, string>) => void,
  cachedIds?: Promise<CachedIds | undefined>,
  answers?: () => Promise<IndexAnswers>,
  readIds?: Promise<ReadonlyMap<string, string> | undefined>,
): Promise<DirtyState> {
  const [{ listing, staged }, indexTime] = await Promise.all([
    answers ? answers() : readIndexAnswers(scope),
    lstat(path.join(scope.location.gitDir, 'index'), { bigint: true }).then(
      (info) => info.mtimeNs,
      () => 0n,
    ),
  ]);
  const heads = parseRawHeadSide(staged);
  const entries = parseIndexListing(listing);
  const dirty = new Set<string>();
  const indexed = new Set(entries.map((entry) => entry.path));
  let inHead: Set<string> | undefined = new Set<string>();
  // In HEAD but gone from the index: deleted, whatever the disk holds.
  for (const [file, oid] of heads) {
    if (oid && !indexed.has(file)) {
      dirty.add(file);
      inHead?.add(file);
    }
  }
  // One synchronous lstat per entry: 50k async lstats cost ~1 s of promise handling (measured, large repository),
  // the syscalls themselves a fifth of that. Only files whose stat data proves nothing are read, 16 at a time.
  const suspects: [IndexEntry, string | undefined][] = [];
  const unchanged = new Map<string, string>();
  const checked: Array<[IndexEntry, string | undefined]> = [];
  for (const entry of entries) {
    if (entry.stage !== 0 || !PLAIN_MODES.has(entry.mode)) inHead = undefined;
    if (entry.mode === '160000') continue;
    const head = heads.has(entry.path) ? heads.get(entry.path) : entry.oid;
    if (head) inHead?.add(entry.path);
    if (entry.stage !== 0) dirty.add(entry.path);
    else if (entry.notChecked) {
      if (entry.oid !== head) dirty.add(entry.path);
    } else {
      checked.push([entry, head]);
      const known = statVerdict(scope.root, entry, indexTime);
      if (known === READ) suspects.push([entry, head]);
      else if (known !== head) dirty.add(entry.path);
      if (known === entry.oid && entry.mode !== '120000') unchanged.set(entry.path, entry.oid);
    }
  }
  // A copied or restored checkout (new inodes) fails git's stat data on every file; one the fact cache still
  // vouches for by its own stamp, with HEAD's blob id, is not read and hashed again (a SHA-1 id: the cache's digest).
  const cached = suspects.length > 0 ? await cachedIds : undefined;
  const toHash: typeof suspects = [];
  for (const suspect of suspects) {
    const [entry, head] = suspect;
    if (cached && entry.mode !== '120000' && head?.length === 40 && cached(entry.path, path.join(scope.root, entry.path)) === head) {
      // A regular file (the cache's lstat says so) whose blob id is HEAD's: the scan takes its facts by that id,
      // with no stat of its own, and lists no folder for it (a copied checkout: ~3 stats per file, and every folder).
      unchanged.set(entry.path, head);
    } else toHash.push(suspect);
  }
  onUnchanged?.(unchanged);
  const hashed = toHash.length > 0 ? await unreadByScan(toHash, readIds) : toHash;
  const realRoot = await realpath(scope.root).catch(() => scope.root);
  let next = 0;
  const lane = async () => {
    while (next < hashed.length) {
      const [entry, head] = hashed[next++];
      if ((await worktreeId(scope.root, entry, realRoot)) !== head) dirty.add(entry.path);
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, lane));
  return { dirty, checked, indexTime, inHead };
}

/**
 * Of the suspects, those the scan did not read: a regular file whose bytes the scan hashed to HEAD's id, which is
 * also the index's, is clean (what `worktreeId` would say of the same bytes; any other id, a link or a staged change
 * is hashed here as before, so CRLF checkouts and the like keep their answer). `readIds`: the scan's blob ids of
 * what it read (`CollectedFacts.readIds`, SHA-1), told once extraction is done; on a copied checkout (new inodes,
 * no cache) every file fails the stat data, and the scan has read them all. Measured on a 750-file repository's copy:
 * ~0.2 s of reading and hashing no longer done twice.
 */
async function unreadByScan(suspects: [IndexEntry, string | undefined][], readIds?: Promise<ReadonlyMap<string, string> | undefined>) {
  const read = await readIds;
  if (!read) return suspects;
  return suspects.filter(([entry, head]) => entry.mode === '120000' || head === undefined || head !== entry.oid || read.get(entry.path) !== head);
}

/** Index entry modes of a file or a link: what a plain index holds (not a submodule, not a sparse folder). */
const PLAIN_MODES = new Set(['100644', '100755', '120000']);

function byPath(state: DirtyState): Map<string, [IndexEntry, string | undefined]> {
  return new Map(state.checked.map((item) => [item[0].path, item]));
}

/**
 * Look again at `files` only (saved, created or deleted since `state` was
 * read), with the index and HEAD as they were: a file the index does not
 * check against the work tree keeps its verdict, whatever its disk holds.
 * The cost of the files given, not of the index.
 */
export async function updateDirtyFiles(scope: GitScope, state: DirtyState, files: Iterable<string>): Promise<void> {
  state.byPath ??= byPath(state);
  let realRoot: string | undefined;
  for (const file of files) {
    const item = state.byPath.get(file);
    if (!item) continue;
    const [entry, head] = item;
    let known = statVerdict(scope.root, entry, state.indexTime);
    if (known === READ) known = await worktreeId(scope.root, entry, (realRoot ??= await realpath(scope.root).catch(() => scope.root)));
    if (known === head) state.dirty.delete(file);
    else state.dirty.add(file);
  }
}

const READ = Symbol('read');

/** What the file's stat data says its object id is: the index's when it is untouched (not racily), `READ` when it must be hashed. */
function statVerdict(root: string, entry: IndexEntry, indexTime: bigint): string | undefined | typeof READ {
  const absolute = path.join(root, entry.path);
  if (!isInside(root, absolute)) return undefined;
  let info;
  try {
    info = lstatSync(absolute, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!info) return undefined;
  if (entry.mode === '120000') return info.isSymbolicLink() ? READ : `type:${entry.oid}`;
  if (!info.isFile()) return `type:${entry.oid}`;
  const nanoseconds = info.mtimeNs % 1_000_000_000n;
  const sameTime = info.mtimeNs / 1_000_000_000n === entry.mtimeSeconds && (entry.mtimeNanoseconds === 0n || nanoseconds === entry.mtimeNanoseconds);
  const same = sameTime && (info.size & U32) === entry.size && (info.ino & U32) === entry.ino;
  // Racily clean: written in the same tick the index was, so its stat data proves nothing.
  return same && info.mtimeNs < indexTime ? entry.oid : READ;
}

/** The object id the file on disk would have; undefined when it is gone or cannot be read safely. `realRoot`: the root's real path. */
async function worktreeId(root: string, entry: IndexEntry, realRoot: string): Promise<string | undefined> {
  const absolute = path.join(root, entry.path);
  const info = await lstat(absolute).catch(() => undefined);
  if (!info) return undefined;
  if (entry.mode === '120000') return info.isSymbolicLink() ? blobId(Buffer.from(await readlink(absolute)), entry.oid) : `type:${entry.oid}`;
  if (!info.isFile()) return `type:${entry.oid}`;
  const bytes = await readInside(realRoot, absolute);
  if (!bytes) return undefined;
  const id = blobId(bytes, entry.oid);
  // A checkout with `core.autocrlf` writes CRLF; the blob holds LF.
  if (id !== entry.oid && bytes.includes('\r\n')) return blobId(Buffer.from(bytes.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'), entry.oid);
  return id;
}

/** A regular file's bytes, only when its real path stays inside the repository (an index may name anything). */
async function readInside(realRoot: string, absolute: string): Promise<Buffer | undefined> {
  const real = await realpath(absolute).catch(() => undefined);
  if (!real || !isInside(realRoot, real)) return undefined;
  const info = await lstat(real).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return readFile(real).catch(() => undefined);
}

/** Blob contents by object id, through one `git cat-file --batch` (no filters, no textconv). */
async function readBlobs(scope: GitScope, ids: string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  const unique = [...new Set(ids)];
  if (unique.length === 0) return blobs;
  const out = await gitBytes(scope, ['cat-file', '--batch'], `${unique.join('\n')}\n`);
  let at = 0;
  while (at < out.length) {
    const lineEnd = out.indexOf(0x0a, at);
    if (lineEnd < 0) break;
    const [id, type, size] = out.subarray(at, lineEnd).toString('latin1').split(' ');
    at = lineEnd + 1;
    if (type === 'missing' || size === undefined) continue;
    const length = Number(size);
    if (type === 'blob') blobs.set(id, out.subarray(at, at + length));
    at += length + 1;
  }
  return blobs;
}

/** HEAD's object id for each path (relative to the scanned root); long lists in several runs, under the command-line limit. */
async function headIds(scope: GitScope, files: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const pathspec of chunkPathGroups(files.map((file) => [file]))) {
    const text = await git(scope, ['--literal-pathspecs', 'ls-tree', '-z', 'HEAD', '--', ...pathspec]);
    for (const record of text.split('\0')) {
      const tab = record.indexOf('\t');
      const [, type, oid] = record.slice(0, tab).split(' ');
      if (tab > 0 && type === 'blob') ids.set(record.slice(tab + 1), oid);
    }
  }
  return ids;
}

/** Git's test for a binary file: a NUL in the first 8000 bytes. */
function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/**
 * HEAD → work tree for `files` (dirty files, from {@link readDirtyFiles}):
 * the same `FileDiff`s `git diff -M --unified=0 HEAD` would give. Renames are
 * those staged in the index (`git mv`), paired when both names are listed.
 */
export async function readWorktreeDiff(scope: GitScope, files: string[], unsaved?: ReadonlyMap<string, string>, memo?: WorktreeMemo): Promise<FileDiff[]> {
  const listed = new Set(files);
  const renamed = await (memo ? keptRenames(scope, memo) : stagedRenames(scope));
  const pairs = [...renamed].filter(([from, to]) => listed.has(from) && listed.has(to));
  const renamedFrom = new Map(pairs);
  const renamedTo = new Set(pairs.map(([, to]) => to));
  const heads = memo ? await keptHeadIds(scope, files, memo) : await headIds(scope, files);
  const blobs = memo ? await keptBlobs(scope, [...heads.values()], memo) : await readBlobs(scope, [...heads.values()]);
  const realRoot = await realpath(scope.root).catch(() => scope.root);
  const diffs: FileDiff[] = [];
  for (const file of [...listed].sort()) {
    if (renamedTo.has(file)) continue;
    const target = renamedFrom.get(file);
    const newPath = target ?? file;
    const oldId = heads.get(file);
    const before = oldId === undefined ? undefined : blobs.get(oldId);
    const absolute = path.join(realRoot, newPath);
    // An editor's unsaved text stands for the work-tree file (the language server).
    const given = unsaved?.get(newPath);
    const after = given !== undefined ? Buffer.from(given) : isInside(realRoot, absolute) ? await readInside(realRoot, absolute) : undefined;
    if (before === undefined && after === undefined) continue;
    const diff: FileDiff = {
      oldPath: before === undefined ? undefined : file,
      newPath: after === undefined ? undefined : newPath,
      status: target ? 'renamed' : before === undefined ? 'added' : after === undefined ? 'deleted' : 'modified',
      hunks: [],
    };
    if ((before && looksBinary(before)) || (after && looksBinary(after))) diff.binary = true;
    else diff.hunks = lineChanges(before?.toString('utf8') ?? '', after?.toString('utf8') ?? '');
    if (diff.status === 'modified' && diff.hunks.length === 0 && !diff.binary) continue;
    diffs.push(diff);
  }
  return diffs;
}

/**
 * git's side of the work-tree diff, kept between the resident engine's
 * history reads: valid while HEAD and the index stay as they were (a new
 * memo otherwise), so a read after a save asks git nothing it asked before.
 */
export interface WorktreeMemo {
  /** Renames staged in the index. */
  renames?: Promise<Map<string, string>>;
  /** HEAD's object id of each path asked about (null: not in HEAD). */
  heads: Map<string, string | null>;
  /** Blobs by object id (an object never changes), only those of the files last diffed. */
  blobs: Map<string, Buffer>;
  /** What the index comparison saw: HEAD's object id of every checked entry, without asking git. */
  state?: DirtyState;
  /** A `cat-file --batch` started with the memo: HEAD's blob of a file that turns dirty is then a pipe write, not a fork. */
  reader?: BlobReader;
}

/**
 * Blobs through one long-lived `git cat-file --batch`, one request at a time
 * (a fork of a large process costs ~100 ms of its main thread; a request on
 * an open pipe, a few). `close()` ends it; it also ends with this process.
 */
export class BlobReader {
  private readonly pipe: GitPipe;

  constructor(scope: GitScope) {
    this.pipe = new GitPipe(scope, ['cat-file', '--batch'], 'git cat-file');
  }

  /** The blobs among `ids` (a missing object or another type is left out); rejects when the process is gone. */
  read(ids: readonly string[]): Promise<Map<string, Buffer>> {
    return this.pipe.serial(() => this.readNow(ids));
  }

  close(): void {
    this.pipe.close();
  }

  private async readNow(ids: readonly string[]): Promise<Map<string, Buffer>> {
    const pipe = this.pipe;
    const blobs = new Map<string, Buffer>();
    pipe.write(`${ids.join('\n')}\n`);
    for (let answered = 0; answered < ids.length; ) {
      const lineEnd = pipe.buffered.indexOf(0x0a);
      const header = lineEnd < 0 ? undefined : pipe.buffered.subarray(0, lineEnd).toString('latin1').split(' ');
      const size = header?.[2] === undefined ? 0 : Number(header[2]);
      // `<id> missing`, or `<id> <type> <size>` then the object and a newline.
      const complete = header !== undefined && (header[2] === undefined || pipe.buffered.length >= lineEnd + 1 + size + 1);
      if (!complete) {
        await pipe.more();
        continue;
      }
      if (header[1] === 'blob') blobs.set(header[0], Buffer.from(pipe.buffered.subarray(lineEnd + 1, lineEnd + 1 + size)));
      pipe.buffered = pipe.buffered.subarray(header[2] === undefined ? lineEnd + 1 : lineEnd + 1 + size + 1);
      answered++;
    }
    return blobs;
  }
}

/**
 * A memo for the index and HEAD `state` was read under. With `scope`, the
 * staged renames are asked for at once: a process forked now, while the
 * engine opens or reads everything again, and not after the next save (a fork
 * of a large process costs ~100 ms of its main thread, measured).
 */
export function worktreeMemo(scope?: GitScope, state?: DirtyState): WorktreeMemo {
  const memo: WorktreeMemo = { heads: new Map(), blobs: new Map(), state };
  if (scope) {
    void keptRenames(scope, memo).catch(() => undefined);
    memo.reader = new BlobReader(scope);
  }
  return memo;
}

/** The staged renames, read once per memo (again after a failure). */
function keptRenames(scope: GitScope, memo: WorktreeMemo): Promise<Map<string, string>> {
  memo.renames ??= stagedRenames(scope).catch((error: unknown) => {
    memo.renames = undefined;
    throw error;
  });
  return memo.renames;
}

async function keptHeadIds(scope: GitScope, files: string[], memo: WorktreeMemo): Promise<Map<string, string>> {
  const { state } = memo;
  if (state) {
    // A checked index entry's HEAD id is known (undefined: not in HEAD), as `ls-tree HEAD` would give it.
    state.byPath ??= byPath(state);
    for (const file of files) {
      const item = state.byPath.get(file);
      if (item && !memo.heads.has(file)) memo.heads.set(file, item[1] ?? null);
    }
  }
  const missing = files.filter((file) => !memo.heads.has(file));
  if (missing.length > 0) {
    const found = await headIds(scope, missing);
    for (const file of missing) memo.heads.set(file, found.get(file) ?? null);
  }
  const ids = new Map<string, string>();
  for (const file of files) {
    const id = memo.heads.get(file);
    if (id) ids.set(file, id);
  }
  return ids;
}

async function keptBlobs(scope: GitScope, ids: string[], memo: WorktreeMemo): Promise<Map<string, Buffer>> {
  const missing = ids.filter((id) => !memo.blobs.has(id));
  // Through the memo's own `cat-file --batch` (a pipe write), or a process of its own if that one failed.
  const read = missing.length === 0 ? new Map<string, Buffer>() : ((await memo.reader?.read(missing).catch(() => undefined)) ?? (await readBlobs(scope, missing)));
  const blobs = new Map<string, Buffer>();
  for (const id of ids) {
    const blob = memo.blobs.get(id) ?? read.get(id);
    if (blob) blobs.set(id, blob);
  }
  // Only this diff's: the dirty files' blobs, not every blob ever diffed.
  memo.blobs = blobs;
  return blobs;
}

/**
 * Renames staged in the index against HEAD, under the scanned root: old →
 * new. Index and HEAD only, never the work tree; no pathspec, so no list is
 * too long for a command line (the caller keeps the pairs it asked about).
 */
async function stagedRenames(scope: GitScope): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const text = await git(scope, ['diff-index', '--cached', '-M', '--name-status', '-z', '--diff-filter=R', '--relative', 'HEAD', '--']);
  const tokens = text.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    if (/^R\d*$/.test(tokens[i]) && i + 2 < tokens.length) {
      renames.set(tokens[i + 1], tokens[i + 2]);
      i += 2;
    } else if (/^C\d*$/.test(tokens[i])) i += 2;
    else i += 1;
  }
  return renames;
}
