/** Readable document and task URLs: how collisions are settled, and that the outcome never depends on input order. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createUrls, documentRoutes, planSlugs } from '../src/core/urls/urls.ts';

describe('document routes', () => {
  test('no leading docs/, no extension, dot-folders escaped', () => {
    const routes = documentRoutes(['docs/runbooks/on-call.md', 'README.md', '.github/CONTRIBUTING.md', 'guides/setup.markdown']);
    expect(Object.fromEntries(routes)).toEqual({
      'docs/runbooks/on-call.md': 'runbooks/on-call',
      'README.md': 'README',
      '.github/CONTRIBUTING.md': '~2Egithub/CONTRIBUTING',
      'guides/setup.markdown': 'guides/setup',
    });
  });

  test('two documents that would share a URL: the one under docs/ with .md keeps it, the other its whole path', () => {
    const routes = documentRoutes(['README.md', 'docs/README.md', 'docs/a.mdx', 'docs/a.md']);
    expect(Object.fromEntries(routes)).toEqual({ 'docs/README.md': 'README', 'README.md': 'README.md', 'docs/a.md': 'a', 'docs/a.mdx': 'docs/a.mdx' });
  });

  test('a whole path that is itself taken gets a number', () => {
    // `docs/README.md.md` reads as `README.md`, the form `README.md` falls back to.
    const routes = documentRoutes(['README.md', 'docs/README.md', 'docs/README.md.md']);
    expect(new Set(routes.values()).size).toBe(3);
    expect(routes.get('README.md')).toBe('README.md-2');
  });

  test('routes are distinct and independent of order', () => {
    const segment = fc.constantFrom('docs', 'a', 'README', 'x.md', 'x', '.github', 'b.mdx');
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join('/')}.md`), { maxLength: 12 }), (paths) => {
        const routes = documentRoutes(paths);
        expect(new Set(routes.values()).size).toBe(new Set(paths).size);
        expect(documentRoutes([...paths].reverse())).toEqual(routes);
      }),
    );
  });
});

describe('plan slugs', () => {
  test("a plan is named by its own file name; plans sharing one by their folders; a root plan keeps the bare name", () => {
    const slugs = planSlugs(['docs/plans/network/plan.md', 'docs/plans/storage/plan.md', 'plan.md', 'docs/plans/Infrastructure Improvement Plan.md']);
    expect(Object.fromEntries(slugs)).toEqual({
      'docs/plans/network/plan.md': 'network-plan',
      'docs/plans/storage/plan.md': 'storage-plan',
      'plan.md': 'plan',
      'docs/plans/Infrastructure Improvement Plan.md': 'infrastructure-improvement-plan',
    });
  });

  test('a slug still taken gets a number', () => {
    const slugs = planSlugs(['a/network-plan.md', 'network/plan.md', 'x/plan.md']);
    expect(new Set(slugs.values()).size).toBe(3);
    expect(slugs.get('a/network-plan.md')).toBe('network-plan');
    expect(slugs.get('network/plan.md')).toBe('network-plan-2');
  });

  test('slugs are distinct and independent of order', () => {
    const segment = fc.constantFrom('plans', 'plan', 'a', 'b', 'network-plan', 'Plan');
    fc.assert(
      fc.property(fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => `${parts.join('/')}.md`), { maxLength: 10 }), (owners) => {
        const slugs = planSlugs(owners);
        expect(new Set(slugs.values()).size).toBe(owners.length);
        expect(planSlugs([...owners].reverse())).toEqual(slugs);
      }),
    );
  });

  test('a task URL names its plan slug and id; an unknown key keeps the older path form', () => {
    const urls = createUrls('/b/', { tasks: [{ key: 'docs/plans/network/plan/TASK-001', taskId: 'TASK-001', scope: 'docs/plans/network', plan: { file: 'docs/plans/network/plan.md' } }] });
    expect(urls.task('docs/plans/network/plan/TASK-001')).toBe('/b/tasks/plan/TASK-001/');
    expect(urls.legacyTask('docs/plans/network/plan/TASK-001')).toBe('/b/tasks/docs/plans/network/plan/TASK-001/');
    expect(urls.task('ops/TASK-9')).toBe('/b/tasks/ops/TASK-9/');
    expect(urls.route(urls.task('docs/plans/network/plan/TASK-001'), 'tasks')).toBe('plan/TASK-001');
  });
});
