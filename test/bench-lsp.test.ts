/**
 * The language server's bench (scripts/bench-lsp.ts) keeps working: on a
 * small repository (fixtures/bench-lsp/repo) it starts `waymark lsp`, opens a
 * document and sees each edit's new missing file in the published
 * diagnostics. Nothing here is timed; the bench reports the times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runLspLatency } from '../scripts/bench-lsp.ts';
import { binPath, projectRoot } from './helpers.ts';

const scratch = await mkdtemp(path.join(os.tmpdir(), 'waymark-bench-lsp-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

it('measures every edit, from didChange to the diagnostics that name its missing file', async () => {
  const latency = await runLspLatency({
    bin: binPath,
    dir: path.join(projectRoot, 'test/fixtures/bench-lsp/repo'),
    document: 'docs/processes/queue-drain.md',
    cacheDir: path.join(scratch, 'cache'),
    edits: 3,
    pauseMs: 0,
  });
  if ('error' in latency) throw new Error(latency.error);
  expect(latency.edits).toHaveLength(3);
  expect(latency.edits.every((ms) => ms > 0)).toBe(true);
  if (process.platform === 'linux') expect(latency.cpuPerEditMs).toBeGreaterThan(0);
}, 120_000);
