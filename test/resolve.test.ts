import { describe, expect, it } from 'vitest';
import { parseReferences } from '../src/core/extract/reference-parse.ts';
import {
  createFileIndex,
  globToRegExp,
  matchGlob,
  pathsEndingWith,
  resolveByContext,
  resolveReference,
  similarPaths,
  type ResolveOptions,
} from '../src/core/graph/resolve.ts';
import type { ParsedReference } from '../src/core/schema.ts';

const repository = [
  'README.md',
  'Makefile',
  'docs/processes/blue-green-rollout.md',
  'docs/processes/raspberry-pi.md',
  'docs/decisions/0036-use-alb.md',
  'docs/decisions/0036-use-nlb.md',
  'docs/decisions/0037-other.md',
  'docs/ARCHITECTURE.md',
  'docs/ui/guide.md',
  'infra/lb.tf',
  'infra/network.tf',
  'infra/modules/vpc/main.tf',
  'script/deploy.sh',
  'deploy/charts/x/templates/sts.yaml',
  'deploy/pi/setup.sh',
  'deploy/pi/app.service',
  'web/src/pages/Home.tsx',
  'admin/src/pages/Home.tsx',
  'web/src/components/Button.tsx',
  'web/src/components/Card.tsx',
  'web/docs/notes.md',
  'backend/schema.ts',
  'backend/config.yaml',
  'backend/config.yml.example',
];

const index = createFileIndex(repository);
const prefixes = { repositoryPrefixes: ['my-infra'] };

function pathRef(path: string, kind: ParsedReference['kind'] = 'path'): ParsedReference {
  return { raw: path, kind, path, offset: 0 };
}

/** `status targets | candidates`, one line per resolution. */
function resolve(value: string, fromFile = 'docs/processes/blue-green-rollout.md'): string {
  const [ref] = parseReferences(value);
  if (!ref) return 'not a reference';
  return show(resolveReference(ref, fromFile, index, prefixes));
}

function show(resolution: { status: string; targets: string[]; candidates: string[] }): string {
  const parts = [resolution.status, ...resolution.targets];
  if (resolution.candidates.length > 0) parts.push('|', ...resolution.candidates);
  return parts.join(' ');
}

describe('createFileIndex', () => {
  it('sorts and de-duplicates paths and strips `./` and leading slashes', () => {
    const small = createFileIndex(['b.md', './a.md', '/b.md', 'dir/c.md', '']);
    expect(small.paths).toEqual(['a.md', 'b.md', 'dir/c.md']);
  });

  it('records every ancestor directory', () => {
    expect([...index.directories].filter((directory) => directory.startsWith('deploy')).sort()).toEqual([
      'deploy',
      'deploy/charts',
      'deploy/charts/x',
      'deploy/charts/x/templates',
      'deploy/pi',
    ]);
  });

  it('maps file names to their paths', () => {
    expect(index.byBasename.get('Home.tsx')).toEqual(['admin/src/pages/Home.tsx', 'web/src/pages/Home.tsx']);
  });

  it('finds paths by whole-segment suffix only', () => {
    expect(pathsEndingWith(index, 'pages/Home.tsx')).toEqual(['admin/src/pages/Home.tsx', 'web/src/pages/Home.tsx']);
    expect(pathsEndingWith(index, 'charts/x/templates/sts.yaml')).toEqual(['deploy/charts/x/templates/sts.yaml']);
    expect(pathsEndingWith(index, 'ages/Home.tsx')).toEqual([]);
    expect(pathsEndingWith(index, 'pi', 'directory')).toEqual(['deploy/pi']);
  });
});

