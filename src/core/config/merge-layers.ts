/**
 * `extends`: configs layered from the base to the repository's own, and
 * where each value came from (`waymark config --print`). Pure: the files are
 * read and validated by `src/node/load-config.ts`.
 */
import type { UserConfig } from './config.ts';

/** One config file, validated, named as the report shows it (relative to the repository). */
export interface ConfigLayer {
  file: string;
  config: UserConfig;
}

/** Fields whose value is a map: a later layer overrides it key by key, not whole. */
const KEYED = new Set(['tags', 'aliases', 'rules', 'site', 'redirects']);

/**
 * The layers merged, later over earlier: scalars and lists replaced, the
 * keyed objects merged key by key. `sources` maps `field` or `field.key` to
 * the file that set it; anything absent is a default.
 *
 * @example
 * mergeConfigLayers([{ file: '../base.json', config: { rules: { a: 'off' }, strict: false } }, { file: 'waymark.config.json', config: { rules: { b: 'error' } } }])
 * // → { config: { rules: { a: 'off', b: 'error' }, strict: false }, sources: { 'rules.a': '../base.json', strict: '../base.json', 'rules.b': 'waymark.config.json' } }
 */
export function mergeConfigLayers(layers: readonly ConfigLayer[]): { config: UserConfig; sources: Record<string, string> } {
  const merged: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const { file, config } of layers) {
    for (const [field, value] of Object.entries(config)) {
      if (field === 'extends' || field === '$schema' || value === undefined) continue;
      if (KEYED.has(field) && value && typeof value === 'object' && !Array.isArray(value)) {
        // No prototype: a `"__proto__"` key in a config is a key like any other.
        const into: Record<string, unknown> = Object.assign(Object.create(null), merged[field]);
        for (const [key, item] of Object.entries(value)) {
          if (item === undefined) continue;
          into[key] = item;
          sources[`${field}.${key}`] = file;
        }
        merged[field] = into;
      } else {
        merged[field] = value;
        sources[field] = file;
      }
    }
  }
  return { config: merged as UserConfig, sources };
}
