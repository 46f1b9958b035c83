/**
 * `waymark check --watch` reads the config again when any file of its
 * `extends` chain changes, above the checked root too, as the language server
 * does (`configDependencies` in `src/node/resident.ts`): on
 * test/fixtures/watch-config-reload, the platform's base above the root is
 * edited, the service's middle file is broken (reported; the last good config
 * stays) and fixed, and the service's own config drops the chain. Every
 * report must be what a fresh scan with the config of the moment gives.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchCheck } from '../src/cli/watch-check.ts';
import type { Diagnostic } from '../src/core/schema.ts';
import { scanRepository } from '../src/node/scan.ts';
import { removeRepos } from './git-repo.ts';
import { committedFixture } from './lsp-client.ts';

afterAll(removeRepos);

/** Severity included: the config decides it. */
const lines = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.file}:${d.line} ${d.severity} ${d.rule}`).sort();

describe('check --watch and a config that extends others', () => {
  it('reads the config again when a file of its extends chain changes, and keeps the last good one when it breaks', async () => {
    // A config may extend files of its repository only: the platform's git work tree.
    const scratch = committedFixture('watch-config-reload', '2026-11-02', 'Payments service').dir;
    const dir = path.join(scratch, 'platform/payments');
    const controller = new AbortController();
    const reports: string[] = [];
    const statuses: string[] = [];
    const watching = watchCheck({
      repo: dir,
      io: { stdout: (text) => reports.push(text), stderr: (text) => statuses.push(text), cwd: dir, env: {} },
      render: (diagnostics) => lines(diagnostics).join('\n'),
      signal: controller.signal,
    });
    /** Wait for the `count`th status line (fs events and a new engine take a moment). */
    const until = async (what: string, count: number) => {
      for (let waited = 0; statuses.length < count; waited += 20) {
        if (waited > 20_000) throw new Error(`no ${what}: ${statuses.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const fresh = async () => lines((await scanRepository(dir)).graph.diagnostics).join('\n');
    const write = (file: string, text: string) => writeFileSync(path.join(scratch, file), text);
    try {
      await until('first report', 1);
      expect(reports.at(-1)).toBe(await fresh());
      expect(reports.at(-1)).toContain('warning missing-file');

      // The platform lowers it, above the checked root and two files away from its config.
      write('waymark.base.json', '{ "rules": { "missing-file": "info" } }\n');
      await until('report after the base edit', 2);
      expect(statuses[1]).toMatch(/^waymark: checked 1 documents with the changed config in \d+ ms\n$/);
      expect(reports.at(-1)).toBe(await fresh());
      expect(reports.at(-1)).toContain('info missing-file');

      // Broken: said so, and the report stands.
      write('platform/payments/config/rules.json', '{ "extends": \n');
      await until('the broken config reported', 3);
      expect(statuses[2]).toMatch(/^waymark: the changed config cannot be used, still checking with the last one: .*rules\.json/);
      expect(reports).toHaveLength(2);

      // Fixed, turning the rule off.
      write('platform/payments/config/rules.json', '{ "rules": { "missing-file": "off" } }\n');
      await until('report after the fix', 4);
      expect(reports.at(-1)).toBe(await fresh());
      expect(reports.at(-1)).toBe('');

      // The service's own config drops the chain: the rule's default again, and the old base no longer counts.
      write('platform/payments/waymark.config.json', '{}\n');
      await until('report after the own config edit', 5);
      expect(reports.at(-1)).toBe(await fresh());
      expect(reports.at(-1)).toContain('warning missing-file');
    } finally {
      controller.abort();
    }
    expect(await watching).toBe(0);
  });
});
