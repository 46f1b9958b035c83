/**
 * A hostile repository, generated at test time in a temporary folder: the
 * inputs git cannot hold or that must never be committed (symbolic links out
 * of the repository and in loops, invalid UTF-8, NUL bytes, huge files) next
 * to malformed markdown, odd file names and script payloads everywhere a
 * repository can put text. One control process in the middle of it all must
 * still be read and published.
 *
 * Layout: `<base>/outside/` holds the secret; `<base>/repo/` is the repository.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TAGS } from '../../src/core/config/config.ts';
import { PAYLOADS, SECRET, SENTINEL, TAG_LABEL } from './payloads.ts';

export interface HostileRepo {
  /** The repository root. */
  repo: string;
  /** A folder next to it whose files must never be read. */
  outside: string;
}

/** References in `docs/many-references.md`. */
export const MANY_REFERENCES = 10_000;
/** Depth of the deeply nested folder chain. */
export const NESTING_DEPTH = 64;
/** Path of the file at the bottom of it. */
export const DEEP_FILE = `${Array.from({ length: NESTING_DEPTH }, (_, i) => `d${i}`).join('/')}/deep.tf`;

/** File names a careless site would break on. */
export const ODD_NAMES = {
  space: 'docs/names/with space.md',
  unicode: 'docs/names/ünïcødé-文档-🚀.md',
  quotes: `docs/names/quote"double'single.md`,
  img: 'docs/names/<img src=x onerror=window.__pwned=1>.md',
  script: 'docs/names/<script>window.__pwned=1<%2Fscript>.md',
  controls: 'docs/names/new\nline\ttab\u001b[31mred.md',
} as const;

/** A token in the control documents: it must be published. */
export const CONTROL_TOKEN = 'CONTROL-TOKEN-published-ok';

const BOM = '\ufeff';

function control(): Record<string, string> {
  return {
    'docs/processes/good-rollout.md': `# Deployment Process: Good Rollout

**Status**: validated
**Last Updated**: 2026-01-05
**Last Validated**: 2026-01-05

${CONTROL_TOKEN}: run \`infra/good.tf\` and see [the names](../names/with%20space.md).

## Change History

| Date | Change | Author |
|------|--------|--------|
| 2026-01-05 | Created | ops |
`,
    'infra/good.tf': `# Deployment Process: Good Rollout
# Environment: production
# Reference: docs/processes/good-rollout.md
resource "null_resource" "good" {}
`,
  };
}

/** Malformed markdown and metadata: each must become a diagnostic, never a crash. */
function malformed(): Record<string, string> {
  return {
    'docs/bad/yaml-invalid.md': `---
title: [unclosed
owner: : :
---
# Deployment Process: Broken YAML

Body after broken YAML is still read: \`infra/good.tf\`.
`,
    'docs/bad/yaml-unclosed.md': `---
title: Never closed
status: draft

# Deployment Process: Unclosed front matter
`,
    'docs/bad/yaml-js-engine.md': `---js
{ title: (function () { globalThis.__pwnedNode = 1; return 'x'; })() }
---
# Deployment Process: JavaScript front matter
`,
    'docs/bad/yaml-scalar.md': `---
just a string
---
# Deployment Process: Scalar front matter
`,
    'docs/bad/yaml-bad-date.md': `---
last_updated: 2025-13-45
---
# Deployment Process: Front matter date
`,
    'docs/bad/unterminated-fence.md': `# Unterminated fence

\`\`\`bash
# Deployment Process: Inside A Fence
echo "this fence is never closed"
`,
    'docs/bad/unterminated-table.md': `# Unterminated tables

## Change History

| Date | Change | Author |
| 2026-01-01 | header without a delimiter row | ops |

| Date | Change |
|------|--------|
| 2026-01-02 | row with \`unclosed code | and more cells | than | the header |
| 2026-01-03`,
    'docs/bad/bold-keys.md': `# Deployment Process: Bold Keys Without Values

**Status**:
**Last Updated**:
**Last Validated**:
**Owner**:
**:
****: nothing
`,
    'docs/bad/dates.md': `# Deployment Process: Impossible Dates

**Status**: validated
**Last Updated**: 2025-13-45
**Last Validated**: 2025-02-30

## Change History

| Date | Change | Author |
|------|--------|--------|
| 2025-13-45 | Impossible date | ops |
`,
  };
}

