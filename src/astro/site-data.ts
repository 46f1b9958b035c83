/**
 * The pages' single way to the data: every collection read once per build and
 * indexed by the pure helpers in `src/site/model.ts`.
 */
import { getCollection, getEntry } from 'astro:content';
import { indexSite, type Problem, type SiteData, type SiteIndex, type SiteMeta } from '../site/model.ts';
import type { ChangeEntry, Document, Environment, FileNode, Marker, Process, ProcessStaleness, Reference, Task } from '../core/schema.ts';

let cached: Promise<SiteIndex> | undefined;

// Loosely typed views of the collection API: the generated collection types
// (`astro sync`) are not there when the package is type-checked on its own.
const collection = getCollection as unknown as (name: string) => Promise<{ id: string; data: unknown }[]>;
const entry = getEntry as unknown as (name: string, id: string) => Promise<{ id: string; data: unknown } | undefined>;

async function data<T>(name: string): Promise<T[]> {
  return (await collection(name)).map((e) => e.data as T);
}

async function load(): Promise<SiteIndex> {
  const meta = (await entry('site', 'site'))?.data as SiteMeta | undefined;
  if (!meta) throw new Error('the `site` collection is empty: the repository scan did not run');
  const site: SiteData = {
    meta,
    processes: await data<Process>('processes'),
    tasks: await data<Task>('tasks'),
    changes: await data<ChangeEntry>('changes'),
    files: await data<FileNode>('files'),
    environments: await data<Environment>('environments'),
    problems: (await collection('problems')).map((e) => ({ ...(e.data as Omit<Problem, 'id'>), id: e.id })),
    documents: await data<Document>('documents'),
    markers: await data<Marker>('markers'),
    references: await data<Reference>('references'),
    staleness: await data<ProcessStaleness>('staleness'),
  };
  // The base comes from the loader (Astro's resolved config), not from
  // import.meta.env, which a surrounding tool (vitest) may have overridden.
  return indexSite(site, meta.base);
}

/** The indexed site, built on first use and shared by every page of the build. */
export function loadSite(): Promise<SiteIndex> {
  return (cached ??= load());
}

// `waymark dev`: the content layer re-syncs when the repository changes and says so; index afresh then.
const hot = (import.meta as ImportMeta & { hot?: { on(event: string, listener: () => void): void } }).hot;
hot?.on('astro:content-changed', () => {
  cached = undefined;
});
