/**
 * The Astro configuration of the Waymark site, in one place: `astro.config.mjs`
 * (Astro run by hand, over the embedded example) and the programmatic
 * `build()`/`dev()` calls (which pass it inline, with no config file) both
 * come from here. What the content loader must know reaches it through a
 * virtual module, `virtual:waymark/site-input`, that `src/content.config.ts`
 * imports: the repository, and the scan file a build has already written.
 */
import mdx from '@astrojs/mdx';
import type { AstroInlineConfig } from 'astro';
import type { SiteInput } from './loader.ts';

const SITE_INPUT = 'virtual:waymark/site-input';

/** Waymark's site settings plus `overrides` (base, outDir, vite options, …) and the loader's input. */
export function siteConfig(input: SiteInput, overrides: AstroInlineConfig = {}): AstroInlineConfig {
  const { vite, ...rest } = overrides;
  return {
    trailingSlash: 'always',
    // Pages wait on file writes between renders: a few at a time keep the core busy (~10-20% on 5k pages).
    build: { format: 'directory', concurrency: 4 },
    devToolbar: { enabled: false },
    // MDX compiles Waymark's own guide pages (src/guides/*.mdx) only. Repository text never
    // reaches it: the loader hands Astro rendered HTML from our own markdown pipeline, which
    // shows an `.mdx` document's `{…}`, `import` and `export` as text (test/guide-pages.test.ts).
    // Guide code blocks stay plain: Shiki's theme colours fail axe's contrast check on the site's code background.
    integrations: [mdx({ syntaxHighlight: false })],
    ...rest,
    vite: { ...vite, plugins: [siteInputPlugin(input), ...(vite?.plugins ?? [])] },
  };
}

/** Serve `input` as the default export of the virtual module. */
function siteInputPlugin(input: SiteInput) {
  const resolved = `\0${SITE_INPUT}`;
  return {
    name: 'waymark-site-input',
    resolveId: (id: string) => (id === SITE_INPUT ? resolved : undefined),
    load: (id: string) => (id === resolved ? `export default ${JSON.stringify(input)};` : undefined),
  };
}

/**
 * Pagefind's index options, for the build and `waymark dev` alike. A file
 * page's line-number links are navigation: indexed, each number glued to its
 * line's first word (`12resource`).
 */
export const SEARCH_INDEX = { forceLanguage: 'en', excludeSelectors: ['pre.source a.ln'] };

/** Astro's telemetry has no config option, only this variable; Waymark never sends any. */
export function disableTelemetry(): void {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
}
