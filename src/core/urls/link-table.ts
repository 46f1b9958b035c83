/**
 * The site's link table, the addresses runbooks, wikis and alerts link to:
 *
 * - one canonical URL per process, sub-process, task, environment, document
 *   and file (decided by `src/core/urls/urls.ts`, like every other URL of the site);
 * - short forms that redirect to it: `p/<process-id>/` (`#<sub-process>`),
 *   `t/<task-id>/` (scoped `t/<scope>/<task-id>/` where the id repeats),
 *   `e/<environment-id>/`, `f/<path>/` (`#L12`);
 * - redirects from process `aliases:`, from the old names git shows for
 *   renamed files, and from `redirects` in the config;
 * - lookup by id, alias, path (`path:12`, `path#anchor`) or process name, with
 *   "did you mean" on near misses (`waymark link`);
 * - the manifest published as `links.json`, and the URL contract between two
 *   builds: every URL the previous build published must still answer.
 *
 * Pure: graph, base and renames in, data out. URLs always include the base.
 *
 * @example
 * const table = buildLinkTable(graph, { base: '/docs/' });
 * lookupLink(table, 'infra/lb.tf:12'); // { status: 'found', url: '/docs/files/infra/lb.tf/#L12', … }
 */
import { z } from 'zod';
import { processNameKey } from '../graph/link-graph.ts';
import type { Graph } from '../schema.ts';
import { compareText as compare } from '../text/compare.ts';
import { didYouMean, nearestNames, typoDistance } from '../text/did-you-mean.ts';
import { editDistanceWithin } from '../text/edit-distance.ts';
import { slugify } from '../text/slug.ts';
import { encodeControlAndSpace } from './safe-url.ts';
// The site's URL scheme is pure and dependency-free; the table must agree with it to the byte.
import { bareTaskUrl, createUrls, documentRoutes, encodePath, encodeSegment, isWebUrl, lineRangeAnchor, normalizeBase, type SiteUrls } from './urls.ts';

/** What a link names. */
type LinkKind = 'process' | 'sub-process' | 'task' | 'environment' | 'document' | 'file';

/** The part of the graph that has pages. */
export type LinkGraph = Pick<Graph, 'processes' | 'tasks' | 'files' | 'documents' | 'environments'>;

/** One git rename, `from` → `to`, repository-relative. */
export interface Rename {
  from: string;
  to: string;
}

/** One thing with a canonical URL. */
interface LinkEntry {
  kind: LinkKind;
  /** Process id, `<process-id>/<sub-process slug>`, task key, environment id, or repository path. */
  id: string;
  /** Canonical URL, base included (a sub-process's carries its `#anchor`). */
  url: string;
  /** Short form, base included. */
  short?: string;
  /** What people call it: process or task name, environment name, path. */
  title: string;
  /** Other ids that lead here: alias slugs, a task's bare id, a file's former paths. Sorted. */
  aliases: string[];
  /** Names matched loosely by lookup (case and punctuation ignored): process name and alias names, environment name. */
  names: string[];
  /** Heading slugs a `#anchor` may name (processes and documents). */
  anchors?: string[];
  /** Line count, for `path:line` (files). */
  lines?: number;
}

/** Why a redirect exists. */
type RedirectReason = 'short' | 'config' | 'alias' | 'document' | 'rename';

/** A URL that answers by sending the reader on. */
interface Redirect {
  /** Path the redirect answers at, base included, trailing slash. */
  from: string;
  /** Where it sends the reader: a URL of the site (base included) or an absolute URL. */
  to: string;
  reason: RedirectReason;
}

/**
 * A short form several things claim (`t/TASK-001/` once two plans have a
 * TASK-001): a page that lists them, so a link published while there was one
 * still answers.
 */
interface Choice {
  /** Path it answers at, base included, trailing slash. */
  from: string;
  /** What was asked for, e.g. `TASK-001`. */
  title: string;
  /** Each thing that claims it, sorted by URL. */
  options: Array<{ url: string; title: string }>;
}

/** Every address of the site. */
export interface LinkTable {
  /** Normalised base, `/` or `/sub/path/`. */
  base: string;
  /** Absolute site URL (config `site.url`), when known. */
  site?: string;
  /** Sorted by kind, then id. */
  entries: LinkEntry[];
  /** Sorted by `from`. */
  redirects: Redirect[];
  /** Short forms that name several things, sorted by `from`. */
  choices: Choice[];
  /** Every page URL the site publishes (not redirects), sorted. */
  pages: string[];
  /** Config redirects that cannot be honoured, as sentences. */
  problems: string[];
}

export interface LinkTableOptions {
  /** Base path the site is served under (default `/`). */
  base?: string;
  /** Absolute site URL, recorded in the manifest. */
  site?: string;
  /** Git renames, newest first: former paths of documents and files become aliases. */
  renames?: readonly Rename[];
  /** Config `redirects`: old path → new path, URL, id or repository path. */
  redirects?: Readonly<Record<string, string>>;
}

