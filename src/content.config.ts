/**
 * Waymark's site collections. Each is filled by the engine through
 * `waymarkLoader` and typed by the engine's own schemas; what the loader
 * reads (repository, scan file) comes from `virtual:waymark/site-input`.
 */
import { defineCollection } from 'astro:content';
import input from 'virtual:waymark/site-input';
import { ChangeEntry, Diagnostic, Document, Environment, Marker, Process, ProcessStaleness, Reference, Task } from './core/schema.ts';
import type { CollectionName } from './astro/entries.ts';
import { waymarkLoader } from './astro/loader.ts';
import { SiteFileSchema, SiteMetaSchema, SiteRedirectSchema } from './astro/schemas.ts';

const loader = (name: CollectionName) => waymarkLoader(name, input);

export const collections = {
  site: defineCollection({ loader: loader('site'), schema: SiteMetaSchema }),
  processes: defineCollection({ loader: loader('processes'), schema: Process }),
  tasks: defineCollection({ loader: loader('tasks'), schema: Task }),
  changes: defineCollection({ loader: loader('changes'), schema: ChangeEntry }),
  files: defineCollection({ loader: loader('files'), schema: SiteFileSchema }),
  environments: defineCollection({ loader: loader('environments'), schema: Environment }),
  problems: defineCollection({ loader: loader('problems'), schema: Diagnostic }),
  documents: defineCollection({ loader: loader('documents'), schema: Document }),
  markers: defineCollection({ loader: loader('markers'), schema: Marker }),
  references: defineCollection({ loader: loader('references'), schema: Reference }),
  redirects: defineCollection({ loader: loader('redirects'), schema: SiteRedirectSchema }),
  staleness: defineCollection({ loader: loader('staleness'), schema: ProcessStaleness }),
};
