/**
 * `waymark.config.json`: what a repository can tell Waymark about itself.
 * Every field is optional; `resolveConfig` fills the defaults.
 */
import { z } from 'zod';
import { didYouMean, nearestNames } from '../text/did-you-mean.ts';
import { BASE_RULE, baseProblem, hasControlCharacter } from '../urls/safe-url.ts';
import { isWebUrl } from '../urls/urls.ts';

const RuleSetting = z.enum(['error', 'warning', 'info', 'off']);
type RuleSetting = z.infer<typeof RuleSetting>;

/**
 * Text that reaches pages, search filters and `_redirects`: one line, no
 * control characters (a newline would add a rule to `_redirects`, an escape
 * sequence would reach the terminal).
 */
const Line = z.string().refine((text) => !hasControlCharacter(text), 'must not hold control characters or line breaks');

/** Tag names per role, matched case-insensitively in code comments. */
const TagsConfig = z
  .object({
    /** Tags whose value names a process; the tag is the process's area. */
    process: z.array(Line).optional(),
    /** Tags describing what the code implements. */
    implements: z.array(Line).optional(),
    /** Tags naming the environment. */
    environment: z.array(Line).optional(),
    /** Tags whose value holds references (paths, anchors, line ranges, URLs). */
    reference: z.array(Line).optional(),
    /** Tags whose value holds task ids. */
    task: z.array(Line).optional(),
  })
  .strict();

/** An absolute http(s) URL: the site links to it, so `javascript:` and friends are refused. */
const WebUrl = z.string().refine(isWebUrl, 'must be an absolute `http://` or `https://` URL, without blanks or control characters');

const SiteConfig = z
  .object({
    /** Title shown in the header and the browser tab. */
    title: z.string().optional(),
    /** Sub-path the site is served under, e.g. `/docs/`: every page loads its scripts from it, so nothing but plain path segments. */
    base: z.string().refine((base) => baseProblem(base) === undefined, BASE_RULE).optional(),
    /** Absolute URL of the deployed site, used for canonical links. */
    url: WebUrl.optional(),
    /** "View source" link template: `{path}`, `{line}`, `{endLine}` are replaced, and `{commit}` by the scanned commit (a `…/blob/<branch>/{path}` template is pinned to it too, for "view at this commit"). */
    repoUrl: WebUrl.optional(),
    /** Commit link template: `{hash}` is replaced by the full hash. Without it commits are plain text. */
    commitUrl: WebUrl.optional(),
  })
  .strict();

/**
 * Words that say where a reference stands (issue 12): in the future (a plan), in an example,
 * in an archive or in a record of the past. A file missing there is planned or quoted, not
 * broken, so it is reported at a lower severity. Matched case-insensitively as whole words
 * (file names split at `-`, `_`, `.` and camelCase); each list replaces its English default,
 * so a repository written in another language names its own words.
 */
