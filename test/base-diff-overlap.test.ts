/**
 * Base diffs (`history-scan.ts`): a base whose cited paths HEAD all holds is
 * diffed while the whole-tree rename pass runs, the others after it, with
 * their rename partners. Both kinds in one scan must come out as each would
 * alone: the kept file's hunks for the one, the rename for the other.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/node/scan.ts';
import { code, removeRepos, Repo } from './git-repo.ts';

afterAll(removeRepos);

function processDocument(title: string, reference: string): string {
  return [`# Deployment Process: ${title}`, '', '## Status', '- **Status**: current_implementation', '- **Last Updated**: 2026-01-02', '- **Last Validated**: 2026-01-02', `- **Code Reference**: ${reference}`, ''].join('\n');
}

describe('base diffs beside the rename pass', () => {
  it('trace a base with no renamed path and a base whose cited file was renamed away, in one scan', async () => {
    const repo = new Repo();
    repo.write('src/kept.ts', code(20, 'kept')).write('src/old.ts', code(20, 'old'));
    repo.write('docs/processes/a.md', processDocument('Kept', '`src/kept.ts:5-8`'));
    const first = repo.commit('2026-01-02', 'Kept and its process');
    repo.write('docs/processes/b.md', processDocument('Old', '`src/old.ts:5-8`'));
    const second = repo.commit('2026-01-03', 'Old and its process');
    repo.move('src/old.ts', 'src/moved/old.ts');
    repo.write('src/kept.ts', `first\nsecond\n${code(20, 'kept')}`);
    repo.commit('2026-01-10', 'Move old, grow kept');

    const result = await scanRepository(repo.dir, { workers: 0 });
    const bases = result.history!.bases;
    const full = (short: string) => Object.keys(bases).find((hash) => hash.startsWith(short));
    const kept = bases[full(first)!]?.files;
    const moved = bases[full(second)!]?.files;
    expect(kept?.map((file) => [file.oldPath, file.newPath, file.status])).toEqual([['src/kept.ts', 'src/kept.ts', 'modified']]);
    expect(kept?.[0].hunks.length).toBeGreaterThan(0);
    expect(moved?.map((file) => [file.oldPath, file.newPath, file.status])).toEqual([['src/old.ts', 'src/moved/old.ts', 'renamed']]);
    const lines = result.graph.diagnostics.filter((diagnostic) => diagnostic.rule === 'moved-lines').map((diagnostic) => `${diagnostic.file}:${diagnostic.line} ${diagnostic.message}`);
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.startsWith('docs/processes/a.md'))).toContain('moved to 7-10');
    expect(lines.find((line) => line.startsWith('docs/processes/b.md'))).toContain('src/moved/old.ts');
  });
});
