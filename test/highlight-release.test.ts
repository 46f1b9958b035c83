import { describe, expect, it } from 'vitest';
import { colourLines, releaseHighlighter } from '../src/site/highlight.ts';

describe('releaseHighlighter', () => {
  it('lets the highlighter go and a later file is coloured by a new one, the same way', async () => {
    const lines = ['const a = 1;', 'export function b() { return a; }'];
    const first = await colourLines('src/a.ts', 'typescript', lines);
    expect(first?.flat().some((token) => token.kind)).toBe(true);
    await releaseHighlighter();
    expect(await colourLines('src/a.ts', 'typescript', lines)).toEqual(first);
  });

  it('does nothing when no file was coloured', async () => {
    await releaseHighlighter();
    await expect(releaseHighlighter()).resolves.toBeUndefined();
  });
});
