import { isFileName } from '../extract/reference-parse.ts';
import { agentRootLink, brokenLink, climbProblem, codespaceTail, containerTail, diskTail, lineSuffixLink, localDiskLink, siteRootLink, siteRootOf, type SiteRoot } from '../graph/link-resolve.ts';
import { COPY_MIN_SHARED_LINKS } from '../graph/touched-files.ts';
import { abbreviatedFate, abbreviatesHistory, describeFate, describeIgnoreRule, everInHistory, foreignExtension, foreignToHistory, missingPathVerdict } from '../history/missing-paths.ts';
import { rewriteReference } from '../history/relocate.ts';
import type { ContextWords } from '../config/config.ts';
import { SYSTEM_ROOTS, type FileIndex } from '../graph/resolve.ts';
import { commitDay, commitTime, UNCOMMITTED, type CommitInfo, type RepositoryHistory } from '../history/history.ts';
import type { Document, Reference } from '../schema.ts';
import { isExplicit, notStartedRow, pointerSection, reportOfItsDay, standingOf, uncheckedItemAt, type Standing } from './reference-context.ts';
import { didYouMean } from '../text/did-you-mean.ts';
import type { Finding, FindingClass, Rule, RuleContext } from './rule.ts';
import { escapeRegExp } from '../text/escape-regexp.ts';

/** The classes of a missing file, from most to least sure it is broken (README: "How sure"). */
const CLASSES: Record<string, FindingClass> = {
  explicit: {
    severity: 'error',
    description: 'a link, code-reference field, file list or code comment that describes the present names a file that does not exist',
  },
  mention: {
    severity: 'error',
    description: 'a backticked path in prose that describes the present names a file that does not exist',
  },
  deleted: {
    severity: 'error',
    description: 'the file existed in history and a commit deleted it: the reference is stale',
  },
  renamed: {
    severity: 'error',
    description: 'the file existed in history and a commit renamed it: `waymark fix` rewrites the reference',
  },
  claimed: {
    severity: 'error',
    description: 'a task marked Complete lists the file as created or modified, yet it does not exist, and git does not say it was removed after the task was written (then it is `historical`)',
  },
  planned: {
    severity: 'info',
    description: 'the reference stands in a plan (also a design spec named for its day, `specs/2026-05-15-…`), a future section or a list captioned as one (`**Files to Create:**`), an unchecked item, a tracker row whose status says the work has not begun (`⏸️ Blocked`, `Not Started`), a heading over a checklist with nothing ticked, or a line saying it is planned: a file still to be written',
  },
  example: {
    severity: 'info',
    description: 'the reference is an example or placeholder (`e.g.`, a template section, a prompt or agent file, a file an earlier shell step of a walkthrough creates)',
  },
  archived: {
    severity: 'info',
    description: 'the document is archived or superseded: it describes a state the repository has left',
  },
  historical: {
    severity: 'info',
    description: 'the document or section records the past (a change log, a done log, a report of its day, a Complete task whose file git removed since, a report first committed without a parent, an import, naming the one file of that name, now in another folder), or the line does (`old → new` to a path that exists, a removal verb)',
  },
  scratch: {
    severity: 'info',
    description: 'the document is a working or generated copy (it sits in `tmp/`, `.tmp/` or `scratch/`, or its name ends in `generated`): regenerated or thrown away, not edited',
  },
  gitignored: {
    severity: 'info',
    description:
      "the repository's `.gitignore` matches the path: it is generated or written at run time, by design absent from a checkout (also a file git deleted within a day of a change to the file holding that rule, when the rule takes out its first folder: taken out of git to stay local)",
  },
  'other-repository': {
    severity: 'info',
    description:
      "the path points into another repository (it climbs out of this one, starts with an `externalRoots` name, or stands in a document working in another repository's checkout that the root `.gitignore` takes out by name, `/dmf-infra/`), which Waymark cannot see",
  },
  'unmatched-folder': {
    severity: 'info',
    description: 'a folder mentioned in prose (`build/`, `shadcn/ui`) matches nothing: often generated, or not a path at all; only a file name or an explicit reference must exist',
  },
  'local-path': {
    severity: 'error',
    description: "a link names a file by its path on the writer's disk (`/e:/work/shop/docs/a.md`): GitHub cannot serve it; the suggestion is the relative link",
  },
  copied: {
    severity: 'warning',
    description:
      'a link that another document, whose links this one repeats, resolves from its own folder: the document is a copy (an agent knowledge base, a site source) written for that place',
  },
  vendored: {
    severity: 'warning',
    description:
      "the document belongs to another project kept in this one (its folder holds that project's own licence file, or sits under `vendor/` or `third_party/`): its references are that project's, written for its own repository",
  },
  'numbered-placeholder': {
    severity: 'info',
    description: 'an `X` or `N` in a file name stands for a number, and numbered files of that name exist (`Phase-X.md` beside `Phase-0.md`, `Phase-1.md`)',
  },
  'agent-root': {
    severity: 'info',
    description:
      "a link in a coding agent's rules (`.roo/`, `.cursor/`, `.claude/`, …) written from the repository root, as the agent resolves it, to a file that exists: only GitHub's rendering of the page takes it elsewhere",
  },
  'disk-path': {
    severity: 'info',
    description:
      "a path written without a link (a file list, a code-reference field) names a file by its path on the writer's disk (`/Users/ana/shop/app/a.go`) in a Codespace (`/workspaces/shop/app/a.go`) or inside a container (`/app/src/a.ts`, under the document's nearest folder with a `Dockerfile` that has it), and the repository holds that file under the path's tail: a reader finds it; a link written so is `local-path`",
  },
  'machine-path': {
    severity: 'info',
    description:
      "a path written without a link under a machine's system folders (`/etc/systemd/system/x.service`, `/usr/local/sbin/x.sh`, `/var/lib/…`), where the repository has no such top folder, or under a home folder (`~/.kube/config`): a file on the hosts its code configures or on a user's machine, not one of the repository's",
  },
  'line-suffix': {
    severity: 'error',
    description:
      "a link to a file that exists, written with an editor's line suffix (`configmap.yaml:20`, as coding agents write them): GitHub reads the suffix as part of the name and 404s; the suggestion is GitHub's `#L20`",
  },
  'site-root': {
    severity: 'warning',
    description:
      "a link written from a docs site's root (`/platform/x.md` in `docs/site/guides/a.md`, or a route without its extension, `/docs/cli/tofu` for `site/public/docs/cli/tofu.md`) to a file that exists under a folder above the document: the site resolves it, GitHub's rendering takes it to the repository root; the suggestion is the relative link both resolve",
  },
  'github-url': {
    severity: 'error',
    description: 'a link climbs above the repository root to a GitHub URL that is not a page of the repository (a 404)',
  },
  unseen: {
    severity: 'warning',
    description:
      'a backticked path in prose names a file that no commit ever had and that no file resembles, one under a first folder no commit ever had that abbreviates no file git ever had, or a file of a kind (`.tsx`) no commit ever had, in prose or a code-reference field: as often another repository, an example or a sketch as a broken reference; a link, a code-reference field, `path:N-M` or a file git knows must exist',
  },
  pattern: {
    severity: 'info',
    description: 'a glob with no literal folder (`**/*.mdx`, `*.tf`) describes files rather than names one: matching nothing is not a broken reference',
  },
};

