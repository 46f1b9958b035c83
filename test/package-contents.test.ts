/**
 * What a release ships: `npm pack --dry-run` and `npm publish --dry-run`
 * list the same files, every one of them something a user runs or reads
 * (the command line, the site, rule pages, JSON Schemas, README, CHANGELOG),
 * and nothing of the tests, the example or the scripts. Scripts are skipped
 * (`--ignore-scripts`): the bundle step is covered by test/pack.test.ts.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../src/core/rules/index.ts';
import { jsonSchemaFiles } from '../src/core/json-schemas.ts';
import { projectRoot } from './helpers.ts';

const run = promisify(execFile);
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` };
const packageJson = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
let packed: string[];
let published: string[];

const files = (stdout: string, pick: (json: any) => { files: { path: string }[] }) => pick(JSON.parse(stdout)).files.map((file) => file.path).sort();

beforeAll(async () => {
  const [pack, publish] = await Promise.all([
    run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectRoot, env, maxBuffer: 64 << 20 }),
    run('npm', ['publish', '--dry-run', '--json', '--ignore-scripts', '--tag', 'next'], { cwd: projectRoot, env, maxBuffer: 64 << 20 }),
  ]);
  packed = files(pack.stdout, (json) => json[0]);
  published = files(publish.stdout, (json) => json[packageJson.name] ?? json);
}, 120_000);

/** Top-level files and folders a user of the package needs; anything else in the tarball is a leak. */
const SHIPPED = [/^package\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^LICENSE/, /^astro\.config\.mjs$/, /^tsconfig\.json$/, /^bin\//, /^bundle\//, /^src\//, /^public\//, /^docs\/recipes\//, /^docs\/rules\//, /^schemas\//];

describe('the package', () => {
  it('publish --dry-run ships exactly what pack --dry-run does', () => {
    expect(published).toEqual(packed);
  });

  it('holds only what a user runs or reads', () => {
    const leaks = packed.filter((file) => !SHIPPED.some((pattern) => pattern.test(file)));
    expect(leaks).toEqual([]);
    expect(packed.filter((file) => /(^|\/)(test|tests|__tests__|fixtures|content|scripts|node_modules|\.astro|dist)\//.test(file) || /\.test\.ts$|\.tgz$/.test(file))).toEqual([]);
  });

  it('has the command line, the README, the CHANGELOG, every rule page and every JSON Schema', () => {
    for (const file of ['bin/waymark.mjs', 'bin/entry.mjs', 'src/cli/main.ts', 'src/node/extract-worker.mjs', 'README.md', 'CHANGELOG.md', 'astro.config.mjs']) {
      expect(packed, file).toContain(file);
    }
    for (const rule of rules) expect(packed).toContain(`docs/rules/${rule.id}.md`);
    for (const file of Object.keys(jsonSchemaFiles())) expect(packed).toContain(file);
  });

  it('has a semver version that the CHANGELOG describes', () => {
    expect(packageJson.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(readFileSync(path.join(projectRoot, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${packageJson.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });
});
