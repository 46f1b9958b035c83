import { describe, expect, it } from 'vitest';
import { DEFAULT_ID_PATTERN, parseLinkTarget, parseReferences, type ParseReferenceOptions } from '../src/core/extract/reference-parse.ts';
import { ParsedReference } from '../src/core/schema.ts';

/** `kind target:start-end#anchor §section` — one compact line per reference. */
function show(ref: ParsedReference): string {
  const target = ref.path ?? ref.identifier ?? ref.url;
  const lines = ref.lines ? `:${ref.lines.start}-${ref.lines.end}` : '';
  const anchor = ref.anchor ? `#${ref.anchor}` : '';
  const section = ref.section !== undefined ? ` §${ref.section}` : '';
  return `${ref.kind} ${target}${lines}${anchor}${section}`;
}

function parse(value: string, options?: ParseReferenceOptions): string[] {
  return parseReferences(value, options).map(show);
}

describe('parseReferences: every form of CONVENTIONS §2', () => {
  const cases: [string, string[]][] = [
    // repo-relative path
    ['docs/processes/blue-green-rollout.md', ['path docs/processes/blue-green-rollout.md']],
    // path + heading anchor
    ['docs/processes/blue-green-rollout.md#rollback', ['path docs/processes/blue-green-rollout.md#rollback']],
    // path + line / range
    ['infra/lb.tf:12', ['path infra/lb.tf:12-12']],
    ['infra/lb.tf:12-48', ['path infra/lb.tf:12-48']],
    ['infra/lb.tf#L12-L48', ['path infra/lb.tf:12-48']],
    ['infra/lb.tf#L12', ['path infra/lb.tf:12-12']],
    ['infra/lb.tf:L12-L48', ['path infra/lb.tf:12-48']],
    ['infra/lb.tf:12–48', ['path infra/lb.tf:12-48']],
    ['src/app.ts:12:5', ['path src/app.ts:12-12']],
    // range in words
    ['backend/schema.ts (lines 189-259)', ['path backend/schema.ts:189-259']],
    ['backend/schema.ts (line 12)', ['path backend/schema.ts:12-12']],
    ['backend/schema.ts (lines 12 to 20)', ['path backend/schema.ts:12-20']],
    ['backend/schema.ts lines 5-9', ['path backend/schema.ts:5-9']],
    ['backend/schema.ts (L5-L9)', ['path backend/schema.ts:5-9']],
    // section in words
    ['docs/ARCHITECTURE.md Section 9', ['path docs/ARCHITECTURE.md §9']],
    ['docs/ARCHITECTURE.md section 2.3', ['path docs/ARCHITECTURE.md §2.3']],
    ['docs/animations.md §0', ['path docs/animations.md §0']],
    ['docs/animations.md § 4.2', ['path docs/animations.md §4.2']],
    ['docs/processes/deploy.md (Orchestration section)', ['path docs/processes/deploy.md §Orchestration']],
    ['docs/processes/deploy.md (Section 4)', ['path docs/processes/deploy.md §4']],
    ['docs/processes/deploy.md (§4)', ['path docs/processes/deploy.md §4']],
    ['docs/a.md Section 2 (lines 3-4)', ['path docs/a.md:3-4 §2']],
    // several in one value
    [
      'docs/a.md, docs/b.md & .rules/arch.md Section 2',
      ['path docs/a.md', 'path docs/b.md', 'path .rules/arch.md §2'],
    ],
    ['docs/a.md and docs/b.md; docs/c.md,docs/d.md', ['path docs/a.md', 'path docs/b.md', 'path docs/c.md', 'path docs/d.md']],
    // backticked pieces
    [
      '`deploy/pi/setup.sh:1-43`, `deploy/pi/app.service:1-20`',
      ['path deploy/pi/setup.sh:1-43', 'path deploy/pi/app.service:1-20'],
    ],
    ['`backend/schema.ts` (lines 189-259)', ['path backend/schema.ts:189-259']],
    ['`docs/ARCHITECTURE.md` Section 9', ['path docs/ARCHITECTURE.md §9']],
    // bare file name
    ['Home.tsx:57-108', ['path Home.tsx:57-108']],
    ['Dockerfile', ['path Dockerfile']],
    ['Makefile:10', ['path Makefile:10-10']],
    ['deploy/Dockerfile.prod', ['path deploy/Dockerfile.prod']],
    ['.env.production', ['path .env.production']],
    // relative to the document or a sub-project
    ['../infra/lb.tf', ['path ../infra/lb.tf']],
    ['./scripts/deploy.sh', ['path ./scripts/deploy.sh']],
    ['charts/x/templates/sts.yaml:44-59', ['path charts/x/templates/sts.yaml:44-59']],
    // prefixed with the repository's name
    ['my-infra/script/deploy.sh:30', ['path my-infra/script/deploy.sh:30-30']],
    // directories
    ['deploy/pi/', ['path deploy/pi/']],
    ['infra/modules', ['path infra/modules']],
    ['.github/workflows/ci.yml', ['path .github/workflows/ci.yml']],
    // globs
    ['docs/decisions/0036-*.md', ['glob docs/decisions/0036-*.md']],
    ['docs/**/*.md', ['glob docs/**/*.md']],
    ['infra/**', ['glob infra/**']],
    ['*.tf', ['glob *.tf']],
    ['docs/{a,b}.md', ['glob docs/{a,b}.md']],
    ['docs/*.{md,mdx}', ['glob docs/*.{md,mdx}']],
    ['src/file?.ts', ['glob src/file?.ts']],
    // IDs
    ['TASK-001', ['id TASK-001']],
    ['TASK-001, GAP-007 and BUG_0007; ADR-0043 & WORKFLOW_011', ['id TASK-001', 'id GAP-007', 'id BUG_0007', 'id ADR-0043', 'id WORKFLOW_011']],
    ['Closes TASK-001.', ['id TASK-001']],
    ['**TASK-002**', ['id TASK-002']],
    ['(GAP-007)', ['id GAP-007']],
    ['TASK-001.md', ['path TASK-001.md']],
    // URLs
    ['https://example.com/runbook', ['url https://example.com/runbook']],
    ['see http://example.com/a?b=1&c=2.', ['url http://example.com/a?b=1&c=2']],
    ['(https://en.wikipedia.org/wiki/Foo_(bar))', ['url https://en.wikipedia.org/wiki/Foo_(bar)']],
    ['<https://example.com/x>', ['url https://example.com/x']],
    // markdown links: the target, never the text
    ['[the runbook](docs/runbook.md)', ['path docs/runbook.md']],
    ['[infra/lb.tf:12](infra/lb.tf#L12-L20 "lb")', ['path infra/lb.tf:12-20']],
    ['See [docs](https://example.com/docs) and [a](docs/a.md#step-2)', ['url https://example.com/docs', 'path docs/a.md#step-2']],
    ['[guide](guide)', ['path guide']],
    ['[Rollback](#rollback)', ['path #rollback']],
    ['[space](<docs/my file.md>)', ['path docs/my file.md']],
    ['[enc](docs/my%20file.md)', ['path docs/my file.md']],
    // a code span holding one path with spaces in its names is one path; spaced words after a file are not
    ['`docs/plans/DMF Vendor Multi-Tenancy Vision 2026-05-29.md` — North Star', ['path docs/plans/DMF Vendor Multi-Tenancy Vision 2026-05-29.md']],
    ['Handoff: `docs/handoffs/DMF Catalog + Move 1 Handoff 2026-05-04.md#scope`', ['path docs/handoffs/DMF Catalog + Move 1 Handoff 2026-05-04.md#scope']],
    ['`docs/a.md Section 2`', ['path docs/a.md §2']],
    ['`scripts/run.sh --dry-run infra/x.yaml`', ['path scripts/run.sh', 'path infra/x.yaml']],
    ['`docs/plans/DMF Vendor`', ['path docs/plans/DMF']],
    ['[blob](src/a.ts?plain=1#L3-L4)', ['path src/a.ts:3-4']],
    ['![diagram](img/arch.png)', ['path img/arch.png']],
    ['[mail](mailto:ops@example.com)', []],
    // prose around references
    ['See docs/a.md.', ['path docs/a.md']],
    ['**docs/a.md**', ['path docs/a.md']],
    ['<docs/a.md>', ['path docs/a.md']],
    ['Implements rollback; see infra/lb.tf:12-48 and TASK-003 for details', ['path infra/lb.tf:12-48', 'id TASK-003']],
    ['app/(auth)/[id]/page.tsx', ['path app/(auth)/[id]/page.tsx']],
    ['pages/[...slug].tsx', ['path pages/[...slug].tsx']],
    ['node_modules/@types/node/index.d.ts', ['path node_modules/@types/node/index.d.ts']],
  ];
  it.each(cases)('%s', (value, expected) => {
    expect(parse(value)).toEqual(expected);
  });
});