/**
 * A path or glob that matches no file. How sure that is a broken reference depends on how it is
 * written and where (issue 12): each finding gets a class, the class its severity.
 */
export const missingFile: Rule = {
  id: 'missing-file',
  perFile: true,
  defaultSeverity: 'error',
  description: 'A reference names a file that does not exist in the repository.',
  classes: CLASSES,
  check(context) {
    const folderExists = folderIndex(context.graph.paths);
    const vendoredBy = vendoredFolders(context.graph.paths);
    const originals = copyOrigins(context.graph.references, context.findings.documentsByPath);
    const missing = context.graph.references.filter((reference) => reference.status === 'missing' && (reference.kind === 'path' || reference.kind === 'glob'));
    const siteRoots = siteRootVotes(context.graph.references, context.findings.index.files);
    const findings = missing.map((reference) => asCopy(withGitEvidence(missingFinding(reference, context, folderExists, vendoredBy, siteRoots), reference, context), reference, originals));
    const foreign = withForeignSections(findings, missing, context);
    return withLinkedRepositories(withNestedCheckouts(foreign, missing, context, folderExists), missing, context, folderExists);
  },
};

function missingFinding(
  reference: Reference,
  context: RuleContext,
  folderExists: (folder: string) => boolean,
  vendoredBy: (file: string) => string | undefined,
  siteRoots: SiteRoots,
): Finding {
  const document = context.findings.documentsByPath.get(reference.source.file);
  const files = context.findings.index.files;
  const pathExists = (path: string): boolean => files.has(path) || folderExists(path.replace(/\/+$/, ''));
  const names = fileNames(context.findings.index);
  // GitHub's paths are case-sensitive, so `contributing.md` beside a `CONTRIBUTING.md` is a wrong name, not a plan.
  const nameExists = (name: string): boolean => names.has(name.toLowerCase());
  const standing = standingOf({ reference, document, words: context.config.contextWords, folderExists, pathExists, nameExists });
  const claim = standing.place === 'archived' || standing.place === 'historical' || standing.place === 'scratch' ? undefined : completeClaim(reference, document);
  const base =
    reference.outside === 'other-repository'
      ? `\`${reference.path}\` is in another repository, which Waymark cannot check`
      : reference.kind === 'glob'
        ? `no file matches \`${reference.path}\``
        : `\`${reference.path}\` does not exist`;
  const token = tokenClass(reference, files);
  const vendor = vendoredBy(reference.source.file);
  // A path into another repository is that, however it is written (a link 404s there too, but the fix is not here).
  const link =
    reference.outside === 'other-repository'
      ? undefined
      : (linkFinding(reference, context.findings.github, files, siteRoots) ?? diskMention(reference, files, folderExists) ?? machineMention(reference, folderExists));
  const finding: Finding = {
    ...reference.source,
    reference: reference.id,
    message: claim ? `${base}, yet ${claim} says it was created or modified` : (link?.message ?? base),
    suggestion: link ? link.suggestion : didYouMean(reference.candidates),
    // A Complete task's claim outranks everything; then a place that is not the present, where a link lands, what the token is.
    class: claim ? 'claimed' : standing.place !== 'present' ? standing.place : vendor ? 'vendored' : (link?.class ?? token.class ?? classOf(reference, standing)),
    evidence: [
      standing.how,
      ...(claim ? [`${claim} is marked Complete`] : [...(vendor && standing.place === 'present' ? [vendor] : []), ...(link?.evidence ?? []), ...(token.evidence ?? []), ...standing.why]),
    ],
  };
  return finding;
}

/**
 * A path written without a link (a file list, a code-reference field) on its writer's disk, in a
 * Codespace or inside a container, whose tail is a file here: said as such, the tail its suggestion.
 */
