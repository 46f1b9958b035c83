/**
 * Markdown links resolved exactly as GitHub resolves them. A link is an
 * explicit claim ("this file, here"), so it is never resolved by guessing:
 * GitHub renders `docs/a.md` at `/<owner>/<repo>/blob/<branch>/docs/a.md` and
 * the browser resolves `[x](tips.md)` against that URL, relative to the
 * document; `/x` starts at the repository root. What Waymark's lenient path
 * resolution would have guessed (`guides/tips.md`) becomes the "did you mean".
 *
 * A link that climbs above the repository root goes on climbing in GitHub's
 * URL space (`blob`, then the branch, then the repository itself): from a
 * root README, `../../issues/12` reaches issue 12. {@link githubClimb} models
 * that; Waymark accepts what reaches a page GitHub serves for the repository
 * and explains the rest with the exact fix.
 */
import type { FileIndex, Resolution } from './resolve.ts';

/** Repository pages a climbing link may reach (`/<owner>/<repo>/<page>/…`). */
const REPOSITORY_PAGES = new Set([
  'issues',
  'pulls',
  'pull',
  'wiki',
  'discussions',
  'releases',
  'actions',
  'milestones',
  'labels',
  'projects',
  'security',
  'tags',
  'commits',
  'commit',
  'compare',
]);

/** Where a link that climbs above the repository root lands in GitHub's URL space. */
export type Climb =
  /** A page of this repository (`issues/12`): fine. */
  | { kind: 'page'; page: string; rest: string }
  /** `blob/<ref>/<path>` or `tree/<ref>/<path>`: a file of this repository, at `path`. */
  | { kind: 'file'; path: string }
  /** One level too few: `/<owner>/<repo>/blob/…` or deeper, a 404; `short` more `../` reach the repository. */
  | { kind: 'short'; short: number; rest: string; page: boolean }
  /** The repository itself, at something that is not a page (`/<owner>/<repo>/docs/a.md`): `extra` `../` too many for a file. */
  | { kind: 'not-a-page'; rest: string; extra: number }
  /** Above the repository: `/<owner>/<name>` is another repository of the same owner, `/<name>` a user. */
  | { kind: 'outside'; rest: string; owner: boolean };

/** Folders of a repository-relative file: `docs/adr/x.md` → 2. */
function depthOf(file: string): number {
  return file.split('/').length - 1;
}

/**
 * `../../issues/12` seen from `fromFile`: how many leading `..` it climbs and
 * what follows, with inner `a/..` collapsed. Undefined when the link stays
 * inside the repository.
 */
export function githubClimb(written: string, fromFile: string): Climb | undefined {
  const segments: string[] = [];
  let ups = 0;
  for (const segment of written.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length > 0) segments.pop();
      else ups++;
    } else segments.push(segment);
  }
  const depth = depthOf(fromFile);
  if (written.startsWith('/')) return undefined;
  const rest = segments.join('/');
  // `issues/12` at the root of the tree: `/blob/<branch>/issues/12`, two levels short of the repository's pages.
  if (ups === depth && REPOSITORY_PAGES.has(segments[0] ?? '')) return { kind: 'short', short: 2, rest, page: true };
  if (ups <= depth) return undefined;
  // From the document's folder, `depth` ups reach the root of the tree, one more `blob/<branch>`'s branch, one more the repository.
  const toRepository = depth + 2;
  if (ups === toRepository) {
    const [first, , ...tail] = segments;
    if (first !== undefined && REPOSITORY_PAGES.has(first)) return { kind: 'page', page: first, rest };
    if ((first === 'blob' || first === 'tree') && segments.length >= 2) return { kind: 'file', path: tail.join('/') };
    return { kind: 'not-a-page', rest, extra: ups - depth };
  }
  if (ups < toRepository) return { kind: 'short', short: toRepository - ups, rest, page: REPOSITORY_PAGES.has(segments[0] ?? '') };
  return { kind: 'outside', rest, owner: ups === toRepository + 1 };
}

/**
 * Where a markdown link points, as GitHub sees it. `guess` is the lenient
 * resolution (repository root, repository-name prefix, unique suffix): only
 * its answer becomes a candidate for "did you mean".
 */
