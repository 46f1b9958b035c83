/**
 * Find and read the repository's config. JSON is data; a `.mjs` config is
 * code from the repository and only runs when the caller says it is trusted.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseUserConfig, type UserConfig } from '../core/config/config.ts';
import { stripJsonComments } from '../core/config/jsonc.ts';
import { rules } from '../core/rules/index.ts';
import { isInside, readRegularFile } from './read-files.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Far above any real config; a bigger one is not a config. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * The text of a config file in `root`, without a BOM (Windows editors write
 * one, and JSON.parse rejects it). Like every repository file it is read only
 * inside the root: a config linking to `~/.ssh/id_rsa` would otherwise end up
 * quoted in a "not valid JSON" message in a CI log. A FIFO, folder or device
 * named like a config is an error naming it, not a hang or a crash.
 */
async function readIfPresent(root: string, name: string): Promise<string | undefined> {
  try {
    const target = await realpath(path.join(root, name));
    if (!isInside(await realpath(root), target)) {
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

/** The repository's `waymark.config.json`, else its `waymark.config.mjs` (run only with `trustConfig`, an error otherwise), validated; `{}` when there is none. */
export async function loadUserConfig(root: string, options: { trustConfig?: boolean } = {}): Promise<UserConfig> {
  const json = await readIfPresent(root, 'waymark.config.json');
  if (json !== undefined) {
    let data: unknown;
    try {
      // Comments and trailing commas are allowed, as in tsconfig.json (`waymark init` writes a commented config).
      data = JSON.parse(stripJsonComments(json));
    } catch (error) {
      throw new ConfigError([`\`waymark.config.json\`: not valid JSON (${(error as Error).message})`]);
    }
    return validated(data, 'waymark.config.json');
  }
  const moduleFile = path.join(root, 'waymark.config.mjs');
  if ((await readIfPresent(root, 'waymark.config.mjs')) === undefined) return {};
  if (!options.trustConfig) {
    throw new ConfigError([
      '`waymark.config.mjs` is code from the repository; pass `--trust-config` to run it, or use `waymark.config.json`',
    ]);
  }
  const loaded = (await import(/* @vite-ignore */ pathToFileURL(moduleFile).href)) as { default?: unknown };
  return validated(loaded.default, 'waymark.config.mjs');
}

function validated(data: unknown, file: string): UserConfig {
  const { config, errors } = parseUserConfig(data, file, rules.map((rule) => rule.id));
  if (!config) throw new ConfigError(errors);
  return config;
}