/** What a scan holds that the table needs: the graph, the site settings and redirects, the renames. */
export interface LinkSource {
  graph: LinkGraph;
  config: { site: { url?: string }; redirects?: Readonly<Record<string, string>> };
  renames?: readonly Rename[];
}

/**
 * The link table of a scanned repository. The build's URL contract,
 * `links.json`, `_redirects`, the redirect pages and `waymark link` all come
 * from this one call, so they cannot disagree.
 */
export function siteLinkTable(scan: LinkSource, base: string): LinkTable {
  return buildLinkTable(scan.graph, { base, site: scan.config.site.url, renames: scan.renames, redirects: scan.config.redirects });
}

const KIND_ORDER: readonly LinkKind[] = ['process', 'sub-process', 'task', 'environment', 'document', 'file'];

/**
 * Build the link table of a graph.
 *
 * Precedence when two addresses collide, so the outcome never depends on
 * input order: pages, then short forms, then config redirects, then aliases,
 * then document paths of processes, then git renames.
 */
export function buildLinkTable(graph: LinkGraph, options: LinkTableOptions = {}): LinkTable {
  const base = normalizeBase(options.base);
  const urls = createUrls(base, { documents: graph.documents.map((d) => d.path), tasks: graph.tasks });
  // Sorted first, so that which of two colliding aliases wins never depends on the graph's order.
  const entries = sortEntries([
    ...processEntries(graph, urls, base),
    ...taskEntries(graph, urls, base),
    ...environmentEntries(graph, urls, base),
    ...pathEntries(graph, urls, base),
  ]);
  const pages = new Set<string>([
    urls.home(),
    urls.processes(),
    urls.tasks(),
    urls.changes(),
    urls.files(),
    urls.docs(),
    urls.environments(),
    urls.problems(),
  ]);
  // A process document's entry points at its process page, so every entry's URL is a page.
  for (const entry of entries) if (entry.kind !== 'sub-process') pages.add(entry.url);

  const redirects = new Map<string, Redirect>();
  const problems: string[] = [];
  const add = (from: string, to: string, reason: RedirectReason): boolean => {
    if (pages.has(from) || redirects.has(from) || from === to) return false;
    redirects.set(from, { from, to, reason });
    return true;
  };
  for (const entry of entries) addShortForms(entry, add, base);
  const partial: LinkTable = { base, site: options.site, entries, redirects: [], choices: [], pages: [], problems };
  addConfigRedirects(options.redirects ?? {}, partial, pages, redirects, add, problems);
  for (const entry of entries) if (entry.kind === 'process') addAliasRedirects(entry, add, base);
  // `docs/<path>/` answers for every document, a process document's included, and so does the
  // form every document had before readable URLs, `docs/<repository path>/` (`docs/docs/x.md/`).
  for (const entry of entries) if (entry.kind === 'document') add(urls.doc(entry.id), entry.url, 'document');
  for (const entry of entries) if (entry.kind === 'document') add(urls.legacyDoc(entry.id), entry.url, 'document');
  // A task's URL before plan slugs named its plan by path: `tasks/docs/plans/network/plan/TASK-001/`.
  for (const entry of entries) if (entry.kind === 'task') add(urls.legacyTask(entry.id), entry.url, 'short');
  addRenames(entries, options.renames ?? [], add, base, urls);
  addFolderScopedTasks(graph, urls, add, base);
  for (const [from, tasks] of bareTaskForms(graph, urls)) if (tasks.length === 1) add(from, urls.task(tasks[0].key), 'short');
  // Last: a config redirect or a page decides a contested short form before a list does.
  const choices = taskChoices(graph, urls, base).filter((choice) => !pages.has(choice.from) && !redirects.has(choice.from));

  return {
    base,
    site: options.site,
    entries,
    redirects: [...redirects.values()].sort((a, b) => compare(a.from, b.from)),
    choices,
    pages: [...pages].sort(compare),
    problems,
  };
}

function processEntries(graph: LinkGraph, urls: SiteUrls, base: string): LinkEntry[] {
  const headings = new Map(graph.documents.map((d) => [d.path, d.headings.map((h) => h.slug)]));
  const entries: LinkEntry[] = [];
  for (const process of graph.processes) {
    const short = `${base}p/${encodeSegment(process.id)}/`;
    const aliases = unique(process.aliases.map(slugify).filter((alias) => alias !== '' && alias !== process.id));
    entries.push({
      kind: 'process',
      id: process.id,
      url: urls.process(process.id),
      short,
      title: process.name,
      aliases,
      names: [...new Set([process.name, ...process.aliases])],
      anchors: headings.get(process.file) ?? [],
    });
    for (const sub of process.subProcesses) {
      entries.push({
        kind: 'sub-process',
        id: `${process.id}/${sub.slug}`,
        url: urls.process(process.id, sub.slug),
        short: `${short}#${encodeURIComponent(sub.slug)}`,
        title: `${process.name} › ${sub.name}`,
        aliases: [],
        names: [],
      });
    }
  }
  return entries;
}