function diskMention(reference: Reference, files: ReadonlySet<string>, folderExists: (folder: string) => boolean): Partial<Finding> | undefined {
  if (reference.origin === 'link' || reference.kind !== 'path' || !reference.path) return undefined;
  const exists = (path: string): boolean => files.has(path);
  const container = containerTail(reference.path, reference.source.file, exists);
  const tail = container ?? codespaceTail(reference.path, exists, folderExists) ?? diskTail(reference.path, exists);
  if (!tail) return undefined;
  const where = container ? 'inside a container' : "on its writer's disk";
  return {
    message: `\`${reference.path}\` is a path ${where}: in this repository it is \`${tail}\``,
    suggestion: `\`${tail}\``,
    class: 'disk-path',
    evidence: [`a path ${where}, written without a link`],
  };
}

/** A machine's system folders, less those where people keep their own files (`disk-path` and `local-path` say those). */
const MACHINE_ROOTS = new Set([...SYSTEM_ROOTS].filter((root) => !['home', 'Users', 'Volumes'].includes(root)));

/**
 * `/usr/local/sbin/firewall-allow.sh` in a handoff's file list: a file a playbook installs on the hosts,
 * written without a link, under a system folder the repository does not have.
 */
function machineMention(reference: Reference, folderExists: (folder: string) => boolean): Partial<Finding> | undefined {
  if (reference.origin === 'link' || reference.kind !== 'path') return undefined;
  if (reference.path?.startsWith('~/')) return { class: 'machine-path', evidence: ['`~/` is the home folder of whoever runs it, not the repository'] };
  const top = /^\/([^/]+)\/[^/]/.exec(reference.path ?? '')?.[1];
  if (!top || !MACHINE_ROOTS.has(top) || folderExists(top)) return undefined;
  return { class: 'machine-path', evidence: [`\`/${top}/\` is a system folder of a machine, and the repository has no \`${top}/\` folder`] };
}

/** A markdown link, said as GitHub resolves it; one climbing above the root lands in GitHub's URL space. */
function linkFinding(reference: Reference, github: string | undefined, files: ReadonlySet<string>, siteRoots: SiteRoots): Partial<Finding> | undefined {
  if (reference.origin !== 'link' || reference.kind !== 'path' || !reference.path) return undefined;
  const disk = localDiskLink(reference.path, reference.source.file, (path) => files.has(path));
  if (disk) return { ...disk, evidence: ["a markdown link to a path on its writer's disk"] };
  const agent = agentRootLink(reference.path, reference.source.file, (path) => files.has(path));
  if (agent) return { ...agent, evidence: ["a markdown link in a coding agent's rules, which the agent resolves from the workspace root"] };
  const suffixed = lineSuffixLink(reference.path, reference.source.file, (path) => files.has(path));
  if (suffixed) return { ...suffixed, evidence: ["a markdown link whose target ends in an editor's line suffix"] };
  const site = siteRoots(reference);
  if (site) return { ...siteRootLink(reference.path, reference.source.file, site), evidence: ['a markdown link written from the root of the docs site its document belongs to'] };
  const problem = climbProblem(reference.path, reference.source.file, github);
  if (!problem) return brokenLink(reference.path, reference.source.file, reference.candidates);
  return { message: problem.message, suggestion: problem.suggestion, class: problem.class, evidence: ["a markdown link, resolved in GitHub's URL space"] };
}

/** Where a root-relative link resolves when its document writes such links from its docs site's root, else undefined. */
type SiteRoots = (reference: Reference) => SiteRoot | undefined;

/** A document is a docs site's when at least this many of its root-relative links reach files from one folder above it. */
const SITE_ROOT_MIN_LINKS = 2;

/**
 * By each document's own root-relative links: a folder is its site's root when more of them reach
 * a file from there (and at least {@link SITE_ROOT_MIN_LINKS}) than from the repository root. One
 * link that happens to resolve from a folder above is a broken link, not a convention (a bulk
 * rename that dropped a prefix); a knowledge bundle writes every link that way. Per document, so
 * the resident engine's per-file checks stay exact. Counted once, on the first question.
 */
function siteRootVotes(references: readonly Reference[], files: ReadonlySet<string>): SiteRoots {
  let sites: Map<string, SiteRoot> | undefined;
  let votes: Map<string, { repository: number; roots: Map<string, number> }> | undefined;
  const count = (): void => {
    sites = new Map();
    votes = new Map();
    for (const reference of references) {
      if (reference.origin !== 'link' || !reference.path?.startsWith('/') || reference.path.startsWith('//')) continue;
      const tally = votes.get(reference.source.file) ?? { repository: 0, roots: new Map<string, number>() };
      votes.set(reference.source.file, tally);
      if (reference.status === 'ok') tally.repository++;
      const site = reference.status === 'missing' ? siteRootOf(reference.path, reference.source.file, (path) => files.has(path)) : undefined;
      if (!site) continue;
      sites.set(reference.id, site);
      tally.roots.set(site.root, (tally.roots.get(site.root) ?? 0) + 1);
    }
  };
  return (reference) => {
    if (!reference.path?.startsWith('/')) return undefined;
    if (!sites) count();
    const site = sites!.get(reference.id);
    const tally = votes!.get(reference.source.file);
    const links = site ? (tally?.roots.get(site.root) ?? 0) : 0;
    return site && links >= SITE_ROOT_MIN_LINKS && links > tally!.repository ? site : undefined;
  };
}

