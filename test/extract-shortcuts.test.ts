/**
 * The cheap tests a cold extraction now makes before the dear work (`h-cold2`): each
 * must say "maybe" wherever the work it skips would have found something. Compared
 * with the code they replace (copied here) or with the work itself, on generated text.
 */
import fc from 'fast-check';
import GithubSlugger, { slug as githubSlug } from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { mayBeMention, parseDocument } from '../src/core/extract/markdown.ts';
import { stripDecorations } from '../src/core/extract/metadata.ts';
import { mayHoldMarkers, mayHoldSuppressions } from '../src/core/extract/marker-prefilter.ts';
import { resolveConfig } from '../src/core/config/config.ts';
import { hasPlaceholderWord, mayContainId, parseReferences } from '../src/core/extract/reference-parse.ts';
import { createSlugger, headingSlug } from '../src/core/text/slug.ts';

const RUNS = { numRuns: 2000 };

const textOf = (alphabet: string, maxLength = 40) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((chars) => chars.join(''));

/** Pieces that make the shortcuts' edge cases likely. */
const piece = (pieces: string[], maxLength = 8) => fc.array(fc.constantFrom(...pieces), { maxLength }).map((parts) => parts.join(''));

describe('headingSlug and createSlugger without github-slugger’s regex for plain headings', () => {
  const headingText = fc.oneof(
    textOf('aZ09 _-.:/!?()[]`*#&é—ÄİK\u212a\u00a0\t', 30),
    piece(['Step', ' ', '1', '-', '_', 'API', 'é', '&', ' ', '(', ')', 'Über', 'K', 'ẞ', '🚀', '.', ':']),
    fc.string(),
  );

  it('gives github-slugger’s slug', () => {
    fc.assert(
      fc.property(headingText, (text) => {
        expect(headingSlug(text)).toBe(githubSlug(text));
      }),
      RUNS,
    );
  });

  it('counts repeats as BananaSlug does, across a reset', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'a', 'a-1', 'a 1', 'A-2', 'b', 'a-1-1', '__proto__', 'constructor', 'ä'), { maxLength: 12 }), fc.nat(12), (texts, resetAt) => {
        const ours = createSlugger();
        const theirs = new GithubSlugger();
        texts.forEach((text, index) => {
          if (index === resetAt) {
            ours.reset();
            theirs.reset();
          }
          expect(ours.slug(text)).toBe(theirs.slug(text));
        });
      }),
      RUNS,
    );
  });

  it('near miss: a character the regex removes is removed (`Q&A` → `qa`, `Über` keeps its letter)', () => {
    expect(headingSlug('Q&A: Step 1')).toBe('qa-step-1');
    expect(headingSlug('Über uns')).toBe('über-uns');
  });
});