/** Script payloads in every place a repository can put text. */
function payloads(): Record<string, string> {
  const name = `\`${PAYLOADS.script}\` Evil`;
  return {
    'docs/processes/xss.md': `---
owner: "${PAYLOADS.img.replaceAll('"', '\\"')}"
aliases: ["${PAYLOADS.attributeBreak.replaceAll('"', '\\"')}"]
---
# Deployment Process: ${name}

**Status**: validated
**Owner**: ${PAYLOADS.img}
**Notes**: ${PAYLOADS.singleQuoteBreak}
**Last Updated**: 2026-01-04
**Last Validated**: 2026-01-04

${PAYLOADS.script}
${PAYLOADS.img}
${PAYLOADS.svg}
${PAYLOADS.iframe}
<a href="${PAYLOADS.jsUrl}">raw html link</a>
<div onclick="${SENTINEL}" style="background:url(javascript:${SENTINEL})">div</div>

Inline <b onmouseover="${SENTINEL}">bold</b> and <details open ontoggle="${SENTINEL}">x</details>.

[markdown js link](${PAYLOADS.jsUrl})
[upper-case js link](JAVASCRIPT:${SENTINEL})
[entity js link](&#106;avascript:${SENTINEL})
[spaced js link]( javascript:${SENTINEL} )
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![js image](${PAYLOADS.jsUrl})
<${PAYLOADS.jsUrl}>

[js definition][evil]

[evil]: ${PAYLOADS.jsUrl}

**Code References**: \`infra/xss.tf\`, \`${PAYLOADS.attributeBreak}\`

## Environment Configuration

### \`${PAYLOADS.img}\`

Environment named with a payload.

### Sub \`${PAYLOADS.script}\`

**Description**: \\<b onmouseover=${SENTINEL}>escaped\\</b>
**Automation**: \`infra/xss.tf\`

## Change History

| Date | Change | Author |
|------|--------|--------|
| 2026-01-04 | \`${PAYLOADS.script}\` | \\<img src=x onerror=${SENTINEL}> |
`,
    'infra/xss.tf': `# Deployment Process: ${PAYLOADS.script} Evil
# Environment: ${PAYLOADS.img}
# Implements: ${PAYLOADS.attributeBreak}
# Reference: docs/processes/xss.md, ${PAYLOADS.jsUrl}, docs/${PAYLOADS.attributeBreak}.md
# Task: TASK-666
resource "x" "y" {}
`,
    'docs/plans/evil-plan.md': `# Improvement Plan: \`${PAYLOADS.script}\`

### TASK-666: \`${PAYLOADS.img}\`

**Priority**: P0 ${PAYLOADS.svg}
**Status**: In Progress
**Area**: ${PAYLOADS.singleQuoteBreak}

Description with ${PAYLOADS.alert}.

**Files to modify**:
- \`infra/xss.tf\`: ${PAYLOADS.img}
`,
    // Environments and an area (a configured tag) that are markup: each becomes a search filter value
    // (on the file pages; a document headed with a configured tag is not read as a process yet).
    'infra/filters.tf': `# ${TAG_LABEL}: Tagged Evil
# Environment: ${PAYLOADS.entityImg}
resource "x" "filters" {}
`,
    'infra/filters-svg.tf': `# Deployment Process: Good Rollout
# Environment: ${PAYLOADS.svg}
resource "x" "svg" {}
`,
    'docs/component.mdx': `import Secret from '../../outside/secret.md';
export const pwned = (globalThis.__pwnedNode = 1);

# MDX is read as markdown

{globalThis.__pwnedNode = 1}
<Secret />
`,
  };
}

