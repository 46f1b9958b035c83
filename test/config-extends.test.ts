/**
 * `extends` and `waymark config --print`: a monorepo's sub-projects share a
 * base config by relative path inside the git repository; nothing else on
 * the disk is read and nothing is run; the printed config says where each
 * value came from.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { mergeConfigLayers } from '../src/core/config/merge-layers.ts';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-extends-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>, withGit = true): string {
  const root = path.join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  if (withGit) execFileSync('git', ['init', '-q'], { cwd: root });
  return root;
}

async function cli(argv: string[], cwd = scratch) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

const PROCESS = '# Deployment Process: Queue Drain\n\n**Status**: validated\n**Last Validated**: 2026-11-20\n';

describe('mergeConfigLayers', () => {
  it('later layers win; rules, site, tags, aliases and redirects merge key by key; sources name the file', () => {
    const { config, sources } = mergeConfigLayers([
      { file: '../base.json', config: { rules: { 'orphan-process': 'off', 'stale-reference': 'error' }, strict: false, include: ['docs/**'], site: { title: 'Acme' } } },
      { file: 'waymark.config.json', config: { extends: '../base.json', rules: { 'stale-reference': 'info' }, include: ['infra/**'] } },
    ]);
    expect(config).toEqual({ rules: { 'orphan-process': 'off', 'stale-reference': 'info' }, strict: false, include: ['infra/**'], site: { title: 'Acme' } });
    expect(sources).toEqual({
      'rules.orphan-process': '../base.json',
      'rules.stale-reference': 'waymark.config.json',
      strict: '../base.json',
      include: 'waymark.config.json',
      'site.title': '../base.json',
    });
  });

  it('a `__proto__` key is a key, never the prototype', () => {
    const redirects = JSON.parse('{"__proto__": "x"}');
    const { config } = mergeConfigLayers([{ file: 'a.json', config: { redirects } }]);
    expect(Object.keys(config.redirects!)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('extends in a monorepo', () => {
  const mono = tree('mono', {
    'waymark.base.json': '// shared\n{ "rules": { "orphan-process": "off", "stale-reference": "error" }, "site": { "title": "Acme" } }\n',
    'services/api/waymark.config.json': '{ "extends": "../../waymark.base.json", "rules": { "stale-reference": "info" } }\n',
    'services/api/docs/processes/queue-drain.md': PROCESS,
  });
  const api = path.join(mono, 'services/api');

  it('check applies the base: its orphan-process is off in the sub-project', async () => {
    const run = await cli(['check', '--repo', api, '--no-cache', '--format', 'compact']);
    expect(run).toMatchObject({ code: 0, stdout: 'No problems found.\n' });
  });

  it('config --print names the file each value came from', async () => {
    const run = await cli(['config', '--print', '--json', '--repo', api]);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout);
    expect(printed['rules.orphan-process']).toEqual({ value: 'off', source: '../../waymark.base.json' });
    expect(printed['rules.stale-reference']).toEqual({ value: 'info', source: 'waymark.config.json' });
    expect(printed['rules.missing-file']).toEqual({ value: 'error', source: 'default' });
    expect(printed['site.title']).toEqual({ value: 'Acme', source: '../../waymark.base.json' });
    expect(printed.name).toEqual({ value: 'api', source: 'default' });
    const text = await cli(['config', '--print', '--repo', api]);
    expect(text.stdout.split('\n')[0]).toBe('config files: ../../waymark.base.json → waymark.config.json');
    expect(text.stdout).toMatch(/^rules\.orphan-process +"off" +\.\.\/\.\.\/waymark\.base\.json$/m);
  });

  it('config without --print is bad usage', async () => {
    expect((await cli(['config', '--repo', api])).code).toBe(2);
  });
});

describe('extends refuses what is not a JSON file inside the repository', () => {
  const outside = tree('outside', { 'secret.json': '{ "strict": false }\n' }, false);
  const cases: [string, string, Record<string, string>, string][] = [
    ['an absolute path', path.join(outside, 'secret.json'), {}, 'must be a relative path'],
    ['a URL', 'https://example.com/base.json', {}, 'must be a relative path'],
    ['a package or code', './waymark.base.mjs', { 'waymark.base.mjs': 'export default {}' }, 'must name a `.json` file'],
    ['a path out of the git repository', '../outside/secret.json', {}, 'is outside the repository'],
    ['a file that is not there', './nope.json', {}, 'does not exist'],
    ['a config that extends itself', './a.json', { 'a.json': '{ "extends": "./waymark.config.json" }' }, 'extends itself'],
    ['a base with a typo', './typo.json', { 'typo.json': '{ "stict": true }' }, '`typo.json`: `stict`: unknown key; did you mean `strict`?'],
  ];
  it.each(cases)('%s', async (name, base, extra, message) => {
    const root = tree(`refuse-${name.replace(/\W+/g, '-')}`, { 'waymark.config.json': JSON.stringify({ extends: base }), ...extra });
    const run = await cli(['check', '--repo', root, '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('a base that is a link to a file outside the repository', async () => {
    const root = tree('refuse-link', { 'waymark.config.json': '{ "extends": "./base.json" }' });
    symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'base.json'));
    const run = await cli(['check', '--repo', root, '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a symbolic link to a file outside the repository');
  });

  it('without git, the scanned folder is the repository', async () => {
    const plain = tree('plain', { 'base.json': '{ "strict": false }', 'sub/waymark.config.json': '{ "extends": "../base.json" }' }, false);
    const run = await cli(['check', '--repo', path.join(plain, 'sub'), '--no-cache']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is outside the repository');
  });
});
