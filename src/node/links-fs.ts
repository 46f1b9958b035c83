/**
 * The disk and network side of the link table (`src/core/urls/link-table.ts`): the
 * renames git knows, the previous build's `links.json`, and writing
 * `links.json` and `_redirects` into the built site.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PreviousManifest, redirectsFile, toManifest, type LinkTable, type Rename } from '../core/urls/link-table.ts';
import { git, openRepository } from './git-history.ts';

/** The previous manifest could not be read: the build stops rather than skip the URL contract. */
export class LinkContractError extends Error {
  name = 'LinkContractError';
}

/**
 * Every rename git shows, newest first: the uncommitted ones (`git mv` not
 * yet committed), then those of HEAD's first-parent history, in one
 * `git log --name-status -M --diff-filter=R` call (names only, no
 * `--follow`, so it stays one cheap pass however many files there are).
 * Outside git, or before the first commit, there are none.
 */
export async function readRenames(root: string): Promise<Rename[]> {
  const repository = await openRepository(root);
  if (!repository) return [];
  try {
    const [pending, history] = await Promise.all([
      git(root, ['diff', '-M', '--name-status', '--diff-filter=R', '-z', '--relative', 'HEAD', '--']),
      git(root, [
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

/**
 * Read the previous build's `links.json` from a file or an `http(s)` URL.
 * A missing file or a 404 means there is no previous build yet; anything
 * else that goes wrong (network, server error, not a manifest) throws a
 * {@link LinkContractError}, because a contract silently skipped is no contract.
 *
 * @param source an absolute path or a URL
 */
export async function loadPreviousManifest(source: string, fetchTimeoutMs = 30_000): Promise<PreviousManifestResult> {
  const text = /^https?:\/\//i.test(source) ? await fetchManifest(source, fetchTimeoutMs) : await readManifestFile(source);
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

async function readManifestFile(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LinkContractError(`previous manifest \`${file}\` could not be read: ${(error as Error).message}`, { cause: error });
  }
}

async function fetchManifest(url: string, timeoutMs: number): Promise<string | undefined> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new LinkContractError(`previous manifest \`${url}\` could not be fetched: ${reason}`, { cause: error });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new LinkContractError(`previous manifest \`${url}\` could not be fetched: HTTP ${response.status}`);
  }
  return response.text();
}

/** Write `links.json` and `_redirects` into the built site. */
export async function writeLinkFiles(out: string, table: LinkTable): Promise<void> {
  await writeFile(join(out, 'links.json'), `${JSON.stringify(toManifest(table), null, 2)}\n`);
  await writeFile(join(out, '_redirects'), redirectsFile(table));
}
