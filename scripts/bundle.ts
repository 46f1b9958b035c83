/**
 * Bundle the command line into `bundle/` (not `dist/`, where the site is
 * built): one module graph of plain JavaScript that starts in a fraction of
 * the time the TypeScript sources take through tsx (hundreds of small
 * modules resolved and transformed at every run).
 * `bin/waymark.mjs` uses it while it is newer than every source file, and
 * the sources otherwise. Astro, Vite and Pagefind stay external: the site
 * build loads them when it runs, and Astro compiles the site from `src/`.
 * satteri too: it loads its native addon (`@bruits/satteri-<platform>`) at run time;
 * `@astrojs/mdx` reads its own template files beside its modules; Shiki loads
 * its grammars and themes lazily, one module each.
 *
 *   node bin/run-ts.mjs scripts/bundle.ts      (npm runs it on install and pack)
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { PACKAGE_ROOT } from '../src/node/package-root.ts';

/**
 * gray-matter's js-yaml 3 loads esprima (a whole JavaScript parser) at start-up
 * for its `!!js/function` type, through a `require` the bundler cannot see, so
 * every run loaded it from node_modules: 20-110 ms of a check (profiled). Only
 * the full schema has that type, and gray-matter parses with `safeLoad`, whose
 * schema has none: js-yaml is given no esprima, as in its browser build.
 */
const noEsprima: Plugin = {
  name: 'no-esprima',
  setup(build) {
    build.onLoad({ filter: /[\\/]js-yaml[\\/]lib[\\/]js-yaml[\\/]type[\\/]js[\\/]function\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const stubbed = source.replace('esprima = _require(\'esprima\');', 'esprima = undefined;');
      if (stubbed === source) throw new Error(`${args.path}: the esprima require was not found (js-yaml changed?)`);
      return { contents: stubbed, loader: 'js' };
    });
  },
};

/**
 * zod's namespace (`import { z } from 'zod'`) re-exports every locale as
 * `z.locales`, which the bundler cannot drop: 370 KB of error messages in 50
 * languages that every run parsed at start-up. Waymark sets no locale, so zod
 * keeps its default, English (imported by its schemas directly): the index
 * offers English only.
 */
const englishZod: Plugin = {
  name: 'english-zod',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";\n', loader: 'js' }));
  },
};

const out = path.join(PACKAGE_ROOT, 'bundle');
await rm(out, { recursive: true, force: true });
await build({
  absWorkingDir: PACKAGE_ROOT,
  entryPoints: { cli: 'src/cli/main.ts', 'extract-worker': 'src/node/extract-worker.ts' },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external: ['astro', 'astro/*', '@astrojs/mdx', 'pagefind', 'satteri', 'shiki', 'shiki/*', '@shikijs/*', 'vite', 'esbuild', 'tsx', 'tsx/*'],
  // Bundled CommonJS dependencies (gray-matter, js-yaml) call `require`.
  banner: { js: "import { createRequire as waymarkCreateRequire } from 'node:module'; const require = waymarkCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [noEsprima, englishZod],
});
