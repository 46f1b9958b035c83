/**
 * Layers point one way. Inner to outer: core ← reporters ← node ← site ←
 * astro (with the pages, components, layouts and the content config) ← cli.
 * A module may import its own layer or an inner one, never an outer one: by
 * a static import or re-export, a type-only import, a dynamic `import()` or
 * a type query `import('…')`, in `.ts`, `.mjs` and `.astro` files alike.
 * Only the astro layer loads Astro, Vite or Pagefind, and the core touches
 * no disk, process or network module.
 *
 * The checker is run first on small made-up trees, each with one planted
 * wrong import, so the check on the real tree is known to be able to fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from './helpers.ts';

const LAYERS = ['core', 'reporters', 'node', 'site', 'astro', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** The layer of a file under `src/`, or undefined when it has none (itself a failure). */
function layerOf(file: string): Layer | undefined {
  const [top, first] = file.split('/');
  if (top !== 'src') return undefined;
  if (first === 'content.config.ts' || ['astro', 'pages', 'components', 'layouts'].includes(first)) return 'astro';
  return (LAYERS as readonly string[]).includes(first) ? (first as Layer) : undefined;
}

/** Packages only the astro layer may load: they start a build or a server. */
const SITE_TOOLS = /^(astro|astro:.*|astro\/.*|vite|vite\/.*|pagefind|@astrojs\/.*)$/;
/** Node modules the pure core may not load. */
const IMPURE = /^node:(fs|fs\/promises|child_process|worker_threads|os|process|net|http|https|dns|readline|cluster|vm)$/;

/** Computed dynamic imports known not to load a Waymark module: the trusted `waymark.config.mjs` of a repository. */
const COMPUTED_IMPORTS: Record<string, number> = { 'src/node/load-config.ts': 1 };

/** The code of a module: `.astro` files contribute their frontmatter and script blocks. */
function codeOf(file: string, text: string): string {
  if (!file.endsWith('.astro')) return text;
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? '';
  const scripts = [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
  return [frontmatter, ...scripts].join('\n');
}

/** Comments out of the way (a doc comment's example is not an import); `://` in a URL is not a comment. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every module specifier a file names, and the dynamic imports it makes of something that is not a plain string. */
function importsOf(file: string, text: string): { specifiers: string[]; opaque: number } {
  const code = stripComments(codeOf(file, text));
  const specifiers = [
    // import … from '…', import type … from '…', export … from '…' (across lines)
    ...[...code.matchAll(/\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1/g)].map((m) => m[2]),
    // import '…' (for its effects)
    ...[...code.matchAll(/\bimport\s*(['"])([^'"]+)\1/g)].map((m) => m[2]),
    // import('…'), in code and in type positions
    ...[...code.matchAll(/\bimport\s*\(\s*(['"`])([^'"`$]+)\1\s*\)/g)].map((m) => m[2]),
  ];
  const dynamic = [...code.matchAll(/\bimport\s*\(/g)].length;
  const literal = [...code.matchAll(/\bimport\s*\(\s*(['"`])([^'"`$]+)\1\s*\)/g)].length;
  return { specifiers, opaque: dynamic - literal };
}

/** `file: problem` for every import that breaks the layering, over `files` (path under the project → text). */
function layerViolations(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const layer = layerOf(file);
    if (!layer) {
      problems.push(`${file}: belongs to no layer`);
      continue;
    }
    const { specifiers, opaque } = importsOf(file, text);
    if (opaque !== (COMPUTED_IMPORTS[file] ?? 0)) problems.push(`${file}: ${opaque} dynamic import(s) of a computed name, which this check cannot follow`);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
        const to = layerOf(target);
        if (!to) problems.push(`${file}: imports ${target}, outside every layer`);
        else if (LAYERS.indexOf(to) > LAYERS.indexOf(layer)) problems.push(`${file}: ${layer} imports ${to} (${target})`);
      } else if (SITE_TOOLS.test(specifier) && layer !== 'astro' && layer !== 'cli') {
        problems.push(`${file}: ${layer} loads ${specifier}, which only the astro layer may`);
      } else if (layer === 'core' && IMPURE.test(specifier)) {
        problems.push(`${file}: the core loads ${specifier}`);
      }
    }
  }
  return problems.sort();
}

/** Every module under `src/`, as project-relative path → text. */
function sourceTree(): Map<string, string> {
  const files = new Map<string, string>();
  const src = path.join(projectRoot, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|mts|mjs|js|astro)$/.test(entry.name)) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files.set(path.relative(projectRoot, absolute).split(path.sep).join('/'), readFileSync(absolute, 'utf8'));
  }
  return files;
}

describe('the layer check itself', () => {
  const clean = new Map([
    ['src/core/a.ts', "import { z } from 'zod';\nimport path from 'node:path/posix';\nexport const a = 1;\n"],
    ['src/node/b.ts', "import { a } from '../core/a.ts';\nimport { readFile } from 'node:fs/promises';\n"],
    ['src/astro/c.ts', "import { build } from 'astro';\nimport { b } from '../node/b.ts';\n"],
    ['src/pages/d.astro', "---\nimport Page from '../layouts/Page.astro';\nimport { loadSite } from '../astro/site-data.ts';\n---\n<p>https://example.com/x</p>\n"],
    ['src/cli/e.ts', "const { c } = await import('../astro/c.ts');\n"],
  ]);

  test('a tree that keeps to the layers passes', () => {
    expect(layerViolations(clean)).toEqual([]);
  });

  test.each([
    ['a static import', 'src/core/bad.ts', "import { scanRepository } from '../node/scan.ts';"],
    ['an import across lines', 'src/core/bad.ts', "import {\n  scanRepository,\n  type ScanOptions,\n} from '../node/scan.ts';"],
    ['a type-only import', 'src/core/bad.ts', "import type { SiteEntries } from '../astro/entries.ts';"],
    ['a re-export', 'src/reporters/bad.ts', "export { scanRepository } from '../node/scan.ts';"],
    ['a dynamic import', 'src/node/bad.ts', "const { provideScan } = await import('../astro/scan-cache.ts');"],
    ['a type query', 'src/node/bad.ts', "type Input = import('../astro/loader.ts').SiteInput;"],
    ['an import for effects', 'src/site/bad.ts', "import '../cli/main.ts';"],
    ['an .astro frontmatter import', 'src/components/Bad.astro', "---\nimport { run } from '../cli/commands/build.ts';\n---\n<p/>"],
    ['Astro loaded outside the astro layer', 'src/node/bad.ts', "const { build } = await import('astro');"],
    ['the disk read from the core', 'src/core/bad.ts', "import { readFileSync } from 'node:fs';"],
    ['a computed dynamic import', 'src/node/bad.ts', 'const m = await import(name);'],
    ['a file outside every layer', 'src/misc/bad.ts', 'export const x = 1;'],
  ])('fails on %s', (_what, file, text) => {
    const planted = new Map([...clean, [file, text]]);
    const problems = layerViolations(planted);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${file.replace(/[.[\]]/g, '\\$&')}: `));
  });

  test('an import named in a comment is not an import', () => {
    const commented = new Map([...clean, ['src/core/doc.ts', "/**\n * @example\n * import { x } from '../node/scan.ts';\n */\n// await import('../cli/main.ts')\n"]]);
    expect(layerViolations(commented)).toEqual([]);
  });
});

describe('the source tree', () => {
  test('every import points inward', () => {
    const tree = sourceTree();
    expect(tree.size).toBeGreaterThan(50);
    expect(layerViolations(tree)).toEqual([]);
  });
});