describe('parseReferences: things that look like references but are not', () => {
  const notReferences = [
    '127.0.0.1:3000',
    'localhost:8080',
    '23:45',
    '12:30:00',
    'Type.Member:100-105',
    'the load balancer switches traffic between target groups',
    'v1.2.3',
    'e.g. i.e. etc.',
    'CI/CD',
    'TCP/UDP',
    'I/O',
    'blue/green',
    'Blue/Green Rollout',
    'and/or',
    'req/s',
    '24/7',
    '2026/01/05',
    '10.0.0.0/16',
    '/api/v1/users',
    '/etc/passwd',
    '~/.ssh/config',
    '~/.bashrc',
    '@astrojs/mdx',
    'github.com/org/repo',
    'gopkg.in/yaml.v3',
    'example.com',
    'Next.js and Node.js',
    'UTF-8 SHA-256 ISO-8601',
    's3://bucket/key.json',
    'git@github.com:org/repo.git',
    '#123',
    '.md files',
    '/',
    '**Status**:',
    '*emphasis*',
    '**',
    '...',
    'https://',
  ];
  it.each(notReferences)('%s', (value) => {
    expect(parse(value)).toEqual([]);
  });
});

describe('parseReferences: template placeholders are not references (CONVENTIONS §5)', () => {
  const placeholders = [
    '[Process Name]',
    '[Process doc]',
    'file.tf:line-range',
    'infra/file.tf:line',
    'TASK-XXX',
    'path/to/file',
    'path/to/file.tf',
    '/path/to/config.yaml',
    'YYYY-MM-DD',
    'docs/reports/YYYY-MM-DD-audit.md',
    'docs/tasks/TASK-XXX-summary.md',
    '<placeholder>',
    'docs/<name>.md',
    '{{x}}',
    'docs/{{name}}.md',
    '${ROOT}/infra/lb.tf',
    'docs/{process}.md',
    'docs/processes/[process-name].md',
    'docs/[Process Name].md',
    'docs/.../x.md',
    'docs/…',
    '[Process doc](path/to/doc.md)',
  ];
  it.each(placeholders)('%s', (value) => {
    expect(parse(value)).toEqual([]);
  });

  it('keeps the real references next to placeholders', () => {
    expect(parse('TASK-XXX, TASK-004 and path/to/file or infra/lb.tf:1-2')).toEqual(['id TASK-004', 'path infra/lb.tf:1-2']);
  });
});

