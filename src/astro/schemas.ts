/**
 * Collection schemas: the engine's schemas, plus the few fields the site adds.
 */
import { z } from 'zod';
import { ChangedCommit, Diagnostic, FileNode } from '../core/schema.ts';

/** Repository-wide facts for the layout and the home page (one entry, id `site`). */
export const SiteMetaSchema = z.object({
  /** Repository name. */
  name: z.string(),
  /** Site title. */
  title: z.string(),
  /** Base path, normalised. */
  base: z.string(),
  /** "View source" URL template. */
  repoUrl: z.string().optional(),
  /** Commit link template (`{hash}`). */
  commitUrl: z.string().optional(),
  /** Full hash of the scanned HEAD, when git history was read. */
  commit: z.string().optional(),
  /** Absolute site URL. */
  url: z.string().optional(),
  /** Date that ages are measured against (newest date in the repository). */
  referenceDate: z.string().optional(),
  /** Days after which a validation is old. */
  validationMaxAgeDays: z.number().int().positive(),
  /** Number of files discovered. */
  fileCount: z.number().int().min(0),
  /** Problems `waymark-suppressions.json` allows: known debt, listed apart from the problems. */
  suppressed: z.array(Diagnostic).default([]),
  /** Set when the files' entries leave their text out (a build): the repository's real root and the size limit the file page reads them with. */
  source: z.object({ root: z.string(), maxFileSize: z.number().int().positive() }).optional(),
  /** `waymark dev`: the refresh that wrote the store; the pages' index is kept per generation (`site-data.ts`). */
  generation: z.number().int().min(0).optional(),
});

/** A file node, plus why its source is not shown when it is not. */
export const SiteFileSchema = FileNode.extend({
  /** Set when the source text could not be read for display. */
  unavailable: z.enum(['outside', 'missing', 'too-large', 'binary']).optional(),
  /** Commits that touched the file, newest first, when the scan read its history (`core/history/file-commits.ts`). */
  history: z.object({ commits: z.array(ChangedCommit), since: z.string().optional(), shallow: z.boolean() }).optional(),
  /** The source's syntax colours, computed (or taken from the cache) before the build renders (`site/colour-encoding.ts`); absent: the page colours it. */
  colours: z.string().optional(),
});

/** A redirect page: a short form, an alias or an old name (see `src/core/urls/link-table.ts`). */
export const SiteRedirectSchema = z.object({
  /** Path it answers at, base included. */
  from: z.string(),
  /** Where it sends the reader. */
  to: z.string(),
  /** Why it exists. */
  reason: z.enum(['short', 'config', 'alias', 'document', 'rename', 'choice']),
  /** For a short form several things claim: what was asked for (`TASK-001`). */
  title: z.string().optional(),
  /** For a short form several things claim: each of them, and the reader picks (no redirect). */
  options: z.array(z.object({ url: z.string(), title: z.string() })).optional(),
});