function classOf(reference: Reference, standing: Standing): string {
  if (standing.place !== 'present') return standing.place;
  return isExplicit(reference) ? 'explicit' : 'mention';
}


/**
 * For a broken link: the document it was copied from, if any. A document
 * that repeats most of another's link targets and more than half of its headings
 * (`install.md` kept in an agent's knowledge base, a README copied into a
 * site's source) was written for the other's folder; when the other resolves
 * the same target, the link is the copy's, not a broken reference. Links
 * alone do not make a copy: sibling index pages share their navigation.
 */
function copyOrigins(
  references: readonly Reference[],
  documents: ReadonlyMap<string, Pick<Document, 'headings'>>,
): (reference: Reference) => { original: string; shared: number; total: number } | undefined {
  let targets: Map<string, Set<string>> | undefined;
  let resolvedBy: Map<string, Set<string>> | undefined;
  const index = (): void => {
    targets = new Map();
    resolvedBy = new Map();
    for (const reference of references) {
      if (reference.origin !== 'link' || !reference.path) continue;
      const file = reference.source.file;
      if (!targets.has(file)) targets.set(file, new Set());
      targets.get(file)!.add(reference.path);
      if (reference.status !== 'ok') continue;
      if (!resolvedBy.has(reference.path)) resolvedBy.set(reference.path, new Set());
      resolvedBy.get(reference.path)!.add(file);
    }
  };
  const headings = (file: string): Set<string> => new Set(documents.get(file)?.headings.map((heading) => heading.text) ?? []);
  return (reference) => {
    if (reference.origin !== 'link' || !reference.path) return undefined;
    if (!targets) index();
    const mine = targets!.get(reference.source.file);
    if (!mine) return undefined;
    let best: { original: string; shared: number; total: number } | undefined;
    for (const other of [...(resolvedBy!.get(reference.path) ?? [])].sort()) {
      if (other === reference.source.file) continue;
      const theirs = targets!.get(other)!;
      const shared = overlap(mine, theirs);
      // At least COPY_MIN_SHARED_LINKS and at least half of its links: the resident engine rechecks by the same count.
      if (shared < COPY_MIN_SHARED_LINKS || shared * 2 < mine.size || (best && shared <= best.shared)) continue;
      const titles = headings(reference.source.file);
      if (overlap(titles, headings(other)) * 2 <= titles.size) continue;
      best = { original: other, shared, total: mine.size };
    }
    return best;
  };
}

function overlap(mine: ReadonlySet<string>, theirs: ReadonlySet<string>): number {
  let shared = 0;
  for (const item of mine) if (theirs.has(item)) shared++;
  return shared;
}

/** A broken link of a copied document: a warning that names the original. */
function asCopy(finding: Finding, reference: Reference, originals: ReturnType<typeof copyOrigins>): Finding {
  if (finding.class !== 'explicit') return finding;
  const copy = originals(reference);
  if (!copy) return finding;
  return {
    ...finding,
    class: 'copied',
    message: `${finding.message}; it resolves in \`${copy.original}\`, which this document copies (${copy.shared} of ${copy.total} links alike)`,
    evidence: [...(finding.evidence ?? []), `${copy.shared} of this document's ${copy.total} link targets and most of its headings are also \`${copy.original}\`'s, where this one resolves`],
  };
}

/** Which Complete task lists this file as created or modified: the plan's task, or the summary's. */
function completeClaim(reference: Reference, document: Document | undefined): string | undefined {
  if (!document || reference.origin !== 'files-modified') return undefined;
  const task = document.tasks.find((item) => item.files.some((file) => file.reference === reference.id));
  if (task) return task.status === 'complete' ? `task ${task.taskId}` : undefined;
  if ((document.kind === 'summary' || document.kind === 'status-update') && document.taskStatus === 'complete') {
    return document.taskId ? `the summary of task ${document.taskId}` : 'the summary';
  }
  return undefined;
}

/** Whether a folder holds any file, from the repository's paths. */
function folderIndex(paths: readonly string[]): (folder: string) => boolean {
  let folders: Set<string> | undefined;
  return (folder) => {
    if (!folders) {
      folders = new Set();
      for (const path of paths) {
        for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) folders.add(path.slice(0, at));
      }
    }
    return folders.has(folder);
  };
}

