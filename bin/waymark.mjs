#!/usr/bin/env node
// The executable stays thin: check the runtime, load the command line, hand over to main().
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`waymark: Node.js >= 22.12 is required (this is ${process.versions.node})\n`);
  process.exit(2);
}

/**
 * The bundle in `dist/` (see scripts/bundle.ts) when it is newer than every
 * source file; the TypeScript sources through tsx otherwise, so an edit is
 * never shadowed by a stale bundle.
 */
function freshBundle() {
  const bundle = new URL('../dist/cli.mjs', import.meta.url);
  const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return undefined;
  const src = fileURLToPath(new URL('../src/', import.meta.url));
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > built) return undefined;
  }
  return bundle;
}

const bundle = freshBundle();
if (!bundle) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(bundle ? bundle.href : '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
