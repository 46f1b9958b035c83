/**
 * One scan → the entries of every site collection. Runs once per build (see
 * `scan-cache.ts`); each collection's loader then stores its share.
 *
 * Documents get their rendered HTML here, because rendering needs the whole
 * graph (which document is a process page, which references are broken).
 */
import { createHash } from 'node:crypto';
import { siteLinkTable, type LinkTable } from '../core/urls/link-table.ts';
import type { ScanResult } from '../core/schema.ts';
import { fileCommits } from '../core/history/file-commits.ts';
import { processStaleness } from '../core/history/staleness.ts';
import { renderMarkdown } from '../site/markdown.ts';
import { indexSite, newestDate, splitSourceLines, type SiteData, type SiteMeta } from '../site/model.ts';
import type { RepoFileText } from './read-repo-file.ts';
import { createUrls, normalizeBase } from '../core/urls/urls.ts';


export interface SiteEntry {
  id: string;
  data: Record<string, unknown>;
  /** Raw text kept with the entry: a file's source. */
  body?: string;
  /** Rendered HTML: a document's body. */
  html?: string;
}

export const COLLECTIONS = [
  'site',
  'processes',
  'tasks',
  'changes',
  'files',
  'environments',
  'problems',
  'documents',
  'markers',
  'references',
  'redirects',
  'staleness',
] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

export type SiteEntries = Record<CollectionName, SiteEntry[]>;

/** What a build's entries hold that `waymark dev`'s do not, and what they leave out. */
export interface BuildEntryOptions {
  /** A file's syntax colours, encoded (`site/colour-encoding.ts`), kept with its entry; absent: the page colours it. */
  colour?: (path: string, language: string, lines: readonly string[]) => Promise<string | undefined>;
  /**
   * Leave each file's text out of its entry: the file page reads it from the
   * repository (`SiteMeta.source`). Astro inlines its whole content store
   * into one JavaScript module of the build: with every file's text (12.7 MB
   * on jinglero) compiling that module took 6 s and ~500 MB at the build's peak.
   */
  textOnDisk?: boolean;
  /**
   * `waymark dev`: what the last refresh's entries keep for this one. With
   * `changed`, only those files are read again; a document is rendered again
   * only when its text, its references or what its links resolve against changed.
   */
  reuse?: EntryReuse;
  /** Repository paths saved since the last refresh (undefined: any file may have changed). */
  changed?: ReadonlySet<string>;
}

/**
 * What one refresh of `waymark dev` keeps for the next: each file's text and
 * each document's HTML with the key it was rendered for. Rendering every
 * document and reading every file again took ~2 s of CPU per save on the
 * medium generated repository (396 documents, 1,452 files).
 */
export interface EntryReuse {
  texts: Map<string, RepoFileText>;
  html: Map<string, { key: string; html: string }>;
}

/** ISO date of `SOURCE_DATE_EPOCH` (seconds), the reproducible-builds convention, if set. */
export function sourceDateEpoch(env: Record<string, string | undefined>): string | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (!raw || !/^\d+$/.test(raw)) return undefined;
  return new Date(Number(raw) * 1000).toISOString().slice(0, 10);
}

/** Stable, unique ids for diagnostics: `<rule>/<file>:<line>:<column>`, suffixed on repeats. */
export function problemIds(diagnostics: readonly { rule: string; file: string; line: number; column: number }[]): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const base = `${d.rule}/${d.file}:${d.line}:${d.column}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}~${n}`;
  });
}

/**
 * Turn a scan into collection entries.
 *
 * @param read reads a repository file (already confined to the repository)
 * @param base the site's base path, for the URLs in rendered documents
 * @param build what a build does differently from `waymark dev` (see {@link BuildEntryOptions})
 */
