/**
 * The JSON Schemas in `schemas/` are what the zod schemas generate (run
 * `npm run schemas` after changing one), and they describe what Waymark
 * really prints and reads.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_URL, jsonSchemaFiles, PROBLEM_REPORT_SCHEMA_URL } from '../src/core/json-schemas.ts';
import { main } from '../src/cli/main.ts';
import { projectRoot, fixturesDir } from './helpers.ts';

const files = jsonSchemaFiles();

describe('published JSON Schemas', () => {
  it.each(Object.keys(files))('%s equals what `npm run schemas` generates', (file) => {
    expect(readFileSync(path.join(projectRoot, file), 'utf8')).toBe(files[file]);
  });

  it('are in the package', () => {
    const { files: packaged } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
    expect(packaged).toContain('schemas/');
  });

  it('the check report schema names every field of a problem and requires the versioned envelope', () => {
    const schema = JSON.parse(files['schemas/check-report-v1.json']);
    expect(schema.$id).toBe(PROBLEM_REPORT_SCHEMA_URL);
    expect(schema.required).toEqual(['version', '$schema', 'problems']);
    expect(Object.keys(schema.properties.problems.items.properties)).toEqual(['rule', 'severity', 'file', 'line', 'column', 'message', 'suggestion', 'evidence']);
  });

  it('the config schema lists every top-level key and refuses others (editor completion, typos flagged)', () => {
    const schema = JSON.parse(files['schemas/waymark.config.json']);
    expect(schema.$id).toBe(CONFIG_SCHEMA_URL);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['$schema', 'name', 'include', 'rules', 'site', 'redirects']));
  });

  it('a real report carries the schema URL it is described by', async () => {
    let stdout = '';
    await main(['check', '--repo', path.join(fixturesDir, 'broken-references/repo'), '--format', 'json', '--no-cache'], {
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      cwd: projectRoot,
      env: {},
    });
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    expect(report.$schema).toBe(PROBLEM_REPORT_SCHEMA_URL);
    expect(report.problems.length).toBeGreaterThan(0);
  });
});