describe('resolveReference: paths', () => {
  const cases: [string, string, string, string?][] = [
    // [name, value, expected, fromFile]
    ['repo-relative', 'infra/lb.tf:12-48', 'ok infra/lb.tf'],
    ['repo-relative with anchor', 'docs/processes/raspberry-pi.md#setup', 'ok docs/processes/raspberry-pi.md'],
    ['leading ./ from the root document', './infra/lb.tf', 'ok infra/lb.tf', 'README.md'],
    ['repo-relative with leading ./ from a nested document', './infra/lb.tf', 'ok infra/lb.tf'],
    ['leading slash means the repository root', '/infra/lb.tf', 'ok infra/lb.tf'],
    ['relative to the document', '../../infra/lb.tf', 'ok infra/lb.tf'],
    ['sibling of the document', 'raspberry-pi.md', 'ok docs/processes/raspberry-pi.md'],
    ['./ prefers the document folder', './raspberry-pi.md', 'ok docs/processes/raspberry-pi.md'],
    ['relative to a code file', '../docs/ARCHITECTURE.md Section 9', 'ok docs/ARCHITECTURE.md', 'infra/lb.tf'],
    ['repository name prefix stripped', 'my-infra/script/deploy.sh:30', 'ok script/deploy.sh'],
    ['repository name prefix, any case', 'My-Infra/script/deploy.sh', 'ok script/deploy.sh'],
    ['sub-project relative, by unique suffix', 'charts/x/templates/sts.yaml:44-59', 'ok deploy/charts/x/templates/sts.yaml'],
    ['bare file name, unique', 'Button.tsx:10', 'ok web/src/components/Button.tsx'],
    ['well-known name', 'Makefile', 'ok Makefile'],
    [
      'bare file name, ambiguous',
      'Home.tsx:57-108',
      'ambiguous | admin/src/pages/Home.tsx web/src/pages/Home.tsx',
    ],
    ['ambiguous, one under the document top folder', 'Home.tsx:57-108', 'ok web/src/pages/Home.tsx', 'web/docs/notes.md'],
    [
      'ambiguous from a root document',
      'pages/Home.tsx',
      'ambiguous | admin/src/pages/Home.tsx web/src/pages/Home.tsx',
      'README.md',
    ],
    ['directory with trailing slash', 'deploy/pi/', 'ok deploy/pi'],
    ['directory without trailing slash', 'infra/modules', 'ok infra/modules'],
    ['directory by suffix', 'charts/x/', 'ok deploy/charts/x'],
    ['a file is not a directory', 'infra/lb.tf/', 'missing | infra/lb.tf'],
    ['missing, misspelt', 'infra/lb.tff', 'missing | infra/lb.tf'],
    ['missing, moved', 'ops/deploy.sh', 'missing | script/deploy.sh'],
    ['missing, wrong case', 'docs/architecture.md', 'missing | docs/ARCHITECTURE.md'],
    ['missing, other extension', 'backend/config.yml', 'missing | backend/config.yaml'],
    ['missing, nothing similar', 'zzz/qqqqqqqqq.rs', 'missing'],
    ['relative path that misses gets no suffix guess', '../infra/lb.tf', 'missing | infra/lb.tf'],
    ['escapes the root', '../../../../etc/passwd.conf', 'missing'],
    ['suffix guess never looks above the root', '../../../lb.tf', 'missing'],
  ];
  it.each(cases)('%s: %s', (_name, value, expected, fromFile) => {
    expect(resolve(value, fromFile)).toBe(expected);
  });

  it('keeps ambiguous candidates sorted and complete', () => {
    const many = createFileIndex(['c/index.ts', 'a/index.ts', 'b/index.ts']);
    const resolution = resolveReference(pathRef('index.ts'), 'README.md', many, prefixes);
    expect(show(resolution)).toBe('ambiguous | a/index.ts b/index.ts c/index.ts');
  });

  it('an absolute system path is missing, never read', () => {
    expect(show(resolveReference(pathRef('/etc/passwd'), 'docs/a.md', index, prefixes))).toBe('missing');
    expect(show(resolveReference(pathRef('../../etc/passwd'), 'docs/a.md', index, prefixes))).toBe('missing');
  });

  it('an absolute path that exists in the repository resolves', () => {
    const withEtc = createFileIndex(['etc/passwd']);
    expect(show(resolveReference(pathRef('/etc/passwd'), 'docs/a.md', withEtc, prefixes))).toBe('ok etc/passwd');
  });

  it('an anchor-only link points at its own document', () => {
    const [ref] = parseReferences('[Rollback](#rollback)');
    expect(show(resolveReference(ref, 'docs/processes/raspberry-pi.md', index, prefixes))).toBe(
      'ok docs/processes/raspberry-pi.md',
    );
  });

  it('works without options', () => {
    expect(show(resolveReference(pathRef('infra/lb.tf'), 'README.md', index))).toBe('ok infra/lb.tf');
  });
});

