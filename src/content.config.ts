/**
 * Waymark's site collections. Each is filled by the engine through
 * `waymarkLoader` and typed by the engine's own schemas.
 */
import { defineCollection } from 'astro:content';
import { ChangeEntry, Diagnostic, Document, Environment, Marker, Process, ProcessStaleness, Reference, Task } from './core/schema.ts';
import { waymarkLoader } from './astro/loader.ts';
import { SiteFileSchema, SiteMetaSchema, SiteRedirectSchema } from './astro/schemas.ts';

export const collections = {
  site: defineCollection({ loader: waymarkLoader('site'), schema: SiteMetaSchema }),
  processes: defineCollection({ loader: waymarkLoader('processes'), schema: Process }),
  tasks: defineCollection({ loader: waymarkLoader('tasks'), schema: Task }),
  changes: defineCollection({ loader: waymarkLoader('changes'), schema: ChangeEntry }),
  files: defineCollection({ loader: waymarkLoader('files'), schema: SiteFileSchema }),
  environments: defineCollection({ loader: waymarkLoader('environments'), schema: Environment }),
  problems: defineCollection({ loader: waymarkLoader('problems'), schema: Diagnostic }),
  documents: defineCollection({ loader: waymarkLoader('documents'), schema: Document }),
  markers: defineCollection({ loader: waymarkLoader('markers'), schema: Marker }),
  references: defineCollection({ loader: waymarkLoader('references'), schema: Reference }),
  redirects: defineCollection({ loader: waymarkLoader('redirects'), schema: SiteRedirectSchema }),
  staleness: defineCollection({ loader: waymarkLoader('staleness'), schema: ProcessStaleness }),
};
