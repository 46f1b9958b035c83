/**
 * Every reporter is a pure function of a check report: these tests feed each
 * one a small diagnostic list and read its output the way its consumer does
 * (a person, `JSON.parse`, GitHub's workflow-command parser, code scanning).
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../src/core/rules/index.ts';
import { ProblemReport, type Diagnostic } from '../src/core/schema.ts';
import { githubReporter } from '../src/reporters/github.ts';
import { reporters, textFormat } from '../src/reporters/index.ts';
import { jsonReporter } from '../src/reporters/json.ts';
import { markdownReporter } from '../src/reporters/markdown.ts';
import type { CheckReport } from '../src/reporters/report.ts';
import { sarifReporter } from '../src/reporters/sarif.ts';
import { compactReporter } from '../src/reporters/compact.ts';
import { stylishReporter } from '../src/reporters/stylish.ts';

const missing: Diagnostic = {
  rule: 'missing-file',
  severity: 'error',
  file: 'docs/processes/web-release.md',
  line: 7,
  column: 51,
  message: '`scripts/deplyo.sh` does not exist',
  suggestion: 'did you mean `scripts/deploy.sh`?',
};
const orphan: Diagnostic = {
  rule: 'orphan-process',
  severity: 'warning',
  file: 'docs/processes/regional-failover.md',
  line: 1,
  column: 1,
  message: 'no code implements the process `Regional Failover`',
};
const skipped: Diagnostic = {
  rule: 'unreadable-file',
  severity: 'info',
  file: 'assets/logo.svg',
  line: 1,
  column: 1,
  message: 'skipped `assets/logo.svg`: it is binary (NUL bytes)',
};
const diagnostics = [missing, orphan, skipped];

function report(list: Diagnostic[], pathPrefix = ''): CheckReport {
  return { diagnostics: list, pathPrefix, version: '9.8.7' };
}

describe('reporters', () => {
  it('are exactly stylish, compact, json, sarif, github and markdown', () => {
    expect(Object.keys(reporters).sort()).toEqual(['compact', 'github', 'json', 'markdown', 'sarif', 'stylish']);
  });

  it('text means stylish on a terminal and compact in a pipe', () => {
    expect(textFormat(true)).toBe('stylish');
    expect(textFormat(false)).toBe('compact');
  });

  it('never mutate the diagnostics they are given', () => {
    const before = structuredClone(diagnostics);
    for (const reporter of Object.values(reporters)) reporter(report(diagnostics, 'sub/'));
    expect(diagnostics).toEqual(before);
  });
});

describe('compact reporter', () => {
  it('prints `path:line:col  severity  message  rule-id` per problem, the suggestion joined, then a summary', () => {
    expect(compactReporter(report(diagnostics)).split('\n')).toEqual([
      'docs/processes/web-release.md:7:51  error  `scripts/deplyo.sh` does not exist; did you mean `scripts/deploy.sh`?  missing-file',
      'docs/processes/regional-failover.md:1:1  warning  no code implements the process `Regional Failover`  orphan-process',
      'assets/logo.svg:1:1  info  skipped `assets/logo.svg`: it is binary (NUL bytes)  unreadable-file',
      '',
      '3 problems (1 error, 1 warning, 1 info)',
      '',
    ]);
  });

  it('keeps the order it is given (the engine sorts)', () => {
    const lines = compactReporter(report([skipped, missing])).split('\n');
    expect(lines[0]).toMatch(/^assets\/logo\.svg:1:1 /);
    expect(lines[1]).toMatch(/^docs\/processes\/web-release\.md:7:51 /);
  });

  it('says when there is nothing to report', () => {
    expect(compactReporter(report([]))).toBe('No problems found.\n');
  });

  it('uses singular and plural words in the summary', () => {
    const summary = (list: Diagnostic[]) => compactReporter(report(list)).trimEnd().split('\n').at(-1);
    expect(summary([missing])).toBe('1 problem (1 error, 0 warnings, 0 info)');
    expect(summary([orphan])).toBe('1 problem (0 errors, 1 warning, 0 info)');
    expect(summary([missing, missing, orphan, orphan, skipped, skipped])).toBe('6 problems (2 errors, 2 warnings, 2 info)');
  });

  it('prefixes every path with pathPrefix', () => {
    const lines = compactReporter(report(diagnostics, 'content/example-infra/')).split('\n');
    expect(lines.slice(0, 3).map((line) => line.split(' ')[0])).toEqual([
      'content/example-infra/docs/processes/web-release.md:7:51',
      'content/example-infra/docs/processes/regional-failover.md:1:1',
      'content/example-infra/assets/logo.svg:1:1',
    ]);
  });
});

describe('stylish reporter', () => {
  const second: Diagnostic = { ...missing, line: 12, column: 2, message: 'no file matches `docs/decisions/0099-*.md`', suggestion: undefined };
  const url = (rule: string) => `https://unpkg.com/waymark@9.8.7/docs/rules/${rule}.md`;

  it('groups problems under their file, each with a clickable path:line:col, then totals and a summary by rule', () => {
    expect(stylishReporter(report([skipped, orphan, missing, second], 'infra/')).split('\n')).toEqual([
      'infra/assets/logo.svg',
      '  infra/assets/logo.svg:1:1  info  skipped `assets/logo.svg`: it is binary (NUL bytes)  unreadable-file',
      '',
      'infra/docs/processes/regional-failover.md',
      '  infra/docs/processes/regional-failover.md:1:1  warning  no code implements the process `Regional Failover`  orphan-process',
      '',
      'infra/docs/processes/web-release.md',
      '  infra/docs/processes/web-release.md:7:51  error  `scripts/deplyo.sh` does not exist; did you mean `scripts/deploy.sh`?  missing-file',
      '  infra/docs/processes/web-release.md:12:2  error  no file matches `docs/decisions/0099-*.md`  missing-file',
      '',
      '✖ 4 problems (2 errors, 1 warning, 1 info)',
      '',
      `  2 errors   missing-file     ${url('missing-file')}`,
      `  1 warning  orphan-process   ${url('orphan-process')}`,
      `  1 info     unreadable-file  ${url('unreadable-file')}`,
      '',
    ]);
  });

  it('counts the files skipped quietly in one line after the totals, never a line each', () => {
    const lines = (binary: number, links: number) => stylishReporter({ ...report([]), quietlySkipped: { binary, links } }).split('\n');
    expect(lines(2, 1)).toEqual(['No problems found.', 'Skipped 2 binary files and 1 symbolic link (its target is read).', '']);
    expect(lines(1, 0)).toEqual(['No problems found.', 'Skipped 1 binary file.', '']);
    expect(lines(0, 3)).toEqual(['No problems found.', 'Skipped 3 symbolic links (their targets are read).', '']);
    expect(lines(0, 0)).toEqual(['No problems found.', '']);
  });

  it('says when there is nothing to report, and uses no escapes without colour', () => {
    expect(stylishReporter(report([]))).toBe('No problems found.\n');
    expect(stylishReporter(report(diagnostics))).not.toContain('\x1b');
  });

  it('colours severities and the totals only when asked to', () => {
    const coloured = stylishReporter(report([missing, orphan]), { color: true });
    expect(coloured).toContain('\x1b[31merror\x1b[39m');
    expect(coloured).toContain('\x1b[33mwarning\x1b[39m');
    // Without the escapes it is the plain report.
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(stylishReporter(report([missing, orphan])));
  });

  it('escapes what the repository wrote before colouring it', () => {
    const hostile: Diagnostic = { ...orphan, file: 'docs/\x1b[2Jx.md', message: 'bad \u202e name' };
    const coloured = stylishReporter(report([hostile]), { color: true });
    expect(coloured).toContain('docs/\\x1b[2Jx.md');
    expect(coloured).toContain('bad \\u202e name');
    expect(coloured).not.toContain('\x1b[2J');
  });
});

describe('markdown reporter', () => {
  it('counts, then lists problems errors first, each with its place, rule and message', () => {
    expect(markdownReporter(report(diagnostics)).split('\n')).toEqual([
      '## Waymark',
      '',
      '❌ 1 error, 1 warning, 1 info.',
      '',
      '### Problems (3)',
      '',
      '- **error** `docs/processes/web-release.md:7:51` `scripts/deplyo.sh` does not exist; did you mean `scripts/deploy.sh`? (`missing-file`)',
      '- **warning** `docs/processes/regional-failover.md:1:1` no code implements the process `Regional Failover` (`orphan-process`)',
      '- **info** `assets/logo.svg:1:1` skipped `assets/logo.svg`: it is binary (NUL bytes) (`unreadable-file`)',
      '',
    ]);
  });

  it('with --changed-since, says what is new, what was there and what the change edits', () => {
    const impact = [{ path: 'infra/lb.tf', lines: { start: 12, end: 30 }, changed: { start: 14, end: 16 }, raw: 'infra/lb.tf:12-30', source: { file: 'docs/p.md', line: 40 }, process: { id: 'p', name: 'Blue/Green' }, step: 'Switch' }];
    const text = markdownReporter({ ...report([orphan]), pullRequest: { base: { commit: 'a'.repeat(40), ref: 'origin/main' }, impact, existing: 4, notes: [] } });
    expect(text).toContain('✅ 0 new errors, 1 new warning, 0 new info compared with `origin/main` (`aaaaaaaaaaaa`).');
    expect(text).toContain('4 problems were there before this change and do not fail it.');
    expect(text).toContain('- `infra/lb.tf:12-30` (lines 14-16 changed), cited by **Blue/Green › Switch** in `docs/p.md:40`: revalidate it or update the reference');
    expect(text).toContain('### New problems (1)');
  });
});

describe('json reporter', () => {
  it('prints a versioned object: version, $schema, then the problems with every field', () => {
    const text = jsonReporter(report(diagnostics));
    expect(JSON.parse(text)).toEqual({ version: 1, $schema: 'https://unpkg.com/waymark/schemas/check-report-v1.json', problems: diagnostics });
    expect(Object.keys(JSON.parse(text))).toEqual(['version', '$schema', 'problems']);
    expect(ProblemReport.parse(JSON.parse(text)).problems).toEqual(diagnostics);
  });

  it('prefixes paths and prints an empty list when clean', () => {
    const parsed = JSON.parse(jsonReporter(report([missing], 'infra-repo/')));
    expect(parsed.problems).toEqual([{ ...missing, file: 'infra-repo/docs/processes/web-release.md' }]);
    expect(JSON.parse(jsonReporter(report([]))).problems).toEqual([]);
  });
});

/** Read one workflow command back the way the runner does: properties split on `,` and `=`, values unescaped. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::([a-z]+) ([^:]*)::(.*)$/.exec(line);
  if (!match) throw new Error(`not a workflow command: ${line}`);
  const unescape = (value: string) =>
    value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of match[2].split(',')) {
    const at = pair.indexOf('=');
    properties[pair.slice(0, at)] = unescape(pair.slice(at + 1));
  }
  return { command: match[1], properties, message: unescape(match[3]) };
}

describe('github reporter', () => {
  it('writes one ::error / ::warning / ::notice command per diagnostic', () => {
    expect(githubReporter(report(diagnostics)).split('\n')).toEqual([
      '::error file=docs/processes/web-release.md,line=7,col=51,title=waymark missing-file::`scripts/deplyo.sh` does not exist; did you mean `scripts/deploy.sh`?',
      '::warning file=docs/processes/regional-failover.md,line=1,col=1,title=waymark orphan-process::no code implements the process `Regional Failover`',
      '::notice file=assets/logo.svg,line=1,col=1,title=waymark unreadable-file::skipped `assets/logo.svg`: it is binary (NUL bytes)',
      '',
    ]);
  });

  it('prints nothing when clean', () => {
    expect(githubReporter(report([]))).toBe('');
  });

  it('prefixes paths so annotations land on the checked-out files', () => {
    const [line] = githubReporter(report([orphan], 'infra/')).split('\n');
    expect(parseCommand(line).properties.file).toBe('infra/docs/processes/regional-failover.md');
  });

  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    const nasty: Diagnostic = {
      rule: 'missing-file',
      severity: 'error',
      file: 'docs/a,b:c%d.md',
      line: 2,
      column: 3,
      message: '100% broken: `x`,\r\nsecond line',
    };
    const output = githubReporter(report([nasty]));
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(output).toBe(
      '::error file=docs/a%2Cb%3Ac%25d.md,line=2,col=3,title=waymark missing-file::100%25 broken: `x`,%0D%0Asecond line\n',
    );
    const parsed = parseCommand(output.trimEnd());
    expect(parsed.properties).toEqual({ file: 'docs/a,b:c%d.md', line: '2', col: '3', title: 'waymark missing-file' });
    expect(parsed.message).toBe(nasty.message);
  });
});

interface SarifRegion {
  startLine: number;
  startColumn: number;
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion } }[];
  partialFingerprints?: Record<string, string>;
}
interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
    results: SarifResult[];
  }[];
}

const sarif = (list: Diagnostic[], pathPrefix = ''): SarifLog => JSON.parse(sarifReporter(report(list, pathPrefix)));

/**
 * No SARIF schema validator ships in this project's dependencies (the official
 * schema needs a JSON-schema validator plus the schema file), so the parts of
 * SARIF 2.1.0 that GitHub code scanning requires are asserted one by one.
 */