describe('resolveReference: other kinds', () => {
  const cases: [string, string][] = [
    ['https://example.com/runbook', 'external'],
    ['TASK-001', 'id'],
    ['docs/decisions/0036-*.md', 'ok docs/decisions/0036-use-alb.md docs/decisions/0036-use-nlb.md'],
    ['docs/**/*.md', 'ok docs/ARCHITECTURE.md docs/decisions/0036-use-alb.md docs/decisions/0036-use-nlb.md docs/decisions/0037-other.md docs/processes/blue-green-rollout.md docs/processes/raspberry-pi.md docs/ui/guide.md'],
    ['deploy/pi/*.{sh,service}', 'ok deploy/pi/app.service deploy/pi/setup.sh'],
    ['my-infra/infra/*.tf', 'ok infra/lb.tf infra/network.tf'],
    ['*.md', 'ok README.md'],
    ['../decisions/0037-*.md', 'ok docs/decisions/0037-other.md'],
    ['docs/decisions/9999-*.md', 'missing'],
    ['../../../*.md', 'missing'],
  ];
  it.each(cases)('%s', (value, expected) => {
    expect(resolve(value)).toBe(expected);
  });

  it('a glob ending in a slash matches directories', () => {
    expect(matchGlob('deploy/*/', index)).toEqual(['deploy/charts', 'deploy/pi']);
  });
});

describe('globToRegExp', () => {
  const cases: [string, string, boolean][] = [
    ['*.md', 'README.md', true],
    ['*.md', 'docs/a.md', false],
    ['docs/*', 'docs/a.md', true],
    ['docs/*', 'docs/a/b.md', false],
    ['docs/**', 'docs/a/b.md', true],
    ['**', 'a/b/c', true],
    ['**/*.md', 'a.md', true],
    ['**/*.md', 'a/b/c.md', true],
    ['docs/**/*.md', 'docs/a.md', true],
    ['docs/**/*.md', 'docs/a/b/c.md', true],
    ['docs/**/*.md', 'other/a.md', false],
    ['file?.ts', 'file1.ts', true],
    ['file?.ts', 'file10.ts', false],
    ['file?.ts', 'file/.ts', false],
    ['*.{md,mdx}', 'a.mdx', true],
    ['*.{md,mdx}', 'a.txt', false],
    ['{a,b{c,d}}.ts', 'bd.ts', true],
    ['{a,b{c,d}}.ts', 'b.ts', false],
    ['[abc].ts', 'b.ts', true],
    ['[!abc].ts', 'b.ts', false],
    ['[!abc].ts', 'x.ts', true],
    ['[0-9]*.md', '0036-x.md', true],
    ['a.b+c(d)$^|.md', 'a.b+c(d)$^|.md', true],
    ['a.md', 'aXmd', false],
    ['{unclosed', '{unclosed', true],
    ['[unclosed', '[unclosed', true],
    ['[z-a].md', '[z-a].md', true],
  ];
  it.each(cases)('%s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('converts a long hostile glob without hanging', () => {
    expect(globToRegExp('{['.repeat(5_000)).test('x')).toBe(false);
  });
});

describe('similarPaths', () => {
  it('ranks same-named files by folders in common', () => {
    expect(similarPaths('src/pages/Home.tsx', index, 3)).toEqual(['web/src/pages/Home.tsx', 'admin/src/pages/Home.tsx']);
  });

  it('suggests close spellings with the same extension', () => {
    expect(similarPaths('web/src/components/Buton.tsx', index, 3)).toEqual(['web/src/components/Button.tsx']);
  });

  it('honours the limit and never suggests the path itself', () => {
    expect(similarPaths('docs/decisions/0036-use-alb.md', index, 1)).toEqual(['docs/decisions/0036-use-nlb.md']);
    expect(similarPaths('docs/decisions/0036-use-xlb.md', index, 1)).toEqual(['docs/decisions/0036-use-alb.md']);
  });

  it('suggests directories for a misspelt directory', () => {
    expect(similarPaths('deploy/pii/', index, 3)).toEqual(['deploy/pi']);
  });

  it('stays fast on 50k files and thousands of missing references', () => {
    const paths: string[] = [];
    for (let i = 0; i < 50_000; i++) paths.push(`pkg${i % 97}/module${i % 211}/file-${i}.${['ts', 'tf', 'md'][i % 3]}`);
    const big = createFileIndex(paths);
    for (let i = 0; i < 3_000; i++) {
      const resolution = resolveReference(pathRef(`pkg${i % 97}/modul/file-${i}x.ts`), 'docs/a.md', big, prefixes);
      expect(resolution.status).toBe('missing');
    }
    expect(similarPaths('pkg0/module0/file-0.tss', big, 3)).toEqual(['pkg0/module0/file-0.ts']);
  });
});

