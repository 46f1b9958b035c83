// Astro run by hand (`astro dev`, `astro build`) builds the embedded example.
// `waymark build` and `waymark dev` pass the same settings inline, with their
// repository (src/astro/site-config.ts).
import { siteConfig } from './src/astro/site-config.ts';

export default siteConfig({});