const ContextWordsConfig = z
  .object({
    /** A document whose file name or H1 holds one describes the future: `plan`, `roadmap`, `PRD`. */
    futureDocuments: z.array(Line).optional(),
    /** A section whose heading (or an enclosing heading) holds one describes the future: `Proposed`, `Next steps`, `Files to create`. */
    futureSections: z.array(Line).optional(),
    /** A heading or list item that starts with one of these verbs, or a table cell that is one, is a step still to do: `Create`, `Implement`. */
    futureVerbs: z.array(Line).optional(),
    /** A line holding one describes the future, whatever the document: `Should be`, `PLANNED`, `TODO`. */
    futureLines: z.array(Line).optional(),
    /** A line holding one speaks of a file that was: `deprecated`, `no longer used`, `(git history)`, `Old name:`. */
    pastLines: z.array(Line).optional(),
    /** A table column headed by one lists what was: `Old path`, `Previous`, `From` (the whole header, decorations aside). */
    pastColumns: z.array(Line).optional(),
    /** A line holding one before the reference gives an example: `e.g.`, `for example`. */
    exampleLines: z.array(Line).optional(),
    /** A section whose heading holds one shows an example or a template: `Example`, `Template`. */
    exampleSections: z.array(Line).optional(),
    /** A folder or file-name word of a prompt or agent file, where paths in prose are examples: `prompts`, `agents`. */
    exampleDocuments: z.array(Line).optional(),
    /** A file-name word of a template, whose paths and links are written for the copies made from it: `template` (a `templates/` folder alone is not enough: it holds READMEs too). */
    templateDocuments: z.array(Line).optional(),
    /** A path segment that is a placeholder, not a name: `example`, `sample` (only while no such folder exists). */
    examplePaths: z.array(Line).optional(),
    /** A folder named so holds archived documents: `archive`, `deprecated`, `superseded`. */
    archiveFolders: z.array(Line).optional(),
    /** A document whose H1 or `Status` holds one is archived: `Superseded`, `Archived`. */
    archiveBanners: z.array(Line).optional(),
    /** A document whose file name or folder holds one records the past: `CHANGELOG`, `history`, `done`. */
    historicalDocuments: z.array(Line).optional(),
    /** A section whose heading holds one records the past: `Change History`, `Changelog`, `Files Removed`. */
    historicalSections: z.array(Line).optional(),
    /**
     * A file-name or folder word of a report of its day: `report`, `reports/`, `PHASE_4_COMPLETE.md`.
     * A file it names that git deleted or renamed after the document was first committed is
     * history, not a broken reference.
     */
    reportDocuments: z.array(Line).optional(),
    /**
     * A file-name or folder word of a ledger written entry by entry: `progress.md`, `journal`,
     * `development-log.md`, `minutes`. An entry records its day: the files it names are history
     * whatever git says (its see-also sections and markdown links are held as a report's are).
     */
    ledgerDocuments: z.array(Line).optional(),
    /** A section whose heading holds one points the reader elsewhere (`Related Files`, `See also`): its paths are for following today, even in a report of its day. */
    pointerSections: z.array(Line).optional(),
    /**
     * A word or phrase right before a path points the reader at it now: `See \`docs/x.md\` for
     * details`, `refer to`. A plan's prose mentions files to write; what it tells you to see exists.
     */
    pointerLines: z.array(Line).optional(),
    /**
     * A verb right before a path that removes the file (`delete \`x\``, `git rm x`, `moved there from \`x\``):
     * the text expects it gone, so its absence is no broken reference (unless negated: `do not remove`).
     */
    removalVerbs: z.array(Line).optional(),
    /** The whole name of a scratch folder (`tmp/`, `.tmp/`, `scratch/`), or a word ending a file name (`INDEX.generated.md`): a working or generated copy, not documentation. */
    scratchDocuments: z.array(Line).optional(),
  })
  .strict();

