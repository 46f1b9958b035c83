/**
 * A copied document's links were written for the original's folder (issue 12, round 2 of the
 * accuracy labels): a broken link the original resolves is a warning naming the original; a
 * document that shares only a few links or only its navigation with another, or a link no original
 * resolves, stays an error.
 */
import { describe, expect, it } from 'vitest';
import { scanFixtureOutsideGit } from './helpers.ts';

describe('links of a copied document', async () => {
  const { graph, by: at } = await scanFixtureOutsideGit('copied-documents');
  const copied = (line: number, col: number, target: string) =>
    `kb/about/installation.md:${line}:${col} missing-file \`${target}\` does not exist: from \`kb/about/installation.md\` it is \`kb/about/${target}\`; it resolves in \`docs/installation.md\`, which this document copies (4 of 5 links alike)`;

  it('lowers a link the original resolves to a warning that names the original', () => {
    expect(at('warning')).toEqual([copied(11, 20, 'res/image-search.png'), copied(15, 16, 'res/settings.png'), copied(17, 23, 'usage.md'), copied(7, 21, 'res/socket.png')]);
  });

  it('near misses: too few shared links, shared links without shared headings (sibling index pages), a link no original resolves: errors', () => {
    expect(at('error')).toEqual([
      'docs/guides/upgrade.md:3:26 missing-file `usage.md` does not exist: from `docs/guides/upgrade.md` it is `docs/guides/usage.md`',
      'docs/guides/upgrade.md:3:74 missing-file `res/settings.png` does not exist: from `docs/guides/upgrade.md` it is `docs/guides/res/settings.png`',
      'docs/guides/upgrade.md:5:22 missing-file `../README.md` does not exist: from `docs/guides/upgrade.md` it is `docs/README.md`',
      'standards/index.md:10:13 missing-file `../refunds/index.md` does not exist: from `standards/index.md` it is `refunds/index.md`',
      "standards/index.md:11:20 missing-file `../../README.md` lands on `/<owner>/<repo>/blob/README.md` on GitHub, which is not a page",
      'standards/index.md:9:14 missing-file `../shipping/index.md` does not exist: from `standards/index.md` it is `shipping/index.md`',
      'kb/about/installation.md:19:37 missing-file `troubleshooting.md` does not exist: from `kb/about/installation.md` it is `kb/about/troubleshooting.md`',
    ].sort());
  });
});
