/**
 * The marker prefilter may say "maybe" too often, never "no" wrongly: every
 * file it waves through really has no marker and no suppression.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { bytesMayHoldMarkers, mayHoldMarkers } from '../src/core/extract/marker-prefilter.ts';
import { countLines } from '../src/core/text/count-lines.ts';
import { lineCountOf } from '../src/node/file-record.ts';
import { textOf, textProblem } from '../src/node/read-files.ts';
import { extractMarkers } from '../src/core/extract/markers.ts';
import { fixturesDir, projectRoot } from './helpers.ts';

const tags = resolveConfig({}, 'repo').tags;

/** No marker and no suppression, by the real extractor. */
function holdsNothing(file: string, text: string, given = tags): boolean {
  const { markers, suppressions } = extractMarkers(file, text, given);
  return markers.length === 0 && suppressions.length === 0;
}

/** Every file of the example repository and the fixtures. */
function sampleFiles(): string[] {
  return [path.join(projectRoot, 'content/example-infra'), fixturesDir].flatMap((root) =>
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.parentPath.includes('node_modules'))
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
}

describe('mayHoldMarkers', () => {
  it('says "no" only for files without markers or suppressions (example repository and fixtures)', () => {
    const files = sampleFiles();
    let skipped = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (mayHoldMarkers(text, tags)) continue;
      skipped++;
      expect(holdsNothing(file, text), file).toBe(true);
    }
    expect(skipped).toBeGreaterThan(10);
  });

  it('sees tags in any case, with any white space between their words', () => {
    for (const text of [
      '# deployment process: X',
      '# DEPLOYMENT\tPROCESS: X',
      '# Deployment   Process: X',
      '# Refs: a.md',
      '# waymark-ignore-next-line\necho x',
      '# WAYMAR\u212A-IGNORE-NEXT-LINE\necho x',
      '# Wor\u212Aflow: Kelvin sign, lower-cased to k',
    ]) {
      expect(holdsNothing('a.sh', text), text).toBe(false);
      expect(mayHoldMarkers(text, tags), text).toBe(true);
    }
    expect(mayHoldMarkers('echo "no tags here"\n# Process it later\n', tags)).toBe(false);
  });

  it('always says "maybe" for tags that are not plain ASCII', () => {
    const greek = resolveConfig({ tags: { process: ['ΠΡΟΣ'] } }, 'repo').tags;
    expect(mayHoldMarkers('nothing', greek)).toBe(true);
  });

  it('never says "no" to a text the extractor finds a marker in (generated comment lines)', () => {
    const label = fc.constantFrom(...tags.keys());
    const space = fc.constantFrom(' ', '  ', '\t', '\u00a0', '\u2003');
    const syntax = fc.constantFrom(['a.sh', '#'], ['a.ts', '//'], ['a.sql', '--']);
    const line = (prefix: string) =>
      fc.tuple(label, space, fc.string({ maxLength: 12 }), fc.boolean()).map(([tag, gap, value, upper]) => {
        const spaced = tag.split(' ').join(gap);
        return `${prefix} ${upper ? spaced.toUpperCase() : spaced}: ${value || 'x'}`;
      });
    let found = 0;
    fc.assert(
      fc.property(
        syntax.chain(([file, prefix]) =>
          fc.tuple(fc.constant(file), fc.array(fc.oneof(line(prefix), fc.string({ maxLength: 20 })), { maxLength: 6 })),
        ),
        ([file, lines]) => {
          const text = lines.join('\n');
          if (holdsNothing(file, text)) return;
          found++;
          expect(mayHoldMarkers(text, tags)).toBe(true);
        },
      ),
    );
    expect(found).toBeGreaterThan(10);
  });
});

/** A text's UTF-8 bytes as the byte prefilter sees them: one char per byte. */
const byteView = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

describe('bytesMayHoldMarkers (before decoding)', () => {
  it('says "maybe" wherever the text prefilter does (example repository and fixtures)', () => {
    const files = sampleFiles();
    let cleared = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      if (bytesMayHoldMarkers(bytes.toString('latin1'), tags)) continue;
      cleared++;
      expect(mayHoldMarkers(bytes.toString('utf8'), tags), file).toBe(false);
    }
    expect(cleared).toBeGreaterThan(10);
  });

  it('sees tags in any case, across non-ASCII white space, and the Kelvin sign', () => {
    for (const text of [
      '# deployment process: X',
      '# DEPLOYMENT\tPROCESS: X',
      '# Deployment\u00a0Process: X',
      '# Deployment\u2003\u2003Process: X',
      '# WAYMAR\u212A-IGNORE-NEXT-LINE\necho x',
      '# Wor\u212Aflow: Kelvin sign, lower-cased to k',
      '// Refs: a.md',
    ]) {
      expect(bytesMayHoldMarkers(byteView(text), tags), text).toBe(true);
    }
    expect(bytesMayHoldMarkers(byteView('echo "no tags here"\n# Process it later\n'), tags)).toBe(false);
    expect(bytesMayHoldMarkers(byteView('caf\u00e9 Process it later'), tags)).toBe(false);
  });

  it('is never "no" where the text prefilter is "maybe" (any Unicode text)', () => {
    const label = fc.constantFrom(...tags.keys());
    const noise = fc.string({ unit: 'binary', maxLength: 16 });
    const space = fc.constantFrom(' ', '\t', '\u00a0', '\u2003', '\u3000', '\n');
    const piece = fc.oneof(noise, fc.tuple(label, space, fc.boolean()).map(([tag, gap, upper]) => `${upper ? tag.toUpperCase() : tag}`.split(' ').join(gap) + ':'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const text = pieces.join('');
        if (mayHoldMarkers(text, tags)) expect(bytesMayHoldMarkers(byteView(text), tags)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('lineCountOf and textProblem (bytes before decoding)', () => {
  it('counts lines as countLines does on the decoded text, BOMs and line ends included', () => {
    const unit = fc.constantFrom('a', '\n', '\r', '\r\n', '\ufeff', '\u00e9', '\u2028', ' ');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (units) => {
        const bytes = Buffer.from(units.join(''), 'utf8');
        expect(lineCountOf(bytes)).toBe(countLines(textOf(bytes)));
      }),
    );
  });

  it('refuses exactly what the fatal UTF-8 decoder refuses', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }).filter((bytes) => !bytes.includes(0)), (bytes) => {
        let decodes = true;
        try {
          fatal.decode(bytes);
        } catch {
          decodes = false;
        }
        expect(textProblem(bytes) === undefined).toBe(decodes);
      }),
    );
    expect(textProblem(Buffer.from([0xed, 0xa0, 0x80]))).toBe('it is not valid UTF-8');
    expect(textProblem(Buffer.from('a\0b'))).toBe('it is binary (NUL bytes)');
  });
});
