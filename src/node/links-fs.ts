/**
 * The disk and network side of the link table (`src/core/urls/link-table.ts`): the
 * renames git knows, the previous build's `links.json`, and writing
 * `links.json` and `_redirects` into the built site.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PreviousManifest, redirectsFile, toManifest, type LinkTable, type Rename } from '../core/urls/link-table.ts';
import { openRepository } from './git-history.ts';
import { git, type LocateOptions } from './git.ts';
import { readRegularFile } from './read-files.ts';

/** The previous manifest could not be read: the build stops rather than skip the URL contract. */
export class LinkContractError extends Error {
  name = 'LinkContractError';
}

/**
 * Every rename git shows, newest first: the uncommitted ones (`git mv` not
 * yet committed: the index against HEAD, never the work tree), then those of HEAD's first-parent history, in one
 * `git log --name-status -M --diff-filter=R` call (names only, no
 * `--follow`, so it stays one cheap pass however many files there are).
 * Outside git, or before the first commit, there are none.
 */
export async function readRenames(root: string, options: LocateOptions = {}): Promise<Rename[]> {
  const repository = await openRepository(root, options).catch(() => undefined);
  if (!repository) return [];
  try {
    const [pending, history] = await Promise.all([
      git(repository, ['diff-index', '--cached', '-M', '--name-status', '--diff-filter=R', '-z', '--relative', 'HEAD', '--']),
      git(repository, [
        'log',
        '--first-parent',
        '--diff-merges=first-parent',
        '-M',
        '--name-status',
        '--diff-filter=R',
        '-z',
        '--relative',
        '--format=%x1e%H',
        'HEAD',
        '--',
      ]),
    ]);
    return [...parseRenameRecords(pending), ...parseRenameRecords(history)];
  } catch {
    // Renames only add redirects; a git failure must not cost the build.
    return [];
  }
}

/** `R100\0old\0new\0` records (with any commit headers in between) → renames in output order. */
function parseRenameRecords(text: string): Rename[] {
  const renames: Rename[] = [];
  const tokens = text.split('\0');
  for (let i = 0; i + 2 < tokens.length; i++) {
    const status = tokens[i].split('\n').pop() ?? '';
    if (!/^[RC]\d*$/.test(status)) continue;
    if (status.startsWith('R')) renames.push({ from: tokens[i + 1], to: tokens[i + 2] });
    i += 2;
  }
  return renames;
}

/** A previous manifest, or why there is none. */
export interface PreviousManifestResult {
  manifest?: PreviousManifest;
  /** Set when there is no previous manifest yet (a first build): the contract starts now. */
  note?: string;
}

/** How much of a previous manifest is read, and for how long: a server cannot make the build wait or grow without end. */
export interface ManifestLimits {
  /** The whole request, body included (default 30 s). */
  timeoutMs?: number;
  /** Bytes of body, file or URL (default 32 MiB: a manifest of ~300k URLs). */
  maxBytes?: number;
}

const DEFAULT_LIMITS = { timeoutMs: 30_000, maxBytes: 32 * 1024 * 1024 } as const;

/**
 * Read the previous build's `links.json` from a file or an `http(s)` URL.
 * A missing file or a 404 means there is no previous build yet; anything
 * else that goes wrong (network, server error, too big, too slow, not a
 * manifest) throws a {@link LinkContractError}, because a contract silently
 * skipped is no contract.
 *
 * @param source an absolute path or a URL
 */
export async function loadPreviousManifest(source: string, limits: ManifestLimits = {}): Promise<PreviousManifestResult> {
  const { timeoutMs, maxBytes } = { ...DEFAULT_LIMITS, ...limits };
  const text = /^https?:\/\//i.test(source) ? await fetchManifest(source, timeoutMs, maxBytes) : await readManifestFile(source, maxBytes);
  if (text === undefined) return { note: `no previous manifest at \`${source}\` yet; the URL contract starts with this build` };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Not the parser's message: it quotes the start of the text, which may be anything a URL answered with.
    throw new LinkContractError(`previous manifest \`${source}\` is not valid JSON`, { cause: error });
  }
  const parsed = PreviousManifest.safeParse(data);
  if (!parsed.success) {
    throw new LinkContractError(`previous manifest \`${source}\` is not a Waymark links.json (it needs a \`urls\` list)`);
  }
  return { manifest: parsed.data };
}

async function readManifestFile(file: string, maxBytes: number): Promise<string | undefined> {
  let read: Awaited<ReturnType<typeof readRegularFile>>;
  try {
    // Not readFile: a FIFO named links.json would wait forever, /dev/zero would never end.
    read = await readRegularFile(file, maxBytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LinkContractError(`previous manifest \`${file}\` could not be read: ${(error as Error).message}`, { cause: error });
  }
  if ('skipped' in read) throw new LinkContractError(`previous manifest \`${file}\` could not be read: ${read.skipped}`);
  return read.bytes.toString('utf8');
}

async function fetchManifest(url: string, timeoutMs: number, maxBytes: number): Promise<string | undefined> {
  const failed = (reason: string, cause?: unknown) =>
    new LinkContractError(`previous manifest \`${url}\` could not be fetched: ${reason}`, { cause });
  // One deadline for the headers and every byte of the body: a server that trickles is cut off like one that never answers.
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => failed(`no complete answer within ${timeoutMs / 1000} s`);
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' }, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw timedOut();
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw failed(reason, error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 404) return undefined;
    throw failed(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw failed(`it is over the ${maxBytes} byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return '';
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw failed(`it is over the ${maxBytes} byte limit`);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof LinkContractError) throw error;
    if (signal.aborted) throw timedOut();
    throw failed((error as Error).message, error);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Write `links.json` and `_redirects` into the built site. */
export async function writeLinkFiles(out: string, table: LinkTable): Promise<void> {
  await writeFile(join(out, 'links.json'), `${JSON.stringify(toManifest(table), null, 2)}\n`);
  await writeFile(join(out, '_redirects'), redirectsFile(table));
}
