/**
 * Stable, base-aware URLs for every page of the site. One function per kind of
 * page, so a page's address is decided in exactly one place:
 *
 * | page | URL |
 * | --- | --- |
 * | home | `<base>` |
 * | process | `<base>processes/<id>/` |
 * | task | `<base>tasks/<plan-slug>/<taskId>/` ({@link planSlugs}) |
 * | file | `<base>files/<path>/` (`#L<line>` for a line, `#L<start>-L<end>` for a range, GitHub's form); index `<base>files/` |
 * | document | `<base>docs/<path without docs/ and extension>/` ({@link documentRoutes}); index `<base>docs/` |
 * | environment | `<base>environments/<id>/` |
 * | problems | `<base>problems/` (`#rule-<rule>`) |
 * | change history | `<base>changes/` |
 * | guide | `<base>guide/<slug>/` |
 *
 * The README's "URL contract" is {@link URL_CONTRACT}, word for word (a test
 * holds them equal). Repository paths keep their shape in the URL: each
 * segment is escaped by {@link encodeSegment}, which is injective.
 *
 * @example
 * const urls = createUrls('/docs/');
 * urls.file('infra/lb.tf', 12); // '/docs/files/infra/lb.tf/#L12'
 * urls.file('infra/lb.tf', 12, 20); // '/docs/files/infra/lb.tf/#L12-L20'
 */
import { compareText } from '../text/compare.ts';
import { slugify } from '../text/slug.ts';
import { baseProblem, hasControlOrSpace, safeUrl } from './safe-url.ts';

/** Characters kept as they are in a URL segment; everything else is `~XX`-escaped. */
const SAFE = /[A-Za-z0-9_-]/;

/**
 * Escape one path segment for a URL and an output folder name. Unsafe bytes
 * become `~XX` (upper-case hex of each UTF-8 byte) and so does a leading dot,
 * because folders such as `.github` are hidden from static servers and from
 * indexers that skip dot-folders. `~` itself is escaped, so the mapping is
 * reversible and two segments never collide.
 */
