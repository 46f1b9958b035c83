/**
 * Find and read the repository's config. JSON is data; a `.mjs` config is
 * code from the repository and only runs when the caller says it is trusted.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseUserConfig, type UserConfig } from '../core/config.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export const CONFIG_FILES = ['waymark.config.json', 'waymark.config.mjs'] as const;

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function loadUserConfig(root: string, options: { trustConfig?: boolean } = {}): Promise<UserConfig> {
  const json = await readIfPresent(path.join(root, 'waymark.config.json'));
  if (json !== undefined) {
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (error) {
      throw new ConfigError([`\`waymark.config.json\`: not valid JSON (${(error as Error).message})`]);
    }
    return validated(data, 'waymark.config.json');
  }
  const moduleFile = path.join(root, 'waymark.config.mjs');
  if ((await readIfPresent(moduleFile)) === undefined) return {};
  if (!options.trustConfig) {
    throw new ConfigError([
      '`waymark.config.mjs` is code from the repository; pass `--trust-config` to run it, or use `waymark.config.json`',
    ]);
  }
  const loaded = (await import(pathToFileURL(moduleFile).href)) as { default?: unknown };
  return validated(loaded.default, 'waymark.config.mjs');
}

function validated(data: unknown, file: string): UserConfig {
  const { config, errors } = parseUserConfig(data, file);
  if (!config) throw new ConfigError(errors);
  return config;
}