export const UserConfig = z
  .object({
    /** JSON schema pointer for editors (`https://unpkg.com/waymark/schemas/waymark.config.json`), ignored by Waymark. */
    $schema: z.string().optional(),
    /**
     * Configs this one builds on, e.g. `"../../waymark.base.json"` in a
     * monorepo's sub-project: relative paths to `.json` files inside the git
     * repository, read first and overridden by this file (objects such as
     * `rules` and `site` key by key). Never a package, a URL or code.
     */
    extends: z.union([Line, z.array(Line)]).optional(),
    /** Repository name shown on the site and stripped from the front of references. */
    name: z.string().optional(),
    /** Globs of files to read; everything tracked when empty. */
    include: z.array(z.string()).optional(),
    /** Globs of files to skip, on top of `.gitignore`. */
    exclude: z.array(z.string()).optional(),
    /** Files larger than this many bytes are skipped with an info diagnostic. */
    maxFileSize: z.number().int().positive().optional(),
    /** Marker tags per role; replaces the default list of that role. */
    tags: TagsConfig.optional(),
    /** Extra tag names mapped to a canonical tag, e.g. `{ "Runbook": "Reference" }`. */
    aliases: z.record(Line, Line).optional(),
    /** Severity per rule id (`missing-file`) or finding class (`missing-file/planned`), or `off`. */
    rules: z.record(z.string(), RuleSetting).optional(),
    /** Words that place a reference in a plan, an example, an archive or the past; English by default. */
    contextWords: ContextWordsConfig.optional(),
    /** Prefixes stripped from references that start with the repository's own name. */
    repositoryPrefixes: z.array(z.string()).optional(),
    /**
     * Names of other repositories that documents cite by path (`platform-docs` for
     * `platform-docs/contracts/x.md` or `../platform-docs/…`): such a path that
     * matches nothing here is reported as `missing-file/other-repository` (info).
     */
    externalRoots: z.array(Line).optional(),
    /** The repository on GitHub as `owner/repo`, for links that climb into GitHub's URL space (`../../issues/12`); default: the `origin` remote, else `site.repoUrl`. */
    github: z.string().regex(/^[\w.-]+\/[\w.-]+$/).optional(),
    /** Fail `build` on error-level problems (default true). */
    strict: z.boolean().optional(),
    /** Days after which a production process counts as overdue for validation. */
    validationMaxAgeDays: z.number().int().positive().optional(),
    /** Site settings. */
    site: SiteConfig.optional(),
    /**
     * The previous build's `links.json`: a path (relative to the repository)
     * or an `http(s)` URL, e.g. `https://acme.github.io/infra/links.json`.
     * `build` fails when a URL it lists would now 404 and no alias or
     * redirect covers it. A missing file or a 404 means no previous build yet.
     */
    previousManifest: z.string().min(1).optional(),
    /**
     * Redirects for URLs that moved, e.g. `{ "files/old/lb.tf/": "infra/lb.tf" }`:
     * an old site path (relative to the base) → a process or task id, a
     * repository path (`infra/lb.tf:12`), a site path (`/processes/`) or an
     * `http(s)` URL. Written as static pages and into `_redirects`.
     */
    redirects: z.record(Line, Line).optional(),
    /**
     * No longer read: the cache lives in the user's cache folder, never where
     * the repository can point it. Kept in the schema only to say so, since a
     * config still naming a folder would otherwise have its owner believe the
     * cache (and a CI cache step) is there.
     */
    cacheDir: z
      .never({
        error:
          'is no longer supported: the cache now lives in your cache folder (e.g. ~/.cache/waymark), never in the repository; remove this field (set `WAYMARK_CACHE_DIR` or pass `--cache-dir` to move the cache)',
      })
      .optional(),
  })
  .strict();
export type UserConfig = z.infer<typeof UserConfig>;

export const DEFAULT_TAGS = {
  process: [
    'Deployment Process',
    'Process',
    'Workflow',
    'Design System',
    'API Contract',
    'Schema',
    'Architecture',
    'Security',
    'Performance',
    'Testing',
  ],
  implements: ['Implements'],
  environment: ['Environment'],
  reference: ['Reference', 'References'],
  task: ['Task'],
} as const;

export const DEFAULT_ALIASES: Record<string, string> = { Refs: 'Reference', See: 'Reference', Runbook: 'Reference' };

export type TagRole = keyof typeof DEFAULT_TAGS;

