/**
 * Issue 12, classes 2 and 5-8 (what is a path, and where it points): the
 * false-alarm fixtures report nothing above `info`, their near-miss twins keep
 * every really broken reference at `error`. `expected.txt` pins the lines; this
 * pins the severities, which `expected.txt` does not show.
 */
import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/node/scan.ts';
import { fixtureCases } from './helpers.ts';

const cases = new Map(fixtureCases().map((fixture) => [fixture.name, fixture]));

async function severities(name: string): Promise<string[]> {
  const fixture = cases.get(name);
  if (!fixture) throw new Error(`no fixture ${name}`);
  const { graph } = await scanRepository(fixture.repo);
  return graph.diagnostics.map((d) => `${d.severity} ${d.file}:${d.line}:${d.column} ${d.rule}`).sort();
}

describe('path shapes', () => {
  it('false alarms: only folders matching nothing and paths into other repositories are reported, as info', async () => {
    expect(await severities('path-shapes')).toEqual([
      'info README.md:4:72 missing-file',
      'info docs/guide.md:13:23 missing-file',
      'info docs/guide.md:13:35 missing-file',
      'info docs/guide.md:15:46 missing-file',
      'info docs/guide.md:16:9 missing-file',
      'info docs/guide.md:17:2 missing-file',
    ]);
  });

  it('near misses: the same shapes, really broken, stay errors', async () => {
    expect(await severities('path-shapes-near-miss')).toEqual([
      'error docs/guide.md:11:22 missing-file',
      'error docs/guide.md:13:19 missing-file',
      'error docs/guide.md:15:42 line-out-of-range',
      'error docs/guide.md:17:22 missing-file',
      'error docs/guide.md:3:25 missing-file',
      'error docs/guide.md:5:22 missing-file',
      'error docs/guide.md:5:43 missing-file',
      'error docs/guide.md:7:22 missing-file',
      'error docs/guide.md:9:37 missing-file',
    ]);
  });
});

describe('names settled by context', () => {
  it('the folder, the heading and the shared subtree settle `Program.cs`', async () => {
    const fixture = cases.get('context-names')!;
    const { graph } = await scanRepository(fixture.repo);
    const programs = graph.references
      .filter((reference) => reference.path?.endsWith('Program.cs'))
      .map((reference) => `${reference.source.file} ${reference.status} ${reference.targets.join(',')}`)
      .sort();
    expect(programs).toEqual([
      'docs/billing.md ok services/billing/src/Program.cs',
      'docs/shop.md ok services/shop/src/Program.cs',
      'services/billing/docs/run.md ok services/billing/src/Program.cs',
    ]);
    expect(graph.diagnostics).toEqual([]);
  });

  it('a short name read as the nearest of its files, whose end the lines pass, while one other file of that name holds them, is a warning; a document naming the file read in full, lines no namesake or two hold, and a name from the folder of its document stay errors', async () => {
    expect(await severities('short-name-lines')).toEqual([
      'error crates/api/src/NOTES.md:3:23 line-out-of-range',
      'error docs/reports/api.md:3:94 line-out-of-range',
      'error docs/reports/review.md:5:6 line-out-of-range',
      'error docs/reports/review.md:7:23 line-out-of-range',
      'warning docs/reports/review.md:3:89 line-out-of-range',
    ]);
  });

  it('without context it is a warning listing the candidates; a settled name still has its lines checked', async () => {
    expect(await severities('context-names-near-miss')).toEqual([
      'error docs/billing.md:5:21 line-out-of-range',
      'warning docs/overview.md:3:27 ambiguous-reference',
    ]);
  });
});
