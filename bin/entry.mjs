// Which command line the executable runs: the bundle or the TypeScript sources.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The bundle in `bundle/` (see scripts/bundle.ts), or undefined for the
 * TypeScript sources through tsx. An installed package (inside node_modules)
 * runs its bundle: nobody edits it there, and npm does not keep the mtimes a
 * freshness check would need. A checkout runs the bundle only while it is
 * newer than every source file, so an edit is never shadowed by a stale bundle.
 */
export function freshBundle() {
  const bundle = new URL('../bundle/cli.mjs', import.meta.url);
  const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return undefined;
  if (fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules')) return bundle;
  const src = fileURLToPath(new URL('../src/', import.meta.url));
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > built) return undefined;
  }
  return bundle;
}
