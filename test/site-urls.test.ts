import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createUrls, decodeSegment, encodePath, encodeSegment, normalizeBase, repoSourceUrl, ruleAnchor } from '../src/core/urls/urls.ts';

describe('site URLs', () => {
  test.each([
    ['/', '/'],
    ['', '/'],
    ['docs', '/docs/'],
    ['/docs', '/docs/'],
    ['/docs/', '/docs/'],
    ['//a/b//', '/a/b/'],
  ])('normalizeBase(%j) is %j', (input, expected) => {
    expect(normalizeBase(input)).toBe(expected);
  });

  test('every page kind has one URL, under the base', () => {
    const urls = createUrls('/sub/');
    expect(urls.home()).toBe('/sub/');
    expect(urls.processes()).toBe('/sub/processes/');
    expect(urls.process('blue-green-rollout')).toBe('/sub/processes/blue-green-rollout/');
    expect(urls.process('blue-green-rollout', 'rollback')).toBe('/sub/processes/blue-green-rollout/#rollback');
    expect(urls.task('docs/plans/TASK-001')).toBe('/sub/tasks/docs/plans/TASK-001/');
    expect(urls.file('infra/lb.tf', 12)).toBe('/sub/files/infra/lb.tf/#L12');
    expect(urls.file('infra/lb.tf')).toBe('/sub/files/infra/lb.tf/');
    expect(urls.doc('docs/plan.md', 'task-001')).toBe('/sub/docs/plan/#task-001');
    expect(urls.environment('production')).toBe('/sub/environments/production/');
    expect(urls.problems('missing-file')).toBe('/sub/problems/#rule-missing-file');
    expect(urls.changes()).toBe('/sub/changes/');
    expect(urls.asset('/waymark.css')).toBe('/sub/waymark.css');
    expect(createUrls('/').file('a.tf')).toBe('/files/a.tf/');
  });

  test('path segments are escaped: dot-folders, spaces, unicode, tildes', () => {
    expect(encodePath('.github/workflows/deploy.yml')).toBe('~2Egithub/workflows/deploy.yml');
    expect(encodeSegment('my file.md')).toBe('my~20file.md');
    expect(encodeSegment('..')).toBe('~2E.');
    expect(encodeSegment('a~b')).toBe('a~7Eb');
    expect(encodeSegment('é')).toBe('~C3~A9');
    expect(encodeSegment('#?%')).toBe('~23~3F~25');
  });

  test('segment escaping is reversible and only uses URL-safe characters', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }), (segment) => {
        const encoded = encodeSegment(segment);
        expect(encoded).toMatch(/^[A-Za-z0-9_.~-]+$/);
        expect(encoded.startsWith('.')).toBe(false);
        expect(decodeSegment(encoded)).toBe(segment);
      }),
    );
  });

  test('rule anchors are ids', () => {
    expect(ruleAnchor('missing-file')).toBe('rule-missing-file');
    expect(ruleAnchor('Weird Rule/1')).toBe('rule-weird-rule-1');
  });

  test('repoSourceUrl fills the template', () => {
    const t = 'https://git.example.com/r/blob/main/{path}#L{line}-L{endLine}';
    expect(repoSourceUrl(t, 'infra/lb.tf', 3, 10)).toBe('https://git.example.com/r/blob/main/infra/lb.tf#L3-L10');
    expect(repoSourceUrl(t, 'infra/lb.tf', 3)).toBe('https://git.example.com/r/blob/main/infra/lb.tf#L3-L3');
    expect(repoSourceUrl(t, 'my dir/a b.tf')).toBe('https://git.example.com/r/blob/main/my%20dir/a%20b.tf');
    expect(repoSourceUrl(undefined, 'a')).toBeUndefined();
  });
});
