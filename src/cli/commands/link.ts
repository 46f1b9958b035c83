import { lookupLink, suggestionAfter, siteLinkTable, type LinkLookup, type LinkTable } from '../../core/urls/link-table.ts';
import { readRenames } from '../../node/links-fs.ts';
import { scanRepository } from '../../node/scan.ts';
import { normalizeBase } from '../../core/urls/urls.ts';
import { jsonText, terminalText } from '../../reporters/escape.ts';
import { baseOption, gitDirFrom, parseOptions, repositoryFrom, UsageError, type CliIo } from '../context.ts';

export const summary = 'Print the site URL of a process, task, environment, file or document';

export const usage = `waymark link <ID | path[:line] | process name>... [--base-url URL] [--base PATH] [--short] [--json]

  Examples:  waymark link blue-green-rollout
             waymark link "Blue/Green Rollout#rollback"
             waymark link TASK-001        (docs/plans/TASK-001 where the id repeats)
             waymark link infra/lb.tf:12 --base-url https://acme.github.io/infra/
  A kind prefix settles a clash: process:, task:, env:, file:, doc:.

  --base-url URL   print absolute URLs under URL (default: config site.url)
  --base PATH      the site's sub-path (default: the path of --base-url, else
                   config site.base)
  --short          print the short form (/p/…, /t/…, /e/…, /f/…)
  --json           print one JSON object per query, with suggestions

  Exit code 1 when a query names nothing or several things ("did you mean" on stderr).
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      'base-url': { type: 'string' },
      base: { type: 'string' },
      short: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (positionals.length === 0) throw new UsageError('`waymark link` needs an id, a path or a process name');
  const siteUrl = values['base-url'] === undefined ? undefined : parseBaseUrl(values['base-url']);
  const baseFlag = baseOption(values.base) ?? (siteUrl ? baseOption(siteUrl.pathname, '--base-url') : undefined);
  const root = repositoryFrom(values.repo, io);
  const gitDir = gitDirFrom(values['git-dir'], io);
  const [scan, renames] = await Promise.all([scanRepository(root, { trustConfig: values['trust-config'], gitDir }), readRenames(root, { gitDir })]);
  const absolute = siteUrl ?? (scan.config.site.url ? parseBaseUrl(scan.config.site.url) : undefined);
  const base = normalizeBase(baseFlag ?? scan.config.site.base);
  const table = siteLinkTable({ ...scan, renames }, base);

  let code = 0;
  for (const query of positionals) {
    const result = lookupLink(table, query);
    if (result.status !== 'found') code = 1;
    if (values.json) io.stdout(`${jsonText(jsonLine(query, result, table, absolute))}\n`);
    else if (result.status === 'found') io.stdout(`${terminalText(present(values.short ? (result.short ?? result.url) : result.url, table, absolute))}\n`);
    else io.stderr(`waymark: ${terminalText(explain(query, result))}\n`);
  }
  return code;
}

function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`\`--base-url\` must be an absolute URL, e.g. https://acme.github.io/infra/ (got \`${text}\`)`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** A site URL as printed: absolute under the site URL when there is one. */
function present(url: string, table: LinkTable, site: URL | undefined): string {
  if (!site || !url.startsWith('/')) return url;
  return new URL(url.slice(table.base.length), site).href;
}

function explain(query: string, result: Exclude<LinkLookup, { status: 'found' }>): string {
  if (result.status === 'ambiguous') {
    return `\`${query}\` is ambiguous: it names ${result.candidates.map((c) => `\`${c}\``).join(', ')} (name one with its scope or a kind prefix)`;
  }
  const what = result.reason ?? `\`${query}\` is no process, task, environment, document or file of the site`;
  return `${what}${suggestionAfter(result.suggestions)}`;
}

function jsonLine(query: string, result: LinkLookup, table: LinkTable, site: URL | undefined): Record<string, unknown> {
  if (result.status === 'found') {
    return {
      query,
      status: 'found',
      kind: result.entry.kind,
      id: result.entry.id,
      url: present(result.url, table, site),
      ...(result.short ? { short: present(result.short, table, site) } : {}),
    };
  }
  return { query, ...result };
}
