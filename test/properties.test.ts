/**
 * Property-based tests of the parsers that read text Waymark does not
 * control: the comment extractor, the reference parser, the metadata
 * normalisers, the markdown reader's metadata and change-history tables, and
 * the markdown guard. Whatever the input they never throw, every position
 * they report points into the input, line endings do not change what they
 * find, and normalising is idempotent. (Long adversarial lines are in
 * `adversarial.test.ts`.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractComments, splitLines } from '../src/core/extract/comments.ts';
import { resolveConfig } from '../src/core/config/config.ts';
import { extractFacts } from '../src/core/extract/extract.ts';
import { guardMarkdown } from '../src/core/extract/markdown-guard.ts';
import { parseDocument } from '../src/core/extract/markdown.ts';
import { extractMarkers } from '../src/core/extract/markers.ts';
import {
  isPlaceholder,
  normaliseKey,
  parseIsoDate,
  parsePercent,
  parseProcessStatus,
  parseTaskStatus,
  stripDecorations,
} from '../src/core/extract/metadata.ts';
import { mayContainId, parseLinkTarget, parseReferences } from '../src/core/extract/reference-parse.ts';
import { Document as DocumentSchema, ProcessStatus, TaskStatus } from '../src/core/schema.ts';

const config = resolveConfig({}, 'repo');
const RUNS = { numRuns: 300 };

/** Text over an alphabet rich in the syntax each parser cares about. */
const textOf = (alphabet: string, maxLength = 200) => fc.string({ unit: fc.constantFrom(...alphabet), maxLength });

const CODE_ALPHABET = '#/*<!->-\'"`\\\n \t:;%REMab[]{}=$@\u00a0\u2028';
const CODE_PATHS = ['a.ts', 'a.sh', 'a.yaml', 'a.md', 'a.sql', 'a.lua', 'a.bat', 'a.tex', 'a.tf', 'a.py', 'a.html', 'Dockerfile', 'x.unknown'];
/** Marker lines mixed with noise, so markers are actually found. */
const markerText = fc
  .array(
    fc.oneof(
      fc.constantFrom('# Deployment Process: Blue Green', '# Reference: docs/a.md:1-2, TASK-001', '// Environment: prod', '#   docs/b.md#x', '/* Workflow: W', ' * Refs: c.md */', '-- Task: TASK-2', ''),
      textOf(CODE_ALPHABET, 40),
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));

/** The same text with `\n` line endings turned into `eol`. */
const withEndings = (text: string, eol: string) => text.replaceAll('\n', eol);

describe('comment extractor', () => {
  it('never throws, and each comment is the verbatim text at its line and column', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODE_PATHS), fc.oneof(textOf(CODE_ALPHABET + '\r\ufeff'), markerText), (path, text) => {
        const lines = splitLines(text);
        for (const comment of extractComments(path, text)) {
          expect(comment.line).toBeGreaterThanOrEqual(1);
          expect(comment.line).toBeLessThanOrEqual(lines.length);
          expect(comment.column).toBeGreaterThanOrEqual(1);
          const line = lines[comment.line - 1];
          expect(line.slice(comment.column - 1, comment.column - 1 + comment.text.length)).toBe(comment.text);
        }
      }),
      RUNS,
    );
  });

  it('finds the same comments and markers whatever the line endings', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CODE_PATHS), fc.oneof(textOf(CODE_ALPHABET), markerText), (path, text) => {
        const comments = extractComments(path, text);
        const markers = extractMarkers(path, text, config.tags);
        for (const eol of ['\r\n', '\r']) {
          expect(extractComments(path, withEndings(text, eol))).toEqual(comments);
          expect(extractMarkers(path, withEndings(text, eol), config.tags)).toEqual(markers);
        }
      }),
      RUNS,
    );
  });

  it('places markers, fields and their references inside the file', () => {
    fc.assert(
      fc.property(fc.constantFrom('a.tf', 'a.ts', 'a.sql', 'a.yaml'), markerText, (path, text) => {
        const lines = splitLines(text);
        const facts = extractFacts(path, text, config);
        for (const marker of facts.markers) {
          expect(marker.line).toBeGreaterThanOrEqual(1);
          expect(marker.line).toBeLessThanOrEqual(marker.endLine);
          expect(marker.endLine).toBeLessThanOrEqual(lines.length);
          for (const field of marker.fields) {
            expect(field.line).toBeGreaterThanOrEqual(marker.line);
            expect(field.line).toBeLessThanOrEqual(marker.endLine);
            expect(field.column).toBeLessThanOrEqual(lines[field.line - 1].length + 1);
          }
        }
        for (const reference of facts.markerReferences) {
          const line = lines[reference.source.line - 1];
          expect(line).toBeDefined();
          expect(reference.source.column).toBeGreaterThanOrEqual(1);
          expect(reference.source.column).toBeLessThanOrEqual(line.length + 1);
        }
      }),
      RUNS,
    );
  });
});