export function encodeSegment(segment: string): string {
  let out = '';
  let index = 0;
  for (const ch of segment) {
    if (SAFE.test(ch) || (ch === '.' && index > 0)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    index += ch.length;
  }
  // `.` and `..` alone would mean "this folder" and "the parent folder".
  return out === '' ? '~' : out;
}

/** Inverse of {@link encodeSegment}. */
export function decodeSegment(segment: string): string {
  if (segment === '~') return '';
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '~') {
      bytes.push(Number.parseInt(segment.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(segment.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Escape every segment of a slash-separated path (empty segments dropped). */
export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeSegment)
    .join('/');
}

/**
 * A base path with exactly one leading and one trailing slash: `docs` → `/docs/`, `` → `/`.
 * Config and the CLI validate the base first; one that still fails
 * {@link baseProblem} here (from a tampered cache, say) is refused, because
 * every page loads its scripts from it.
 */
export function normalizeBase(base: string | undefined): string {
  const problem = baseProblem(base ?? '/');
  if (problem) throw new Error(`site base ${JSON.stringify(base)} ${problem}`);
  const trimmed = (base ?? '/').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '/' : `/${trimmed}/`;
}

/** `#fragment` for an anchor, or nothing. */
function fragment(anchor: string | undefined): string {
  return anchor ? `#${encodeURIComponent(anchor)}` : '';
}

/** Id of a problems-page section for one rule. */
export function ruleAnchor(rule: string): string {
  return `rule-${rule.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
}

/** Id of a source line on a file page. */
export function lineAnchor(line: number): string {
  return `L${line}`;
}

/** Fragment of a line or a range on a file page, GitHub's form: `L12`, `L12-L20` (one line when `end` is not past `start`). */
export function lineRangeAnchor(start: number, end?: number): string {
  return end !== undefined && end > start ? `L${start}-L${end}` : `L${start}`;
}

export interface SiteUrls {
  /** The normalised base, `/` or `/sub/path/`. */
  readonly base: string;
  home(): string;
  processes(): string;
  process(id: string, anchor?: string): string;
  tasks(): string;
  /** A task's canonical page, `tasks/<plan-slug>/<taskId>/`, by its key (a key the catalog lacks gets its {@link SiteUrls.legacyTask} form). */
  task(key: string): string;
  /** The form every task URL had before plan slugs: `tasks/<plan path>/<taskId>/` (now a redirect). */
  legacyTask(key: string): string;
  changes(): string;
  files(): string;
  /** A file page; with `line`, at that line; with `endLine` too, at the range `line`–`endLine`. */
  file(path: string, line?: number, endLine?: number): string;
  docs(): string;
  /** A document's page: `docs/<path>/` without a leading `docs/` and without the extension. */
  doc(path: string, anchor?: string): string;
  /** The form document URLs had before: `docs/<repository path>/` (now a redirect). */
  legacyDoc(path: string): string;
  environments(): string;
  environment(id: string): string;
  problems(rule?: string): string;
  guides(): string;
  guide(slug: string): string;
  /** A file from `public/` or the Pagefind bundle, e.g. `asset('waymark.css')`. */
  asset(path: string): string;
  /** The route parameter of a page URL under `section` (`docs`, `tasks`): what `getStaticPaths` returns. */
  route(url: string, section: string): string;
}

/** What URLs depend on beyond the base: every document path and every task, so that collisions are settled the same way everywhere. */
export interface UrlCatalog {
  documents?: readonly string[];
  tasks?: readonly TaskIdentity[];
}

/** The parts of a task its URL is made of. */
export interface TaskIdentity {
  key: string;
  taskId: string;
  /** Folder of the plan or summary that defines it. */
  scope: string;
  plan?: { file: string };
}

const DOCUMENT_EXTENSION = /\.(?:md|mdx|markdown)$/i;

/**
 * Route (the escaped path under `docs/`) of each document. The readable form
 * drops a leading `docs/` (the site section already says it) and the
 * extension: `docs/runbooks/on-call.md` → `runbooks/on-call`. When several
 * documents would share one (`README.md` and `docs/README.md`; `a.md` and
 * `a.mdx`), the one under `docs/` with a `.md` extension keeps it, else the
 * first in path order; each other keeps its whole repository path
 * (`docs/README.md` → `docs/README.md`), and a form still taken gets `-2`,
 * `-3`, … Sorted input in, so the outcome never depends on order.
 */
export function documentRoutes(paths: readonly string[]): Map<string, string> {
  const readable = (path: string) => encodePath(path.replace(/^docs\//, '').replace(DOCUMENT_EXTENSION, ''));
  const rank = (path: string) => (path.startsWith('docs/') ? 0 : 2) + (/\.md$/i.test(path) ? 0 : 1);
  const sorted = [...new Set(paths)].sort((a, b) => rank(a) - rank(b) || compareText(a, b));
  const taken = new Set<string>();
  const routes = new Map<string, string>();
  const losers: string[] = [];
  for (const path of sorted) {
    const route = readable(path);
    if (route === '' || taken.has(route)) losers.push(path);
    else {
      taken.add(route);
      routes.set(path, route);
    }
  }
  for (const path of losers.sort(compareText)) {
    const route = unused(encodePath(path), taken);
    taken.add(route);
    routes.set(path, route);
  }
  return routes;
}

/**
 * The slug naming each task owner (a plan document, or the folder of a task
 * only a summary defines) in task URLs: the owner's own name, slugified
 * (`docs/plans/infrastructure-improvement-plan.md` → `infrastructure-improvement-plan`).
 * Owners that share a name are told apart by their folders, innermost first
 * (`network/plan.md`, `storage/plan.md` → `network-plan`, `storage-plan`;
 * a root `plan.md` beside them stays `plan`); a slug still taken gets `-2`,
 * `-3`, … in order of path length, then path.
 */
export function planSlugs(owners: readonly string[]): Map<string, string> {
  const parts = (owner: string) => owner.replace(DOCUMENT_EXTENSION, '').split('/').filter(Boolean);
  const nameOf = (owner: string, depth: number) => slugify(parts(owner).slice(-depth).join('-')) || 'tasks';
  const unique = [...new Set(owners)].sort((a, b) => parts(a).length - parts(b).length || compareText(a, b));
  const groups = new Map<string, string[]>();
  for (const owner of unique) groups.set(nameOf(owner, 1), [...(groups.get(nameOf(owner, 1)) ?? []), owner]);
  const wanted = new Map<string, string>();
  for (const [name, group] of groups) {
    for (const owner of group) {
      if (group.length === 1) {
        wanted.set(owner, name);
        continue;
      }
      // The fewest folders that no other owner of the group ends with.
      let depth = 2;
      while (depth < parts(owner).length && group.some((other) => other !== owner && nameOf(other, depth) === nameOf(owner, depth))) depth++;
      wanted.set(owner, nameOf(owner, depth));
    }
  }
  const taken = new Set<string>();
  const slugs = new Map<string, string>();
  for (const owner of unique) {
    const slug = unused(wanted.get(owner)!, taken);
    taken.add(slug);
    slugs.set(owner, slug);
  }
  return slugs;
}

/** `name`, or `name-2`, `name-3`, … whichever is not taken. */
function unused(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  let n = 2;
  while (taken.has(`${name}-${n}`)) n++;
  return `${name}-${n}`;
}

/** The plan (or folder) a task belongs to, as {@link planSlugs} names it. */
function taskOwner(task: TaskIdentity): string {
  return task.plan?.file ?? task.scope;
}

/**
 * `tasks/<plan name>/<taskId>/` with the plan's bare name, whether or not
 * another plan shares it: the URL a task had while its plan's name was
 * unique, so it keeps answering (a redirect, or a choice once several plans
 * with that name define the id) after a second plan of the name arrives.
 */
export function bareTaskUrl(urls: SiteUrls, task: TaskIdentity): string {
  return `${urls.tasks()}${planSlugs([taskOwner(task)]).get(taskOwner(task))}/${encodeSegment(task.taskId)}/`;
}

/** URL builders for a site served under `base`; `catalog` settles document and task URLs. */
export function createUrls(base = '/', catalog: UrlCatalog = {}): SiteUrls {
  const root = normalizeBase(base);
  const page = (...parts: string[]) => `${root}${parts.filter(Boolean).join('/')}/`;
  const docRoutes = documentRoutes(catalog.documents ?? []);
  const tasks = catalog.tasks ?? [];
  const slugs = planSlugs(tasks.map(taskOwner));
  const taskRoutes = new Map(tasks.map((task) => [task.key, `${slugs.get(taskOwner(task))}/${encodeSegment(task.taskId)}`]));
  const docRoute = (path: string) => docRoutes.get(path) ?? documentRoutes([path]).get(path)!;
  return {
    base: root,
    home: () => root,
    processes: () => page('processes'),
    process: (id, anchor) => page('processes', encodeSegment(id)) + fragment(anchor),
    tasks: () => page('tasks'),
    task: (key) => page('tasks', taskRoutes.get(key) ?? encodePath(key)),
    legacyTask: (key) => page('tasks', encodePath(key)),
    changes: () => page('changes'),
    files: () => page('files'),
    docs: () => page('docs'),
    file: (path, line, endLine) => page('files', encodePath(path)) + (line ? `#${lineRangeAnchor(line, endLine)}` : ''),
    doc: (path, anchor) => page('docs', docRoute(path)) + fragment(anchor),
    legacyDoc: (path) => page('docs', encodePath(path)),
    environments: () => page('environments'),
    environment: (id) => page('environments', encodeSegment(id)),
    problems: (rule) => page('problems') + (rule ? `#${ruleAnchor(rule)}` : ''),
    guides: () => page('guide'),
    guide: (slug) => page('guide', encodeSegment(slug)),
    asset: (path) => `${root}${path.replace(/^\/+/, '')}`,
    route: (url, section) => url.split('#')[0].slice(`${root}${section}/`.length).replace(/\/$/, ''),
  };
}

/** One row of the README's URL contract: a kind of page, its canonical URL, its short form, the old forms that redirect, and an example. */
interface ContractRow {
  page: string;
  canonical: string;
  short: string;
  redirects: string;
  /** A thing of this kind in `test/fixtures/url-contract/` and its URLs there (base `/`): the test holds the code to them. */
  example: { kind: string; id: string; canonical: string; short?: string; redirects: string[] };
}

/**
 * The URL contract, as the README states it (`test/readme-url-contract.test.ts`
 * holds the README's table equal to these rows, and each example to the link table).
 * Only the pages listed here are permanent; pagination pages (`…/2/`) are not.
 */
export const URL_CONTRACT: readonly ContractRow[] = [
  {
    page: 'process',
    canonical: '`/processes/<id>/`',
    short: '`/p/<id>/` (`#<sub-process>`)',
    redirects: '`/processes/<alias>/`, `/p/<alias>/`',
    example: { kind: 'process', id: 'deploy-the-shop', canonical: '/processes/deploy-the-shop/', short: '/p/deploy-the-shop/', redirects: ['/processes/ship-the-shop/', '/docs/processes/deploy/', '/docs/docs/processes/deploy.md/'] },
  },
  {
    page: 'task',
    canonical: '`/tasks/<plan-slug>/<TASK-ID>/`',
    short: '`/t/<TASK-ID>/`; a page listing the plans when several define it',
    redirects: '`/tasks/<plan path>/<TASK-ID>/`, `/tasks/<plan folder>/<TASK-ID>/`, `/t/<plan path>/<TASK-ID>/`',
    example: {
      kind: 'task',
      id: 'docs/plans/network/plan/TASK-001',
      canonical: '/tasks/network-plan/TASK-001/',
      redirects: ['/tasks/docs/plans/network/plan/TASK-001/', '/tasks/docs/plans/network/TASK-001/', '/t/docs/plans/network/plan/TASK-001/'],
    },
  },
  {
    page: 'document',
    canonical: '`/docs/<path>/`, without a leading `docs/` and without `.md`',
    short: '`/f/<path>/` (its source view, when it has one)',
    redirects: '`/docs/<repository path>/`, former paths (git renames)',
    example: { kind: 'document', id: 'docs/runbooks/on-call.md', canonical: '/docs/runbooks/on-call/', redirects: ['/docs/docs/runbooks/on-call.md/'] },
  },
  {
    page: 'file',
    canonical: '`/files/<path>/` (`#L<line>`); `.github/` is `~2Egithub/`',
    short: '`/f/<path>/`',
    redirects: 'former paths (git renames)',
    example: { kind: 'file', id: '.github/workflows/deploy.yml', canonical: '/files/~2Egithub/workflows/deploy.yml/', short: '/f/~2Egithub/workflows/deploy.yml/', redirects: [] },
  },
  {
    page: 'environment',
    canonical: '`/environments/<id>/`',
    short: '`/e/<id>/`',
    redirects: '',
    example: { kind: 'environment', id: 'production', canonical: '/environments/production/', short: '/e/production/', redirects: [] },
  },
];

/**
 * Fill a "view source" template such as
 * `https://git.example.com/infra/blob/main/{path}#L{line}-L{endLine}`.
 * Returns undefined when there is no template. Without a line, a `#…` part
 * that uses `{line}` or `{endLine}` is dropped.
 *
 * The template comes from the scanned repository's config, so only an
 * absolute `http(s)` URL is used: a `javascript:` template would be a script
 * link on every page.
 */
export function repoSourceUrl(template: string | undefined, path: string, line?: number, endLine?: number): string | undefined {
  if (!template || !isWebUrl(template)) return undefined;
  let url = template;
  if (line === undefined && /\{(line|endLine)\}/.test(url)) url = url.replace(/#.*$/, '');
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return safeUrl(
    url
      .replaceAll('{path}', encodedPath)
      .replaceAll('{line}', String(line ?? ''))
      .replaceAll('{endLine}', String(endLine ?? line ?? '')),
  );
}

/**
 * {@link repoSourceUrl} pinned to one commit, so the page shown is the text
 * the site was built from: `{commit}` in the template, else the branch of a
 * GitHub or GitLab `…/blob/<branch>/{path}` template replaced by the commit.
 * Undefined when there is no commit or the template names no branch to replace.
 *
 * @example
 * repoSourceUrlAt('https://github.com/a/b/blob/HEAD/{path}', 'abc123', 'lb.tf'); // 'https://github.com/a/b/blob/abc123/lb.tf'
 */
export function repoSourceUrlAt(template: string | undefined, commit: string | undefined, path: string, line?: number, endLine?: number): string | undefined {
  if (!template || !commit || !/^[0-9a-f]{7,64}$/i.test(commit)) return undefined;
  const pinned = template.includes('{commit}') ? template.replaceAll('{commit}', commit) : template.replace(/(\/(?:-\/)?blob\/)[^/?#]+\/(?=\{path\})/, `$1${commit}/`);
  return pinned === template ? undefined : repoSourceUrl(pinned, path, line, endLine);
}

/**
 * An absolute `http:` or `https:` URL (checked the way a browser parses it, so
 * `\tjavascript:` is no way round), with no blank or control character, which
 * a browser would silently drop and a `_redirects` line would split at.
 */
export function isWebUrl(text: string): boolean {
  if (hasControlOrSpace(text)) return false;
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