/** Tasks by their id as written (`TASK-001`), which several plans may share. */
function tasksById(graph: LinkGraph): Map<string, LinkGraph['tasks']> {
  const byId = new Map<string, LinkGraph['tasks']>();
  for (const task of graph.tasks) byId.set(task.taskId, [...(byId.get(task.taskId) ?? []), task]);
  return byId;
}

function taskEntries(graph: LinkGraph, urls: SiteUrls, base: string): LinkEntry[] {
  const byId = tasksById(graph);
  return graph.tasks.map((task) => {
    // A bare id is a short form only while one task has it; otherwise the scoped key is needed.
    const unique = byId.get(task.taskId)!.length === 1;
    return {
      kind: 'task',
      id: task.key,
      url: urls.task(task.key),
      short: `${base}t/${encodePath(unique ? task.taskId : task.key)}/`,
      title: `${task.taskId}: ${task.name}`,
      aliases: unique && task.taskId !== task.key ? [task.taskId] : [],
      names: [],
    };
  });
}

/**
 * Tasks were once keyed by their plan's folder (`tasks/docs/plans/TASK-001/`); those URLs keep
 * answering wherever one task still has that folder and id.
 */
function addFolderScopedTasks(graph: LinkGraph, urls: SiteUrls, add: AddRedirect, base: string): void {
  const byFolder = new Map<string, LinkGraph['tasks']>();
  for (const task of graph.tasks) {
    const former = task.scope ? `${task.scope}/${task.taskId}` : task.taskId;
    byFolder.set(former, [...(byFolder.get(former) ?? []), task]);
  }
  for (const [former, tasks] of byFolder) {
    if (tasks.length !== 1 || former === tasks[0].key) continue;
    add(urls.legacyTask(former), urls.task(tasks[0].key), 'short');
    add(`${base}t/${encodePath(former)}/`, urls.task(tasks[0].key), 'short');
  }
}

/** Tasks by {@link bareTaskUrl}, the URL their plan's bare name gives them. */
function bareTaskForms(graph: LinkGraph, urls: SiteUrls): Map<string, LinkGraph['tasks']> {
  const forms = new Map<string, LinkGraph['tasks']>();
  for (const task of graph.tasks) {
    const from = bareTaskUrl(urls, task);
    forms.set(from, [...(forms.get(from) ?? []), task]);
  }
  return forms;
}

/** `t/<task-id>/` (and `tasks/<plan name>/<task-id>/`) for each id several tasks share: the tasks to choose from. */
function taskChoices(graph: LinkGraph, urls: SiteUrls, base: string): Choice[] {
  const choices: Choice[] = [];
  const titles = new Map(graph.documents.map((d) => [d.path, d.title]));
  // Each option names its plan: the plans are what the reader chooses between.
  const planName = (task: LinkGraph['tasks'][number]) => (task.plan ? (titles.get(task.plan.file) ?? task.plan.file) : task.scope || 'no plan');
  const choose = (from: string, tasks: LinkGraph['tasks']) => {
    if (tasks.length < 2) return;
    const options = tasks
      .map((task) => ({ url: urls.task(task.key), title: `${planName(task)} › ${task.taskId}: ${task.name}` }))
      .sort((a, b) => compare(a.url, b.url));
    choices.push({ from, title: tasks[0].taskId, options });
  };
  for (const [taskId, tasks] of tasksById(graph)) choose(`${base}t/${encodePath(taskId)}/`, tasks);
  for (const [from, tasks] of bareTaskForms(graph, urls)) choose(from, tasks);
  return choices.sort((a, b) => compare(a.from, b.from));
}

function environmentEntries(graph: LinkGraph, urls: SiteUrls, base: string): LinkEntry[] {
  return graph.environments.map((environment) => ({
    kind: 'environment',
    id: environment.id,
    url: urls.environment(environment.id),
    short: `${base}e/${encodeSegment(environment.id)}/`,
    title: environment.name,
    aliases: [],
    names: [environment.name],
  }));
}

/** Documents (their page, or their process's page) and files that have a page. */
function pathEntries(graph: LinkGraph, urls: SiteUrls, base: string): LinkEntry[] {
  const processByFile = new Map(graph.processes.map((p) => [p.file, p]));
  const fileNodes = new Set(graph.files.map((f) => f.path));
  const entries: LinkEntry[] = [];
  for (const doc of graph.documents) {
    const process = processByFile.get(doc.path);
    entries.push({
      kind: 'document',
      id: doc.path,
      url: process ? urls.process(process.id) : urls.doc(doc.path),
      // With a file page too, `f/` is the file's; see `file` below.
      short: fileNodes.has(doc.path) ? undefined : `${base}f/${encodePath(doc.path)}/`,
      title: doc.title,
      aliases: [],
      names: [],
      anchors: doc.headings.map((h) => h.slug),
    });
  }
  for (const file of graph.files) {
    entries.push({
      kind: 'file',
      id: file.path,
      url: urls.file(file.path),
      short: `${base}f/${encodePath(file.path)}/`,
      title: file.path,
      aliases: [],
      names: [],
      lines: file.lineCount,
    });
  }
  return entries;
}