/** What the token is, whatever its place: another repository's path, a pattern, an unmatched folder, a numbered placeholder. */
function tokenClass(reference: Reference, files: ReadonlySet<string>): { class?: string; evidence?: string[] } {
  const path = reference.path ?? '';
  const numbered = reference.origin === 'link' ? undefined : numberedSiblings(path, files);
  if (numbered) return { class: 'numbered-placeholder', evidence: [`\`${numbered.token}\` stands for a number: ${numbered.examples.map((file) => `\`${file}\``).join(', ')} exist`] };
  if (reference.outside === 'other-repository') {
    return { class: 'other-repository', evidence: ['the path leaves this repository: another repository holds it'] };
  }
  if (reference.kind === 'glob' && !/^[^*?[{]*\//.test(path.replace(/^(?:\.\.?\/)+/, ''))) {
    return { class: 'pattern', evidence: ['a glob without a literal folder describes files, it names none'] };
  }
  // `scripts/hooks/*` in prose is the folder `scripts/hooks/` by another name: the same rule.
  const folderGlob = reference.kind === 'glob' && /^[^*?[{]+\/\*{1,2}$/.test(path);
  if (reference.origin === 'mention' && ((reference.kind === 'path' && isFolderShaped(path)) || folderGlob)) {
    return { class: 'unmatched-folder', evidence: ['a folder-shaped mention (no file name) that matches nothing'] };
  }
  return {};
}

/**
 * `docs/roadmap/Phase-X.md` beside `Phase-0.md` and `Phase-1.md`: an upper-case `X` or `N` (up to three)
 * standing alone in the file name where numbered files of the same name exist, under the same folders.
 */
function numberedSiblings(path: string, files: ReadonlySet<string>): { token: string; examples: string[] } | undefined {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const found = /(^|[-_. ])(X{1,3}|N{1,3})(?=[-_. ]|$)/.exec(name);
  if (!found) return undefined;
  const at = found.index + found[1].length;
  const folder = path.slice(0, slash + 1).replace(/^(?:\.\.?\/)+/, '');
  const numbered = new RegExp(`(?:^|/)${escapeRegExp(folder)}${escapeRegExp(name.slice(0, at))}\\d+${escapeRegExp(name.slice(at + found[2].length))}$`);
  const examples: string[] = [];
  for (const file of files) if (numbered.test(file)) examples.push(file);
  return examples.length > 0 ? { token: found[2], examples: examples.sort().slice(0, 3) } : undefined;
}

/** Licence files that make their folder another project's copy: not `LICENSE-3RD-PARTY.md`, which lists others'. */
const LICENCE_FILE = /^(?:licen[cs]e|copying)(?:\.(?:md|txt|rst))?$/i;
/** Folders that hold other projects by convention (GitHub's linguist calls them vendored). */
const VENDOR_FOLDER = /^(?:vendor|vendors|third[-_]?party)$/i;

/**
 * Why a file belongs to another project kept in this one, or undefined: a folder
 * above it (not the root) holds its own licence file, or is named `vendor/` or
 * `third_party/`. A copied chart or ontology keeps its upstream README, whose links
 * point into the upstream repository.
 */
function vendoredFolders(paths: readonly string[]): (file: string) => string | undefined {
  let licensed: Set<string> | undefined;
  return (file) => {
    licensed ??= licensedFolders(paths);
    const parts = file.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (VENDOR_FOLDER.test(parts[depth - 1])) return `the document sits under \`${folder}/\`, a folder of other projects' code`;
      if (licensed.has(folder)) return `\`${folder}/\` holds its own licence file: another project kept in this one`;
    }
    return undefined;
  };
}

/** Folders holding a licence file, once per file list: the resident engine checks a list of 50k paths again on every save (~7 ms of each on the bench's large repository). */
const licensedByList = new WeakMap<readonly string[], Set<string>>();
function licensedFolders(paths: readonly string[]): Set<string> {
  let licensed = licensedByList.get(paths);
  if (licensed) return licensed;
  licensed = new Set();
  for (const path of paths) {
    const slash = path.lastIndexOf('/');
    if (slash > 0 && LICENCE_FILE.test(path.slice(slash + 1))) licensed.add(path.slice(0, slash));
  }
  licensedByList.set(paths, licensed);
  return licensed;
}

/** `build/`, `src/lib`, `shadcn/ui`: ends in a slash, or its last segment has no extension and it has a folder. */
function isFolderShaped(path: string): boolean {
  if (path.endsWith('/')) return true;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return path.includes('/') && !last.includes('.') && !isFileName(last);
}

/**
 * What git says about the path: ignored by the repository
 * (class `gitignored`), deleted or renamed (named in the message; a rename is
 * the suggestion), or never in history (evidence only, for the confidence
 * model to weigh).
 */