/** Files outside the repository reached through traversal references, which must stay \`missing\`. */
function traversal(): Record<string, string> {
  return {
    'infra/traversal.tf': `# Deployment Process: Good Rollout
# Reference: ../../etc/passwd
# Reference: /etc/ssl/openssl.cnf
# Reference: ../outside/secret.md
# Reference: ../../outside/secret.md#L1-L2
# Reference: docs/../../outside/secret.md
# Reference: linked-outside/secret.md
# Reference: docs/esc\u001bc-reset\u0007bell.md
resource "null_resource" "traversal" {}
`,
    'docs/traversal.md': `# Traversal

[up](../../../../etc/passwd) [absolute](/etc/passwd) [secret](../../outside/secret.md)
[file url](file:///etc/passwd) [through link](../linked-outside/secret.md)

**Code References**: \`../outside/secret.md:1\`, \`/etc/passwd\`
`,
  };
}

/** Line endings, byte-order marks and empty files; positions must stay those of the file. */
function encodings(): Record<string, string> {
  return {
    'docs/encoding/bom.md': `${BOM}# Deployment Process: Bom Process\n\n**Status**: validated\n**Last Updated**: 2025-13-45\n`,
    'infra/bom.tf': `${BOM}# Deployment Process: Bom Process\n# Reference: docs/missing-from-bom.md\n`,
    'docs/encoding/crlf.md': '# Deployment Process: CRLF\r\n\r\n**Last Updated**: 2025-13-45\r\n\r\nSee `docs/missing-from-crlf.md`.\r\n',
    'infra/crlf.tf': '# Deployment Process: Good Rollout\r\n# Reference: docs/missing-from-crlf.tf.md\r\nresource "a" "b" {}\r\n',
    'docs/encoding/cr.md': '# Deployment Process: Lone CR\r\r**Last Updated**: 2025-13-45\r\rSee `docs/missing-from-cr.md`.\r',
    'infra/cr.tf': '# Deployment Process: Good Rollout\r# Reference: docs/missing-from-cr.tf.md\rresource "a" "b" {}\r',
    'docs/encoding/mixed.md': '# Deployment Process: Mixed\r\n\n\r**Last Updated**: 2025-13-45\n',
    'docs/empty/empty.md': '',
    'docs/empty/blank.md': '\n\n   \n\t\n',
    'docs/empty/only-bom.md': BOM,
    'infra/empty.tf': '',
  };
}

function oddNames(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [key, file] of Object.entries(ODD_NAMES)) files[file] = `Odd name (${key}). See [good](../processes/good-rollout.md).\n`;
  // A problem inside a name with control characters puts them in every report's file column.
  // A process document, so its metadata is checked (other markdown's is its own business).
  files[ODD_NAMES.controls] = `# Deployment Process: Odd Controls\n\n**Last Updated**: 2025-13-45\n\n${files[ODD_NAMES.controls]}`;
  files[`infra/${`odd "name" <b onmouseover=${SENTINEL}>`}.tf`] = '# Deployment Process: Good Rollout\n# Reference: docs/processes/good-rollout.md\n';
  files[DEEP_FILE] = '# Deployment Process: Good Rollout\n# Reference: docs/processes/good-rollout.md\n';
  return files;
}

/** Bytes that are not text, behind text extensions. */
function binaries(): Record<string, Uint8Array> {
  return {
    'scripts/binary.sh': Buffer.from([...Buffer.from('#!/bin/sh\n# Deployment Process: Good Rollout\n'), 0, 1, 2, 0, 255]),
    'docs/encoding/binary.md': Buffer.from([...Buffer.from('# Binary\n'), 0, 0, 0]),
    'docs/encoding/invalid-utf8.md': Buffer.from([...Buffer.from('# Invalid UTF-8\n\n'), 0xff, 0xfe, 0xc3, 0x28, 0x0a]),
    'infra/invalid-utf8.tf': Buffer.from([...Buffer.from('# Deployment Process: Good Rollout\n# Reference: '), 0xc0, 0xaf, 0x0a]),
  };
}

