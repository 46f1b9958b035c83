/**
 * The README's URL contract is `URL_CONTRACT` in src/core/urls/urls.ts, word for word (the
 * message holds the table to paste), and each row's example is what the link table of
 * test/fixtures/url-contract/ really publishes: canonical URL, short form, older forms.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedUrls, siteLinkTable, toManifest, type LinkTable } from '../src/core/urls/link-table.ts';
import { URL_CONTRACT } from '../src/core/urls/urls.ts';
import { scanRepository } from '../src/node/scan.ts';
import { fixturesDir, projectRoot } from './helpers.ts';

const START = '<!-- url-contract:start -->';
const END = '<!-- url-contract:end -->';
const REPO = path.join(fixturesDir, 'url-contract', 'repo');

function contractTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = URL_CONTRACT.map(
    (row) => `| ${row.page} | ${cell(row.canonical)} | ${cell(row.short)} | ${cell(row.redirects)} | \`${row.example.id}\` → \`${row.example.canonical}\` |`,
  );
  return ['| page | canonical URL | short form | older forms that redirect | example (`test/fixtures/url-contract`) |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

let table: LinkTable;

beforeAll(async () => {
  table = siteLinkTable(await scanRepository(REPO), '/');
});

describe('README URL contract', () => {
  it('is the table URL_CONTRACT states', () => {
    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, `README.md needs a ${START} … ${END} block`).toBeGreaterThan(-1);
    expect(readme.slice(start + START.length, end).trim(), `paste into README.md between the markers:\n${contractTable()}`).toBe(contractTable());
  });

  it.each(URL_CONTRACT.map((row) => [row.page, row.example] as const))('the %s example is what the link table publishes', (_page, example) => {
    const entry = table.entries.find((e) => e.kind === example.kind && e.id === example.id);
    expect(entry, `${example.kind} ${example.id}`).toBeDefined();
    expect(entry!.url).toBe(example.canonical);
    expect(table.pages).toContain(example.canonical);
    if (example.short) expect(entry!.short).toBe(example.short);
    const redirects = new Map(table.redirects.map((r) => [r.from, r.to]));
    if (example.short && example.short !== example.canonical) expect(redirects.get(example.short)).toBe(example.canonical);
    for (const from of example.redirects) expect(redirects.get(from), from).toBe(example.canonical);
  });

  it('a task id two plans define: /t/<id>/ and the bare plan name list both plans; a unique one redirects', () => {
    const choices = Object.fromEntries(table.choices.map((c) => [c.from, c.options]));
    const both = [
      { url: '/tasks/network-plan/TASK-001/', title: 'Network Improvement Plan › TASK-001: Add a Web Application Firewall' },
      { url: '/tasks/storage-plan/TASK-001/', title: 'Storage Improvement Plan › TASK-001: Encrypt Backups at Rest' },
    ];
    expect(choices['/t/TASK-001/']).toEqual(both);
    expect(choices['/tasks/plan/TASK-001/']).toEqual(both);
    // Scoped short forms still name one task.
    expect(table.redirects.find((r) => r.from === '/t/docs/plans/storage/plan/TASK-001/')?.to).toBe('/tasks/storage-plan/TASK-001/');
  });

  it('no published URL has a `.md` page segment, a doubled section, or a pagination page', () => {
    for (const url of table.pages) {
      // A file's source view keeps its name (`/files/docs/x.md/`); a document's page does not.
      if (url.startsWith('/docs/')) expect(url, url).not.toMatch(/\.md\/$/);
      expect(url, url).not.toMatch(/^\/(docs|tasks)\/\1\//);
      expect(url, url).not.toMatch(/\/(page\/)?\d+\/$/);
    }
    const manifest = toManifest(table);
    expect(manifest.urls).toEqual(publishedUrls(table));
    expect(manifest.urls.filter((url) => /\/\d+\/$/.test(url))).toEqual([]);
    expect(manifest.documents['docs/runbooks/on-call.md']).toBe('/docs/runbooks/on-call/');
  });
});
