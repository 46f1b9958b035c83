/**
 * A misspelled rule id or config key is an error with "did you mean", never
 * accepted silently (a typo in `"orphan-proces": "off"` would turn nothing
 * off). One suggestion helper serves the config, the rules and `waymark link`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { parseUserConfig } from '../src/core/config/config.ts';
import { rules } from '../src/core/rules/index.ts';
import { didYouMean, nearestNames } from '../src/core/text/did-you-mean.ts';

const ids = rules.map((rule) => rule.id);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'waymark-typos-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('didYouMean and nearestNames', () => {
  it('phrase one, two or three names, and nothing for none', () => {
    expect(didYouMean([])).toBeUndefined();
    expect(didYouMean(['a'])).toBe('did you mean `a`?');
    expect(didYouMean(['a', 'b'])).toBe('did you mean `a` or `b`?');
    expect(didYouMean(['a', 'b', 'c'])).toBe('did you mean `a`, `b` or `c`?');
  });

  it('find typos within a distance that grows with the name, nearest first', () => {
    expect(nearestNames('orphan-proces', ids)).toEqual(['orphan-process']);
    expect(nearestNames('mising-file', ids)).toEqual(['missing-file']);
    expect(nearestNames('stict', ['strict', 'site', 'name'])).toEqual(['strict']);
    expect(nearestNames('deploy', ['rollback', 'monitor'])).toEqual([]);
    expect(nearestNames('abc', ['abd', 'abe', 'abf', 'abg'])).toEqual(['abd', 'abe', 'abf']);
  });
});

describe('config typos', () => {
  const parse = (data: unknown) => parseUserConfig(data, 'waymark.config.json', ids).errors;

  it('a misspelled rule id is an error naming the nearest rule', () => {
    expect(parse({ rules: { 'orphan-proces': 'off' } })).toEqual(['`waymark.config.json`: `rules.orphan-proces`: unknown rule; did you mean `orphan-process`?']);
  });

  it('a rule id nothing like any rule lists the rules', () => {
    const [error] = parse({ rules: { frobnicate: 'off' } });
    expect(error).toMatch(/^`waymark\.config\.json`: `rules\.frobnicate`: unknown rule \(known: `missing-file`, /);
  });

  it('every registered rule id is accepted, and a config without rules', () => {
    expect(parse({ rules: Object.fromEntries(ids.map((id) => [id, 'off'])) })).toEqual([]);
    expect(parse({})).toEqual([]);
  });

  it('a misspelled key, at the top level or inside an object, names the nearest key there', () => {
    expect(parse({ stict: true })).toEqual(['`waymark.config.json`: `stict`: unknown key; did you mean `strict`?']);
    expect(parse({ site: { titel: 'Infra' } })).toEqual(['`waymark.config.json`: `site.titel`: unknown key; did you mean `title`?']);
    expect(parse({ tags: { proces: ['Runbook'] } })).toEqual(['`waymark.config.json`: `tags.proces`: unknown key; did you mean `process`?']);
  });

  it('the command line exits 2 with the suggestion on stderr', async () => {
    const repo = path.join(scratch, 'typo');
    rmSync(repo, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(repo, { recursive: true }));
    writeFileSync(path.join(repo, 'waymark.config.json'), JSON.stringify({ rules: { 'orphan-proces': 'off' } }));
    let stderr = '';
    const code = await main(['check', '--repo', repo, '--no-cache'], { stdout: () => undefined, stderr: (text) => void (stderr += text), cwd: scratch, env: {} });
    expect(code).toBe(2);
    expect(stderr).toBe('waymark: invalid config\n  `waymark.config.json`: `rules.orphan-proces`: unknown rule; did you mean `orphan-process`?\n');
  });
});
