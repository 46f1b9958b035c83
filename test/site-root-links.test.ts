/**
 * Links written from a docs site's root (issue 12, round 14 of the accuracy labels): the site
 * resolves `/infrastructure/nodes.md` from its own folder, GitHub from the repository root. When
 * most of a document's root-relative links (two at least) reach files from a folder above it, that
 * folder is its site's root: a warning with the relative link both resolve. A file nowhere, one only
 * under a folder that is not above the document, or a lone such link stays an error.
 */
import { describe, expect, it } from 'vitest';
import { scanFixtureOutsideGit } from './helpers.ts';

describe("links written from a docs site's root", async () => {
  const { graph, by: at } = await scanFixtureOutsideGit('site-root-links');

  it("warns, naming the site's folder, and suggests the relative link", () => {
    expect(at('warning')).toEqual([
      "docs/handbook/platform/architecture.md:3:45 missing-file `/infrastructure/nodes.md` is written from `docs/handbook/`, a docs site's root, where it exists: GitHub resolves it from the repository root, where it does not",
      "docs/handbook/platform/architecture.md:4:36 missing-file `/platform/secrets.md` is written from `docs/handbook/`, a docs site's root, where it exists: GitHub resolves it from the repository root, where it does not",
      "site/public/docs/cli/reference.md:3:25 missing-file `/docs/cli/tofu-commands` is written from `site/public/`, a docs site's root, where it exists: GitHub resolves it from the repository root, where it does not",
      "site/public/docs/cli/reference.md:3:67 missing-file `/docs/guides/` is written from `site/public/`, a docs site's root, where it exists: GitHub resolves it from the repository root, where it does not",
      "site/public/docs/cli/reference.md:5:23 missing-file `/docs/v1.2/` is written from `site/public/`, a docs site's root, where it exists: GitHub resolves it from the repository root, where it does not",
    ]);
    expect(graph.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.suggestion)).toEqual([
      'link it relatively, which both resolve: `../infrastructure/nodes.md`',
      'link it relatively, which both resolve: `secrets.md`',
      'GitHub resolves `tofu-commands.md`, the page the site serves as `/docs/cli/tofu-commands` (Docusaurus and MkDocs resolve it too)',
      'GitHub resolves `../guides/index.md`, the page the site serves as `/docs/guides/` (Docusaurus and MkDocs resolve it too)',
      'GitHub resolves `../v1.2/index.md`, the page the site serves as `/docs/v1.2/` (Docusaurus and MkDocs resolve it too)',
    ]);
  });

  it('near misses: a file nowhere (a site route to no page too), one under a folder that is not above the document, and a lone link of a document that writes the others from the repository root stay errors', () => {
    expect(at('error')).toEqual([
      'docs/handbook/platform/architecture.md:5:40 missing-file `/platform/ai-stack.md` does not exist',
      'docs/handbook/platform/upgrades.md:3:27 missing-file `/infrastructure/nodes.md` does not exist',
      'runbooks/restart.md:3:28 missing-file `/infrastructure/nodes.md` does not exist',
      'site/public/docs/cli/reference.md:4:23 missing-file `/docs/cli/pulumi-commands` does not exist',
    ]);
  });
});
