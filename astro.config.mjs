// Astro configuration of the Waymark site. `buildSite` (src/node/build-site.ts)
// passes outDir, base and site inline; WAYMARK_BASE and WAYMARK_SITE_URL cover
// `astro dev` and `astro build` run by hand.
import { defineConfig } from 'astro/config';

export default defineConfig({
  base: process.env.WAYMARK_BASE || '/',
  site: process.env.WAYMARK_SITE_URL || undefined,
  trailingSlash: 'always',
  // Pages wait on file writes between renders: a few at a time keep the core busy (~10-20% on 5k pages).
  build: { format: 'directory', concurrency: 4 },
  devToolbar: { enabled: false },
  // Repository text is rendered by our own markdown pipeline; nothing is compiled as MDX.
  integrations: [],
});
