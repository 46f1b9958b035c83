import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveConfig } from '../src/core/config/config.ts';
import { commentSyntaxOf, languageOf } from '../src/core/extract/languages.ts';
import { extractComments, splitLines } from '../src/core/extract/comments.ts';
import { extractMarkers } from '../src/core/extract/markers.ts';

const tags = resolveConfig({}, 'repo').tags;

/** `line:column text` per comment line; `+code` when the line also holds code. */
function comments(path: string, text: string): string[] {
  return extractComments(path, text).map((c) => `${c.line}:${c.column}${c.code ? '+code' : ''} ${c.text}`);
}

/** `line:column tag=value | …` per marker. */
function markers(path: string, text: string, tagMap = tags): string[] {
  return extractMarkers(path, text, tagMap).markers.map(
    (m) => `${m.line}:${m.column} ${m.fields.map((f) => `${f.tag}=${f.value}`).join(' | ')}`,
  );
}

/** `line:column` of every field value. */
function valueColumns(path: string, text: string): string[] {
  return extractMarkers(path, text, tags).markers.flatMap((m) => m.fields.map((f) => `${f.line}:${f.column}`));
}

const lines = (...rows: string[]) => rows.join('\n');

describe('languageOf', () => {
  it.each([
    ['infra/lb.tf', 'hcl'],
    ['infra/prod.tfvars', 'hcl'],
    ['packer/build.pkr.hcl', 'hcl'],
    ['k8s/deploy.yaml', 'yaml'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['.gitlab-ci.yml', 'yaml'],
    ['script/deploy.sh', 'shell'],
    ['a.bash', 'shell'],
    ['a.zsh', 'shell'],
    ['app/main.py', 'python'],
    ['Gemfile', 'ruby'],
    ['lib/x.rb', 'ruby'],
    ['ops/x.ps1', 'powershell'],
    ['pyproject.toml', 'toml'],
    ['Dockerfile', 'dockerfile'],
    ['docker/Dockerfile.prod', 'dockerfile'],
    ['api.Dockerfile', 'dockerfile'],
    ['Makefile', 'makefile'],
    ['rules.mk', 'makefile'],
    ['Jenkinsfile', 'groovy'],
    ['src/a.ts', 'typescript'],
    ['src/a.tsx', 'typescript'],
    ['src/a.js', 'javascript'],
    ['src/a.jsx', 'javascript'],
    ['src/a.mjs', 'javascript'],
    ['src/a.cjs', 'javascript'],
    ['cmd/main.go', 'go'],
    ['Api/Program.cs', 'csharp'],
    ['src/Main.java', 'java'],
    ['src/main.rs', 'rust'],
    ['contracts/Token.sol', 'solidity'],
    ['a.c', 'c'],
    ['a.h', 'c'],
    ['a.cpp', 'cpp'],
    ['db/001.sql', 'sql'],
    ['init.lua', 'lua'],
    ['index.html', 'html'],
    ['pom.xml', 'xml'],
    ['App.vue', 'vue'],
    ['App.svelte', 'svelte'],
    ['setup.cfg', 'ini'],
    ['php.ini', 'ini'],
    ['src/app.erl', 'erlang'],
    ['paper.tex', 'latex'],
    ['build.bat', 'batch'],
    ['build.CMD', 'batch'],
    ['README.md', 'markdown'],
    ['docs/page.mdx', 'mdx'],
    ['.env.production', 'dotenv'],
    ['infra\\windows\\lb.tf', 'hcl'],
    ['notes.xyz', 'unknown'],
    ['LICENSE', 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (path, language) => {
    expect(languageOf(path)).toBe(language);
  });

  it('gives unknown files `#` and `//`', () => {
    expect(commentSyntaxOf('notes.xyz').line.map((l) => l.open)).toEqual(['#', '//']);
  });

  it('gives markdown HTML comments only', () => {
    const syntax = commentSyntaxOf('README.md');
    expect([syntax.line.length, syntax.block.map((b) => b.open), syntax.fences]).toEqual([0, ['<!--'], true]);
  });
});

describe('extractComments', () => {
  // Cases where the comment lexer and the symbol finder's old lexer read the same line differently;
  // both now use one lexer and one language table.
  it.each([
    ['a shell string spans lines', 'deploy.sh', 'MSG="first line\n# Reference: not-a-comment.tf\n"\necho "$MSG" # real\n', ['4:15 real']],
    ['a shell comment may follow `;`', 'deploy.sh', 'cd /srv;# Reference: after-semicolon.tf\n', ['1:11 Reference: after-semicolon.tf']],
    ['`//` inside a JS regex', 'app.ts', 'const re = /https?:\\/\\//; // real\n', ['1:30 real']],
    ['a quote inside a template interpolation', 'app.ts', 'const s = `${a ? "`" : ""} // in template`; // real\n', ['1:48 real']],
    ['a quote inside an HCL interpolation', 'main.tf', 'x = "${join("\\"", [])} # in string"  # real\n', ['1:40 real']],
  ])('%s', (_, path, text, expected) => {
    expect(extractComments(path, text).map((c) => `${c.line}:${c.column} ${c.text}`)).toEqual(expected);
  });

  it('ignores comment starters inside TypeScript strings', () => {
    const text = lines(
      'const url = "http://example.com"; // real one',
      "const re = '//not' + `/* nor ${'//'} this`;",
      'const t = `line one',
      '  // inside a template literal',
      '`; /* block */ const x = 1;',
    );
    expect(comments('a.ts', text)).toEqual(['1:38+code real one', '5:7+code block']);
  });

  it('ignores `#` inside shell strings, words and parameter expansions', () => {
    const text = lines(`echo '#' "a # b" \${#arr} $# x#y \\# # real`, '  # indented');
    expect(comments('a.sh', text)).toEqual(['1:38+code real', '2:5 indented']);
  });

  it('ignores `#` inside YAML quoted strings and plain words', () => {
    const text = lines(
      'url: "http://x/#frag" # c1',
      "msg: it's # c2",
      "quoted: 'it''s # not' # c3",
      'color: a#b',
    );
    expect(comments('a.yaml', text)).toEqual(['1:25+code c1', '2:13+code c2', '3:25+code c3']);
  });

  it('splits a JSDoc block into lines without the ` * ` gutter', () => {
    const text = lines('/**', ' * Deployment Process: X', ' *   continued', ' */', '/* one */', '/*** banner ***/');
    expect(comments('a.ts', text)).toEqual(['1:4 ', '2:4 Deployment Process: X', '3:6 continued', '4:2 ', '5:4 one', '6:6 banner']);
  });

  it('splits an HTML comment into lines', () => {
    const text = lines('<div>', '  <!-- Process: X', '       Reference: a.md -->', '</div> <!-- tail -->');
    expect(comments('a.html', text)).toEqual(['2:8 Process: X', '3:8 Reference: a.md', '4:13+code tail']);
  });

  it('handles CRLF, lone CR and a BOM', () => {
    expect(comments('a.sh', '\uFEFF# a\r\n# b\r# c\nx # d')).toEqual(['1:3 a', '2:3 b', '3:3 c', '4:5+code d']);
    expect(splitLines('\uFEFFa\r\nb\rc\n')).toEqual(['a', 'b', 'c', '']);
  });

  it('skips the shebang line', () => {
    expect(comments('x.py', '#!/usr/bin/env python\n# real')).toEqual(['2:3 real']);
  });

  it('strips repeated prefix characters (`##`, `///`, `%%`, `;;`)', () => {
    expect(comments('a.py', '## two')).toEqual(['1:4 two']);
    expect(comments('a.rs', '/// doc\n//! inner')).toEqual(['1:5 doc', '2:5 inner']);
    expect(comments('a.erl', '%% erl')).toEqual(['1:4 erl']);
    expect(comments('a.clj', ';; lisp')).toEqual(['1:4 lisp']);
  });

  it('strips trailing decoration only after a blank, keeping `docs/*` and `50%`', () => {
    expect(comments('a.tex', '% Implements: 50%\n%% banner %%')).toEqual(['1:3 Implements: 50%', '2:4 banner']);
    expect(comments('a.ts', '/* Reference: docs/* */\n// see https://x/ //')).toEqual(['1:4 Reference: docs/*', '2:4 see https://x/']);
    expect(comments('a.html', '<!---\n- item\n--->')).toEqual(['1:6 ', '2:1 - item', '3:1 ']);
  });

  it('skips heredoc bodies but not shifts', () => {
    const tf = lines('user_data = <<-EOF', '  # Process: in the script', '  EOF', '# after');
    expect(comments('a.tf', tf)).toEqual(['4:3 after']);
    const sh = lines('x=$(( 1 << y )) # shift', "cat <<'END'", '# body', 'END', 'cat <<< "s" # here-string');
    expect(comments('a.sh', sh)).toEqual(['1:19+code shift', '5:15+code here-string']);
  });

  it('skips fenced code blocks in markdown only', () => {
    const md = lines('<!-- a -->', '```hcl', '<!-- in fence -->', '```', '~~~~', '<!-- tilde -->', '~~~~', 'Use `<!-- x -->` inline.', '<!-- b -->');
    expect(comments('README.md', md)).toEqual(['1:6 a', '9:6 b']);
    // A triple backtick in a code file is just code.
    expect(comments('a.py', lines('s = 1', '```', '# after'))).toEqual(['3:3 after']);
  });

  it('never throws and stays within the text', () => {
    const paths = ['a.ts', 'a.sh', 'a.yaml', 'a.md', 'a.sql', 'a.lua', 'a.bat', 'a.tex', 'a.tf', 'x.unknown', 'a.py', 'a.html'];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.string({ unit: fc.constantFrom(...'#/*<!->-\'"`\\\n\r\t :;%REMab[]{}=$') }), (path, text) => {
        const found = extractComments(path, text);
        const count = splitLines(text).length;
        for (const c of found) {
          expect(c.line).toBeGreaterThanOrEqual(1);
          expect(c.line).toBeLessThanOrEqual(count);
          expect(c.column).toBeGreaterThanOrEqual(1);
        }
        extractMarkers(path, text, tags);
      }),
      { numRuns: 500 },
    );
  });
});

describe('extractMarkers: comment syntaxes', () => {
  it('Terraform with `#`, `//` and `/* */`', () => {
    const text = lines(
      '# Deployment Process: Blue/Green Rollout',
      '# Implements: traffic switch between target groups',
      '# Environment: production',
      '# Reference: docs/processes/blue-green-rollout.md',
      'resource "aws_lb_listener_rule" "switch" {',
      '  // Process: Health Checks',
      '  // Reference: docs/processes/health.md#thresholds',
      '  health_check { path = "/health#x" } # Process: trailing, not a marker',
      '  /* Workflow: Cutover */',
      '}',
    );
    expect(markers('infra/lb.tf', text)).toEqual([
      '1:3 deployment process=Blue/Green Rollout | implements=traffic switch between target groups | environment=production | reference=docs/processes/blue-green-rollout.md',
      '6:6 process=Health Checks | reference=docs/processes/health.md#thresholds',
      '9:6 workflow=Cutover',
    ]);
  });

  it('fills process, area, implements, environment, id and endLine', () => {
    const text = lines('x = 1', '# Deployment Process: Blue/Green', '# Implements: switch', '# Environment: production', 'y = 2');
    const [marker] = extractMarkers('infra/lb.tf', text, tags).markers;
    expect(marker).toEqual({
      id: 'infra/lb.tf:2',
      file: 'infra/lb.tf',
      line: 2,
      column: 3,
      endLine: 4,
      fields: [
        { tag: 'deployment process', label: 'Deployment Process', value: 'Blue/Green', line: 2, column: 23 },
        { tag: 'implements', label: 'Implements', value: 'switch', line: 3, column: 15 },
        { tag: 'environment', label: 'Environment', value: 'production', line: 4, column: 16 },
      ],
      process: 'Blue/Green',
      area: 'Deployment Process',
      implements: 'switch',
      environment: 'production',
      references: [],
    });
  });

  it('YAML (a CI workflow)', () => {
    const text = lines(
      'name: deploy',
      'jobs:',
      '  deploy:',
      '    # Workflow: Release Pipeline',
      '    # Reference: docs/workflows/release.md',
      '    runs-on: ubuntu-latest',
      '    env:',
      '      URL: "https://x.example/#/Process: no"',
      "      NOTE: 'see # Process: no'",
    );
    expect(markers('.github/workflows/deploy.yml', text)).toEqual(['4:7 workflow=Release Pipeline | reference=docs/workflows/release.md']);
  });

  it('shell', () => {
    const text = lines(
      '#!/bin/bash',
      '# Deployment Process: Raspberry Pi Server',
      '# Reference: deploy/pi/README.md',
      'set -euo pipefail',
      'echo "# Process: inside a string"',
      "grep '# Process: quoted' file",
    );
    expect(markers('deploy/pi/setup.sh', text)).toEqual(['2:3 deployment process=Raspberry Pi Server | reference=deploy/pi/README.md']);
  });

  it('Dockerfile, where `#` is a comment only at line start', () => {
    const text = lines(
      '# syntax=docker/dockerfile:1',
      'FROM node:22',
      '# Deployment Process: Container Build',
      '# Environment: staging',
      'RUN echo a#b # Process: not a comment in a Dockerfile',
    );
    expect(markers('Dockerfile', text)).toEqual(['3:3 deployment process=Container Build | environment=staging']);
  });

  it('TypeScript JSDoc with ` * ` continuation', () => {
    const text = lines(
      'import x from "http://cdn/x.js"; // Process: trailing',
      '/**',
      ' * API Contract: Orders API',
      ' * Implements: POST /orders validation',
      ' *   and idempotency keys',
      ' * Reference: docs/api/orders.md#post',
      ' */',
      'export function createOrder() {}',
    );
    expect(markers('src/orders.ts', text)).toEqual([
      '3:4 api contract=Orders API | implements=POST /orders validation and idempotency keys | reference=docs/api/orders.md#post',
    ]);
  });

  it('Go', () => {
    const text = lines('package main', '', '// Process: Graceful Shutdown', '// Task: TASK-004', 'func main() { fmt.Println("// Process: no") }');
    expect(markers('cmd/main.go', text)).toEqual(['3:4 process=Graceful Shutdown | task=TASK-004']);
  });

  it('SQL `--`', () => {
    const text = lines("SELECT '-- Process: no' AS x;", '-- Schema: Orders Table', '-- Reference: docs/schema.md', 'CREATE TABLE orders (id int);');
    expect(markers('db/001_orders.sql', text)).toEqual(['2:4 schema=Orders Table | reference=docs/schema.md']);
  });

  it('Lua `--` and `--[[ ]]`', () => {
    const text = lines('-- Process: Rate Limit', 'local x = 1', '--[[', 'Security: Token Check', ']]');
    expect(markers('nginx/limit.lua', text)).toEqual(['1:4 process=Rate Limit', '4:1 security=Token Check']);
  });

  it('HTML and XML `<!-- -->`', () => {
    const html = lines('<body>', '  <!-- Design System: Buttons -->', '  <!-- Reference: docs/design/buttons.md -->', '  <a href="http://x">x</a>', '</body>');
    expect(markers('web/index.html', html)).toEqual(['2:8 design system=Buttons | reference=docs/design/buttons.md']);
    const xml = lines('<project>', '  <!--', '    Process: Maven Release', '    Environment: ci', '  -->', '</project>');
    expect(markers('pom.xml', xml)).toEqual(['3:5 process=Maven Release | environment=ci']);
  });

  it('Vue single-file components, markup and script', () => {
    const text = lines('<template>', '  <!-- Design System: Cards -->', '  <Card />', '</template>', '<script setup>', '// Process: Card Loading', '</script>');
    expect(markers('src/Card.vue', text)).toEqual(['2:8 design system=Cards', '6:4 process=Card Loading']);
  });

  it('ini `;` and `#`', () => {
    const text = lines('[server]', '; Process: Web Server Config', '# Environment: production', 'url = http://x#frag ; not a comment mid-line');
    expect(markers('deploy/app.ini', text)).toEqual(['2:3 process=Web Server Config | environment=production']);
    expect(markers('setup.cfg', '# Process: Packaging')).toEqual(['1:3 process=Packaging']);
  });

  it('Erlang and LaTeX `%`', () => {
    const erl = lines('%% Process: Supervision Tree', '%% Reference: docs/otp.md', '-module(app).', 'f() -> "% Process: no".');
    expect(markers('src/app.erl', erl)).toEqual(['1:4 process=Supervision Tree | reference=docs/otp.md']);
    const tex = lines('50\\% done % Architecture: Paper Build', '% Reference: docs/paper.md');
    expect(markers('paper.tex', tex)).toEqual(['2:3 reference=docs/paper.md']);
    expect(comments('paper.tex', tex)).toEqual(['1:13+code Architecture: Paper Build', '2:3 Reference: docs/paper.md']);
  });

  it('batch `REM`, `@rem` and `::`', () => {
    const text = lines('@echo off', 'REM Deployment Process: Windows Build', ':: Environment: ci', '@rem Reference: docs/win.md', 'REMOVE.exe', 'echo REM Process: no');
    expect(markers('build.bat', text)).toEqual(['2:5 deployment process=Windows Build | environment=ci | reference=docs/win.md']);
  });

  it('unknown extension: `#` and `//`', () => {
    expect(markers('notes.xyz', lines('# Process: Hash', 'x', '// Process: Slash', 'url "http://a//b"'))).toEqual([
      '1:3 process=Hash',
      '3:4 process=Slash',
    ]);
  });

  it('Python, Ruby, PowerShell, TOML, Makefile', () => {
    expect(markers('a.py', lines('s = "# Process: no"', '# Process: Py', '"""', '# Process: docstring', '"""'))).toEqual(['2:3 process=Py']);
    expect(markers('a.rb', lines('=begin', 'Process: Rb Block', '=end', '# Process: Rb'))).toEqual(['2:1 process=Rb Block', '4:3 process=Rb']);
    // The closer line is an empty comment line, so it ends the block.
    expect(markers('a.ps1', lines('<#', '  Process: PS Block', '#>', '# Environment: prod'))).toEqual([
      '2:3 process=PS Block',
      '4:3 environment=prod',
    ]);
    expect(markers('pyproject.toml', lines('name = "a#b"', '# Process: Packaging'))).toEqual(['2:3 process=Packaging']);
    expect(markers('Makefile', lines('deploy:', '\t# Deployment Process: Make Deploy', '\techo "#"'))).toEqual([
      '2:4 deployment process=Make Deploy',
    ]);
  });

  it('C#, Java, Rust, Solidity, C', () => {
    expect(markers('P.cs', '// Process: Cs\nvar s = "//x";')).toEqual(['1:4 process=Cs']);
    expect(markers('M.java', '/* Process: Java */\nclass M {}')).toEqual(['1:4 process=Java']);
    expect(markers('m.rs', "/// Process: Rust\nfn f<'a>(x: &'a str) {}")).toEqual(['1:5 process=Rust']);
    expect(markers('T.sol', '// Security: Reentrancy Guard\ncontract T {}')).toEqual(['1:4 security=Reentrancy Guard']);
    expect(markers('a.c', 'const char *s = "/* not";\n// Process: C')).toEqual(['2:4 process=C']);
    expect(comments('a.c', 'char c = \'"\'; // after a char literal')).toEqual(['1:18+code after a char literal']);
  });

  it('markdown: only HTML comments outside fences', () => {
    const text = lines(
      '# Deployment Process: Not A Marker (a heading)',
      '<!-- Process: Doc Marker -->',
      '```hcl',
      '# Deployment Process: [Process Name]',
      '<!-- Process: In Fence -->',
      '```',
      'Process: plain text',
    );
    expect(markers('docs/a.md', text)).toEqual(['2:6 process=Doc Marker']);
    expect(markers('docs/a.mdx', lines('{/* Process: Mdx */}', '~~~', '<!-- Process: no -->', '~~~'))).toEqual(['1:5 process=Mdx']);
  });
});

describe('extractMarkers: blocks', () => {
  it('splits blocks at blank lines, code lines and empty comment lines', () => {
    const text = lines(
      '# Process: A',
      '',
      '# Process: B',
      'x = 1',
      '# Process: C',
      '#',
      '# Process: D',
      '# Implements: d',
    );
    expect(markers('a.tf', text)).toEqual(['1:3 process=A', '3:3 process=B', '5:3 process=C', '7:3 process=D | implements=d']);
  });

  it('accepts any subset of tags in any order', () => {
    const text = lines('# Reference: docs/a.md', '# Environment: staging', '# Deployment Process: Late'
    );
    const [marker] = extractMarkers('a.tf', text, tags).markers;
    expect([marker.line, marker.process, marker.area, marker.environment, marker.implements]).toEqual([1, 'Late', 'Deployment Process', 'staging', undefined]);
    expect(markers('a.tf', '# Environment: dev')).toEqual(['1:3 environment=dev']);
  });

  it('joins continuation lines with one space', () => {
    const text = lines(
      '# Implements: first part',
      '#     second part',
      '# third part, no indent',
      '# Reference:',
      '#   docs/a.md,',
      '#   docs/b.md',
    );
    expect(markers('a.sh', text)).toEqual(['1:3 implements=first part second part third part, no indent | reference=docs/a.md, docs/b.md']);
    expect(extractMarkers('a.sh', text, tags).markers[0].endLine).toBe(6);
  });

  it('ignores prose before the first tag', () => {
    const text = lines('# Configures the load balancer.', '# Process: LB', 'x');
    expect(markers('a.tf', text)).toEqual(['2:3 process=LB']);
  });

  it('matches tags case-insensitively and keeps the label as written', () => {
    const text = lines('# deployment process: lower', '# IMPLEMENTS: upper', '# Deployment  Process: two spaces');
    const [marker] = extractMarkers('a.tf', text, tags).markers;
    expect(marker.fields.map((f) => `${f.tag}/${f.label}=${f.value}`)).toEqual([
      'deployment process/deployment process=lower',
      'implements/IMPLEMENTS=upper',
      'deployment process/Deployment  Process=two spaces',
    ]);
    expect([marker.process, marker.area]).toEqual(['lower', 'Deployment Process']);
  });

  it('maps aliases to their canonical tag', () => {
    const text = lines('# Process: P', '# Runbook: docs/runbooks/p.md', '# See: docs/a.md', '# refs: docs/b.md');
    const [marker] = extractMarkers('a.tf', text, tags).markers;
    expect(marker.fields.map((f) => `${f.tag}/${f.label}=${f.value}`)).toEqual([
      'process/Process=P',
      'reference/Runbook=docs/runbooks/p.md',
      'reference/See=docs/a.md',
      'reference/refs=docs/b.md',
    ]);
  });

  it('uses configured tags only', () => {
    const custom = resolveConfig({ tags: { process: ['Playbook'] }, aliases: { Doc: 'Reference' } }, 'repo').tags;
    const text = lines('# Playbook: Failover', '# Doc: docs/f.md', '', '# Deployment Process: not configured');
    expect(markers('a.tf', text, custom)).toEqual(['1:3 playbook=Failover | reference=docs/f.md']);
    const [marker] = extractMarkers('a.tf', text, custom).markers;
    expect([marker.process, marker.area]).toEqual(['Failover', 'Playbook']);
  });

  it('skips template placeholders and drops a block of only placeholders', () => {
    const template = lines(
      '# Deployment Process: [Process Name]',
      '# Implements: [What this implements]',
      '# Environment: [Environment name]',
      '# Reference: [Process doc]',
    );
    expect(markers('a.tf', template)).toEqual([]);
    const partial = lines('# Deployment Process: [Process Name]', '# Implements: real thing', '# Reference: [docs/a.md](docs/a.md)');
    expect(markers('a.tf', partial)).toEqual(['2:3 implements=real thing | reference=[docs/a.md](docs/a.md)']);
    expect(extractMarkers('a.tf', partial, tags).markers[0].process).toBeUndefined();
  });

  it('avoids prose false positives', () => {
    const text = lines(
      '# Process the input:',
      '# TODO: fix this',
      '# Process:',
      '#   1. download',
      '# Process : spaced colon',
      '# See the Process: later',
      '// NOTE: Implements nothing',
      '# https://example.com/Process: x',
    );
    expect(markers('a.sh', text)).toEqual([]);
  });

  it('treats trailing comments as code, ending a block', () => {
    const text = lines('# Process: A', 'x = 1 # Implements: trailing', '# Implements: b');
    expect(markers('a.tf', text)).toEqual(['1:3 process=A', '3:3 implements=b']);
  });

  it('reports exact columns with indentation and tabs', () => {
    const text = lines('\t  # Process:   Spaced   Value  ', '    //Reference:docs/a.md');
    expect(markers('a.tf', text)).toEqual(['1:6 process=Spaced   Value | reference=docs/a.md']);
    expect(valueColumns('a.tf', text)).toEqual(['1:17', '2:17']);
    expect(valueColumns('a.ts', lines('  /**', '   * Implements: x', '   */'))).toEqual(['2:18']);
  });

  it('handles CRLF, lone CR and BOM', () => {
    const text = '\uFEFF# Process: A\r\n# Environment: prod\r\rx\r# Process: B\n';
    expect(markers('a.tf', text)).toEqual(['1:3 process=A | environment=prod', '5:3 process=B']);
  });

  it('stays linear on long and hostile lines', () => {
    const long = 100_000;
    const inputs: [string, string][] = [
      ['a.tf', `# Deployment Process${' '.repeat(long)}: x`],
      ['a.tf', `# ${'Process '.repeat(long / 8)}`],
      ['a.tf', `# Process: ${'a: '.repeat(long / 3)}`],
      ['a.ts', '/*'.repeat(long / 2)],
      ['a.ts', '"'.repeat(long)],
      ['a.sql', "'".repeat(long)],
      ['a.yaml', `k: ${"'".repeat(long)} #`],
      ['a.md', '<!--'.repeat(long / 4)],
      ['a.sh', '<<'.repeat(long / 2)],
      ['a.sh', Array.from({ length: 20_000 }, () => '# waymark-ignore-next-line').join('\n')],
      ['a.tf', '# Process: x\n'.repeat(20_000)],
      ['a.ts', `/* ${'waymark-ignore-next-line '.repeat(4000)} */${'\n'.repeat(50_000)}x`],
    ];
    // Catastrophic backtracking would hang here; the test timeout is the guard, not a stopwatch.
    for (const [path, text] of inputs) {
      const lineCount = text.split('\n').length;
      for (const marker of extractMarkers(path, text, tags).markers) {
        expect(marker.endLine, path).toBeLessThanOrEqual(lineCount);
      }
    }
  });
});

describe('extractMarkers: suppressions', () => {
  const suppressions = (path: string, text: string) =>
    extractMarkers(path, text, tags).suppressions.map((s) => `${s.line} ${s.rules.join(',') || '*'}`);

  it('applies to the very next line, even a blank one', () => {
    const text = lines('# waymark-ignore-next-line', '', '  ', 'x = 1', '# waymark-ignore-next-line missing-file', '# Reference: docs/gone.md');
    expect(suppressions('a.tf', text)).toEqual(['2 *', '6 missing-file']);
  });

  it('reads rule ids separated by spaces or commas, up to a reason', () => {
    const text = lines(
      '// waymark-ignore-next-line missing-file, line-out-of-range -- moved in #42',
      'a();',
      '<!-- waymark-ignore-next-line: stale-process -->',
      'b();',
    );
    expect(suppressions('a.ts', text)).toEqual(['2 missing-file,line-out-of-range']);
    expect(suppressions('a.md', text)).toEqual(['4 stale-process']);
  });

  it('works in trailing and block comments, not in strings, fences or look-alikes', () => {
    const text = lines(
      'x = 1 # waymark-ignore-next-line',
      'y = 2',
      's = "# waymark-ignore-next-line"',
      '# waymark-ignore-next-lines',
      'z = 3',
      '/* waymark-ignore-next-line a */ w = 4',
      'v = 5',
      '# waymark-ignore-next-line',
    );
    expect(suppressions('a.tf', text)).toEqual(['2 *', '7 a']);
    expect(suppressions('a.md', lines('```', '<!-- waymark-ignore-next-line -->', '```', 'x'))).toEqual([]);
  });
});
