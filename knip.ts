// Unused files, exports and dependencies fail `npm test` (test/knip.test.ts).
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    // bin/waymark.mjs imports the CLI by a computed specifier (bundle or sources).
    'src/cli/main.ts',
    // Workers load by URL: the .mjs shim registers tsx, then imports the .ts.
    'src/node/extract-worker.mjs',
    'src/node/extract-worker.ts',
    'scripts/*.ts',
    // The VS Code extension, bundled by scripts/package-vscode.ts.
    'editors/vscode/src/extension.mts',
  ],
  project: ['src/**/*.{ts,mjs,astro,mdx}', 'bin/**/*.mjs', 'scripts/**/*.ts', 'test/**/*.ts', 'editors/vscode/src/**/*.mts'],
  ignore: ['test/fixtures/**', 'test/hostile/**'],
  // axe-core is injected into Chromium by file path (test/site/axe-check.ts), never imported.
  // `vscode` is the editor's own module at run time; `@vscode/vsce` is run by file path (scripts/package-vscode.ts).
  ignoreDependencies: ['axe-core', 'vscode', '@vscode/vsce'],
  // Neovim is a Debian package (.ci/run installs it), driven by test/lsp-neovim.test.ts.
  ignoreBinaries: ['nvim'],
};

export default config;
