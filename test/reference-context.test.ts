/**
 * How and where a reference is written decides the severity of a missing file (issue 12):
 * every false-alarm shape in `test/fixtures/reference-context` is info, its near miss an error.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/core/config/config.ts';
import { standingOf } from '../src/core/rules/reference-context.ts';
import type { Document, Reference } from '../src/core/schema.ts';
import { scanRepository } from '../src/node/scan.ts';
import { diagnosticLines, fixturesDir, scanFixtureOutsideGit } from './helpers.ts';

const repo = path.join(fixturesDir, 'reference-context/repo');

describe('missing files by where they are written', async () => {
  // About where a path is written, not what git says (`scanFixtureOutsideGit`).
  const { by: at } = await scanFixtureOutsideGit('reference-context');

  it('keeps every near miss an error: present prose, links, checked items, a Complete task', () => {
    expect(at('error')).toEqual([
      'AGENTS.md:3:67 missing-file `src/refunds/dispatch.ts` does not exist',
      'docs/plans/checkout-plan.md:25:17 missing-file `docs/guides/pricing.md` does not exist',
      'README.md:10:30 missing-file `src/payments/legacy-adapter.ts` does not exist',
      'README.md:8:25 missing-file `workspaces/demo/variables.tf` does not exist',
      'docs/guides/setup.md:12:13 missing-file `src/refunds/worker.ts` does not exist',
      'docs/guides/setup.md:25:4 missing-file `src/middleware/session.ts` does not exist',
      'docs/guides/setup.md:29:28 missing-file `release-guide.md` does not exist: from `docs/guides/setup.md` it is `docs/guides/release-guide.md`',
      'docs/guides/setup.md:3:37 missing-file `scripts/deploy.sh` does not exist',
      'docs/guides/setup.md:35:19 missing-file `billing-rules.md` does not exist: from `docs/guides/setup.md` it is `docs/guides/billing-rules.md`',
      'docs/guides/setup.md:36:16 missing-file `TODO.md` does not exist: from `docs/guides/setup.md` it is `docs/guides/TODO.md`',
      'docs/guides/setup.md:41:33 missing-file `../runbooks/queue-notes.md` does not exist: from `docs/guides/setup.md` it is `docs/runbooks/queue-notes.md`',
      'docs/guides/setup.md:42:34 missing-file `release-runbook.md` does not exist: from `docs/guides/setup.md` it is `docs/guides/release-runbook.md`',
      'docs/guides/setup.md:7:69 missing-file `config/orders.yaml` does not exist',
      'docs/plans/checkout-plan.md:19:4 missing-file `api/mailer/receipt.ts` does not exist, yet task TASK-002 says it was created or modified',
      'docs/plans/checkout-plan.md:23:90 missing-file `../guides/checkout-guide.md` does not exist: from `docs/plans/checkout-plan.md` it is `docs/guides/checkout-guide.md`',
      'docs/runbooks/release-runbook.md:3:15 missing-file `scripts/release-v2.sh` does not exist',
      'docs/runbooks/release-runbook.md:3:64 missing-file `v2-notes.md` does not exist: from `docs/runbooks/release-runbook.md` it is `docs/runbooks/v2-notes.md`',
      'docs/guides/upload-guide.md:5:21 missing-file `../assets/shots/upload.png` does not exist: from `docs/guides/upload-guide.md` it is `docs/assets/shots/upload.png`',
      'docs/analysis/payments-system-analysis.md:5:27 missing-file `src/payments/ledger_sync.py` does not exist',
      'docs/status/release-checklist.md:3:23 missing-file `reports/quarantine/refund-validation.md` does not exist',
      'docs/runbooks/module-walkthrough.md:23:9 missing-file `modules/queues/variables.tf` does not exist',
      'docs/testing/test-cases.md:10:6 missing-file `e2e/checkout.spec.ts` does not exist',
      'docs/templates/README.md:3:102 missing-file `../assets/shots/upload.png` does not exist: from `docs/templates/README.md` it is `docs/assets/shots/upload.png`',
      'docs/guides/upload-guide.md:9:22 missing-file `../../assets/feature-folder/confirm.png` does not exist: from `docs/guides/upload-guide.md` it is `assets/feature-folder/confirm.png`',
      'docs/ops/workflow-rename.md:6:18 missing-file `.github/workflows/validate-staging.yml` does not exist',
      'docs/guides/cli-walkthrough.md:11:11 missing-file `scripts/refund-cli.sh` does not exist',
      'docs/plan-reviews/billing-review.md:3:32 missing-file `services/billing/src/invoice-handler.ts` does not exist',
      'docs/temperature/README.md:3:39 missing-file `./calibration.md` does not exist: from `docs/temperature/README.md` it is `docs/temperature/calibration.md`',
      'docs/reference/generated-code.md:3:25 missing-file `scripts/generate-client.sh` does not exist',
      'docs/summaries/cleanup-summary.md:9:4 missing-file `src/legacy/report-formatter.ts` does not exist',
      'docs/ops/schema-migration.md:13:4 missing-file `schemas/health-base.json` does not exist',
      'docs/runbooks/flux-cutover.md:3:19 missing-file `clusters/home/flux-system/gotk-sync.yaml` does not exist',
      'docs/runbooks/flux-cutover.md:7:26 missing-file `scripts/drain-node.sh` does not exist',
      'specs/001-refunds/plan.md:5:6 missing-file `docs/refunds/overview.md` does not exist',
      'docs/2025-11-migration-guide/README.md:3:31 missing-file `../CHECKPOINTS.md` does not exist: from `docs/2025-11-migration-guide/README.md` it is `docs/CHECKPOINTS.md`',
      'docs/runbooks/flux-cutover.md:9:19 missing-file `clusters/home/apps.yaml` does not exist',
      'docs/runbooks/flux-cutover.md:9:46 missing-file `clusters/home/infra.yaml` does not exist',
      'docs/runbooks/flux-cutover.md:10:12 missing-file `tests/unit/config_test.go` does not exist',
      'docs/runbooks/flux-cutover.md:10:50 missing-file `scripts/legacy-build.sh` does not exist',
      'docs/reports/test-consolidation-report.md:4:4 missing-file `scripts/old-sync.sh` does not exist',
      'docs/backups/restore.md:3:28 missing-file `../CHECKPOINTS.md` does not exist: from `docs/backups/restore.md` it is `docs/CHECKPOINTS.md`',
      'docs/reports/test-consolidation-report.md:4:28 missing-file `scripts/new-sync.sh` does not exist',
      'docs/audits/2026-07-02-review/README.md:3:31 missing-file `../../CHECKPOINTS.md` does not exist: from `docs/audits/2026-07-02-review/README.md` it is `docs/CHECKPOINTS.md`',
      'docs/superpowers/specs/2026-05-15-refund-queue-design.md:11:37 missing-file `../../guides/refund-queue-setup.md` does not exist: from `docs/superpowers/specs/2026-05-15-refund-queue-design.md` it is `docs/guides/refund-queue-setup.md`',
      'specs/refund-api.md:3:23 missing-file `api/handlers/refund-api.ts` does not exist',
      'docs/handoffs/firewall-handoff.md:7:4 missing-file `/scripts/firewall-check.sh` does not exist',
      'docs/sprints/sprint-2-quick-reference.md:9:5 missing-file `internal/payments/ledger.go` does not exist',
      'docs/sprints/sprint-2-quick-reference.md:13:9 missing-file `docs/architecture/module-map.md` does not exist',
    ].sort());
  });

  it('lowers planned, example, archived and historical references to info, never to silence', () => {
    expect(at('info')).toEqual([
      '.github/prompts/review.prompt.md:3:51 missing-file `api/handlers/payment.ts` does not exist',
      'CHANGELOG.md:5:12 missing-file `src/payments/legacy-adapter.ts` does not exist',
      'README.md:7:26 missing-file `workspaces/example/main.tf` does not exist',
      'docs/archive/old-runbook.md:3:15 missing-file `scripts/release-v1.sh` does not exist',
      'docs/archive/old-runbook.md:3:64 missing-file `v1-notes.md` does not exist: from `docs/archive/old-runbook.md` it is `docs/archive/v1-notes.md`',
      'docs/ops/workflow-rename.md:5:18 missing-file `.github/workflows/deploy-staging.yml` does not exist',
      'docs/guides/deploy-guide.md:5:14 missing-file `scripts/deploy-v0.sh` does not exist',
      'docs/guides/setup.md:11:15 missing-file `src/refunds/queue.ts` does not exist',
      'docs/guides/setup.md:18:4 missing-file `src/middleware/auth.ts` does not exist',
      'docs/guides/setup.md:30:14 missing-file `src/refunds/retry.ts` does not exist',
      'docs/guides/setup.md:34:15 missing-file `tax-rules.md` does not exist: from `docs/guides/setup.md` it is `docs/guides/tax-rules.md`',
      'docs/guides/setup.md:40:34 missing-file `../runbooks/refund-runbook.md` does not exist: from `docs/guides/setup.md` it is `docs/runbooks/refund-runbook.md`',
      'docs/guides/setup.md:5:52 missing-file `tests/e2e/checkout.spec.ts` does not exist',
      'docs/guides/setup.md:7:37 missing-file `config/billing.yaml` does not exist',
      'docs/plans/checkout-plan.md:11:4 missing-file `api/handlers/refund.ts` does not exist',
      'docs/plans/checkout-plan.md:23:40 missing-file `api/handlers/orders.ts` does not exist',
      'docs/analysis/payments-codebase-analysis.md:7:4 missing-file `src/payments/ledger_sync.py` does not exist',
      'docs/analysis/payments-codebase-analysis.md:8:4 missing-file `src/payments/reconcile.py` does not exist',
      'docs/status/release-readiness.md:3:36 missing-file `reports/quarantine/refund-validation.md` does not exist',
      'docs/templates/GUIDE_TEMPLATE.md:13:22 missing-file `../../assets/{feature-folder}/confirm.png` does not exist: from `docs/templates/GUIDE_TEMPLATE.md` it is `assets/{feature-folder}/confirm.png`',
      'docs/templates/GUIDE_TEMPLATE.md:9:21 missing-file `../assets/shots/upload.png` does not exist: from `docs/templates/GUIDE_TEMPLATE.md` it is `docs/assets/shots/upload.png`',
      'docs/guides/cli-walkthrough.md:5:14 missing-file `cli/commands/refund.ts` does not exist',
      'docs/implementation-plans/02-billing-service.md:7:4 missing-file `services/billing/src/billing.module.ts` does not exist',
      'docs/summaries/cleanup-summary.md:5:4 missing-file `src/legacy/report-builder.ts` does not exist',
      'docs/runbooks/module-walkthrough.md:15:9 missing-file `modules/alerts/main.tf` does not exist',
      'docs/testing/test-cases.md:5:6 missing-file `e2e/refunds.spec.ts` does not exist',
      'docs/ops/schema-migration.md:6:4 missing-file `schemas/health-default.xml` does not exist',
      'docs/ops/schema-migration.md:7:4 missing-file `schemas/health.xsd` does not exist',
      'docs/ops/schema-migration.md:10:4 missing-file `schemas/health.tfvars.json` does not exist',
      '.tmp/ADR-INDEX.generated.md:3:21 missing-file `./Group A/ADR-0005-queues.md` does not exist: from `.tmp/ADR-INDEX.generated.md` it is `.tmp/Group A/ADR-0005-queues.md`',
      'docs/runbooks/flux-cutover.md:4:12 missing-file `clusters/home/flux-system/gotk-components.yaml` does not exist',
      'docs/runbooks/flux-cutover.md:5:30 missing-file `clusters/home/flux-system/kustomization.yaml` does not exist',
      'docs/runbooks/flux-cutover.md:6:62 missing-file `.github/skills/release.md` does not exist',
      'specs/001-refunds/plan.md:3:75 missing-file `.specify/templates/commands/plan.md` does not exist',
      'backups/20251031_173812_deploy_failure/NOTES.md:3:28 missing-file `../../docs/CHECKPOINTS.md` does not exist: from `backups/20251031_173812_deploy_failure/NOTES.md` it is `docs/CHECKPOINTS.md`',
      'docs/runbooks/flux-cutover.md:8:14 missing-file `tests/unit/cilium_test.go` does not exist',
      'docs/runbooks/flux-cutover.md:8:43 missing-file `tests/unit/seal_test.go` does not exist',
      'docs/reports/test-consolidation-report.md:3:4 missing-file `tests/unit/config_test.go` does not exist',
      'backups/version_2.4.0_beta_20250901_193155/docs/DEPLOYMENT_GUIDE.md:3:28 missing-file `../../../docs/CHECKPOINTS.md` does not exist: from `backups/version_2.4.0_beta_20250901_193155/docs/DEPLOYMENT_GUIDE.md` it is `docs/CHECKPOINTS.md`',
      'docs/runbooks/flux-cutover.md:11:17 missing-file `scripts/territory-processor.sh` does not exist',
      'docs/war-stories/ingress-split.md:4:4 missing-file `apps/staging/immich/ingress.yaml` does not exist',
      'docs/superpowers/specs/2026-05-15-refund-queue-design.md:9:4 missing-file `e2e/refunds/queue-retry.spec.ts` does not exist',
      'docs/handoffs/firewall-handoff.md:5:4 missing-file `/usr/local/sbin/firewall-allow.sh` does not exist',
      'docs/handoffs/firewall-handoff.md:6:4 missing-file `/etc/systemd/system/firewall-allow.service` does not exist',
      'docs/handoffs/firewall-handoff.md:8:4 missing-file `~/notes/firewall allow list.md` does not exist',
      'docs/sprints/sprint-2-quick-reference.md:5:5 missing-file `internal/iota/client.go` does not exist',
    ].sort());
    expect(at('warning')).toEqual([]);
  });

  it('raises a class back to error from the config (`missing-file/planned`)', async () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'waymark-context-'));
    cpSync(repo, copy, { recursive: true });
    writeFileSync(path.join(copy, 'waymark.config.json'), JSON.stringify({ rules: { 'missing-file/planned': 'error' } }));
    const { graph: raised } = await scanRepository(copy);
    rmSync(copy, { recursive: true, force: true });
    const planned = diagnosticLines(raised.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'));
    expect(planned).toContain('docs/guides/setup.md:5:52 missing-file `tests/e2e/checkout.spec.ts` does not exist');
    expect(planned).not.toContain('CHANGELOG.md:5:12 missing-file `src/payments/legacy-adapter.ts` does not exist');
  });
});

describe('a table column that lists what was', () => {
  it('a path under an `Old path` or `From` header is historical; one under `New path` or `File` stays present', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'waymark-old-column-'));
    try {
      writeFileSync(
        path.join(dir, 'migration.md'),
        [
          '# Docs migration',
          '',
          '| Old path | New path | Disposition |',
          '| --- | --- | --- |',
          '| `docs/old/setup.md` | `docs/guides/setup.md` | moved |',
          '',
          '| **From** | To |',
          '| --- | --- |',
          '| [runbook](docs/old/runbook.md) | `docs/ops/runbook.md` |',
          '',
          '| File | Owner |',
          '| --- | --- |',
          '| `docs/ops/oncall.md` | platform |',
          '',
        ].join('\n'),
      );
      const { graph } = await scanRepository(dir);
      const lines = diagnosticLines(graph.diagnostics.filter((d) => d.rule === 'missing-file').map((d) => ({ ...d, message: `${d.severity} ${d.message}` })));
      expect(lines).toEqual([
        'migration.md:13:4 missing-file error `docs/ops/oncall.md` does not exist',
        'migration.md:5:26 missing-file error `docs/guides/setup.md` does not exist',
        'migration.md:5:4 missing-file info `docs/old/setup.md` does not exist',
        'migration.md:9:13 missing-file info `docs/old/runbook.md` does not exist',
        'migration.md:9:37 missing-file error `docs/ops/runbook.md` does not exist',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('standingOf: the words are configurable', () => {
  const document = {
    path: 'docs/planung/rollout.md',
    title: 'Einführung',
    kind: 'plain',
    headings: [{ depth: 2, text: 'Nächste Schritte', slug: 'nachste-schritte', line: 3 }],
    checkboxes: [],
    metadata: [],
  } satisfies Pick<Document, 'path' | 'title' | 'kind' | 'headings' | 'checkboxes' | 'metadata'>;
  const reference = { origin: 'mention', path: 'src/neu.ts', raw: 'src/neu.ts', lineText: 'Dann `src/neu.ts` anlegen.', source: { file: document.path, line: 5, column: 7 } } satisfies Pick<
    Reference,
    'origin' | 'path' | 'raw' | 'lineText' | 'source'
  >;

  it('reads an English heading with the defaults, and a German one only when told its words', () => {
    expect(standingOf({ reference, document }).place).toBe('present');
    const words = resolveConfig({ contextWords: { futureSections: ['nächste schritte'] } }, 'shop').contextWords;
    expect(standingOf({ reference, document, words })).toMatchObject({ place: 'planned', why: ['the section "Nächste Schritte" describes the future (`nächste schritte`)'] });
  });
});