const REFERENCE_ALPHABET = 'ab./-_#:L12()[]{},;*?`"\'<> §Sectionlns TASK-http:x\u00a0';
/** Values built from reference-shaped pieces, so most runs hold real references. */
const referenceValue = fc
  .array(
    fc.oneof(
      fc.constantFrom('docs/a.md', 'infra/lb.tf:12-48', 'a.md#rollback', 'b.yaml#L3-L9', 'TASK-001', 'https://x.io/a', '`c/d.ts`', '**e.md**', 'f/*.tf', '{g,h}/i.md', '[t](j/k.md)', 'l.md (lines 3-4)', 'm.md Section 9', 'n.md §2', '../o.md', 'p/(q)/[r]/s.tsx'),
      textOf(REFERENCE_ALPHABET, 12),
    ),
    { maxLength: 8 },
  )
  .chain((pieces) => fc.constantFrom(', ', ' ', '; ', ' and ', '\n').map((separator) => pieces.join(separator)));

describe('reference parser', () => {
  it('never throws, and every reference is the exact text at its offset, in order', () => {
    fc.assert(
      fc.property(fc.oneof(textOf(REFERENCE_ALPHABET), referenceValue), (value) => {
        let end = 0;
        for (const ref of parseReferences(value)) {
          expect(value.slice(ref.offset, ref.offset + ref.raw.length)).toBe(ref.raw);
          expect(ref.offset).toBeGreaterThanOrEqual(end);
          end = ref.offset + ref.raw.length;
          if (ref.kind === 'path' || ref.kind === 'glob') expect(typeof ref.path).toBe('string');
          if (ref.kind === 'id') expect(ref.identifier).toBe(ref.raw);
          if (ref.kind === 'url') expect(ref.url).toBe(ref.raw);
          if (ref.lines) expect(Math.min(ref.lines.start, ref.lines.end)).toBeGreaterThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });

  it('is idempotent: a reference parsed again from its own text is the same reference', () => {
    fc.assert(
      fc.property(referenceValue, (value) => {
        for (const ref of parseReferences(value)) {
          // A markdown link's target is re-read as a link target: a bare `a` is prose, `[](a)` is a link.
          const fromLink = /\]\(<?$/.test(value.slice(0, ref.offset));
          const again = fromLink ? [parseLinkTarget(ref.raw)].filter((r) => r !== undefined) : parseReferences(ref.raw);
          expect(again.length).toBeGreaterThanOrEqual(1);
          expect({ ...again[0], offset: ref.offset }).toEqual(ref);
        }
      }),
      RUNS,
    );
  });

  it('finds no id where mayContainId says there is none', () => {
    fc.assert(
      fc.property(fc.oneof(textOf(REFERENCE_ALPHABET + '_-0123456789ABCTASK'), referenceValue), (value) => {
        if (mayContainId(value)) return;
        expect(parseReferences(value).filter((ref) => ref.kind === 'id')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never throws on link targets and keeps the offset it is given', () => {
    fc.assert(
      fc.property(textOf(REFERENCE_ALPHABET + '%?&=', 60), fc.nat(1000), (target, offset) => {
        const ref = parseLinkTarget(target, offset);
        if (ref) {
          expect(ref.offset).toBe(offset);
          expect(ref.raw).toBe(target);
        }
      }),
      RUNS,
    );
  });
});

const METADATA_ALPHABET = 'aZ09 -_:*`()[]{}|<>/.,\\✅❌🚀\u200d\ufe0f\t';

describe('metadata normalisers', () => {
  it('never throw and return only values of their vocabulary', () => {
    fc.assert(
      fc.property(fc.oneof(textOf(METADATA_ALPHABET, 60), fc.string({ maxLength: 60 })), (text) => {
        const percent = parsePercent(text);
        if (percent !== undefined) expect(percent >= 0 && percent <= 100).toBe(true);
        const processStatus = parseProcessStatus(text);
        if (processStatus !== undefined) expect(ProcessStatus.options).toContain(processStatus);
        const taskStatus = parseTaskStatus(text);
        if (taskStatus !== undefined) expect(TaskStatus.options).toContain(taskStatus);
        expect(typeof isPlaceholder(text)).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('normalise idempotently: keys, decorations and dates', () => {
    fc.assert(
      fc.property(fc.oneof(textOf(METADATA_ALPHABET, 60), fc.string({ maxLength: 60 })), (text) => {
        expect(normaliseKey(normaliseKey(text))).toBe(normaliseKey(text));
        expect(stripDecorations(stripDecorations(text))).toBe(stripDecorations(text));
        const date = parseIsoDate(text);
        if (date !== undefined) expect(parseIsoDate(date)).toBe(date);
      }),
      RUNS,
    );
  });

  it('read a date only when it is a real calendar day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (year, month, day) => {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const real = new Date(Date.UTC(year, month - 1, day));
        const exists = month >= 1 && month <= 12 && day >= 1 && real.getUTCMonth() === month - 1 && real.getUTCDate() === day;
        expect(parseIsoDate(text)).toBe(exists ? text : undefined);
      }),
      RUNS,
    );
  });
});

/** A cell of plain words that no placeholder rule matches. */
const cellWords = fc.array(fc.constantFrom('deploy', 'rollback', 'fix', 'cache', 'v2', '(hotfix)', 'ops.', 'api', 'db'), { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
const validDate = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));

describe('markdown reader: metadata and change-history tables', () => {
  it('reads every row of a well-formed change history, at its line', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(validDate, cellWords, cellWords), { minLength: 1, maxLength: 12 }), (rows) => {
        const table = rows.map(([date, change, author]) => `| ${date} | ${change} | ${author} |`);
        const text = ['# Log', '', '## Change History', '', '| Date | Change | Author |', '|---|---|---|', ...table, ''].join('\n');
        const { document, problems } = parseDocument('docs/log.md', text);
        expect(problems).toEqual([]);
        expect(document.changes.map((c) => [c.line, c.date, c.change, c.author])).toEqual(rows.map(([date, change, author], i) => [7 + i, date, change, author]));
      }),
      RUNS,
    );
  });

  it('reads `**Key**: value` lines as metadata with normalised keys and values', () => {
    const key = fc.constantFrom('Status', 'Last Updated', 'Owner', 'Task ID', 'Progress', 'Notes');
    fc.assert(
      fc.property(fc.array(fc.tuple(key, cellWords), { minLength: 1, maxLength: 8 }), (entries) => {
        const text = ['# Doc', '', ...entries.map(([label, value]) => `**${label}**: ${value}  `)].join('\n');
        const { document } = parseDocument('docs/doc.md', text);
        expect(document.metadata.map((m) => [m.line, m.key, m.value])).toEqual(entries.map(([label, value], i) => [3 + i, normaliseKey(label), stripDecorations(value)]));
      }),
      RUNS,
    );
  });

  const DOC_ALPHABET = '#|-*_`[]()<>!:.\n aZ1/ ~\\>';
  const docText = fc.oneof(
    textOf(DOC_ALPHABET, 300),
    fc
      .array(
        fc.oneof(
          fc.constantFrom('## Change History', '| Date | Change |', '|---|---|', '| 2025-13-45 | x |', '| 2026-01-02 | `a.tf` |', '**Status**: draft', '**Last Updated**:', '```', '---', 'title: x', '- [ ] item', '- `infra/a.tf`: note', '> quote', ''),
          textOf(DOC_ALPHABET, 30),
        ),
        { maxLength: 20 },
      )
      .map((lines) => lines.join('\n')),
  );

  it('never throws, and every position it reports is inside the document', () => {
    fc.assert(
      fc.property(docText, (text) => {
        const { document, problems } = parseDocument('docs/x.md', text);
        expect(() => DocumentSchema.parse(document)).not.toThrow();
        const lines = text.split('\n');
        const inside = (line: number, column = 1) => {
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(Math.max(lines.length, 1));
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual((lines[line - 1] ?? '').length + 1);
        };
        for (const p of problems) inside(p.line, p.column);
        for (const r of document.references) inside(r.source.line, r.source.column);
        for (const m of document.metadata) inside(m.line);
        for (const c of document.changes) inside(c.line);
        for (const h of document.headings) inside(h.line);
      }),
      RUNS,
    );
  });

  it('reads the same document whatever the line endings, with or without a BOM', () => {
    fc.assert(
      fc.property(docText, (text) => {
        const expected = parseDocument('docs/x.md', text);
        for (const variant of [withEndings(text, '\r\n'), withEndings(text, '\r'), `\ufeff${text}`]) {
          expect(parseDocument('docs/x.md', variant)).toEqual(expected);
        }
      }),
      RUNS,
    );
  });
});

describe('markdown guard', () => {
  it('keeps length and line breaks, and is idempotent', () => {
    const block = fc.oneof(fc.constantFrom('*a_'.repeat(400), '](', '| a | b |\n|---|---|', '- item', '> q', '```', '# h', '2. x', ''), textOf('*_~[]`<|->#\n a1', 80));
    fc.assert(
      fc.property(fc.array(block, { maxLength: 10 }), fc.constantFrom('\n', '\r\n', '\r'), (blocks, eol) => {
        const text = withEndings(blocks.join('\n'), eol);
        const once = guardMarkdown(text);
        expect(once.text.length).toBe(text.length);
        for (let i = 0; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') expect(once.text[i]).toBe(text[i]);
        const lineCount = splitLines(text).length;
        for (const skipped of once.skipped) expect(skipped.line).toBeLessThanOrEqual(lineCount);
        expect(guardMarkdown(once.text).text).toBe(once.text);
      }),
      RUNS,
    );
  });
});