describe('sarif reporter', () => {
  it('is a SARIF 2.1.0 log with one run by waymark', () => {
    const log = sarif(diagnostics);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-(schema-)?2\.1\.0(-rtm\.\d)?\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver.name).toBe('waymark');
    expect(log.runs[0].tool.driver.version).toBe('9.8.7');
    expect(() => new URL(log.runs[0].tool.driver.informationUri!)).not.toThrow();
  });

  it('lists every rule once, with an id, a description and a default level', () => {
    const driverRules = sarif([]).runs[0].tool.driver.rules;
    expect(driverRules.map((rule) => rule.id)).toEqual(rules.map((rule) => rule.id));
    expect(new Set(driverRules.map((rule) => rule.id)).size).toBe(driverRules.length);
    for (const rule of driverRules) {
      expect(rule.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
    expect(driverRules.find((rule) => rule.id === 'unreadable-file')?.defaultConfiguration.level).toBe('note');
  });

  it('has one result per diagnostic whose ruleIndex points at its rule', () => {
    const log = sarif(diagnostics);
    const driverRules = log.runs[0].tool.driver.rules;
    const results = log.runs[0].results;
    expect(results.map((result) => `${result.ruleId} ${result.level}`)).toEqual([
      'missing-file error',
      'orphan-process warning',
      'unreadable-file note',
    ]);
    for (const result of results) {
      expect(Number.isInteger(result.ruleIndex)).toBe(true);
      expect(driverRules[result.ruleIndex].id).toBe(result.ruleId);
    }
  });

  it('maps a severity raised or lowered by config to the level of the result', () => {
    const [result] = sarif([{ ...orphan, severity: 'error' }]).runs[0].results;
    expect(result.level).toBe('error');
  });

  it('joins the suggestion to the message', () => {
    const [result] = sarif([missing]).runs[0].results;
    expect(result.message.text).toBe('`scripts/deplyo.sh` does not exist; did you mean `scripts/deploy.sh`?');
  });

  it('places each result at a relative URI and a 1-based line and column', () => {
    const results = sarif(diagnostics, 'infra-repo/').runs[0].results;
    expect(
      results.map((result) => {
        expect(result.locations).toHaveLength(1);
        const { artifactLocation, region } = result.locations[0].physicalLocation;
        return `${artifactLocation.uri}:${region.startLine}:${region.startColumn}`;
      }),
    ).toEqual([
      'infra-repo/docs/processes/web-release.md:7:51',
      'infra-repo/docs/processes/regional-failover.md:1:1',
      'infra-repo/assets/logo.svg:1:1',
    ]);
    for (const result of results) {
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      expect(artifactLocation.uri).not.toMatch(/^\/|^[a-z][a-z0-9+.-]*:/i);
      expect(region.startLine).toBeGreaterThanOrEqual(1);
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
    }
  });

  it('percent-encodes file names into URI references that still name the file', () => {
    const names = ['docs/my notes.md', 'docs/ünïcode/übersicht.md', 'docs/50%.md', 'docs/c#-notes.md', 'docs/why?.md', 'a:b.md'];
    const results = sarif(names.map((file) => ({ ...orphan, file }))).runs[0].results;
    const uris = results.map((result) => result.locations[0].physicalLocation.artifactLocation.uri);
    for (const uri of uris) {
      // A relative reference: no scheme, no query, no fragment, nothing outside the URI alphabet.
      expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=@/%]+$/);
      expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
    }
    const base = 'file:///repo/';
    expect(uris.map((uri) => decodeURIComponent(new URL(uri, base).pathname.slice('/repo/'.length)))).toEqual(names);
  });

  it('gives every result a stable partial fingerprint', () => {
    const first = sarif(diagnostics).runs[0].results.map((result) => result.partialFingerprints);
    const again = sarif(diagnostics).runs[0].results.map((result) => result.partialFingerprints);
    expect(first).toEqual(again);
    for (const fingerprints of first) expect(Object.values(fingerprints ?? {}).every((value) => typeof value === 'string')).toBe(true);
  });

  it('is still a complete log when clean', () => {
    const log = sarif([]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules.length).toBe(rules.length);
  });
});
