/**
 * The pages' single way to the data: every collection read once per build and
 * indexed by the pure helpers in `src/site/model.ts`. A build made its entries
 * before Astro ran and hands them over as a file (`entries-file.ts`), read here
 * once per thread; `waymark dev` and Astro run by hand read the collections.
 */
import { getCollection, getEntry } from 'astro:content';
import input from 'virtual:waymark/site-input';
import { indexSite, type Problem, type SiteData, type SiteIndex, type SiteMeta } from '../site/model.ts';
import type { ChangeEntry, Document, Environment, FileNode, Marker, Process, ProcessStaleness, Reference, Task } from '../core/schema.ts';
import type { SiteEntries, SiteEntry } from './entries.ts';
import { readEntriesFile } from './entries-file.ts';

/**
 * The index, with the store generation it was made from (`SiteMeta.generation`,
 * written by the loader on every `waymark dev` refresh; undefined in a build
 * and on the first load).
 */
let cached: { generation: number | undefined; index: Promise<SiteIndex> } | undefined;

// Loosely typed views of the collection API: the generated collection types
// (`astro sync`) are not there when the package is type-checked on its own.
interface StoredEntry {
  id: string;
  data: unknown;
  body?: string;
  rendered?: { html: string };
}
const collection = getCollection as unknown as (name: string) => Promise<StoredEntry[]>;
const entry = getEntry as unknown as (name: string, id: string) => Promise<StoredEntry | undefined>;

/** A build's entries, from its file, with the lookups the pages make by id. */
interface BuiltEntries {
  entries: SiteEntries;
  documents: Map<string, SiteEntry>;
  files: Map<string, SiteEntry>;
}

let built: Promise<BuiltEntries> | undefined;

function builtEntries(): Promise<BuiltEntries> | undefined {
  const file = input.entriesFile;
  if (!file) return undefined;
  return (built ??= readEntriesFile(file).then((entries) => ({
    entries,
    documents: new Map(entries.documents.map((e) => [e.id, e])),
    files: new Map(entries.files.map((e) => [e.id, e])),
  })));
}

/** One collection: from the build's file, else from Astro's store. */
async function entriesOf(name: keyof SiteEntries): Promise<StoredEntry[]> {
  const fromFile = builtEntries();
  return fromFile ? (await fromFile).entries[name] : collection(name);
}

async function data<T>(name: keyof SiteEntries): Promise<T[]> {
  return (await entriesOf(name)).map((e) => e.data as T);
}

/** The `site` entry: from the build's file, else from the store as it is now. */
async function siteMeta(): Promise<SiteMeta | undefined> {
  const fromFile = builtEntries();
  if (fromFile) return (await fromFile).entries.site.find((e) => e.id === 'site')?.data as SiteMeta | undefined;
  return (await entry('site', 'site'))?.data as SiteMeta | undefined;
}

async function load(): Promise<SiteIndex> {
  const meta = await siteMeta();
  if (!meta) throw new Error('the `site` collection is empty: the repository scan did not run');
  const site: SiteData = {
    meta,
    processes: await data<Process>('processes'),
    tasks: await data<Task>('tasks'),
    changes: await data<ChangeEntry>('changes'),
    files: await data<FileNode>('files'),
    environments: await data<Environment>('environments'),
    problems: (await entriesOf('problems')).map((e) => ({ ...(e.data as Omit<Problem, 'id'>), id: e.id })),
    documents: await data<Document>('documents'),
    markers: await data<Marker>('markers'),
    references: await data<Reference>('references'),
    staleness: await data<ProcessStaleness>('staleness'),
  };
  // The base comes from the loader (Astro's resolved config), not from
  // import.meta.env, which a surrounding tool (vitest) may have overridden.
  return indexSite(site, meta.base);
}

/**
 * The indexed site, built on first use and shared by every page of the build.
 * `waymark dev` rewrites the store on every refresh, and a page reads its
 * entries (`documentHtml`, `fileEntry`) from the store as it is at that
 * moment, so the index is kept per generation of the store, looked up on
 * every call (one entry read), never only dropped on Astro's
 * `astro:content-changed` event: under load a page rendered after a sync
 * showed the new text with the old index for tens of seconds
 * (docs/benchmarks.md, `h-dev`).
 */
export async function loadSite(): Promise<SiteIndex> {
  if (builtEntries()) return (cached ??= { generation: undefined, index: load() }).index;
  const generation = (await siteMeta())?.generation;
  if (!cached || cached.generation !== generation) cached = { generation, index: current() };
  return cached.index;
}

/** The index of one generation of the store: made again if the store changed while it was read. */
async function current(): Promise<SiteIndex> {
  for (;;) {
    const index = await load();
    if (index.meta.generation === (await siteMeta())?.generation) return index;
  }
}

/** A document's rendered HTML (the loader renders it: `entries.ts`); undefined when there is no such document. */
export async function documentHtml(path: string): Promise<string | undefined> {
  const fromFile = builtEntries();
  if (fromFile) return (await fromFile).documents.get(path)?.html;
  const stored = await entry('documents', path);
  return stored ? (stored.rendered?.html ?? '') : undefined;
}

/** A file's entry: what the site adds to its node (`SiteFileSchema`), and its text when the entry keeps it (`waymark dev`). */
export async function fileEntry(path: string): Promise<{ data: unknown; body?: string } | undefined> {
  const fromFile = builtEntries();
  return fromFile ? (await fromFile).files.get(path) : entry('files', path);
}

/** The redirect pages' entries (`entries.ts`, `redirectEntries`). */
export function redirectEntries(): Promise<StoredEntry[]> {
  return entriesOf('redirects');
}

// `waymark dev`: the content layer re-syncs when the repository changes and says so; index afresh then.
const hot = (import.meta as ImportMeta & { hot?: { on(event: string, listener: () => void): void } }).hot;
hot?.on('astro:content-changed', () => {
  cached = undefined;
});