type AddRedirect = (from: string, to: string, reason: RedirectReason) => boolean;

function addShortForms(entry: LinkEntry, add: AddRedirect, base: string): void {
  if (!entry.short || entry.kind === 'sub-process') return;
  add(entry.short, entry.url, 'short');
  // A task is reachable by its scoped key too, whether or not its bare id is unique.
  if (entry.kind === 'task') add(`${base}t/${encodePath(entry.id)}/`, entry.url, 'short');
}

function addAliasRedirects(entry: LinkEntry, add: AddRedirect, base: string): void {
  for (const alias of entry.aliases) {
    add(`${base}p/${encodeSegment(alias)}/`, entry.url, 'alias');
    add(`${base}processes/${encodeSegment(alias)}/`, entry.url, 'alias');
  }
}

/** Former paths of every document and file with a page keep answering, at every prefix it had. */
function addRenames(entries: LinkEntry[], renames: readonly Rename[], add: AddRedirect, base: string, urls: SiteUrls): void {
  if (renames.length === 0) return;
  const byPath = new Map<string, { document?: LinkEntry; file?: LinkEntry }>();
  for (const entry of entries) {
    if (entry.kind !== 'document' && entry.kind !== 'file') continue;
    const slot = byPath.get(entry.id) ?? {};
    slot[entry.kind] = entry;
    byPath.set(entry.id, slot);
  }
  const history = renameIndex(renames);
  for (const path of [...byPath.keys()].sort(compare)) {
    const { document, file } = byPath.get(path)!;
    const pageOf = (file ?? document)!;
    for (const former of formerPaths(path, history)) {
      if (byPath.has(former)) continue; // a current page wins over an old name
      const encoded = encodePath(former);
      add(`${base}files/${encoded}/`, pageOf.url, 'rename');
      add(`${base}f/${encoded}/`, pageOf.url, 'rename');
      if (document) {
        add(urls.doc(former), document.url, 'rename');
        add(urls.legacyDoc(former), document.url, 'rename');
      }
      for (const entry of [document, file]) if (entry) entry.aliases = unique([...entry.aliases, former]);
    }
  }
}

/** Renames by their new name, each with its position in the newest-first list. */
function renameIndex(renames: readonly Rename[]): Map<string, { from: string; at: number }[]> {
  const index = new Map<string, { from: string; at: number }[]>();
  renames.forEach((rename, at) => {
    const list = index.get(rename.to) ?? [];
    list.push({ from: rename.from, at });
    index.set(rename.to, list);
  });
  return index;
}

/** Every earlier name of `path`, newest first, following renames back in time. */
function formerPaths(path: string, index: Map<string, { from: string; at: number }[]>): string[] {
  const names: string[] = [];
  let name = path;
  let after = -1;
  for (;;) {
    const step = index.get(name)?.find((rename) => rename.at > after);
    if (!step || step.from === path || names.includes(step.from)) return names;
    names.push(step.from);
    name = step.from;
    after = step.at;
  }
}

function addConfigRedirects(
  config: Readonly<Record<string, string>>,
  table: LinkTable,
  pages: Set<string>,
  taken: Map<string, Redirect>,
  add: AddRedirect,
  problems: string[],
): void {
  for (const key of Object.keys(config).sort(compare)) {
    const field = `\`redirects.${key}\``;
    const from = redirectSource(key, table.base);
    if (!from) {
      problems.push(`${field}: not a path of the site under \`${table.base}\` (use letters, digits and \`-_.~/\`)`);
      continue;
    }
    if (pages.has(from)) {
      problems.push(`${field}: \`${from}\` is a page of the site; a redirect cannot replace it`);
      continue;
    }
    const target = redirectTarget(config[key], table);
    if (typeof target !== 'string') {
      problems.push(`${field}: \`${config[key]}\` names nothing in the site${suggestionAfter(target.suggestions)}`);
      continue;
    }
    const existing = taken.get(from);
    if (existing) {
      problems.push(`${field}: \`${from}\` is already the ${existing.reason} form of \`${existing.to}\``);
      continue;
    }
    add(from, target, 'config');
  }
}

/**
 * Where a config redirect answers. Config comes from the repository, so the
 * path is normalised (no `..` out of the site) and kept to characters that
 * mean the same as a URL and as a folder name.
 */
function redirectSource(key: string, base: string): string | undefined {
  const path = sitePath(key.split('#')[0], base);
  if (!/^[A-Za-z0-9_.~\/-]+$/.test(path) || /\/\/|(^|\/)\.\.?(\/|$)/.test(path)) return undefined;
  return path;
}

