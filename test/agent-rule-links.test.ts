/**
 * Links in coding agents' rules folders (issue 12, round 2 of the accuracy labels): the agent
 * resolves them from the workspace root, so a root-written link to a file that exists is info;
 * the same link in a document people read on GitHub, or one that reaches nothing, stays an error.
 */
import { describe, expect, it } from 'vitest';
import { scanFixtureOutsideGit } from './helpers.ts';

describe("links in a coding agent's rules", async () => {
  const { graph, by: at } = await scanFixtureOutsideGit('agent-rule-links');

  it('reads a root-written link to a file that exists as the agent does: info', () => {
    expect(at('info')).toEqual([
      '.cursor/rules/docs.md:3:28 missing-file `./docs/release.md` is written from the repository root, as the agent that reads `.cursor/rules/docs.md` resolves it: `docs/release.md` exists',
      '.roo/rules/01-scripts.md:3:27 missing-file `scripts/validate_front_matter.py:1` is written from the repository root, as the agent that reads `.roo/rules/01-scripts.md` resolves it: `scripts/validate_front_matter.py` exists',
      '.roo/rules/01-scripts.md:4:19 missing-file `docs/release.md` is written from the repository root, as the agent that reads `.roo/rules/01-scripts.md` resolves it: `docs/release.md` exists',
    ]);
  });

  it("outside the rules, a link with an editor's line suffix to a file that exists is an error that says so, with GitHub's #L as its suggestion", () => {
    expect(at('error')).toContain(
      "docs/scripts.md:4:25 missing-file `../scripts/validate_front_matter.py:12` names `scripts/validate_front_matter.py` with an editor's line suffix, which GitHub reads as part of the name",
    );
    expect(graph.diagnostics.find((diagnostic) => diagnostic.line === 4 && diagnostic.file === 'docs/scripts.md')?.suggestion).toBe('link `../scripts/validate_front_matter.py#L12`');
  });

  it('near misses: the same link outside the rules, and links that reach nothing from anywhere, stay errors', () => {
    expect(at('error')).toEqual([
      '.cursor/rules/docs.md:3:69 missing-file `docs/style.md` does not exist: from `.cursor/rules/docs.md` it is `.cursor/rules/docs/style.md`',
      '.roo/rules/01-scripts.md:5:24 missing-file `scripts/lint_notebooks.py:1` does not exist: from `.roo/rules/01-scripts.md` it is `.roo/rules/scripts/lint_notebooks.py:1`',
      'docs/scripts.md:3:27 missing-file `scripts/validate_front_matter.py:1` does not exist: from `docs/scripts.md` it is `docs/scripts/validate_front_matter.py:1`',
      "docs/scripts.md:4:25 missing-file `../scripts/validate_front_matter.py:12` names `scripts/validate_front_matter.py` with an editor's line suffix, which GitHub reads as part of the name",
    ]);
  });
});