export function resolveLink(written: string, fromFile: string, index: FileIndex, guess: (path: string) => Resolution): Resolution {
  // `[Rollback](#rollback)`: the anchor is in the document itself.
  if (written === '') return { status: 'ok', targets: [fromFile], candidates: [] };
  const wantsDirectory = written.endsWith('/');
  const exists = (path: string) => (wantsDirectory ? index.directories.has(path) : index.files.has(path) || index.directories.has(path));
  const target = linkTarget(written, fromFile);
  const inside = target !== '..' && !target.startsWith('../');
  // A real `issues/` folder at the root wins over GitHub's pages.
  if (inside && target !== '' && exists(target)) return { status: 'ok', targets: [target], candidates: [] };
  const climb = githubClimb(written, fromFile);
  if (climb?.kind === 'page') return { status: 'external', targets: [], candidates: [] };
  if (climb?.kind === 'file') {
    if (climb.path === '' || exists(climb.path)) return { status: climb.path === '' ? 'external' : 'ok', targets: climb.path === '' ? [] : [climb.path], candidates: [] };
    return { status: 'missing', targets: [], candidates: guess(climb.path).targets };
  }
  if (climb) return { status: 'missing', targets: [], candidates: [] };
  // `[home](/)` and `[up](..)` from a root document name the repository's root folder.
  if (target === '') return { status: 'external', targets: [], candidates: [] };
  const guessed = guess(written);
  const candidates = guessed.status === 'ok' ? guessed.targets : guessed.candidates;
  return { status: 'missing', targets: [], candidates: candidates.filter((candidate) => candidate !== target).slice(0, 3) };
}

/** The repository path GitHub takes a link to: from the document's folder, or from the root for `/x` (`..` above the root kept). */
function linkTarget(written: string, fromFile: string): string {
  const base = written.startsWith('/') ? '' : fromFile.slice(0, fromFile.lastIndexOf('/') + 1);
  return collapse(base + written);
}

/** An editor's line suffix on a path (`configmap.yaml:20`, `a.py:3-9`), as coding agents write links. */
const LINE_SUFFIX = /:(\d+)(?:-(\d+))?$/;

/** `docs/../a/./b` → `a/b`; the `..` that climb above the start stay (`a/../../b` → `../b`). */
function collapse(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}