/** A redirect's target: an absolute URL, a site path (`/…`), or anything `waymark link` understands. */
function redirectTarget(value: string, table: LinkTable): string | { suggestions: string[] } {
  const text = value.trim();
  // Only http(s) leaves the site, and re-serialised, so no quote or `<` reaches the page.
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return isWebUrl(text) ? new URL(text).href : { suggestions: [] };
  if (text.startsWith('/')) {
    const url = new URL(sitePath(text, table.base, false), 'http://waymark.invalid');
    return url.host === 'waymark.invalid' ? `${url.pathname}${url.search}${url.hash}` : { suggestions: [] };
  }
  const found = lookupLink(table, text);
  if (found.status === 'found') return found.url;
  return { suggestions: found.status === 'ambiguous' ? found.candidates : found.suggestions };
}

/**
 * A site path from a path written in config: the base is added unless
 * already there, and (for a page) the trailing slash.
 *
 * @example
 * sitePath('processes/old', '/docs/'); // '/docs/processes/old/'
 */
export function sitePath(path: string, base: string, folder = true): string {
  const root = normalizeBase(base);
  const [pathname, fragment] = splitFragment(path.trim());
  let result = pathname.startsWith(root) ? pathname : `${root}${pathname.replace(/^\/+/, '')}`;
  // Every page of the site is a folder, `files/infra/lb.tf/` included.
  if (folder && !result.endsWith('/')) result += '/';
  return fragment === undefined ? result : `${result}#${fragment}`;
}

function splitFragment(url: string): [string, string | undefined] {
  const hash = url.indexOf('#');
  return hash < 0 ? [url, undefined] : [url.slice(0, hash), url.slice(hash + 1)];
}

function sortEntries(entries: LinkEntry[]): LinkEntry[] {
  return [...entries].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compare(a.id, b.id));
}

// ---------------------------------------------------------------- lookup

/** The outcome of {@link lookupLink}. */
export type LinkLookup =
  | {
      status: 'found';
      entry: LinkEntry;
      /** Canonical URL, with `#L<line>` or `#<anchor>` when asked for. */
      url: string;
      /** Short form, with the same fragment, when the entry has one. */
      short?: string;
    }
  | { status: 'ambiguous'; /** `kind:id` of each match, sorted. */ candidates: string[] }
  | { status: 'unknown'; /** Near misses, best first. */ suggestions: string[]; /** Why, when more than "no such thing". */ reason?: string };

interface LookupIndex {
  /** Exact ids and paths → entries. */
  ids: Map<string, LinkEntry[]>;
  /** Exact aliases and former paths → entries; an id always beats an alias. */
  aliases: Map<string, LinkEntry[]>;
  /** Loose keys (case and punctuation ignored) of ids and own names → entries. */
  names: Map<string, LinkEntry[]>;
  /** Loose keys of aliases → entries. */
  aliasNames: Map<string, LinkEntry[]>;
  /** Everything a person might have meant, with what it names, for suggestions; sorted. */
  words: { word: string; entry: LinkEntry }[];
}

const indexes = new WeakMap<LinkTable, LookupIndex>();

const KIND_PREFIXES: Record<string, readonly LinkKind[]> = {
  p: ['process', 'sub-process'],
  process: ['process', 'sub-process'],
  t: ['task'],
  task: ['task'],
  e: ['environment'],
  env: ['environment'],
  environment: ['environment'],
  f: ['file', 'document'],
  file: ['file', 'document'],
  doc: ['document'],
  document: ['document'],
};

/**
 * Find what a query names: an id or alias (`blue-green-rollout`,
 * `TASK-001`, `docs/plans/TASK-001`, `production`), a sub-process
 * (`blue-green-rollout#rollback` or `/rollback`), a repository path with an
 * optional line or anchor (`infra/lb.tf:12`, `infra/lb.tf#L12`,
 * `docs/runbook.md#restore`), or a process or environment name
 * (`Blue/Green Rollout`). A `kind:` prefix (`process:`, `task:`, `env:`,
 * `file:`, `doc:`) settles a clash between kinds.
 */
export function lookupLink(table: LinkTable, query: string): LinkLookup {
  const index = lookupIndex(table);
  let text = query.trim();
  let kinds: readonly LinkKind[] | undefined;
  const prefixed = /^([a-z]+):(?!\d)(.+)$/i.exec(text);
  if (prefixed && Object.hasOwn(KIND_PREFIXES, prefixed[1].toLowerCase())) {
    kinds = KIND_PREFIXES[prefixed[1].toLowerCase()];
    text = prefixed[2].trim();
  }
  const pick = (key: string, ...maps: Map<string, LinkEntry[]>[]) => {
    for (const map of maps) {
      const hits = (map.get(key) ?? []).filter((e) => !kinds || kinds.includes(e.kind));
      if (hits.length) return hits;
    }
    return undefined;
  };
  const exact = (key: string) => pick(key, index.ids, index.aliases) ?? pick(key.replace(/^\.?\/+/, ''), index.ids, index.aliases);
  const loose = (key: string) => pick(looseKey(key), index.names, index.aliasNames);

  // The whole query first: ids may hold `#` or `:` themselves.
  const whole = exact(text);
  if (whole) return resolveMatches(table, whole, {});
  const { name, line, anchor } = splitTarget(text);
  if (line !== undefined || anchor !== undefined) {
    const target = exact(name) ?? loose(name);
    if (target) return resolveMatches(table, target, { line, anchor });
  }
  const named = loose(text) ?? loose(withoutArea(text));
  if (named) return resolveMatches(table, named, {});
  return { status: 'unknown', suggestions: suggest(index, text) };
}