function withGitEvidence(finding: Finding, reference: Reference, { graph, history, findings, config }: Pick<RuleContext, 'graph' | 'history' | 'findings' | 'config'>): Finding {
  const verdict = missingPathVerdict(reference, history, graph.paths);
  if (!verdict || !history || finding.class === 'github-url') return finding;
  const document = findings.documentsByPath.get(reference.source.file);
  const evidence: string[] = [...(finding.evidence ?? [])];
  if (verdict.ignored) {
    return {
      ...finding,
      class: 'gitignored',
      message: `${finding.message} (ignored by ${describeIgnoreRule(verdict.ignored)}: generated or local by design)`,
      suggestion: undefined,
      evidence: [...evidence, `\`${verdict.path}\` is matched by ${describeIgnoreRule(verdict.ignored)}`],
    };
  }
  if (verdict.distrusted) {
    evidence.push(
      `${describeIgnoreRule(verdict.distrusted.rule)} matches \`${verdict.distrusted.path}\`, but ${verdict.distrusted.why}: not taken as generated`,
    );
  }
  const fate = verdict.facts.fate;
  // A deleted or renamed file is named as such; only a reference that stands in the present is stale for it, and an
  // unchecked item's link to a file git had: a reading list's item (`- [ ] [Architecture](ARCHITECTURE.md)`) is
  // broken whenever it was written.
  // So is a not-begun tracker row's link to a file git had (the row points at it, and it is gone); a mention in a
  // plan's row stays planned, as the plan's other mentions do.
  const itemLink =
    Boolean(fate) &&
    finding.class === 'planned' &&
    reference.origin === 'link' &&
    (uncheckedItemAt(document, reference.source.line) || notStartedRow(reference.lineText ?? '') !== undefined);
  const present = finding.class === 'explicit' || finding.class === 'mention' || itemLink;
  // A Complete task that created the file was right when it said so; git removed the file since.
  const since = fate && finding.class === 'claimed' ? writtenBefore(reference.source.file, fate.commit, history) : undefined;
  if (fate && since) {
    const told = describeFate(fate, history.commits);
    const message = `\`${reference.path}\` does not exist: it was ${told}, after the document that created it was written`;
    return { ...finding, class: 'historical', message, suggestion: undefined, evidence: [...evidence, `git: \`${verdict.path}\` was ${told}`, `the document was ${since}`] };
  }
  if (fate && !present) evidence.push(`git: \`${verdict.path}\` was ${describeFate(fate, history.commits)}`);
  if (fate && present) {
    const told = describeFate(fate, history.commits);
    evidence.push(`git: \`${verdict.path}\` was ${told}`);
    const record = reportBefore(reference, fate.commit, document, history, config.contextWords);
    if (record) {
      return { ...finding, class: 'historical', message: `${finding.message}: it was ${told}, after this report was written`, suggestion: undefined, evidence: [...evidence, record] };
    }
    if (fate.kind === 'renamed') {
      return { ...finding, class: 'renamed', message: `${finding.message}: it was ${told}`, suggestion: renameSuggestion(reference, verdict.path, fate.to, graph.paths), evidence };
    }
    return { ...finding, class: 'deleted', message: `${finding.message}: it was ${told}`, evidence };
  }
  const seen = everInHistory(reference, history);
  evidence.push(seen ? `git: \`${verdict.path}\` is in history` : `git: no commit on the first-parent history ever had \`${verdict.path}\``);
  // `ops/deploy.md` for a deleted `docs/ops/deploy.md`: say what became of the file it names.
  const abbreviated = seen === false && present ? abbreviatedFate(reference, history) : undefined;
  if (abbreviated) {
    const told = describeFate(abbreviated.fate, history.commits);
    const record = reportBefore(reference, abbreviated.fate.commit, document, history, config.contextWords);
    if (record) {
      const message = `${finding.message}: it abbreviates \`${abbreviated.path}\`, ${told} after this report was written`;
      return { ...finding, class: 'historical', message, evidence: [...evidence, `git: \`${abbreviated.path}\`, which ends with this path, was ${told}`, record] };
    }
    const to = abbreviated.fate.kind === 'renamed' && findings.index.files.has(abbreviated.fate.to) ? abbreviated.fate.to : undefined;
    return {
      ...finding,
      class: abbreviated.fate.kind,
      message: `${finding.message}: it abbreviates \`${abbreviated.path}\`, ${told}`,
      suggestion: to ? `point the reference at \`${to}\`` : finding.suggestion,
      evidence: [...evidence, `git: \`${abbreviated.path}\`, which ends with this path, was ${told}`],
    };
  }
  const imported = seen === false && present ? movedBeforeHistory(reference, document, history, findings.index, config.contextWords) : undefined;
  if (imported) {
    const message = `${finding.message}: a file of that name is at \`${imported.elsewhere}\`, and git's history begins with this report already written`;
    return { ...finding, class: 'historical', message, evidence: [...evidence, imported.why] };
  }
  // Issue 12: a bare mention git never saw, with nothing like it in the tree, is low confidence;
  // so is one under a first folder git never saw that abbreviates no file git ever had.
  if (seen === false && finding.class === 'mention') {
    if (abbreviatesHistory(reference, history)) return { ...finding, evidence: [...evidence, 'git: a file it once had ends with this path, which abbreviates it'] };
    if (!finding.suggestion) return { ...finding, class: 'unseen', evidence: [...evidence, 'no file in the repository resembles it'] };
    if (foreignToHistory(reference, history)) {
      const top = reference.path!.slice(0, reference.path!.indexOf('/') + 1);
      return { ...finding, class: 'unseen', evidence: [...evidence, `git: no commit ever had a folder \`${top}\`, nor a file whose path ends so: another repository's layout`] };
    }
  }
  // A kind of file git never held (`.tsx` in a backend), like nothing here, is another repository's
  // code, in prose or a code-reference field alike; a link, cited lines or a marker still claim a file
  // here, and a near name (`annotations.js` for `annotations.ts`) is a slip to fix.
  if (seen === false && namedLikeNothing(reference, finding)) {
    const extension = foreignExtension(reference, history);
    if (extension) return { ...finding, class: 'unseen', evidence: [...evidence, `git: no commit ever had a \`${extension}\` file: another repository's code`] };
  }
  return { ...finding, evidence };
}

/**
 * A report of its day (`reportOfItsDay`) first committed before the commit that deleted or
 * renamed the file it names (outside its see-also sections): the file existed when it was
 * written, so it records, it is not stale. Said in words for the evidence; undefined when the document came later or git does
 * not say when it was written (uncommitted, or its commits were not kept).
 */
function reportBefore(reference: Reference, gone: string, document: Document | undefined, history: RepositoryHistory, words?: ContextWords): string | undefined {
  // `## Related Files`, `## See also`: pointers for today's reader, not what the report did.
  if (document && pointerSection(document, reference.source.line, words)) return undefined;
  const why = document && reportOfItsDay(document, words, reference.source.line);
  const written = why ? writtenBefore(reference.source.file, gone, history) : undefined;
  return written && `the document is a report of its day (${why}), ${written}`;
}

/**
 * A report of its day whose history begins with it already written (first committed in a commit
 * without parents: an import of a squashed history, a shallow clone's cut) names a file git never
 * had, without a link or lines, while the one file of that name sits under another folder: the file moved on a day git did not
 * keep, as far as anyone can tell, and the report names where it was. With the whole history, git
 * says so itself (`reportBefore`); here it cannot, and the name is the only witness.
 */
