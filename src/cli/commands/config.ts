import path from 'node:path';
import { DEFAULT_ALIASES, DEFAULT_TAGS, resolveConfig, type TagRole } from '../../core/config/config.ts';
import { rules } from '../../core/rules/index.ts';
import { loadConfig } from '../../node/load-config.ts';
import { jsonText, terminalText } from '../../reporters/escape.ts';
import { gitDirFrom, parseOptions, repositoryFrom, UsageError, type CliIo } from '../context.ts';

export const summary = 'Print the effective config and the file each value comes from';

export const usage = `waymark config --print [--repo DIR] [--json]

  Prints every setting Waymark uses for the repository, after \`extends\` and
  the defaults, one per line: the field, its value (as JSON) and where it came
  from (a config file, or \`default\`).

  --print   print the effective config
  --json    as one JSON object: field → { value, source }
`;

interface Row {
  field: string;
  value: unknown;
  source: string;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, { print: { type: 'boolean' }, json: { type: 'boolean' } });
  if (!values.print) throw new UsageError('`waymark config` needs `--print`');
  const root = repositoryFrom(values.repo, io);
  const loaded = await loadConfig(root, { trustConfig: values['trust-config'], gitDir: gitDirFrom(values['git-dir'], io) });
  const rows = effectiveRows(loaded.config, loaded.sources, path.basename(root));
  if (values.json) {
    io.stdout(`${jsonText(Object.fromEntries(rows.map((row) => [row.field, { value: row.value, source: row.source }])), 2)}\n`);
    return 0;
  }
  const shown = rows.map((row) => ({ field: terminalText(row.field), value: terminalText(JSON.stringify(row.value)), source: terminalText(row.source) }));
  const fieldWidth = Math.max(...shown.map((row) => row.field.length));
  const valueWidth = Math.min(60, Math.max(...shown.map((row) => row.value.length)));
  const files = loaded.files.length ? loaded.files.map(terminalText).join(' → ') : 'none (every value is a default)';
  io.stdout(`config files: ${files}\n\n${shown.map((row) => `${row.field.padEnd(fieldWidth)}  ${row.value.padEnd(valueWidth)}  ${row.source}`).join('\n')}\n`);
  return 0;
}

/** Every setting as Waymark applies it, with the file that set it or `default`. */
function effectiveRows(user: Parameters<typeof resolveConfig>[0], sources: Record<string, string>, repoName: string): Row[] {
  const config = resolveConfig(user, repoName);
  const from = (field: string) => sources[field] ?? 'default';
  const rows: Row[] = [
    { field: 'name', value: config.name, source: from('name') },
    { field: 'include', value: config.include, source: from('include') },
    { field: 'exclude', value: config.exclude, source: from('exclude') },
    { field: 'maxFileSize', value: config.maxFileSize, source: from('maxFileSize') },
    { field: 'repositoryPrefixes', value: user.repositoryPrefixes ?? [], source: from('repositoryPrefixes') },
    { field: 'strict', value: config.strict, source: from('strict') },
    { field: 'validationMaxAgeDays', value: config.validationMaxAgeDays, source: from('validationMaxAgeDays') },
  ];
  if (config.previousManifest !== undefined) rows.push({ field: 'previousManifest', value: config.previousManifest, source: from('previousManifest') });
  for (const role of Object.keys(DEFAULT_TAGS) as TagRole[]) {
    rows.push({ field: `tags.${role}`, value: user.tags?.[role] ?? DEFAULT_TAGS[role], source: from(`tags.${role}`) });
  }
  for (const [alias, target] of Object.entries({ ...DEFAULT_ALIASES, ...user.aliases })) rows.push({ field: `aliases.${alias}`, value: target, source: from(`aliases.${alias}`) });
  for (const rule of rules) rows.push({ field: `rules.${rule.id}`, value: config.rules[rule.id] ?? rule.defaultSeverity, source: from(`rules.${rule.id}`) });
  for (const key of ['title', 'base', 'url', 'repoUrl', 'commitUrl'] as const) {
    const value = config.site[key];
    if (value !== undefined) rows.push({ field: `site.${key}`, value, source: from(`site.${key}`) });
  }
  for (const [from_, to] of Object.entries(config.redirects)) rows.push({ field: `redirects.${from_}`, value: to, source: from(`redirects.${from_}`) });
  return rows;
}
