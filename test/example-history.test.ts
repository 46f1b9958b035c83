/**
 * The embedded example's history (content/example-history/, built by
 * src/node/example-history.ts): its last commit is the example's files, every
 * patch undoes, the commits are the patches' in order, and a scan of the
 * example reads this history, not Waymark's own, so the demo shows every
 * state (stale, moved, changed since validation, deleted and renamed files).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { exampleGitDir, parseExampleCommit, strictExampleTrees } from '../src/node/example-history.ts';
import { git, locateRepository } from '../src/node/git.ts';
import { EXAMPLE_ROOT, PACKAGE_ROOT } from '../src/node/package-root.ts';
import { scanRepository } from '../src/node/scan.ts';

const PATCHES = path.join(PACKAGE_ROOT, 'content', 'example-history');

async function scope() {
  const gitDir = await exampleGitDir();
  if (!gitDir) throw new Error('no example history');
  return { root: EXAMPLE_ROOT, location: { gitDir, workTree: EXAMPLE_ROOT } };
}

describe('the example history', () => {
  test('its last commit holds exactly the example files, with their modes', async () => {
    const listing = await git(await scope(), ['ls-tree', '-r', '-z', 'HEAD']);
    const committed = listing
      .split('\0')
      .filter(Boolean)
      .map((record) => {
        const [meta, file] = record.split('\t');
        const [mode, , oid] = meta.split(' ');
        return `${mode} ${oid} ${file}`;
      })
      .sort();
    const files = (await readdir(EXAMPLE_ROOT, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(EXAMPLE_ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    const onDisk = await Promise.all(
      files.map(async (file) => {
        const bytes = await readFile(path.join(EXAMPLE_ROOT, file));
        const oid = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
        const executable = ((await stat(path.join(EXAMPLE_ROOT, file))).mode & 0o111) !== 0;
        return `${executable ? '100755' : '100644'} ${oid} ${file}`;
      }),
    );
    expect(committed).toEqual(onDisk.sort());
  });

  test('every patch undoes on the example as it is (else the error names the patch to update)', async () => {
    const patches = (await readdir(PATCHES)).filter((name) => name.endsWith('.patch'));
    expect(await strictExampleTrees()).toBe(patches.length);
  });

  test('one commit per patch, in order, with the identities and dates of their headers', async () => {
    const names = (await readdir(PATCHES)).filter((name) => name.endsWith('.patch')).sort();
    const commits = await Promise.all(names.map(async (name) => parseExampleCommit(name, await readFile(path.join(PATCHES, name), 'utf8'))));
    const log = await git(await scope(), ['log', '--reverse', '--format=%an <%ae> %at %s']);
    expect(log.trim().split('\n')).toEqual(commits.map((c) => `${c.author} <${c.email}> ${c.time} ${c.message.split('\n')[0]}`));
    const times = commits.map((c) => c.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(names[0]).toBe('0000-import.patch');
    expect(commits[0].diff.trim()).toBe('');
  });

  test('the same history on every run: fixed commit ids, no hooks in the git directory', async () => {
    const head = (await git(await scope(), ['rev-parse', 'HEAD'])).trim();
    // The id depends only on the patches and the example's files, never on the clock or the user.
    const again = (await git(await scope(), ['rev-parse', 'HEAD'])).trim();
    expect(again).toBe(head);
    const gitDir = (await exampleGitDir())!;
    expect(gitDir.startsWith(path.join(PACKAGE_ROOT, 'node_modules', '.cache') + path.sep)).toBe(true);
    expect(await readdir(path.join(gitDir, 'hooks')).catch(() => [])).toEqual([]);
  });

  test('the example is located in its own history, not in Waymark\'s checkout', async () => {
    const found = await locateRepository(EXAMPLE_ROOT);
    expect(found.location).toEqual({ gitDir: await exampleGitDir(), workTree: EXAMPLE_ROOT });
  });

  test('a header that is not From/Date/Subject is refused with the file named', () => {
    expect(() => parseExampleCommit('0009-x.patch', 'Subject: no author\n\n---\n')).toThrow('content/example-history/0009-x.patch');
  });

  test('a scan of the example shows stale, moved, changed-since-validation, deleted and renamed', async () => {
    const { graph } = await scanRepository(EXAMPLE_ROOT, { cache: false, today: '2026-11-26' });
    const lines = graph.diagnostics
      .filter((d) => ['stale-reference', 'moved-lines', 'missing-file', 'process-needs-revalidation'].includes(d.rule))
      // Commit ids change with any edit to the example: the commits are named by subject and day.
      .map((d) => `${d.file}:${d.line} ${d.rule} ${d.message.split(';')[0].replace(/\b[0-9a-f]{7}\b/g, '<commit>')}`)
      .sort();
    expect(lines).toEqual([
      'docs/processes/database-backup-restore.md:20 stale-reference `infra/backup.tf:1-67` changed after this document was last validated (2026-10-22): <commit> 2026-11-09 "backup: keep DR copies as long as the primary recovery points"',
      'docs/processes/database-backup-restore.md:46 stale-reference `infra/backup.tf:35-60` changed after this document was last validated (2026-10-22): <commit> 2026-11-09 "backup: keep DR copies as long as the primary recovery points"',
      'docs/processes/database-backup-restore.md:62 moved-lines lines 10-20 of `scripts/backup.sh` moved to 15-25 since the reference was written in <commit> (2026-09-01)',
      'docs/processes/health-checks.md:34 stale-reference `charts/web/templates/deployment.yaml:42-58` changed after this document was last validated (2026-11-05): <commit> 2026-11-12 "TASK-001: faster health checks on the ALB and the readiness probe"',
      'docs/processes/health-checks.md:36 stale-reference `infra/lb.tf:41-47` changed after this document was last validated (2026-11-05): <commit> 2026-11-12 "TASK-001: faster health checks on the ALB and the readiness probe"',
      'docs/processes/health-checks.md:6 process-needs-revalidation `TASK-001` was completed on 2026-11-12, after this process was last validated (2026-11-05), and modified `deploy/charts/web/templates/deployment.yaml`, `infra/lb.tf`, which the process cites',
      'docs/processes/rolling-update.md:28 missing-file `k8s/production-deployment.yaml` does not exist: it was deleted in <commit> on 2026-09-15',
      'docs/runbooks/on-call.md:17 missing-file `infra/output.tf` does not exist: it was renamed to `infra/outputs.tf` in <commit> on 2026-11-10',
    ]);
  });
});