function movedBeforeHistory(
  reference: Reference,
  document: Document | undefined,
  history: RepositoryHistory,
  index: FileIndex,
  words?: ContextWords,
): { elsewhere: string; why: string } | undefined {
  // A link or cited lines claim the file today; a mention of a name found twice (`handlers.go`) witnesses nothing.
  if (!document || reference.kind !== 'path' || reference.origin === 'link' || reference.lines || !reference.path) return undefined;
  if (pointerSection(document, reference.source.line, words)) return undefined;
  const found = index.byBasename.get(reference.path.slice(reference.path.lastIndexOf('/') + 1));
  if (found?.length !== 1) return undefined;
  const elsewhere = found[0];
  const first = firstCommit(reference.source.file, history);
  if (!first?.root && !first?.boundary) return undefined;
  const report = reportOfItsDay(document, words, reference.source.line);
  if (!report) return undefined;
  return { elsewhere, why: `the document is a report of its day (${report}), first committed in ${first.short}, which has no parent: git did not see it written` };
}

/**
 * When the document was first committed (under its path), said in words, if that was before
 * commit `gone`, which deleted or renamed a file it names: the file still existed when it was
 * written. Not the same commit: a bulk move that brought the document here and renamed its
 * target broke the reference as it wrote it.
 */
function writtenBefore(file: string, gone: string, history: RepositoryHistory): string | undefined {
  const first = firstCommit(file, history);
  const end = history.commits[gone];
  if (!first || !end || first.hash === UNCOMMITTED || commitTime(first) >= commitTime(end)) return undefined;
  return `first committed on ${commitDay(first)}, when the file still existed`;
}

/** The commit that first had `file` under its path, when git's history of it was kept. */
function firstCommit(file: string, history: RepositoryHistory): CommitInfo | undefined {
  const commits = history.fileCommits[file];
  return commits?.length ? history.commits[commits[commits.length - 1]] : undefined;
}

/** A path named in prose or a code-reference field, without lines, that nothing in the tree resembles, still in the present. */
function namedLikeNothing(reference: Reference, finding: Finding): boolean {
  const named = (reference.origin === 'mention' || reference.origin === 'code-reference') && reference.lines === undefined;
  return named && !finding.suggestion && (finding.class === 'mention' || finding.class === 'explicit');
}

/**
 * A section that cites another repository's code (a kind of file git never
 * held: `Sync.tsx` in a backend) lists that repository's files: its other
 * paths no commit ever had, like nothing here and named without lines, are
 * that repository's too (`src/hooks/useSync.ts` beside it). Sections are told
 * apart by their nearest heading.
 */
function withForeignSections(findings: Finding[], references: readonly Reference[], { history, findings: index }: Pick<RuleContext, 'history' | 'findings'>): Finding[] {
  const sectionOf = sections(index.documentsByPath);
  const foreign = new Map<string, string>();
  findings.forEach((finding, at) => {
    const reference = references[at];
    const extension = finding.class === 'unseen' ? foreignExtension(reference, history) : undefined;
    if (extension && !foreign.has(sectionOf(reference))) foreign.set(sectionOf(reference), reference.path!);
  });
  if (foreign.size === 0) return findings;
  return findings.map((finding, at) => {
    const reference = references[at];
    const cited = foreign.get(sectionOf(reference));
    if (!cited || reference.kind !== 'path' || !namedLikeNothing(reference, finding)) return finding;
    if (everInHistory(reference, history) !== false || abbreviatesHistory(reference, history)) return finding;
    return { ...finding, class: 'unseen', evidence: [...(finding.evidence ?? []), `its section also cites \`${cited}\`, of a kind git never held: the section lists another repository's files`] };
  });
}

/** A reference's section, as a key: its document and the line of the nearest heading above it. */
function sections(documents: ReadonlyMap<string, Pick<Document, 'headings'>>): (reference: Reference) => string {
  return (reference) => {
    let line = 0;
    for (const heading of documents.get(reference.source.file)?.headings ?? []) if (heading.line <= reference.source.line) line = heading.line;
    return `${reference.source.file}\0${line}`;
  };
}

/**
 * A path reported as broken here that another repository may well hold: written without a link, not
 * from the document (`./`, `../`), under no top folder this repository has, and never in its history.
 * Unless the other repository is named, it must also abbreviate no file git had (`ops/deploy.md` for a
 * deleted `docs/ops/deploy.md` is this repository's); a section linking the other repository names it,
 * and a file git had under a longer path went there (`services/cart/cmd/main.go` before a monorepo split).
 */
function anotherRepositorysPath(
  finding: Finding,
  reference: Reference,
  history: RepositoryHistory | undefined,
  folderExists: (folder: string) => boolean,
  named = false,
): boolean {
  const path = reference.path ?? '';
  if ((finding.class !== 'explicit' && finding.class !== 'mention') || reference.origin === 'link' || reference.kind !== 'path' || /^[./~]/.test(path)) return false;
  const top = path.slice(0, path.indexOf('/'));
  return !(top && folderExists(top)) && everInHistory(reference, history) === false && (named || !abbreviatesHistory(reference, history));
}