function resolveMatches(table: LinkTable, matches: LinkEntry[], fragment: { line?: number; endLine?: number; anchor?: string }): LinkLookup {
  // A document that also has a file page is one target: the file for a line, the rendered page otherwise.
  if (matches.length === 2 && matches[0].id === matches[1].id && matches.some((m) => m.kind === 'file')) {
    const file = matches.find((m) => m.kind === 'file')!;
    const doc = matches.find((m) => m.kind === 'document')!;
    matches = [fragment.line !== undefined ? file : doc];
  }
  if (matches.length > 1) return { status: 'ambiguous', candidates: matches.map((m) => `${m.kind}:${m.id}`).sort(compare) };
  let entry = matches[0];
  if (fragment.anchor !== undefined && entry.kind === 'process') {
    const sub = table.entries.find((e) => e.kind === 'sub-process' && e.id === `${entry.id}/${fragment.anchor}`);
    if (sub) return found(sub, '');
  }
  if (fragment.line !== undefined) {
    if (entry.kind !== 'file') {
      const file = table.entries.find((e) => e.kind === 'file' && e.id === entry.id);
      if (!file) return { status: 'unknown', suggestions: [], reason: `\`${entry.id}\` has no line view (only files that carry markers or are cited do)` };
      entry = file;
    }
    if (entry.lines !== undefined && fragment.line > entry.lines) {
      return { status: 'unknown', suggestions: [], reason: `\`${entry.id}\` has ${entry.lines} lines, so line ${fragment.line} is past its end` };
    }
    return found(entry, `#${lineRangeAnchor(fragment.line, fragment.endLine && entry.lines !== undefined ? Math.min(fragment.endLine, entry.lines) : fragment.endLine)}`);
  }
  if (fragment.anchor !== undefined) {
    if (!entry.anchors?.includes(fragment.anchor)) {
      const near = nearestNames(fragment.anchor, entry.anchors ?? []).map((slug) => `${entry.id}#${slug}`);
      return { status: 'unknown', suggestions: near, reason: `\`${entry.id}\` has no heading \`#${fragment.anchor}\`` };
    }
    return found(entry, `#${encodeURIComponent(fragment.anchor)}`);
  }
  return found(entry, '');
}

function found(entry: LinkEntry, fragment: string): LinkLookup {
  const short = entry.short && (fragment ? `${splitFragment(entry.short)[0]}${fragment}` : entry.short);
  return { status: 'found', entry, url: `${splitFragment(entry.url)[0]}${fragment || fragmentOf(entry.url)}`, short };
}

function fragmentOf(url: string): string {
  const [, fragment] = splitFragment(url);
  return fragment === undefined ? '' : `#${fragment}`;
}

/** `path:12`, `path:12-48`, `path#L12-L48`, `id#anchor`, `id/slug` stay for the caller to try whole first. */
function splitTarget(text: string): { name: string; line?: number; endLine?: number; anchor?: string } {
  const colon = /^(.+?):(\d+)(?:-(\d+))?$/.exec(text);
  if (colon) return { name: colon[1], line: Number(colon[2]), ...(colon[3] ? { endLine: Number(colon[3]) } : {}) };
  const hash = text.indexOf('#');
  if (hash > 0) {
    const name = text.slice(0, hash);
    const rest = text.slice(hash + 1);
    const lineAnchor = /^L(\d+)(?:-L?(\d+))?$/.exec(rest);
    return lineAnchor ? { name, line: Number(lineAnchor[1]), ...(lineAnchor[2] ? { endLine: Number(lineAnchor[2]) } : {}) } : { name, anchor: rest };
  }
  return { name: text };
}

/** `Deployment Process: Blue/Green Rollout` → `Blue/Green Rollout`. */
function withoutArea(text: string): string {
  const colon = text.indexOf(':');
  return colon > 0 ? text.slice(colon + 1) : text;
}

function looseKey(text: string): string {
  return processNameKey(text);
}