describe('resolveReference: issue 12, where a path points', () => {
  const shapes = createFileIndex([
    'README.md',
    'docs/guide.md',
    'scripts/plan.sh',
    'scripts/apply.sh',
    'tests/unit/a.test.ts',
    'internal/connectors/calendar/memstore/store.go',
    'internal/connectors/mail/memstore/store.go',
    'app/annotations.ts',
    'src/Shop.Management/Api/HealthApi.cs',
    'new/technical/db/spec.md',
    'archive/docs/db/spec.md',
  ]);
  const at = (ref: ParsedReference, from: string, options: ResolveOptions = { repositoryPrefixes: [], externalRoots: ['platform-docs'] }) =>
    show(resolveReference(ref, from, shapes, options)) + (resolveReference(ref, from, shapes, options).outside ? ' outside' : '');

  it('an app route from the root is not a file; a missing page under a real top folder is', () => {
    expect(at(pathRef('/api/v1/users'), 'docs/guide.md')).toBe('external');
    expect(at(pathRef('/contact'), 'docs/guide.md')).toBe('external');
    expect(at(pathRef('/docs/rollout'), 'docs/guide.md')).toBe('missing');
    expect(at(pathRef('/help.md'), 'docs/guide.md')).toBe('missing');
  });

  it('a `.js` import specifier in a TypeScript file names its `.ts` source; in a document it does not', () => {
    expect(at(pathRef('./annotations.js'), 'app/render.ts')).toBe('ok app/annotations.ts');
    expect(at(pathRef('./annotations.js'), 'app/notes.md')).toBe('missing | app/annotations.ts');
  });

  it('globs match folders too, try the root after the document folder, and match a bare name at any depth', () => {
    expect(at(pathRef('internal/connectors/*/memstore', 'glob'), 'docs/guide.md')).toBe(
      'ok internal/connectors/calendar/memstore internal/connectors/mail/memstore',
    );
    expect(at(pathRef('internal/connectors/*', 'glob'), 'docs/guide.md')).toBe('ok internal/connectors/calendar internal/connectors/mail');
    expect(at(pathRef('./tests/*', 'glob'), 'docs/guide.md')).toBe('ok tests/unit');
    expect(at(pathRef('{plan,apply}.sh', 'glob'), 'docs/guide.md')).toBe('ok scripts/apply.sh scripts/plan.sh');
    expect(at(pathRef('internal/connectors/*/cachestore', 'glob'), 'docs/guide.md')).toBe('missing');
  });

  it('a path into another repository is marked; a link of this one written from the wrong place is broken, a mention resolves', () => {
    expect(at(pathRef('../platform-docs/contracts/x.md'), 'README.md')).toBe('missing outside');
    expect(at(pathRef('../../billing/contracts/x.md'), 'docs/guide.md')).toBe('missing outside');
    expect(at(pathRef('platform-docs/contracts/x.md'), 'docs/guide.md')).toBe('missing outside');
    expect(at(pathRef('billing/contracts/x.md'), 'docs/guide.md')).toBe('missing');
    expect(at(pathRef('../../docs/old.md'), 'docs/guide.md')).toBe('missing');
    // A backticked path written for the author's checkout layout names the one file ending so; a link 404s on GitHub.
    expect(at(pathRef('../../technical/db/spec.md'), 'docs/guide.md')).toBe('ok new/technical/db/spec.md');
    expect(at(pathRef('../../technical/db/spec.md'), 'docs/guide.md', { repositoryPrefixes: [], externalRoots: [], link: true })).toMatch(/^missing\b/);
    // Climbing onto a real top folder (`docs/`) says where it is: no guess.
    expect(at(pathRef('../../docs/db/spec.md'), 'docs/runbooks/deploy.md')).toMatch(/^missing\b/);
    expect(at(pathRef('../../../issues/1'), 'docs/guide.md')).toBe('missing');
  });

  it('an abbreviated path with exactly one match resolves', () => {
    expect(at(pathRef('Api/HealthApi.cs'), 'docs/guide.md')).toBe('ok src/Shop.Management/Api/HealthApi.cs');
    expect(at(pathRef('Api/ReadinessApi.cs'), 'docs/guide.md')).toBe('missing');
  });
});