/** `https://github.com/acme/checkout-service`, `…/blob/main/cmd/main.go`: a repository on GitHub. */
const GITHUB_REPOSITORY = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:[/#?]|$)/i;
/** GitHub's own pages under the same URL shape (`github.com/orgs/acme/…`, `github.com/features/actions`). */
const GITHUB_PAGES = /^(?:orgs|features|marketplace|apps|settings|sponsors|topics|collections|enterprise|site|about|pricing|security|login|notifications|users|customer-stories|solutions|resources)$/i;

/**
 * A section that links another repository on GitHub (`Paths in [acme/checkout-service](https://github.com/acme/checkout-service)`,
 * a table row naming it) describes that repository's code: its paths that could be another repository's
 * (`cmd/main.go`, `internal/logic/v1/service.go` in a platform repository without those folders) are
 * that one's. Sections are told apart by their nearest heading.
 */
function withLinkedRepositories(
  findings: Finding[],
  references: readonly Reference[],
  { history, graph, findings: index }: Pick<RuleContext, 'history' | 'graph' | 'findings'>,
  folderExists: (folder: string) => boolean,
): Finding[] {
  const sectionOf = sections(index.documentsByPath);
  const own = index.github?.toLowerCase();
  const linked = new Map<string, string>();
  for (const reference of graph.references) {
    const found = reference.kind === 'url' && reference.url ? GITHUB_REPOSITORY.exec(reference.url) : null;
    if (!found || GITHUB_PAGES.test(found[1])) continue;
    const name = `${found[1]}/${found[2]}`;
    const section = sectionOf(reference);
    if (name.toLowerCase() !== own && !linked.has(section)) linked.set(section, name);
  }
  if (linked.size === 0) return findings;
  return findings.map((finding, at) => {
    const reference = references[at];
    const name = linked.get(sectionOf(reference));
    if (!name || !anotherRepositorysPath(finding, reference, history, folderExists, true)) return finding;
    return asOtherRepository(finding, `its section links \`${name}\`, another repository on GitHub, whose files it names`, `its section links https://github.com/${name}: it describes that repository's files`);
  });
}

/** The finding said as another repository's path: `why` ends its message, `evidence` joins its evidence. */
function asOtherRepository(finding: Finding, why: string, evidence: string): Finding {
  return { ...finding, class: 'other-repository', message: `${finding.message} here; ${why}`, suggestion: undefined, evidence: [...(finding.evidence ?? []), evidence] };
}

/** A root `.gitignore` pattern naming one top folder (`/dmf-infra/`, `/dmf-infra`): a place kept out of this repository by name. */
const ROOT_FOLDER_RULE = /^\/([^/*?[\]!\\]+)\/?$/;

/** Top folders that hold a build's output, dependencies or run-time state (GitHub's gitignore templates), not another repository. */
const OUTPUT_FOLDER = /^\.?(?:build|dist|out|output|target|bin|obj|node_modules|vendor|coverage|tmp|temp|cache|logs?|venv|env|public|site|_site|artifacts|gen|generated|data|backups?|releases?|packages|\.next|\.nuxt|\.terraform|__pycache__)$/i;

/**
 * An umbrella repository keeps other repositories' checkouts in top folders its `.gitignore` takes out by
 * name (`/dmf-infra/`). A document that names a file deep inside one (`dmf-infra/k3s-lab-bootstrap/site.yml`)
 * works in that checkout: its other paths that no commit here ever had, under a first folder this repository
 * lacks, abbreviating nothing git had (`roles/netbox/defaults/main.yml:5`), are that checkout's. A link must
 * still resolve here, and so must a path written from the document (`./`, `../`).
 */
function withNestedCheckouts(
  findings: Finding[],
  references: readonly Reference[],
  { history, graph }: Pick<RuleContext, 'history' | 'graph'>,
  folderExists: (folder: string) => boolean,
): Finding[] {
  const checkouts = new Map<string, string>();
  findings.forEach((finding, at) => {
    if (finding.class !== 'gitignored' || checkouts.has(references[at].source.file)) return;
    const verdict = missingPathVerdict(references[at], history, graph.paths);
    const folder = verdict?.ignored?.source === '.gitignore' ? ROOT_FOLDER_RULE.exec(verdict.ignored.pattern)?.[1] : undefined;
    const parts = verdict?.path.split('/') ?? [];
    if (folder && !OUTPUT_FOLDER.test(folder) && parts[0] === folder && parts.length >= 3 && !folderExists(folder)) checkouts.set(references[at].source.file, verdict!.path);
  });
  if (checkouts.size === 0) return findings;
  return findings.map((finding, at) => {
    const reference = references[at];
    const inside = checkouts.get(reference.source.file);
    if (!inside || !anotherRepositorysPath(finding, reference, history, folderExists)) return finding;
    const checkout = inside.slice(0, inside.indexOf('/'));
    return asOtherRepository(
      finding,
      `the document works in \`${checkout}/\`, another repository's checkout this one ignores`,
      `the document also names \`${inside}\`, inside \`${checkout}/\`, which the root \`.gitignore\` takes out by name: a checkout of its own`,
    );
  });
}

/** The rewritten reference `waymark fix` applies (path-only references), else where to point it. */
function renameSuggestion(reference: Reference, from: string, to: string, paths: readonly string[]): string | undefined {
  if (!paths.includes(to)) return undefined;
  const rewritten = reference.lines ? undefined : rewriteReference(reference, reference.source.file, from, to);
  return rewritten ? `\`${rewritten}\` (run \`waymark fix\`)` : `point the reference at \`${to}\` and check its lines`;
}

/** The repository's file names, lower-cased, per file index (built once per check). */
const namesByIndex = new WeakMap<FileIndex, Set<string>>();

function fileNames(index: FileIndex): Set<string> {
  let names = namesByIndex.get(index);
  if (!names) {
    names = new Set([...index.byBasename.keys()].map((name) => name.toLowerCase()));
    namesByIndex.set(index, names);
  }
  return names;
}