/** Outside files, with markers and headings that would show up if they were ever read. */
function outsideFiles(): Record<string, string> {
  return {
    'secret.md': `# Deployment Process: ${SECRET}\n\n${SECRET}\n`,
    'secret.tf': `# Deployment Process: Good Rollout\n# Reference: ${SECRET}.md\n# ${SECRET}\n`,
    'nested/deeper.md': `# ${SECRET}\n`,
    // Ignores everything: if the linked `.gitignore` were ever read, the repository would look empty.
    gitignore: `# ${SECRET}\n*\n`,
    // Target of the repository's `node_modules` link: Waymark's cache must not be written here.
    'nm/.keep': '',
  };
}

function write(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Symbolic links out of the repository, in loops, dangling, and one harmless one inside. */
function links(repo: string, outside: string): void {
  const link = (target: string, file: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    symlinkSync(target, path.join(repo, file));
  };
  link(path.join(outside, 'secret.md'), 'docs/links/absolute-outside.md');
  link('../../../outside/secret.md', 'docs/links/relative-outside.md');
  link(path.join(outside, 'secret.tf'), 'infra/outside.tf');
  link(outside, 'linked-outside');
  link(path.join(outside, 'gitignore'), '.gitignore');
  link(path.join(outside, 'nm'), 'node_modules');
  link('/etc/passwd', 'docs/links/passwd.md');
  link('loop-b.md', 'docs/links/loop-a.md');
  link('loop-a.md', 'docs/links/loop-b.md');
  link('.', 'docs/links/self');
  link('..', 'docs/links/parent');
  link('nowhere.md', 'docs/links/dangling.md');
  link('../names/with space.md', 'docs/links/inside.md');
}

/** Write the hostile repository under `base` (which must exist and be empty). */
export function writeHostileRepo(base: string): HostileRepo {
  const repo = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  write(outside, outsideFiles());
  write(repo, { ...control(), ...malformed(), ...payloads(), ...traversal(), ...encodings(), ...oddNames(), ...binaries() });
  write(repo, {
    'docs/many-references.md': manyReferences(MANY_REFERENCES),
    'waymark.config.json': JSON.stringify({
      name: `hostile ${PAYLOADS.script}`,
      site: { title: `Hostile ${PAYLOADS.img}`, repoUrl: `https://example.com/${PAYLOADS.attributeBreak}/{path}#L{line}` },
      tags: { process: [...DEFAULT_TAGS.process, TAG_LABEL] },
    }),
  });
  links(repo, outside);
  return { repo, outside };
}

/** Write `count` references into one document: all resolve but the last. */
export function manyReferences(count: number): string {
  const lines = ['# Many references', ''];
  for (let i = 1; i < count; i++) lines.push(`- \`infra/good.tf:${(i % 4) + 1}\``);
  lines.push('- `infra/missing-after-many.tf`');
  return `${lines.join('\n')}\n`;
}

/**
 * A repository of single-line files of `size` bytes each (markup-heavy
 * markdown, a marker with an endless value, one-line YAML) next to one
 * ordinary document, with `maxFileSize` set when given.
 */
export function writeHugeLineRepo(base: string, size: number, maxFileSize?: number): string {
  const repo = path.join(base, 'repo');
  const line = (unit: string, prefix = '') => prefix + unit.repeat(Math.ceil((size - prefix.length) / unit.length)).slice(0, size - prefix.length);
  write(repo, {
    'docs/huge.md': line('*a_'),
    'infra/huge.tf': line('a/', '# Reference: '),
    'k8s/huge.yaml': line('[{', 'key: '),
    'docs/ok.md': `# Still read\n\nSee \`docs/missing-next-to-huge.md\`.\n`,
    ...(maxFileSize ? { 'waymark.config.json': JSON.stringify({ maxFileSize }) } : {}),
  });
  return repo;
}
