/**
 * Where Waymark's package is: the folder of the `package.json` named
 * `waymark` above this module. Found by walking up rather than by a fixed
 * `../..`, because this module runs both from `src/` and bundled into `bundle/`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackage(from: string): { root: string; version: string } {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (manifest.name === 'waymark') return { root: dir, version: String(manifest.version) };
    } catch {
      // no package.json here, or not JSON: keep going up
    }
    if (path.dirname(dir) === dir) throw new Error(`Waymark's package.json was not found above ${from}`);
  }
}

const found = findPackage(path.dirname(fileURLToPath(import.meta.url)));

/** The Waymark package folder, with no trailing separator. */
export const PACKAGE_ROOT = found.root;
/** Waymark's version, from that package.json (read once). */
export const PACKAGE_VERSION = found.version;
/** The embedded example repository, read when no repository is named inside Waymark's checkout (absent from the npm package). */
export const EXAMPLE_ROOT = path.join(found.root, 'content', 'example-infra');