function lookupIndex(table: LinkTable): LookupIndex {
  const cached = indexes.get(table);
  if (cached) return cached;
  const index: LookupIndex = { ids: new Map(), aliases: new Map(), names: new Map(), aliasNames: new Map(), words: [] };
  const put = (map: Map<string, LinkEntry[]>, key: string, entry: LinkEntry) => {
    if (!key) return;
    const list = map.get(key) ?? [];
    if (!list.includes(entry)) list.push(entry);
    map.set(key, list);
  };
  const word = (text: string, entry: LinkEntry) => index.words.push({ word: text, entry });
  for (const entry of table.entries) {
    // Paths are matched as written; ids and names loosely too.
    const loose = entry.kind !== 'file' && entry.kind !== 'document';
    const ids = entry.kind === 'sub-process' ? [entry.id, entry.id.replace('/', '#')] : [entry.id];
    for (const id of ids) {
      put(index.ids, id, entry);
      if (loose) put(index.names, looseKey(id), entry);
    }
    word(entry.id, entry);
    for (const alias of entry.aliases) {
      put(index.aliases, alias, entry);
      if (loose) put(index.aliasNames, looseKey(alias), entry);
      word(alias, entry);
    }
    entry.names.forEach((name, i) => {
      // The first name is the entry's own (process or environment name); the rest are aliases.
      put(i === 0 ? index.names : index.aliasNames, looseKey(name), entry);
      word(name, entry);
    });
    // The task id as written finds every task that has it, so a repeated id is reported ambiguous.
    if (entry.kind === 'task') put(index.names, looseKey(entry.id.slice(entry.id.lastIndexOf('/') + 1)), entry);
  }
  index.words.sort((a, b) => compare(a.word, b.word));
  indexes.set(table, index);
  return index;
}

const SUGGESTIONS = 3;

/** "; did you mean `a`?" after a sentence, or nothing. */
export function suggestionAfter(suggestions: readonly string[]): string {
  const hint = didYouMean(suggestions);
  return hint ? `; ${hint}` : '';
}

/** Near misses: same file name elsewhere, then small edit distance, then containing the query. */
function suggest(index: LookupIndex, query: string): string[] {
  const wanted = query.toLowerCase();
  const name = wanted.slice(wanted.lastIndexOf('/') + 1);
  const max = typoDistance(wanted);
  const scored: { word: string; entry: LinkEntry; score: number }[] = [];
  for (const { word, entry } of index.words) {
    const lower = word.toLowerCase();
    if (lower === wanted) continue;
    let score = Infinity;
    if (name.length > 2 && lower.slice(lower.lastIndexOf('/') + 1) === name) score = 0.5;
    const distance = editDistanceWithin(wanted, lower, max);
    if (distance <= max) score = Math.min(score, distance);
    if (score === Infinity && wanted.length >= 3 && lower.includes(wanted)) score = max + 1;
    if (score !== Infinity) scored.push({ word, entry, score });
  }
  scored.sort((a, b) => a.score - b.score || a.word.length - b.word.length || compare(a.word, b.word));
  // One suggestion per thing: its best-matching id, alias or name.
  const seen = new Set<LinkEntry>();
  const words: string[] = [];
  for (const { word, entry } of scored) {
    if (seen.has(entry) || words.includes(word)) continue;
    seen.add(entry);
    words.push(word);
    if (words.length === SUGGESTIONS) break;
  }
  return words;
}

// ---------------------------------------------------------------- manifest and contract

const UrlMap = z.record(z.string(), z.string());

/**
 * `links.json`: every id and alias → canonical URL, per kind, plus the
 * redirects and the full list of URLs the site answers at. Other tools read
 * it; the next build reads it back for the URL contract.
 */
export const LinkManifest = z.object({
  /** Format version. */
  version: z.literal(1),
  /** Base path of the site. */
  base: z.string(),
  /** Absolute site URL, when configured. */
  site: z.string().optional(),
  /** Process id or alias → process page. */
  processes: UrlMap,
  /** `<process-id>/<slug>` → process page at the sub-process heading. */
  subProcesses: UrlMap,
  /** Task key (`<scope>/<id>`) or unique task id → task page. */
  tasks: UrlMap,
  /** Environment id → environment page. */
  environments: UrlMap,
  /** Document path (or former path) → its page (a process document's is the process page). */
  documents: UrlMap,
  /** File path (or former path) → file page. */
  files: UrlMap,
  /** Redirect path → where it leads. */
  redirects: UrlMap,
  /** Short form several tasks share (`/t/TASK-001/`) → the pages it lists. */
  choices: z.record(z.string(), z.array(z.string())),
  /** Every URL the site answers at, pages, redirects and choices, sorted. */
  urls: z.array(z.string()),
});
export type LinkManifest = z.infer<typeof LinkManifest>;

/** What the contract needs of a previous manifest; anything else in it is ignored. */
export const PreviousManifest = z
  .object({
    urls: z.array(z.string()),
    base: z.string().optional(),
    processes: UrlMap.optional(),
    subProcesses: UrlMap.optional(),
    tasks: UrlMap.optional(),
    environments: UrlMap.optional(),
    documents: UrlMap.optional(),
    files: UrlMap.optional(),
    redirects: UrlMap.optional(),
  })
  .loose();
export type PreviousManifest = z.infer<typeof PreviousManifest>;

const MANIFEST_SECTION: Record<LinkKind, 'processes' | 'subProcesses' | 'tasks' | 'environments' | 'documents' | 'files'> = {
  process: 'processes',
  'sub-process': 'subProcesses',
  task: 'tasks',
  environment: 'environments',
  document: 'documents',
  file: 'files',
};