/** English defaults of `contextWords`: see `ContextWordsConfig` for what each list means. */
export const DEFAULT_CONTEXT_WORDS = {
  futureDocuments: ['plan', 'plans', 'roadmap', 'proposal', 'proposals', 'prd', 'rfc', 'backlog', 'todo', 'task list', 'tasks', 'action plan'],
  futureSections: [
    'proposed',
    'proposal',
    'future',
    'next steps',
    'todo',
    'to do',
    'roadmap',
    'planned',
    'implementation plan',
    'files to create',
    'files to add',
    'files to remove',
    'relevant files',
    'to be created',
    'backlog',
  ],
  // Not `add`: "Add `scripts/x.sh` to cron" names a file that exists.
  // With the commonest words of Spanish, Portuguese, French and German: a default that fails silently on them reads as noise.
  futureVerbs: ['create', 'implement', 'write', 'crear', 'criar', 'créer', 'erstellen', 'implementar', 'implémenter', 'implementieren'],
  futureLines: ['should be', 'planned', 'to be created', 'not yet created', 'not created yet', 'will be created', 'todo', 'tbd', 'coming soon'],
  pastLines: ['deprecated', 'no longer', 'git history', 'was removed', 'was deleted', 'were removed', 'were deleted', 'has been removed', 'has been deleted', 'have been removed', 'have been deleted', 'now removed', 'now deleted', 'since removed', 'since deleted', 'formerly', 'old name', 'old path', 'renamed from', 'moved from'],
  pastColumns: ['old', 'old path', 'old name', 'old location', 'old file', 'previous', 'previous path', 'former path', 'before', 'from', 'deleted', 'removed'],
  exampleLines: ['e.g.', 'e.g', 'eg.', 'for example', 'for instance', 'such as', 'this template', 'por ejemplo', 'p. ej.', 'por exemplo', 'par exemple', 'z.b.', 'z. b.', 'zum beispiel', 'beispiel'],
  exampleSections: ['example', 'examples', 'template', 'templates', 'sample'],
  exampleDocuments: ['prompts', 'prompt', 'agents', 'instructions', 'chatmode', 'amazonq', 'windsurf', 'clinerules', 'kiro', 'roo'],
  templateDocuments: ['templates', 'template', 'boilerplate'],
  examplePaths: ['example', 'sample', 'your', 'placeholder'],
  archiveFolders: ['archive', 'archived', 'archives', 'deprecated', 'superseded', 'obsolete', 'attic', 'legacy'],
  archiveBanners: ['superseded', 'archived', 'obsolete'],
  historicalDocuments: ['changelog', 'change log', 'changes log', 'changes', 'history', 'done', 'release notes', 'records', 'incidents', 'postmortems', 'war stories'],
  historicalSections: ['change history', 'changelog', 'change log', 'revision history', 'version history', 'history', 'historical', 'removed', 'deleted', 'removals', 'deletions'],
  // A summary of an event (`SOPS_CLEANUP_SUMMARY.md`), not of a topic (`KUSTOMIZE_SUMMARY.md`, a guide kept current).
  reportDocuments: [
    'report',
    'reports',
    'complete',
    'completion',
    'log',
    'cleanup summary',
    'migration summary',
    'consolidation summary',
    'fix summary',
    'fixes summary',
    'update summary',
    'updates summary',
    'upgrade summary',
    'refactor summary',
    'deploy summary',
  ],
  ledgerDocuments: ['progress', 'journal', 'worklog', 'minutes', 'transcript', 'transcripts', 'development log', 'dev log', 'devlog', 'work log', 'session log', 'session summary', 'activity log'],
  pointerSections: ['related', 'see also', 'further reading', 'useful links', 'resources'],
  pointerLines: ['see', 'see also', 'refer to'],
  removalVerbs: ['remove', 'removes', 'removed', 'delete', 'deletes', 'deleted', 'rm', 'git rm', 'moved there from', 'moved here from', 'migrated from'],
  scratchDocuments: ['tmp', 'temp', 'scratch', 'generated', 'autogenerated'],
} as const satisfies Required<{ [K in keyof z.infer<typeof ContextWordsConfig>]: readonly string[] }>;

/** `contextWords` with every default applied. */
export type ContextWords = { [K in keyof typeof DEFAULT_CONTEXT_WORDS]: readonly string[] };

/** Config with every default applied. */
export interface Config {
  name: string;
  include: string[];
  exclude: string[];
  maxFileSize: number;
  /** Lower-cased tag label → role and canonical label. */
  tags: Map<string, { role: TagRole; canonical: string }>;
  rules: Record<string, RuleSetting>;
  /** Words that place a reference in a plan, an example, an archive or the past. */
  contextWords: ContextWords;
  repositoryPrefixes: string[];
  /** First folders that name other repositories (config `externalRoots`). */
  externalRoots: string[];
  /** `owner/repo` on GitHub, when known (config, else filled from the `origin` remote by the scan, else `site.repoUrl`). */
  github?: string;
  strict: boolean;
  validationMaxAgeDays: number;
  site: { title: string; base: string; url?: string; repoUrl?: string; commitUrl?: string };
  /** The previous build's `links.json` (path relative to the repository, or URL), if any. */
  previousManifest?: string;
  /** Old site path → new target, as written. */
  redirects: Record<string, string>;
}