describe('parseReferences: raw and offset', () => {
  const value = '`deploy/pi/setup.sh:1-43`, see docs/a.md (lines 3-4) & [x](docs/b.md#top) or https://x.io/a. TASK-007';
  const refs = parseReferences(value);

  it('reports each raw text and its 0-based offset', () => {
    expect(refs.map((ref) => [ref.raw, ref.offset])).toEqual([
      ['deploy/pi/setup.sh:1-43', 1],
      ['docs/a.md (lines 3-4)', 31],
      ['docs/b.md#top', 59],
      ['https://x.io/a', 77],
      ['TASK-007', 93],
    ]);
  });

  it('raw is always the exact slice of the value at offset', () => {
    for (const ref of refs) expect(value.slice(ref.offset, ref.offset + ref.raw.length)).toBe(ref.raw);
  });

  it('every result satisfies the ParsedReference schema', () => {
    for (const ref of refs) expect(ParsedReference.safeParse(ref).success).toBe(true);
  });

  it('keeps path, anchor and lines apart from raw', () => {
    expect(parseReferences('see `infra/lb.tf#L12-L48`')).toEqual([
      { raw: 'infra/lb.tf#L12-L48', kind: 'path', path: 'infra/lb.tf', lines: { start: 12, end: 48 }, offset: 5 },
    ]);
  });
});

describe('parseReferences: line numbers', () => {
  it('keeps a reversed range as written so a rule can report it', () => {
    expect(parse('infra/lb.tf:48-12')).toEqual(['path infra/lb.tf:48-12']);
  });

  it('drops line 0, which no file has, but keeps the reference', () => {
    expect(parse('infra/lb.tf:0')).toEqual(['path infra/lb.tf']);
  });

  it('keeps the first line spec when words repeat it', () => {
    expect(parse('infra/lb.tf:1-2 (lines 5-9)')).toEqual(['path infra/lb.tf:1-2']);
  });
});

describe('parseReferences: ID pattern', () => {
  it('exports the default pattern', () => {
    expect(DEFAULT_ID_PATTERN).toBe('[A-Z][A-Z0-9]*[-_][0-9]+');
  });

  it('matches whole words only', () => {
    expect(parse('TASK-001-summary xTASK-001 TASK-001a')).toEqual([]);
  });

  it('takes a configured pattern', () => {
    expect(parse('JIRA-12 and #45 and ops/7', { idPattern: '#[0-9]+|JIRA-[0-9]+' })).toEqual(['id JIRA-12', 'id #45']);
  });

  it('a configured pattern replaces the version-name exclusions', () => {
    expect(parse('UTF-8', { idPattern: '[A-Z]+-[0-9]+' })).toEqual(['id UTF-8']);
  });

  it('falls back to the default on an invalid pattern instead of throwing', () => {
    expect(parse('TASK-001', { idPattern: '([' })).toEqual(['id TASK-001']);
  });
});

