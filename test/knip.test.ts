/**
 * Unused files, exports and dependencies fail the test run: knip reads the
 * whole project (config in knip.ts) and must report nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './helpers.ts';

const run = promisify(execFile);
const knipBin = path.join(projectRoot, 'node_modules/knip/bin/knip.js');

describe('knip', () => {
  it('finds no unused file, export or dependency', async () => {
    const result = await run(process.execPath, [knipBin, '--no-progress', '--reporter', 'compact'], { cwd: projectRoot }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }),
    );
    expect(result.stdout.trim()).toBe('');
    expect(result.code).toBe(0);
  });
});