/**
 * The full configuration: the user's (already validated) settings over the
 * defaults, with tag aliases, rule severities and repository prefixes filled
 * in. Pure: `repoName` names the repository, nothing is read here.
 */
export function resolveConfig(user: UserConfig, repoName: string): Config {
  const tags = new Map<string, { role: TagRole; canonical: string }>();
  for (const role of Object.keys(DEFAULT_TAGS) as TagRole[]) {
    for (const label of user.tags?.[role] ?? DEFAULT_TAGS[role]) {
      tags.set(label.toLowerCase(), { role, canonical: label });
    }
  }
  for (const [alias, target] of Object.entries({ ...DEFAULT_ALIASES, ...user.aliases })) {
    const hit = tags.get(target.toLowerCase());
    if (hit) tags.set(alias.toLowerCase(), hit);
  }
  const name = user.name ?? repoName;
  return {
    name,
    include: user.include ?? [],
    exclude: user.exclude ?? [],
    maxFileSize: user.maxFileSize ?? 1024 * 1024,
    tags,
    rules: user.rules ?? {},
    contextWords: { ...DEFAULT_CONTEXT_WORDS, ...user.contextWords },
    repositoryPrefixes: [...new Set([name, repoName, ...(user.repositoryPrefixes ?? [])])],
    externalRoots: user.externalRoots ?? [],
    github: user.github,
    strict: user.strict ?? true,
    validationMaxAgeDays: user.validationMaxAgeDays ?? 90,
    site: { title: user.site?.title ?? name, base: user.site?.base ?? '/', url: user.site?.url, repoUrl: user.site?.repoUrl, commitUrl: user.site?.commitUrl },
    previousManifest: user.previousManifest,
    redirects: user.redirects ?? {},
  };
}

/**
 * Validate parsed config JSON; problems come back as sentences naming the
 * file and the field: "`waymark.config.json`: `tags.process.0` must be a string".
 * An unknown key or rule id (`"orphan-proces": "off"`) is an error with the
 * nearest known names: accepted silently, a typo would turn nothing off.
 * `ruleIds` are the rules that exist (the rules import this file, so they are passed in).
 */
export function parseUserConfig(data: unknown, file: string, ruleIds: readonly string[] = []): { config?: UserConfig; errors: string[] } {
  const result = UserConfig.safeParse(data);
  const where = (path: readonly PropertyKey[]) => (path.length ? `\`${path.map(String).join('.')}\`` : 'the top level');
  if (!result.success) {
    const errors = result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => `\`${file}\`: ${where([...issue.path, key])}: unknown key${suggestion(key, knownKeys(issue.path))}`);
      }
      // A bad record key (a redirect's old path) says why, not just "Invalid key".
      const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      return [`\`${file}\`: ${where(issue.path)}: ${message}`];
    });
    return { errors };
  }
  const unknownRules = ruleIds.length ? Object.keys(result.data.rules ?? {}).filter((id) => !ruleIds.includes(id)) : [];
  if (unknownRules.length) {
    return { errors: unknownRules.map((id) => `\`${file}\`: ${where(['rules', id])}: unknown rule${suggestion(id, ruleIds)}`) };
  }
  return { config: result.data, errors: [] };
}

function suggestion(wanted: string, known: readonly string[]): string {
  const hint = didYouMean(nearestNames(wanted, known));
  return hint ? `; ${hint}` : ` (known: ${known.map((name) => `\`${name}\``).join(', ')})`;
}

/** The keys the schema allows in the object at `path` (`[]` → the top level, `['site']` → the site settings). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = UserConfig;
  for (const segment of [...path, undefined]) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (!(schema instanceof z.ZodObject)) return [];
    if (segment === undefined) return Object.keys(schema.shape).filter((key) => key !== 'cacheDir');
    schema = schema.shape[String(segment)] as z.ZodType;
  }
  return [];
}