describe('parseLinkTarget', () => {
  const cases: [string, string | undefined][] = [
    ['docs/a.md#rollback', 'path docs/a.md#rollback'],
    ['#rollback', 'path #rollback'],
    ['../infra/', 'path ../infra/'],
    ['https://example.com', 'url https://example.com'],
    ['mailto:a@b.c', undefined],
    ['', undefined],
  ];
  it.each(cases)('%s', (target, expected) => {
    const ref = parseLinkTarget(target);
    expect(ref ? show(ref) : undefined).toBe(expected);
  });
});

describe('parseReferences: robustness', () => {
  const hostile: [string, string][] = [
    ['slashes', 'a/'.repeat(50_000)],
    ['brackets', '['.repeat(100_000)],
    ['link openers', '[a]('.repeat(25_000)],
    ['parens', '('.repeat(100_000)],
    ['braces', '{'.repeat(100_000)],
    ['closers', '])'.repeat(50_000)],
    ['colons', 'a.md:1-'.repeat(15_000)],
    ['urls', 'http://'.repeat(15_000)],
    ['phrases', 'docs/a.md (lines 1-2 '.repeat(5_000)],
    ['sections', 'a.md Section Section § (x section '.repeat(3_000)],
    ['spaces', `docs/a.md${' '.repeat(100_000)}(lines 1-2)`],
    ['angles', '<'.repeat(50_000) + '>'.repeat(50_000)],
    ['words', 'word '.repeat(20_000)],
    ['ids', 'A'.repeat(100_000) + '-1'],
    ['mixed', 'x.ts:1-2, [a](b.md) TASK-1 {a,b}/*.md '.repeat(2_500)],
  ];
  it.each(hostile)('returns on a 100k-character value of %s', (_name, value) => {
    expect(Array.isArray(parseReferences(value))).toBe(true);
  });

  it('finds every reference in a long value of many references', () => {
    const value = Array.from({ length: 5_000 }, (_, i) => `src/f${i}.ts:${i + 1}`).join(', ');
    expect(parseReferences(value)).toHaveLength(5_000);
  });

  it('returns nothing for non-string input instead of throwing', () => {
    expect(parseReferences(undefined as unknown as string)).toEqual([]);
    expect(parseReferences('')).toEqual([]);
  });
});

describe('parseReferences: issue 12 class 5, tokens that are not paths', () => {
  it.each([
    'EtherNet/IP',
    'colorFrom/colorTo',
    'minWidth/maxWidth',
    'pts/sec',
    'msgs/hour',
    '§4/§5',
    'THE_NAME_YOU_WANT.yaml',
    'deploy/your-service.yaml',
    '.taskmaster/docs/feature-xyz-prd.txt',
    'charts/.../deployment.yaml',
    'path/to/file.yaml',
    'config/<service>.tf',
    'snake_case.py',
    'components/PascalCase.tsx',
    'docs/kebab-case.md',
    '10.7287/peerj.preprints.3190v2',
    '10.1145/3368089.3409742',
  ])('%s is not a reference', (value) => {
    expect(parse(value)).toEqual([]);
  });

  it.each([
    ['ops/deploy.sh', ['path ops/deploy.sh']],
    ['src/pages/thank-you.tsx', ['path src/pages/thank-you.tsx']],
    ['docs/Ethernet/setup.md', ['path docs/Ethernet/setup.md']],
    ['reports/sec/audit.md', ['path reports/sec/audit.md']],
    ['src/colorPicker/colorFrom.ts', ['path src/colorPicker/colorFrom.ts']],
    ['colorPicker/colorFrom.ts', ['path colorPicker/colorFrom.ts']],
    ['src/utils/snake_case_keys.py', ['path src/utils/snake_case_keys.py']],
    ['lib/toCamelCase.ts', ['path lib/toCamelCase.ts']],
    ['10.0/release-notes.md', ['path 10.0/release-notes.md']],
  ])('its near miss %s still is', (value, expected) => {
    expect(parse(value)).toEqual(expected);
  });
});

describe('parseReferences: a list of line numbers cites the same file item by item', () => {
  it('gives each number its own reference', () => {
    expect(parse('theme.css:212, 230, 240-245')).toEqual(['path theme.css:212-212', 'path theme.css:230-230', 'path theme.css:240-245']);
  });

  it('keeps raw and offset exact for every item', () => {
    const value = 'see web/theme.css:2,4 and docs/a.md';
    const refs = parseReferences(value);
    expect(refs.map((ref) => ref.raw)).toEqual(['web/theme.css:2', '4', 'docs/a.md']);
    for (const ref of refs) expect(value.slice(ref.offset, ref.offset + ref.raw.length)).toBe(ref.raw);
  });

  it('a number that is not a line list stays prose', () => {
    expect(parse('theme.css:212, 3.5 seconds')).toEqual(['path theme.css:212-212']);
    expect(parse('theme.css, 230')).toEqual(['path theme.css']);
  });
});
