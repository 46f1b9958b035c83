/**
 * Links written with the writer's own disk path (issue 12, round 2 of the accuracy labels): a file
 * of this repository named that way is a broken link with a known fix; a file elsewhere on that
 * disk is another repository's.
 */
import { describe, expect, it } from 'vitest';
import { scanFixtureOutsideGit } from './helpers.ts';

describe('links to a path on the writer’s disk', async () => {
  const { graph, by: at } = await scanFixtureOutsideGit('local-disk-links');

  it('names the repository file a disk path means, and suggests the relative link', () => {
    expect(at('error')).toEqual([
      'docs/deploy/README.md:12:5 missing-file `/Users/ana/shop/docs/deploy/teardown.md` does not exist',
      "docs/deploy/README.md:3:25 missing-file `/e:/work/shop/docs/deploy/release.md` is a path on its writer's disk, which GitHub cannot serve: in this repository it is `docs/deploy/release.md`",
      "docs/deploy/README.md:4:15 missing-file `/e:/work/shop/docs/deploy/rollback.md` is a path on its writer's disk, which GitHub cannot serve: in this repository it is `docs/deploy/rollback.md`",
      'services/web/NOTES.md:6:5 missing-file `/app/src/retry.ts` does not exist',
      'services/web/NOTES.md:8:5 missing-file `/app/README.md` does not exist',
    ]);
    expect(graph.diagnostics.filter((d) => d.severity === 'error' && d.file.startsWith('docs/')).map((d) => d.suggestion)).toEqual(['link it relatively: `release.md`', 'link it relatively: `rollback.md`', undefined]);
  });

  it('leaves a file elsewhere on that disk at info, as another repository; listed as a file, a disk, Codespace or container path naming a file here is info too, its tail the suggestion', () => {
    expect(at('info')).toEqual([
      "docs/deploy/README.md:11:5 missing-file `/Users/ana/shop/docs/deploy/release.md` is a path on its writer's disk: in this repository it is `docs/deploy/release.md`",
      "docs/deploy/README.md:5:17 missing-file `/e:/work/_shared/ops/dns.md` is a path on its writer's disk outside this repository, which Waymark cannot check",
      "docs/deploy/README.md:6:14 missing-file `/Users/ana/notes/todo.md` is a path on its writer's disk outside this repository, which Waymark cannot check",
      "services/web/NOTES.md:5:5 missing-file `/app/src/api.ts` is a path inside a container: in this repository it is `services/web/src/api.ts`",
      "services/web/NOTES.md:7:5 missing-file `/workspaces/shop/docs/deploy/rollback.md` is a path on its writer's disk: in this repository it is `docs/deploy/rollback.md`",
    ]);
    expect(graph.diagnostics.find((d) => d.line === 11)?.suggestion).toBe('`docs/deploy/release.md`');
    expect(graph.diagnostics.find((d) => d.file === 'services/web/NOTES.md' && d.line === 5)?.suggestion).toBe('`services/web/src/api.ts`');
    expect(at('warning')).toEqual([]);
  });
});
