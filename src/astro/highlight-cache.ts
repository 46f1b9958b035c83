/**
 * A build's file colours, computed before Astro renders and kept between
 * builds. Shiki took a third of a build's CPU time (jinglero, 654 file pages:
 * 15 s of 48 s in `node --cpu-prof`); a file whose text has not changed gets
 * the same colours, so a build looks them up by a digest of its grammar and
 * text and tokenises only what it has not seen.
 *
 * Kept in the fact cache's folder and sealed the same way (`cache-folder.ts`):
 * one file, `highlight.cache`, holding the colours this build used (what a
 * build no longer shows is dropped at its save). Without a cache folder
 * (`--no-cache`, a library call) the colours are computed as before, once
 * per file.
 */
import { hash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MAX_CACHE_FILE, cacheSettings, openCacheFolder, readCacheFile, unseal, writeSealed, type CacheFolder } from '../node/cache-folder.ts';
import { encodeColours, PLAIN } from '../site/colour-encoding.ts';
import { colourLines, highlightSettingsKey, shikiLanguage } from '../site/highlight.ts';

const FORMAT = 'waymark-highlight-cache/1';
const FILE = 'highlight.cache';

export class HighlightCache {
  private readonly used = new Map<string, string>();
  private computed = 0;

  private constructor(
    private readonly folder: CacheFolder | undefined,
    private readonly key: string,
    private readonly stored: Map<string, string>,
  ) {}

  /**
   * The cache of the repository at `realRoot` in the user's cache root
   * (`cacheDir`, else `WAYMARK_CACHE_DIR` or the user's cache folder);
   * in memory only when `cacheDir` is false or the folder cannot be used.
   */
  static async open(realRoot: string, cacheDir: string | false | undefined): Promise<HighlightCache> {
    const key = highlightSettingsKey(shikiVersion());
    if (cacheDir === false) return new HighlightCache(undefined, key, new Map());
    const folder = await openCacheFolder(cacheSettings(process.env, process.cwd(), cacheDir), realRoot);
    if ('off' in folder) return new HighlightCache(undefined, key, new Map());
    const read = await readCacheFile(path.join(folder.path, FILE));
    const bytes = 'bytes' in read ? unseal(folder, FILE, read.bytes) : undefined;
    return new HighlightCache(folder, key, (bytes && parseBody(bytes, key)) || new Map());
  }

  /**
   * The encoded colours (`colour-encoding.ts`) of a file's `lines` as the
   * file page splits them; undefined when the page must colour it itself.
   */
  async colours(file: string, language: string, lines: readonly string[]): Promise<string | undefined> {
    const lang = shikiLanguage(file, language);
    if (!lang) return PLAIN;
    // The digest covers the grammar Shiki will use, not the path: a copied or renamed file costs nothing.
    const id = hash('sha256', `${lang}\0${lines.join('\n')}`);
    const known = this.used.get(id) ?? this.stored.get(id);
    if (known !== undefined) {
      this.used.set(id, known);
      return known;
    }
    const code = encodeColours(lines, await colourLines(file, language, lines));
    if (code !== undefined) this.used.set(id, code);
    this.computed++;
    return code;
  }

  /** How many files this cache had to colour (not found in it). */
  get tokenised(): number {
    return this.computed;
  }

  /** Write the colours this build used, when it computed any or dropped any. */
  async save(): Promise<boolean> {
    if (!this.folder) return true;
    if (this.computed === 0 && this.used.size === this.stored.size) return true;
    const entries: Array<[string, string]> = [];
    let size = 0;
    for (const [id, code] of this.used) {
      if (size + code.length > MAX_CACHE_FILE / 2) break;
      size += code.length;
      entries.push([id, code]);
    }
    return writeSealed(this.folder, FILE, Buffer.from(JSON.stringify({ format: FORMAT, key: this.key, entries })));
  }
}

/** The installed Shiki's version: new grammars colour differently. */
function shikiVersion(): string {
  try {
    return (createRequire(import.meta.url)('shiki/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The entries of an (unsealed) cache file, or undefined when it is of another format or key or has the wrong shape. */
function parseBody(bytes: Buffer, key: string): Map<string, string> | undefined {
  try {
    const body = JSON.parse(bytes.toString('utf8')) as { format?: unknown; key?: unknown; entries?: unknown };
    if (body.format !== FORMAT || body.key !== key || !Array.isArray(body.entries)) return undefined;
    const entries = body.entries.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string');
    return new Map(entries);
  } catch {
    return undefined;
  }
}
