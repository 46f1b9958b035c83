/**
 * Round 4 of the accuracy labels (issue 12): a copy of another project kept in this one
 * (its own licence file, a `third_party/` folder) keeps that project's links; an `X` in a
 * numbered series is a placeholder; an example marker in another language, far along a long
 * table row, still marks an example. Each beside its near miss (fixture README).
 */
import { describe, expect, it } from 'vitest';
import { scanFixtureOutsideGit } from './helpers.ts';

describe('other projects kept here, numbered placeholders, examples far along a line', async () => {
  const { by: at } = await scanFixtureOutsideGit('vendored-and-placeholders');

  it("a copied project's references are warnings: they are that project's", () => {
    expect(at('warning')).toEqual([
      'charts/cache/README.md:5:13 missing-file `img/topology.png` does not exist: from `charts/cache/README.md` it is `charts/cache/img/topology.png`',
      'charts/cache/README.md:7:30 missing-file `CONTRIBUTING.md` does not exist: from `charts/cache/README.md` it is `charts/cache/CONTRIBUTING.md`',
      'ontology/README.md:3:45 missing-file `docs/modules.md` does not exist: from `ontology/README.md` it is `ontology/docs/modules.md`',
      'third_party/protolib/README.md:3:16 missing-file `tools/gen.sh` does not exist',
    ]);
  });

  it('an `X` among numbered files, and `Beispiel:` past the 200th character, are info', () => {
    expect(at('info')).toEqual([
      'docs/phases.md:6:16 missing-file `docs/phases/Phase-X.md` does not exist',
      'docs/values.md:5:201 missing-file `charts/backend/values.yaml` does not exist',
    ]);
  });

  it('near misses: a root licence, a number, an `N` with no numbered files, `Siehe` far along a row: errors', () => {
    expect(at('error')).toEqual([
      'docs/phases.md:7:11 missing-file `docs/phases/Phase-2.md` does not exist',
      'docs/phases.md:9:38 missing-file `docs/reviews/Review-N.md` does not exist',
      'docs/values.md:6:224 missing-file `charts/cache/secrets.yaml` does not exist',
      'services/billing/README.md:3:35 missing-file `../../docs/billing-runbook.md` does not exist: from `services/billing/README.md` it is `docs/billing-runbook.md`',
      'services/billing/README.md:5:27 missing-file `charts/cache/values-billing.yaml` does not exist',
    ]);
  });
});