describe('mayContainId before a text is parsed for ids', () => {
  const idText = fc.oneof(
    piece(['TASK', 'A', 'a', 'Z9', '0', '12', '-', '_', ' ', '2025-11-28', '**', '.', '/', '`', '[', '](', ')', 'x', 'é']),
    textOf('AZaz09-_ ./:#`*'),
  );

  it('is true wherever parseReferences finds an id', () => {
    fc.assert(
      fc.property(idText, (value) => {
        if (mayContainId(value)) return;
        expect(parseReferences(value).filter((ref) => ref.kind === 'id')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('says no to dates and lower-case words, yes to ids after digits and letters', () => {
    expect(mayContainId('Updated 2025-11-28, step-1 and v2_3')).toBe(false);
    expect(mayContainId('see TASK-001')).toBe(true);
    expect(mayContainId('see A12-3')).toBe(true);
    expect(mayContainId('see 12A-3')).toBe(true); // not an id itself, but a letter ends the run: maybe
    expect(mayContainId('see 2025-11-28 and 12-3')).toBe(false);
    expect(mayContainId('anything', '[a-z]+')).toBe(true);
  });

  it('stays linear on long runs of capitals and digits', () => {
    const value = `${'A1'.repeat(200_000)}-${'9-'.repeat(100_000)}`;
    const started = performance.now();
    expect(mayContainId(value)).toBe(true);
    expect(mayContainId(`${'1'.repeat(200_000)}-${'1-'.repeat(100_000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('mayBeMention before inline code is parsed', () => {
  const codeValue = fc.oneof(
    piece(['src', '/', 'a.ts', ':', '12', '-', '#', 'L3', '%2F', ' ', '(lines 2-4)', ' Section 9', '`', 'L2', 'x', '.', '*', '{a,b}', 'README', '@', '~']),
    textOf('az09./:#%` *{},-L()_', 30),
  );

  it('is true wherever the code parses to a path with a folder or lines', () => {
    fc.assert(
      fc.property(codeValue, (value) => {
        if (mayBeMention(value)) return;
        const mentions = parseReferences(value).filter((ref) => (ref.kind === 'path' || ref.kind === 'glob') && (ref.path?.includes('/') || ref.lines));
        expect(mentions).toEqual([]);
      }),
      RUNS,
    );
  });

  it('keeps the mentions a document makes, and drops none that need a sign', () => {
    const text = '# T\n\nSee `src/a.ts`, `b.ts:12`, `c.ts#L4`, `d.ts (lines 2-4)`, `` e.ts`L2 `` and `useState`, `a.ts`.\n';
    const mentions = parseDocument('doc.md', text).document.references.filter((ref) => ref.origin === 'mention');
    expect(mentions.map((ref) => ref.raw)).toEqual(['src/a.ts', 'b.ts:12', 'c.ts#L4', 'd.ts (lines 2-4)', 'e.ts`L2']);
  });
});

/** The word test as it was before its shortcut. */
function hasPlaceholderWordBefore(text: string): boolean {
  const words = new Set(['xyz', 'xxx', 'your', 'yours', 'placeholder']);
  const styles = new Set(['snakecase', 'kebabcase', 'camelcase', 'pascalcase', 'screamingsnakecase', 'uppercase', 'lowercase', 'titlecase']);
  const namesAStyle = text.split('/').some((segment) => styles.has(segment.replace(/\.[^.]*$/, '').replace(/[_-]/g, '').toLowerCase()));
  return text.split(/[/._\s-]+/).some((word) => words.has(word.toLowerCase()) || word === 'YOU') || namesAStyle;
}

describe('hasPlaceholderWord', () => {
  it('answers as before its shortcut', () => {
    const pieces = ['your', 'YOU', 'You', 'you', 'xyz', 'XXX', 'x', 'placeholder', 'snake', 'Kebab', 'c', 'a', 's', 'e', 'Case', '_', '-', '.', '/', ' ', 'md', 'py', 'screaming', 'K', '\u212a', 'İ'];
    fc.assert(
      fc.property(fc.oneof(piece(pieces, 10), textOf('yourxzYOUcasekebab_-./ ')), (text) => {
        expect(hasPlaceholderWord(text)).toBe(hasPlaceholderWordBefore(text));
      }),
      RUNS,
    );
    expect(hasPlaceholderWord('docs/snake_c-ase.py')).toBe(true);
    expect(hasPlaceholderWord('docs/snake-c.ase.py')).toBe(false); // near miss: a dot parts the letters
  });
});

/** stripDecorations as it was before its whitespace shortcut. */
function stripDecorationsBefore(value: string): string {
  const plain = /[^\x00-\x7f]/.test(value) ? value.replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}]/gu, '') : value;
  const unquoted = plain.includes('`') ? plain.replace(/`/g, '') : plain;
  const text = (unquoted.includes('**') ? unquoted.replace(/\*\*/g, '') : unquoted).replace(/\s+/g, ' ');
  let end = text.length;
  while (end > 0 && ('\\'.includes(text[end - 1]) || /\s/.test(text[end - 1]))) end--;
  return text.slice(0, end).trim();
}

describe('stripDecorations collapses whitespace only where there is some to collapse', () => {
  it('answers as before', () => {
    fc.assert(
      fc.property(fc.oneof(textOf('a *`\\ \t\n\r\u00a0\u2028\ufeff✅', 30), fc.string()), (value) => {
        expect(stripDecorations(value)).toBe(stripDecorationsBefore(value));
      }),
      RUNS,
    );
  });
});

describe('key lines found after paragraphs without `**`', () => {
  it('finds every paragraph’s key lines, in any order of bold and plain paragraphs', () => {
    const paragraphs = ['Plain text.', '**Status**: Done', 'More text with * stars *.', '**Owner:** team\n**Priority**: high', 'A `**` in code.'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...paragraphs.keys()), { minLength: 1, maxLength: 8 }), (order) => {
        const text = `# Doc\n\n${order.map((index) => paragraphs[index]).join('\n\n')}\n`;
        const found = parseDocument('doc.md', text).document.metadata.map((entry) => `${entry.key}=${entry.value}`);
        const expected = order.flatMap((index) => parseDocument('doc.md', `# Doc\n\n${paragraphs[index]}\n`).document.metadata.map((entry) => `${entry.key}=${entry.value}`));
        expect(found).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('marker and suppression prefilters without lower-casing the text', () => {
  const { tags } = resolveConfig({}, 'repo');
  /** Both as they were: the text lower-cased, then searched. */
  const labels = [...tags.keys()].map((label) => label.split(' ').map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  const before = new RegExp(`(?:${labels.join('|')}):`);
  const markersBefore = (text: string) => text.toLowerCase().includes('waymark-ignore-next-line') || before.test(text.toLowerCase());
  const suppressionsBefore = (text: string) => text.toLowerCase().includes('waymark-ignore-next-line');
  const text = piece(['TODO', 'see', 'SEE', 'Se', 'e', ':', ' ', '\t', '\n', 'Task', 'ta', 'sk', 'waymark-ignore-next-line', 'WAYMARK-IGNORE', '-next-line', 'Implements', 'Process', ' ', 'ref', 'S', '\u212a', 'İ', 'ı', 'ſ', 'mar', 'k', 'x'], 12);

  it('answer as the lower-cased search did, Kelvin sign and dotted or dotless i included', () => {
    fc.assert(
      fc.property(text, (value) => {
        expect(mayHoldMarkers(value, tags)).toBe(markersBefore(value));
        expect(mayHoldSuppressions(value)).toBe(suppressionsBefore(value));
      }),
      RUNS,
    );
    expect(mayHoldSuppressions('// WAYMARK-IGNORE-NEXT-LINE')).toBe(true);
    expect(mayHoldSuppressions('// waymar\u212a-ignore-next-line')).toBe(true);
    expect(mayHoldSuppressions('// waymark-ignore-next-lıne')).toBe(false);
  });
});
