#!/usr/bin/env node
// Run a TypeScript script (benchmarks, maintenance) with the same loader the CLI uses.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const { register } = await import('tsx/esm/api');
register();
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(path.resolve(script)).href);