/** `owner/repo` from a GitHub remote or page URL (`git@github.com:o/r.git`, `https://github.com/o/r`), else undefined. */
export function githubRepository(url: string | undefined): string | undefined {
  const match = /^(?:[a-z+]+:\/\/)?(?:[^@/\s]+@)?github\.com[:/]([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/[^\s]*)?$/i.exec(url?.trim() ?? '');
  return match ? `${match[1]}/${match[2]}` : undefined;
}

const COUNTS = ['no', 'one', 'two', 'three', 'four', 'five', 'six'];

function ups(count: number): string {
  return `${COUNTS[count] ?? count} \`../\``;
}

/** What a link that climbs above the repository root gets wrong, and the exact fix; undefined for links that do not climb. */
export function climbProblem(
  written: string,
  fromFile: string,
  github: string | undefined,
): { message: string; suggestion?: string; class: 'github-url' | 'other-repository' } | undefined {
  const climb = githubClimb(written, fromFile);
  if (!climb || climb.kind === 'page' || climb.kind === 'file') return undefined;
  const repository = github ?? '<owner>/<repo>';
  const folders = fromFile.split('/').slice(0, -1);
  const tree = [...repository.split('/'), 'blob', '<branch>', ...folders];
  const asFile = `${'../'.repeat(folders.length)}${climb.rest}`;
  if (climb.kind === 'outside') {
    const landing = climb.owner ? `/${repository.split('/')[0]}/${climb.rest}` : `/${climb.rest}`;
    return {
      message: `\`${written}\` climbs above the repository root and out of it, to \`${landing}\` on GitHub`,
      suggestion: 'link another repository with its absolute URL (`https://github.com/…`)',
      class: 'other-repository',
    };
  }
  if (climb.kind === 'short') {
    const climbed = folders.length + 2 - climb.short;
    const landing = `/${[...tree.slice(0, tree.length - climbed), climb.rest].join('/')}`;
    const absolute = `https://github.com/${repository}/${climb.rest}`;
    const fixed = `${'../'.repeat(folders.length + 2)}${climb.rest}`;
    return {
      message: `\`${written}\` lands on \`${landing}\` on GitHub, which is not a page`,
      suggestion: climb.page
        ? `add ${ups(climb.short)} (\`${fixed}\`), or use the absolute URL \`${absolute}\``
        : `link a file of this repository as \`${asFile}\`, or anything else with its absolute URL`,
      class: 'github-url',
    };
  }
  return {
    message: `\`${written}\` climbs above the repository root to \`/${repository}/${climb.rest}\` on GitHub, which is not a page of the repository`,
    suggestion: `link a file of this repository as \`${asFile}\`; a page of the repository (\`issues\`, \`pulls\`, \`wiki\`, …) is ${ups(folders.length + 2)} up`,
    class: 'github-url',
  };
}

/**
 * A link to a file on its writer's disk (`/e:/work/shop/docs/a.md`,
 * `file:///C:/…`, `/Users/ana/shop/docs/a.md`): GitHub serves none of them.
 * The file is this repository's when a tail of the path names one of its
 * files (see {@link diskTail}); otherwise it lies elsewhere on that disk.
 */
export function localDiskLink(
  written: string,
  fromFile: string,
  exists: (path: string) => boolean,
): { message: string; suggestion?: string; class: 'local-path' | 'other-repository' } | undefined {
  const tail = diskTail(written, exists);
  if (tail === undefined) return undefined;
  if (tail === null) return { class: 'other-repository', message: `\`${written}\` is a path on its writer's disk outside this repository, which Waymark cannot check` };
  return {
    class: 'local-path',
    message: `\`${written}\` is a path on its writer's disk, which GitHub cannot serve: in this repository it is \`${tail}\``,
    suggestion: `link it relatively: \`${relativeLink(fromFile, tail)}\``,
  };
}

/**
 * The repository file a path on its writer's disk names, by the longest tail that is one
 * (`/Users/ana/shop/docs/a.md` → `docs/a.md`); null when none is, undefined when the path
 * is not on a disk.
 */
export function diskTail(written: string, exists: (path: string) => boolean): string | null | undefined {
  const disk = /^(?:file:\/\/)?\/?(?:[a-zA-Z]:[\\/]|(?:Users|home)\/[^/]+\/)/.exec(written);
  if (!disk) return undefined;
  const segments = written.slice(disk[0].length).split(/[\\/]/).filter(Boolean);
  for (let start = 0; start < segments.length; start++) {
    const tail = segments.slice(start).join('/');
    if (exists(tail)) return tail;
  }
  return null;
}

/**
 * The repository file a path inside a container names (`/app/src/api.ts`, `/usr/src/app/…`): the rest
 * of the path under the document's nearest folder that builds an image (a `Dockerfile`, `Containerfile`
 * or compose file, whose `WORKDIR` the path is written from). Undefined when the path is not in a
 * container, the rest is a name every folder has (`README.md`), or no such folder has it.
 */
export function containerTail(written: string, fromFile: string, exists: (path: string) => boolean): string | undefined {
  const container = /^\/(?:usr\/src\/)?app\//.exec(written);
  if (!container) return undefined;
  const rest = collapse(written.slice(container[0].length));
  if (!rest || rest.startsWith('../') || COMMON_FILE_NAMES.has(rest.toLowerCase())) return undefined;
  const folders = fromFile.split('/').slice(0, -1);
  for (let depth = folders.length; depth >= 0; depth--) {
    const folder = folders.slice(0, depth);
    const image = IMAGE_FILES.some((name) => exists([...folder, name].join('/')));
    const candidate = [...folder, rest].join('/');
    if (image && exists(candidate)) return candidate;
  }
  return undefined;
}

/** Files that build a container image from their folder. */
const IMAGE_FILES = ['Dockerfile', 'Containerfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

/**
 * Names any folder may hold (lower-case): alone, they say nothing about which folder is meant, after a
 * container root or a climb into another repository.
 */
export const COMMON_FILE_NAMES = new Set(
  'readme.md readme index.md index.html index.ts index.js changelog.md license license.md contributing.md package.json main.go main.py main.tf makefile dockerfile .gitignore .env'.split(' '),
);

/**
 * The repository file a Codespace path names (`/workspaces/shop/docs/a.md`: a Codespace mounts its
 * repository there, under the name it had when the Codespace was made, so any name): the rest, when
 * the repository has no `workspaces/` folder of its own (Terraform and npm workspaces) and the rest
 * is more than a name every folder has.
 */
export function codespaceTail(written: string, exists: (path: string) => boolean, folderExists: (folder: string) => boolean): string | undefined {
  const codespace = /^\/workspaces\/[^/]+\/(.+)$/.exec(written);
  if (!codespace || folderExists('workspaces')) return undefined;
  const rest = collapse(codespace[1]);
  return rest && !rest.startsWith('../') && !COMMON_FILE_NAMES.has(rest.toLowerCase()) && exists(rest) ? rest : undefined;
}

/**
 * Folders of coding agents' rules and commands (Roo, Cursor, Cline, Windsurf,
 * Kilo Code, Claude Code, Kiro, Copilot's instructions): the agent reads them
 * and resolves their paths from the workspace root, `path:12` included.
 */
const AGENT_RULE_FOLDERS = ['.roo/', '.cursor/', '.clinerules/', '.windsurf/', '.kilocode/', '.claude/', '.kiro/', '.github/instructions/'];

/**
 * A link in an agent's rules written from the workspace root, as the agent
 * reads it (`scripts/check.py:1` in `.roo/rules/x.md`): the file exists, and
 * only GitHub's rendering of the page takes the link elsewhere.
 */
export function agentRootLink(written: string, fromFile: string, exists: (path: string) => boolean): { message: string; class: 'agent-root' } | undefined {
  if (!AGENT_RULE_FOLDERS.some((folder) => fromFile.startsWith(folder)) || written.startsWith('../')) return undefined;
  const target = collapse(written.replace(/^\.?\//, '').replace(LINE_SUFFIX, ''));
  if (!exists(target)) return undefined;
  return { class: 'agent-root', message: `\`${written}\` is written from the repository root, as the agent that reads \`${fromFile}\` resolves it: \`${target}\` exists` };
}

/**
 * The folder above `fromFile`, nearest first, from which a root-relative link (`/platform/x.md`)
 * reaches a file when the repository root does not: the root of the docs site the document
 * belongs to, if the link is written as its site resolves it.
 */
export function siteRootOf(written: string, fromFile: string, exists: (path: string) => boolean): SiteRoot | undefined {
  if (!written.startsWith('/') || written.startsWith('//')) return undefined;
  const target = collapse(written.slice(1));
  if (!target || target.startsWith('../') || exists(target)) return undefined;
  const pages = routePages(target, written.endsWith('/'));
  const folders = fromFile.split('/').slice(0, -1);
  for (let depth = folders.length; depth > 0; depth--) {
    const root = folders.slice(0, depth).join('/');
    const page = pages.find((candidate) => exists(`${root}/${candidate}`));
    if (page !== undefined) return { root, target: `${root}/${page}`, route: page !== target };
  }
  return undefined;
}

/** Where a root-relative link resolves on its docs site: the site's folder, the file, and whether the link names a route (`/docs/cli/tofu`) rather than the file. */
export interface SiteRoot {
  root: string;
  target: string;
  route: boolean;
}

/**
 * The files a site route may be served from: the path as written, and for a route without a file
 * extension (`/docs/cli/tofu-commands`, as Next.js, Docusaurus or Hugo serve a page) its markdown
 * page, or for a folder route (`/docs/guides/`) only its index.
 */
function routePages(target: string, folder: boolean): string[] {
  const indexes = ['index.md', 'index.mdx', 'README.md'].map((name) => `${target}/${name}`);
  if (folder) return indexes;
  if (hasFileExtension(target)) return [target];
  return [target, ...MARKDOWN_EXTENSIONS.map((extension) => `${target}${extension}`), ...indexes];
}

/** The extensions of markdown pages a docs site serves without them. */
const MARKDOWN_EXTENSIONS = ['.md', '.mdx', '.markdown'];

/** Whether a path's last segment ends in a file extension (`a.md`, `chart.tgz`; not the `.2` of `v1.2`). */
export function hasFileExtension(path: string): boolean {
  return /\.[A-Za-z][A-Za-z0-9]{0,9}$/.test(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * A link written from a docs site's root (`/platform/ai-stack.md` in `docs/okf/platform/a.md`, as
 * Docusaurus, MkDocs or a knowledge bundle resolve it), in words: `site` is where it resolves
 * (`siteRootOf`). GitHub takes it to the repository root.
 */
export function siteRootLink(written: string, fromFile: string, site: SiteRoot): { message: string; suggestion: string; class: 'site-root' } {
  const relative = relativeLink(fromFile, site.target);
  return {
    class: 'site-root',
    message: `\`${written}\` is written from \`${site.root}/\`, a docs site's root, where it exists: GitHub resolves it from the repository root, where it does not`,
    // A route names its page without the file: only a site that maps `.md` links to pages reads the file's name.
    suggestion: site.route
      ? `GitHub resolves \`${relative}\`, the page the site serves as \`${written}\` (Docusaurus and MkDocs resolve it too)`
      : `link it relatively, which both resolve: \`${relative}\``,
  };
}

/** `target` as a link written in `fromFile` (`docs/a.md`, `docs/guides/b.md` → `guides/b.md`; `docs/a.md`, `c.md` → `../c.md`). */
function relativeLink(fromFile: string, target: string): string {
  const from = fromFile.split('/').slice(0, -1);
  const to = target.split('/');
  let shared = 0;
  while (shared < from.length && shared < to.length - 1 && from[shared] === to[shared]) shared++;
  return [...Array(from.length - shared).fill('..'), ...to.slice(shared)].join('/');
}

/**
 * A link whose target carries an editor's line suffix (`configmap.yaml:20`, as coding agents write them
 * for their chat panes) to a file that exists: GitHub reads the suffix as part of the name and 404s,
 * its own way to a line is `#L20`. Undefined when there is no suffix or the file does not exist.
 */
export function lineSuffixLink(written: string, fromFile: string, exists: (path: string) => boolean): { message: string; suggestion: string; class: 'line-suffix' } | undefined {
  const suffix = LINE_SUFFIX.exec(written);
  if (!suffix) return undefined;
  const file = written.slice(0, suffix.index);
  const resolved = linkTarget(file, fromFile);
  if (!file || !exists(resolved)) return undefined;
  const anchor = `#L${suffix[1]}${suffix[2] ? `-L${suffix[2]}` : ''}`;
  return {
    class: 'line-suffix',
    message: `\`${written}\` names \`${resolved}\` with an editor's line suffix, which GitHub reads as part of the name`,
    suggestion: `link \`${file}${anchor}\``,
  };
}

/**
 * A broken link in words: where GitHub takes it when that is not what was
 * written (`docs/a.md` in `docs/x.md` is `docs/docs/a.md`), and each guess as
 * the link that would work from this document.
 */
export function brokenLink(written: string, fromFile: string, candidates: string[]): { message: string; suggestion?: string } {
  const climb = githubClimb(written, fromFile);
  // `../../blob/main/docs/a.md` from the root: GitHub's own URL of a file of this repository.
  const resolved = climb?.kind === 'file' ? climb.path : linkTarget(written, fromFile) + (written.endsWith('/') ? '/' : '');
  const shown = written.replace(/^\.\//, '');
  const message =
    resolved === shown || written.startsWith('/')
      ? `\`${written}\` does not exist`
      : `\`${written}\` does not exist: from \`${fromFile}\` it is \`${resolved}\``;
  const others = candidates.filter((candidate) => candidate !== fromFile);
  if (others.length === 0) return { message };
  const links = others.map((candidate) => {
    const link = written.startsWith('/') ? `/${candidate}` : relativeLink(fromFile, candidate);
    return link === candidate ? `\`${link}\`` : `\`${link}\` (\`${candidate}\`)`;
  });
  return { message, suggestion: `did you mean ${links.join(' or ')}?` };
}