/** The manifest of a table, keys sorted, so two builds of one repository write the same bytes. */
export function toManifest(table: LinkTable): LinkManifest {
  const sections: Record<(typeof MANIFEST_SECTION)[LinkKind], Record<string, string>> = {
    processes: {},
    subProcesses: {},
    tasks: {},
    environments: {},
    documents: {},
    files: {},
  };
  for (const entry of table.entries) sections[MANIFEST_SECTION[entry.kind]][entry.id] = entry.url;
  for (const entry of table.entries) {
    const section = sections[MANIFEST_SECTION[entry.kind]];
    for (const alias of entry.aliases) section[alias] ??= entry.url;
  }
  const sorted = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
  return {
    version: 1,
    base: table.base,
    ...(table.site ? { site: table.site } : {}),
    processes: sorted(sections.processes),
    subProcesses: sorted(sections.subProcesses),
    tasks: sorted(sections.tasks),
    environments: sorted(sections.environments),
    documents: sorted(sections.documents),
    files: sorted(sections.files),
    redirects: Object.fromEntries(table.redirects.map((r) => [r.from, r.to])),
    choices: Object.fromEntries(table.choices.map((c) => [c.from, c.options.map((option) => option.url)])),
    urls: publishedUrls(table),
  };
}

/** Every URL the site answers at: pages, redirects and choices, sorted. */
export function publishedUrls(table: LinkTable): string[] {
  return [...new Set([...table.pages, ...table.redirects.map((r) => r.from), ...table.choices.map((c) => c.from)])].sort(compare);
}

/** A URL the previous build published that this one would not answer. */
export interface LostUrl {
  url: string;
  /** What it was, e.g. "process `blue-green-rollout`", when the old manifest says. */
  was?: string;
  /** What to do about it. */
  hint: string;
}

/**
 * The URL contract: every URL of the previous manifest must still be a page
 * or a redirect. Returns the ones that would now 404, sorted.
 */
export function lostUrls(previous: PreviousManifest, current: LinkTable): LostUrl[] {
  const now = new Set(publishedUrls(current));
  const lost: LostUrl[] = [];
  for (const url of [...new Set(previous.urls)].sort(compare)) {
    if (now.has(url)) continue;
    const was = describeOld(previous, url);
    lost.push({ url, ...(was ? { was: `${was.kind} \`${was.id}\`` } : {}), hint: hintFor(url, was, current) });
  }
  return lost;
}

function describeOld(previous: PreviousManifest, url: string): { kind: LinkKind; id: string } | undefined {
  for (const kind of KIND_ORDER) {
    const section = previous[MANIFEST_SECTION[kind]];
    if (!section) continue;
    const ids = Object.keys(section).filter((id) => splitFragment(section[id])[0] === url);
    // The canonical id is the one its URL is made of; the others are aliases of it.
    const own = ids.filter(
      (id) =>
        url.includes(`/${kind === 'document' || kind === 'file' || kind === 'task' ? encodePath(id) : encodeSegment(id)}/`) ||
        (kind === 'document' && url.endsWith(`/docs/${documentRoutes([id]).get(id)}/`)),
    );
    if (ids.length) return { kind, id: (own.length ? own : ids).sort(compare)[0] };
  }
  const target = previous.redirects?.[url];
  return target === undefined ? undefined : describeOld({ ...previous, redirects: undefined }, splitFragment(target)[0]);
}

function hintFor(url: string, was: { kind: LinkKind; id: string } | undefined, current: LinkTable): string {
  const redirect = `map it in \`redirects\` in waymark.config.json (\`"${url}": "<new id, path or URL>"\`)`;
  if (was?.kind === 'process') {
    return `add \`aliases: [${was.id}]\` to the front matter of the process document that replaces it, or ${redirect}`;
  }
  if (was?.kind === 'file' || was?.kind === 'document') {
    const name = was.id.slice(was.id.lastIndexOf('/') + 1);
    const moved = current.entries.filter((e) => (e.kind === 'file' || e.kind === 'document') && e.id.endsWith(`/${name}`) && e.id !== was.id);
    if (moved.length === 1) {
      return `\`${was.id}\` no longer has a page; if it moved to \`${moved[0].id}\`, commit the move with git so Waymark sees the rename, or ${redirect}`;
    }
    return `\`${was.id}\` no longer has a page; ${redirect}`;
  }
  return `nothing answers at it any more; ${redirect}`;
}

/**
 * The `_redirects` file Netlify and Cloudflare Pages read: one
 * `from to 301` line per redirect, sorted. Static redirect pages stay at the
 * same paths for hosts that do not read it.
 */
export function redirectsFile(table: LinkTable): string {
  // Paths are built to hold no blank, but a blank or line break that slipped
  // through would split a rule or add one (`/* https://evil.example/:splat 200!`).
  return table.redirects.map((r) => `${encodeControlAndSpace(r.from)} ${encodeControlAndSpace(r.to)} 301\n`).join('');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}
