/**
 * `waymark.config.json`: what a repository can tell Waymark about itself.
 * Every field is optional; `resolveConfig` fills the defaults.
 */
import { z } from 'zod';
import { isWebUrl } from '../urls/urls.ts';

const RuleSetting = z.enum(['error', 'warning', 'info', 'off']);
type RuleSetting = z.infer<typeof RuleSetting>;

/** Tag names per role, matched case-insensitively in code comments. */
const TagsConfig = z
  .object({
    /** Tags whose value names a process; the tag is the process's area. */
    process: z.array(z.string()).optional(),
    /** Tags describing what the code implements. */
    implements: z.array(z.string()).optional(),
    /** Tags naming the environment. */
    environment: z.array(z.string()).optional(),
    /** Tags whose value holds references (paths, anchors, line ranges, URLs). */
    reference: z.array(z.string()).optional(),
    /** Tags whose value holds task ids. */
    task: z.array(z.string()).optional(),
  })
  .strict();

/** A relative path that stays inside the folder it is relative to: no `..` segment, no drive or root. */
function isInsidePath(text: string): boolean {
  if (/^([a-z]:|[\\/])/i.test(text)) return false;
  return !text.split(/[\\/]/).includes('..');
}

/** An absolute http(s) URL: the site links to it, so `javascript:` and friends are refused. */
const WebUrl = z.string().refine(isWebUrl, 'must be an absolute `http://` or `https://` URL');

const SiteConfig = z
  .object({
    /** Title shown in the header and the browser tab. */
    title: z.string().optional(),
    /** Sub-path the site is served under, e.g. `/docs/`. */
    base: z.string().optional(),
    /** Absolute URL of the deployed site, used for canonical links. */
    url: WebUrl.optional(),
    /** "View source" link template: `{path}`, `{line}`, `{endLine}` are replaced. */
    repoUrl: WebUrl.optional(),
    /** Commit link template: `{hash}` is replaced by the full hash. Without it commits are plain text. */
    commitUrl: WebUrl.optional(),
  })
  .strict();

export const UserConfig = z
  .object({
    /** JSON schema pointer, ignored. */
    $schema: z.string().optional(),
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
    aliases: z.record(z.string(), z.string()).optional(),
    /** Severity per rule id, or `off`. */
    rules: z.record(z.string(), RuleSetting).optional(),
    /** Prefixes stripped from references that start with the repository's own name. */
    repositoryPrefixes: z.array(z.string()).optional(),
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
    redirects: z.record(z.string(), z.string()).optional(),
    /**
     * Folder for Waymark's cache of what each file says, relative to the
     * repository and inside it (default `node_modules/.cache/waymark`). Keep
     * it out of version control; `waymark check --no-cache` ignores it.
     */
    cacheDir: z.string().min(1).refine(isInsidePath, 'must be a relative path inside the repository').optional(),
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

const DEFAULT_ALIASES: Record<string, string> = { Refs: 'Reference', See: 'Reference', Runbook: 'Reference' };

export type TagRole = keyof typeof DEFAULT_TAGS;

/** Config with every default applied. */
export interface Config {
  name: string;
  include: string[];
  exclude: string[];
  maxFileSize: number;
  /** Lower-cased tag label → role and canonical label. */
  tags: Map<string, { role: TagRole; canonical: string }>;
  rules: Record<string, RuleSetting>;
  repositoryPrefixes: string[];
  strict: boolean;
  validationMaxAgeDays: number;
  site: { title: string; base: string; url?: string; repoUrl?: string; commitUrl?: string };
  /** The previous build's `links.json` (path relative to the repository, or URL), if any. */
  previousManifest?: string;
  /** Old site path → new target, as written. */
  redirects: Record<string, string>;
  /** Cache folder, relative to the repository root. */
  cacheDir: string;
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
    repositoryPrefixes: [...new Set([name, repoName, ...(user.repositoryPrefixes ?? [])])],
    strict: user.strict ?? true,
    validationMaxAgeDays: user.validationMaxAgeDays ?? 90,
    site: { title: user.site?.title ?? name, base: user.site?.base ?? '/', url: user.site?.url, repoUrl: user.site?.repoUrl, commitUrl: user.site?.commitUrl },
    previousManifest: user.previousManifest,
    redirects: user.redirects ?? {},
    cacheDir: user.cacheDir ?? 'node_modules/.cache/waymark',
  };
}

/**
 * Validate parsed config JSON; problems come back as sentences naming the
 * file and the field: "`waymark.config.json`: `tags.process.0` must be a string".
 */
export function parseUserConfig(data: unknown, file: string): { config?: UserConfig; errors: string[] } {
  const result = UserConfig.safeParse(data);
  if (result.success) return { config: result.data, errors: [] };
  const errors = result.error.issues.map((issue) => {
    const field = issue.path.length ? `\`${issue.path.join('.')}\`` : 'the top level';
    return `\`${file}\`: ${field}: ${issue.message}`;
  });
  return { errors };
}
