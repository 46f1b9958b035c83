/**
 * Find and read the repository's config. JSON is data; a `.mjs` config is
 * code from the repository and only runs when the caller says it is trusted.
 * `extends` only ever names JSON files inside the git repository.
 */
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseUserConfig, type UserConfig } from '../core/config/config.ts';
import { stripJsonComments } from '../core/config/jsonc.ts';
import { mergeConfigLayers, type ConfigLayer } from '../core/config/merge-layers.ts';
import { ruleSettingKeys } from '../core/rules/index.ts';
import { locateRepository } from './git.ts';
import { isInside, readRegularFile } from './read-files.ts';

export class ConfigError extends Error {
  /** The config files read or looked for until the problem, named relative to the repository: editing one of them may fix it (the language server watches them). */
  files: string[] = [];

  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Far above any real config; a bigger one is not a config. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/** A chain deeper than this is a mistake, not a monorepo. */
const MAX_EXTENDS_DEPTH = 8;

/**
 * The text of a config file, without a BOM (Windows editors write one, and
 * JSON.parse rejects it). Like every repository file it is read only inside
 * `boundary`: a config linking to `~/.ssh/id_rsa` would otherwise end up
 * quoted in a "not valid JSON" message in a CI log. A FIFO, folder or device
 * named like a config is an error naming it, not a hang or a crash.
 */
async function readIfPresent(boundary: string, file: string, name: string): Promise<string | undefined> {
  try {
    const target = await realpath(file);
    if (!isInside(await realpath(boundary), target)) {
      throw new ConfigError([`\`${name}\` is a symbolic link to a file outside the repository, which Waymark does not read`]);
    }
    const read = await readRegularFile(target, MAX_CONFIG_BYTES);
    if ('skipped' in read) throw new ConfigError([`\`${name}\` cannot be read: ${read.skipped}`]);
    const text = read.bytes.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** What `loadConfig` found: the merged config, and the file each value came from (dotted field → file). */
export interface LoadedConfig {
  config: UserConfig;
  sources: Record<string, string>;
  /** The files read, base first, named relative to the repository. */
  files: string[];
}

/** The repository's config, its `extends` chain merged in (see `loadConfig`). */
export async function loadUserConfig(root: string, options: { trustConfig?: boolean; gitDir?: string } = {}): Promise<UserConfig> {
  return (await loadConfig(root, options)).config;
}

/**
 * The repository's `waymark.config.json`, else its `waymark.config.mjs` (run
 * only with `trustConfig`, an error otherwise), validated, with the configs
 * it `extends` read first; `{}` when there is none.
 */
export async function loadConfig(root: string, options: { trustConfig?: boolean; gitDir?: string } = {}): Promise<LoadedConfig> {
  const read: string[] = [];
  try {
    return await loadConfigFiles(root, options, read);
  } catch (error) {
    if (error instanceof ConfigError) error.files = read;
    throw error;
  }
}

/** `loadConfig`, naming each config file in `read` before reading it. */
async function loadConfigFiles(root: string, options: { trustConfig?: boolean; gitDir?: string }, read: string[]): Promise<LoadedConfig> {
  const realRoot = await realpath(root);
  const jsonFile = path.join(realRoot, 'waymark.config.json');
  let own: UserConfig;
  let ownName: string;
  read.push('waymark.config.json');
  const json = await readIfPresent(realRoot, jsonFile, 'waymark.config.json');
  if (json !== undefined) {
    own = parsed(json, 'waymark.config.json');
    ownName = 'waymark.config.json';
  } else {
    const moduleFile = path.join(realRoot, 'waymark.config.mjs');
    read.push('waymark.config.mjs');
    const moduleText = await readIfPresent(realRoot, moduleFile, 'waymark.config.mjs');
    if (moduleText === undefined) return { config: {}, sources: {}, files: [] };
    if (!options.trustConfig) {
      throw new ConfigError([
        '`waymark.config.mjs` is code from the repository; pass `--trust-config` to run it, or use `waymark.config.json`',
      ]);
    }
    // Node keeps one module per URL: the URL names the text, so a long-running process (the language server, `--watch`) runs an edited config again.
    const version = createHash('sha256').update(moduleText).digest('hex').slice(0, 16);
    const loaded = (await import(/* @vite-ignore */ `${pathToFileURL(moduleFile).href}?text=${version}`)) as { default?: unknown };
    own = validated(loaded.default, 'waymark.config.mjs');
    ownName = 'waymark.config.mjs';
  }
  const layers = own.extends === undefined ? [{ file: ownName, config: own }] : await withBases(realRoot, jsonFile, ownName, own, options.gitDir, read);
  const { config, sources } = mergeConfigLayers(layers);
  return { config, sources, files: layers.map((layer) => layer.file) };
}

/**
 * The layers of a config that extends others, base first. A base is a
 * relative path to a `.json` file, resolved from the folder of the config
 * naming it, and must stay inside the git work tree holding the repository
 * (the repository itself when there is no git): a sub-project shares its
 * monorepo's base, and nothing else on the disk is read.
 */
async function withBases(realRoot: string, ownFile: string, ownName: string, own: UserConfig, gitDir: string | undefined, read: string[]): Promise<ConfigLayer[]> {
  const located = await locateRepository(realRoot, { gitDir }).catch(() => ({ location: undefined }));
  const workTree = located.location?.workTree;
  const boundary = workTree && isInside(await realpath(workTree).catch(() => workTree), realRoot) ? await realpath(workTree) : realRoot;
  const shown = (file: string) => path.relative(realRoot, file).split(path.sep).join('/');
  const layers: ConfigLayer[] = [];
  const visit = async (file: string, name: string, config: UserConfig, chain: string[]): Promise<void> => {
    const bases = typeof config.extends === 'string' ? [config.extends] : (config.extends ?? []);
    for (const base of bases) {
      const problem = (why: string) => new ConfigError([`\`${name}\`: \`extends\`: \`${base}\` ${why}`]);
      if (path.isAbsolute(base) || /^[a-z][a-z0-9+.-]*:/i.test(base) || base.startsWith('~')) throw problem('must be a relative path to a JSON file in the repository');
      if (!base.endsWith('.json')) throw problem('must name a `.json` file (a base config is data, never code or a package)');
      const target = path.resolve(path.dirname(file), base);
      if (!isInside(boundary, target)) throw problem('is outside the repository');
      const baseName = shown(target);
      if (chain.includes(target)) throw problem(`extends itself (${[...chain, target].map((f) => `\`${shown(f)}\``).join(' → ')})`);
      if (chain.length >= MAX_EXTENDS_DEPTH) throw problem(`is more than ${MAX_EXTENDS_DEPTH} configs deep`);
      read.push(baseName);
      const text = await readIfPresent(boundary, target, baseName);
      if (text === undefined) throw problem('does not exist');
      const baseConfig = parsed(text, baseName);
      await visit(target, baseName, baseConfig, [...chain, target]);
    }
    layers.push({ file: name, config });
  };
  await visit(ownFile, ownName, own, [ownFile]);
  return layers;
}

function parsed(text: string, file: string): UserConfig {
  let data: unknown;
  try {
    // Comments and trailing commas are allowed, as in tsconfig.json (`waymark init` writes a commented config).
    data = JSON.parse(stripJsonComments(text));
  } catch (error) {
    throw new ConfigError([`\`${file}\`: not valid JSON (${(error as Error).message})`]);
  }
  return validated(data, file);
}

function validated(data: unknown, file: string): UserConfig {
  const { config, errors } = parseUserConfig(data, file, ruleSettingKeys());
  if (!config) throw new ConfigError(errors);
  return config;
}
