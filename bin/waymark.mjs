#!/usr/bin/env node
// The executable stays thin: check the runtime, load the command line, hand over to main().
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`waymark: Node.js >= 22.12 is required (this is ${process.versions.node})\n`);
  process.exit(2);
}

const { freshBundle } = await import('./entry.mjs');
const bundle = freshBundle();
if (!bundle) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import(bundle ? bundle.href : '../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