export async function buildEntries(
  scan: ScanResult,
  read: (path: string) => Promise<RepoFileText>,
  base: string,
  env: Record<string, string | undefined> = {},
  build: BuildEntryOptions = {},
): Promise<SiteEntries> {
  const { colour, textOnDisk, reuse, changed } = build;
  const { graph, config } = scan;
  const readText = reuse ? keptTexts(read, reuse, changed) : read;
  // What a document's links resolve against, besides its own references: which pages exist, and files' lengths.
  const pagesKey = reuse
    ? JSON.stringify([
        base,
        graph.documents.map((d) => d.path),
        graph.files.map((f) => [f.path, f.lineCount]),
        graph.processes.map((p) => [p.id, p.file]),
        graph.tasks.map((t) => [t.key, t.taskId, t.scope]),
      ])
    : '';
  const ids = problemIds(graph.diagnostics);
  const problems = graph.diagnostics.map((d, i) => ({ ...d, id: ids[i] }));
  const meta: SiteMeta = {
    name: graph.name,
    title: config.site.title || graph.name,
    base: normalizeBase(base),
    repoUrl: config.site.repoUrl,
    commitUrl: config.site.commitUrl,
    ...(scan.history ? { commit: scan.history.head } : {}),
    url: config.site.url,
    referenceDate: sourceDateEpoch(env) ?? newestDate(graph),
    validationMaxAgeDays: config.validationMaxAgeDays,
    fileCount: graph.paths.length,
    suppressed: scan.baseline?.suppressed ?? [],
    ...(textOnDisk ? { source: { root: scan.root, maxFileSize: config.maxFileSize } } : {}),
  };
  // Computed once here from history, never in pages: what changed in each process's cited code since validation.
  const staleness = scan.history ? processStaleness(graph, scan.history, scan.today) : [];
  const data: SiteData = { meta, ...graph, problems, staleness };
  const index = indexSite(data, base);

  const documents: SiteEntry[] = [];
  for (const doc of graph.documents) {
    const file = await readText(doc.path);
    // A process document sits under the process page's own h1, one level down.
    const ctx = { ...index.markdownContext(doc), headingOffset: index.processByFile.has(doc.path) ? 1 : 0 };
    const key = reuse && file.text !== undefined ? createHash('sha1').update(pagesKey).update(file.text).update(JSON.stringify([ctx.references, ctx.headingSlugs, ctx.headingOffset])).digest('hex') : '';
    const kept = reuse?.html.get(doc.path);
    const html = file.text === undefined ? '' : kept?.key === key ? kept.html : renderMarkdown(file.text, ctx).html;
    if (reuse && file.text !== undefined) reuse.html.set(doc.path, { key, html });
    documents.push({ id: doc.path, data: doc as unknown as Record<string, unknown>, html });
  }
  const historyOf = (path: string) => {
    const found = scan.history ? fileCommits(scan.history, path) : undefined;
    return found ? { history: found } : {};
  };
  const files: SiteEntry[] = [];
  for (const node of graph.files) {
    const file = await readText(node.path);
    const colours = colour && file.text !== undefined ? await colour(node.path, node.language, splitSourceLines(file.text)) : undefined;
    files.push({
      id: node.path,
      data: { ...node, ...(file.reason ? { unavailable: file.reason } : {}), ...historyOf(node.path), ...(colours !== undefined ? { colours } : {}) },
      ...(textOnDisk ? {} : { body: file.text }),
    });
  }
  if (reuse) forgetGone(reuse, graph.documents.map((d) => d.path).concat(graph.files.map((f) => f.path)));
  const plain = <T extends object>(items: readonly T[], id: (item: T) => string): SiteEntry[] =>
    items.map((item) => ({ id: id(item), data: item as unknown as Record<string, unknown> }));

  return {
    site: [{ id: 'site', data: meta as unknown as Record<string, unknown> }],
    processes: plain(graph.processes, (p) => p.id),
    tasks: plain(graph.tasks, (t) => t.key),
    changes: plain(graph.changes, (c) => c.id),
    files,
    environments: plain(graph.environments, (e) => e.id),
    problems: problems.map(({ id, ...d }) => ({ id, data: d })),
    documents,
    markers: plain(graph.markers, (m) => m.id),
    references: plain(graph.references, (r) => r.id),
    redirects: redirectEntries(siteLinkTable(scan, meta.base)),
    staleness: plain(staleness, (s) => s.id),
  };
}

/** `read`, answered from `reuse` for the files not in `changed` (all read again without it); what is read is kept. */
function keptTexts(read: (path: string) => Promise<RepoFileText>, reuse: EntryReuse, changed: ReadonlySet<string> | undefined): (path: string) => Promise<RepoFileText> {
  return async (path) => {
    const kept = changed && !changed.has(path) ? reuse.texts.get(path) : undefined;
    if (kept) return kept;
    const file = await read(path);
    reuse.texts.set(path, file);
    return file;
  };
}

/** Drop what `reuse` keeps for files the repository no longer has. */
function forgetGone(reuse: EntryReuse, paths: readonly string[]): void {
  const present = new Set(paths);
  for (const map of [reuse.texts, reuse.html]) for (const path of map.keys()) if (!present.has(path)) map.delete(path);
}

/**
 * One entry per redirect page, its id the path under the base
 * (`p/blue-green-rollout`); a short form several tasks share is a page
 * listing them, pointing up to the task board.
 */
function redirectEntries(table: LinkTable): SiteEntry[] {
  const board = createUrls(table.base).tasks();
  const choices = table.choices.map((c) => ({ from: c.from, to: board, reason: 'choice', title: c.title, options: c.options }));
  return [...table.redirects, ...choices]
    .filter((r) => r.from.startsWith(table.base))
    .map((r) => ({ id: r.from.slice(table.base.length).replace(/\/+$/, ''), data: { ...r } }))
    .filter((entry) => entry.id !== '');
}
