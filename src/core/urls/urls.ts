/**
 * Stable, base-aware URLs for every page of the site. One function per kind of
 * page, so a page's address is decided in exactly one place:
 *
 * | page | URL |
 * | --- | --- |
 * | home | `<base>` |
 * | process | `<base>processes/<id>/` |
 * | task | `<base>tasks/<scope>/<taskId>/` |
 * | file | `<base>files/<path>/` (`#L<line>` for a line, `#L<start>-L<end>` for a range, GitHub's form); index `<base>files/` |
 * | document | `<base>docs/<path>/`; index `<base>docs/` |
 * | environment | `<base>environments/<id>/` |
 * | problems | `<base>problems/` (`#rule-<rule>`) |
 * | change history | `<base>changes/` |
 *
 * Repository paths keep their shape in the URL: each segment is escaped by
 * {@link encodeSegment}, which is injective, so two paths never share a URL.
 *
 * @example
 * const urls = createUrls('/docs/');
 * urls.file('infra/lb.tf', 12); // '/docs/files/infra/lb.tf/#L12'
 * urls.file('infra/lb.tf', 12, 20); // '/docs/files/infra/lb.tf/#L12-L20'
 */
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
  task(key: string): string;
  changes(): string;
  files(): string;
  /** A file page; with `line`, at that line; with `endLine` too, at the range `line`–`endLine`. */
  file(path: string, line?: number, endLine?: number): string;
  docs(): string;
  doc(path: string, anchor?: string): string;
  environments(): string;
  environment(id: string): string;
  problems(rule?: string): string;
  /** A file from `public/` or the Pagefind bundle, e.g. `asset('waymark.css')`. */
  asset(path: string): string;
}

/** URL builders for a site served under `base`. */
export function createUrls(base = '/'): SiteUrls {
  const root = normalizeBase(base);
  const page = (...parts: string[]) => `${root}${parts.filter(Boolean).join('/')}/`;
  return {
    base: root,
    home: () => root,
    processes: () => page('processes'),
    process: (id, anchor) => page('processes', encodeSegment(id)) + fragment(anchor),
    tasks: () => page('tasks'),
    task: (key) => page('tasks', encodePath(key)),
    changes: () => page('changes'),
    files: () => page('files'),
    docs: () => page('docs'),
    file: (path, line, endLine) => page('files', encodePath(path)) + (line ? `#${lineRangeAnchor(line, endLine)}` : ''),
    doc: (path, anchor) => page('docs', encodePath(path)) + fragment(anchor),
    environments: () => page('environments'),
    environment: (id) => page('environments', encodeSegment(id)),
    problems: (rule) => page('problems') + (rule ? `#${ruleAnchor(rule)}` : ''),
    asset: (path) => `${root}${path.replace(/^\/+/, '')}`,
  };
}

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