describe('resolveByContext', () => {
  const services = createFileIndex(['a/src/Program.cs', 'b/src/Program.cs', 'b/src/Startup.cs', 'b/src/app.json', 'a/x.md']);
  const ref = (path: string, line: number, status: 'ok' | 'ambiguous', targets: string[], candidates: string[] = []) => ({
    kind: 'path',
    path,
    status,
    targets,
    candidates,
    source: { file: 'docs/x.md', line, column: 1 },
  });
  const both = ['a/src/Program.cs', 'b/src/Program.cs'];

  it('takes the folder the section heading names', () => {
    const refs = [ref('b/', 3, 'ok', ['b']), ref('Program.cs', 5, 'ambiguous', [], both)];
    resolveByContext(refs, () => [1, 3], services);
    expect(refs[1]).toMatchObject({ status: 'ok', targets: ['b/src/Program.cs'] });
  });

  it('does not take a folder named in an earlier list item: a sibling is not a parent', () => {
    const refs = [ref('b/', 4, 'ok', ['b']), ref('Program.cs', 5, 'ambiguous', [], both)];
    resolveByContext(refs, () => [1, 3], services);
    expect(refs[1].status).toBe('ambiguous');
  });

  it('takes the subtree two or more of the other references share, never a single vote', () => {
    const two = [ref('b/src/Startup.cs', 2, 'ok', ['b/src/Startup.cs']), ref('b/src/app.json', 3, 'ok', ['b/src/app.json']), ref('Program.cs', 5, 'ambiguous', [], both)];
    resolveByContext(two, () => [], services);
    expect(two[2]).toMatchObject({ status: 'ok', targets: ['b/src/Program.cs'] });
    const one = [ref('b/src/Startup.cs', 2, 'ok', ['b/src/Startup.cs']), ref('Program.cs', 5, 'ambiguous', [], both)];
    resolveByContext(one, () => [], services);
    expect(one[1].status).toBe('ambiguous');
  });

  it('leaves a split document ambiguous', () => {
    const refs = [
      ref('b/src/Startup.cs', 2, 'ok', ['b/src/Startup.cs']),
      ref('b/src/app.json', 3, 'ok', ['b/src/app.json']),
      ref('a/x.md', 4, 'ok', ['a/x.md']),
      ref('Program.cs', 5, 'ambiguous', [], both),
    ];
    resolveByContext(refs, () => [], services);
    expect(refs[3].status).toBe('ambiguous');
  });
});

describe('resolveReference: a sibling repository named like this one', () => {
  const own = createFileIndex(['README.md', 'docs/guide.md', 'shop-api/README.md']);
  const options = { repositoryPrefixes: ['Acme_ShopPortal'], externalRoots: [] };
  const outside = (path: string) => resolveReference(pathRef(path), 'docs/guide.md', own, options).outside ?? 'here';

  it('a first folder sharing a distinctive word with the repository name is another repository', () => {
    expect(outside('Shop-Portal-Workflows/flows/refund.json')).toBe('other-repository');
    expect(outside('acme-infra/main.tf')).toBe('other-repository');
  });

  it('a folder of this repository, a generic shared word or an unrelated name is not', () => {
    expect(outside('shop-api/missing.md')).toBe('here');
    expect(outside('data-exports/report.csv')).toBe('here');
    expect(outside('billing/contracts/x.md')).toBe('here');
  });
});

describe('resolveReference: a relative path that lands on a sibling-named root folder', () => {
  const own = createFileIndex(['README.md', 'docs/tech/guide.md']);
  it('is in the other repository once its `../` are applied', () => {
    const ref = pathRef('../../Acme-Portal-Flows/flows/refund.json');
    expect(resolveReference(ref, 'docs/tech/guide.md', own, { repositoryPrefixes: ['acme-portal'], externalRoots: [] }).outside).toBe('other-repository');
    expect(resolveReference(pathRef('../../billing/flows/refund.json'), 'docs/tech/guide.md', own, { repositoryPrefixes: ['acme-portal'], externalRoots: [] }).outside).toBeUndefined();
  });
});

describe('resolveReference: a climbing link to a file this repository has', () => {
  const own = createFileIndex(['README.md', 'docs/setup-guide.md']);
  const options = { repositoryPrefixes: [], externalRoots: [] };
  it('is broken here, not in another repository; a common name proves nothing', () => {
    expect(resolveReference(pathRef('../docs-old/setup-guide.md'), 'README.md', own, options).outside).toBeUndefined();
    expect(resolveReference(pathRef('../other-repo/README.md'), 'README.md', own, options).outside).toBe('other-repository');
  });
});
