// The loader's input, served by `siteConfig` (src/astro/site-config.ts).
declare module 'virtual:waymark/site-input' {
  const input: import('./loader.ts').SiteInput;
  export default input;
}
