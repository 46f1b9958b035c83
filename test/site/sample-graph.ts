/**
 * A hand-made graph of `test/site/fixture-repo`, standing in for the engine's
 * scan while the site is developed and tested on its own. Positions are
 * computed from the fixture files, so editing a fixture keeps them right.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig, type Config } from '../../src/core/config/config.ts';
import { Graph, type Document as DocumentT, type Reference as ReferenceT } from '../../src/core/schema.ts';
import { newestDate, type SiteData } from '../../src/site/model.ts';

export const FIXTURE_REPO = join(dirname(fileURLToPath(import.meta.url)), 'fixture-repo');

function lines(path: string): string[] {
  const text = readFileSync(join(FIXTURE_REPO, path), 'utf8');
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/** Line and column of the nth occurrence of `raw` in a fixture file. */
function at(file: string, raw: string, nth = 0): { file: string; line: number; column: number } {
  let seen = 0;
  for (const [i, text] of lines(file).entries()) {
    let from = 0;
    for (;;) {
      const col = text.indexOf(raw, from);
      if (col < 0) break;
      if (seen++ === nth) return { file, line: i + 1, column: col + 1 };
      from = col + 1;
    }
  }
  throw new Error(`${raw} not in ${file}`);
}

function ref(
  file: string,
  raw: string,
  extra: Partial<ReferenceT> & Pick<ReferenceT, 'origin' | 'status'>,
  nth = 0,
): ReferenceT {
  const source = at(file, raw, nth);
  return {
    raw,
    kind: 'path',
    offset: 0,
    targets: [],
    candidates: [],
    ...extra,
    id: `${source.file}:${source.line}:${source.column}`,
    source,
  } as ReferenceT;
}

function headings(path: string): DocumentT['headings'] {
  const slug = (t: string) => t.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
  return lines(path).flatMap((text, i) => {
    const m = /^(#{1,6}) (.*)$/.exec(text);
    return m ? [{ depth: m[1].length, text: m[2], slug: slug(m[2]), line: i + 1 }] : [];
  });
}

const BG = 'docs/processes/blue-green-rollout.md';
const BK = 'docs/processes/backup.md';
const PLAN = 'docs/plans/improvement-plan.md';
const SUM = 'docs/summaries/TASK-001-summary.md';
const UPD = 'docs/status/update.md';

/** The sample graph, validated against the engine's schema. */
export function sampleGraph(): Graph {
  const refs: ReferenceT[] = [
    ref(BG, 'infra/lb.tf:3-10', { origin: 'code-reference', status: 'ok', targets: ['infra/lb.tf'], lines: { start: 3, end: 10 }, path: 'infra/lb.tf' }),
    ref(BG, 'deploy/rollout.sh:1-6', { origin: 'code-reference', status: 'ok', targets: ['deploy/rollout.sh'], lines: { start: 1, end: 6 }, path: 'deploy/rollout.sh' }),
    ref(BG, 'infra/lb.tf:3-10', { origin: 'code-reference', status: 'ok', targets: ['infra/lb.tf'], lines: { start: 3, end: 10 }, path: 'infra/lb.tf' }, 1),
    ref(BG, 'deploy/rollout.sh:40-50', {
      origin: 'code-reference',
      status: 'ok',
      targets: ['deploy/rollout.sh'],
      lines: { start: 40, end: 50 },
      path: 'deploy/rollout.sh',
      problem: 'line-out-of-range',
    }),
    ref(BG, '../../infra/lb.tf', { origin: 'link', status: 'ok', targets: ['infra/lb.tf'], path: '../../infra/lb.tf' }),
    ref(BK, 'scripts/backup.sh:1-20', { origin: 'code-reference', status: 'missing', lines: { start: 1, end: 20 }, path: 'scripts/backup.sh' }),
    ref(PLAN, 'deploy/rollout.sh', { origin: 'files-modified', status: 'ok', targets: ['deploy/rollout.sh'], path: 'deploy/rollout.sh' }),
    ref(PLAN, 'TASK-001', { origin: 'mention', status: 'id', kind: 'id' }, 1),
    ref(SUM, 'deploy/rollout.sh', { origin: 'files-modified', status: 'ok', targets: ['deploy/rollout.sh'], path: 'deploy/rollout.sh' }),
    ref(SUM, BG, { origin: 'files-modified', status: 'ok', targets: [BG], path: BG }),
    ref('infra/lb.tf', `${BG}#traffic-switch`, { origin: 'marker', status: 'ok', targets: [BG], path: BG, anchor: 'traffic-switch' }),
    ref('deploy/rollout.sh', `${BG}#rollback`, { origin: 'marker', status: 'ok', targets: [BG], path: BG, anchor: 'rollback' }),
    ref('README.md', `${BG}#rollback`, { origin: 'link', status: 'ok', targets: [BG], path: BG, anchor: 'rollback' }),
    ref('README.md', BK, { origin: 'link', status: 'ok', targets: [BK], path: BK }),
    ref('.github/workflows/deploy.yml', BK, { origin: 'marker', status: 'ok', targets: [BK], path: BK }),
  ];
  const byRaw = (file: string, raw: string, nth = 0) => refs.filter((r) => r.source.file === file && r.raw === raw)[nth].id;
  const citing = (path: string) => refs.filter((r) => r.targets.includes(path)).map((r) => r.id);

  const markers = [
    {
      id: 'infra/lb.tf:1',
      file: 'infra/lb.tf',
      line: 1,
      column: 3,
      endLine: 4,
      fields: [],
      process: 'Blue/Green Rollout',
      area: 'Deployment Process',
      implements: 'traffic switch between target groups',
      environment: 'production',
      references: [byRaw('infra/lb.tf', `${BG}#traffic-switch`)],
      processId: 'blue-green-rollout',
    },
    {
      id: 'deploy/rollout.sh:2',
      file: 'deploy/rollout.sh',
      line: 2,
      column: 3,
      endLine: 5,
      fields: [],
      process: 'Blue/Green Rollout',
      area: 'Deployment Process',
      implements: 'rollback <script>alert(1)</script>',
      environment: 'staging',
      references: [byRaw('deploy/rollout.sh', `${BG}#rollback`)],
      processId: 'blue-green-rollout',
    },
    {
      id: '.github/workflows/deploy.yml:2',
      file: '.github/workflows/deploy.yml',
      line: 2,
      column: 3,
      endLine: 4,
      fields: [],
      process: 'Database Backup',
      area: 'Process',
      environment: 'CI & Staging',
      references: [byRaw('.github/workflows/deploy.yml', BK)],
      processId: 'database-backup',
    },
  ];

  const changes = [
    { id: `${BG}:31`, file: BG, line: 31, version: '1.1', date: '2026-02-01', dateText: '2026-02-01', change: 'Added rollback step (TASK-001)', rationale: 'Incident 42', taskIds: ['TASK-001'], processId: 'blue-green-rollout' },
    { id: `${BG}:32`, file: BG, line: 32, version: '1.0', date: '2026-01-05', dateText: '2026-01-05', change: 'Initial version', author: 'ops', taskIds: [], processId: 'blue-green-rollout' },
    { id: `${BK}:12`, file: BK, line: 12, version: '0.1', date: '2025-11-02', dateText: '2025-11-02', change: 'Draft <em>first</em>', taskIds: [], processId: 'database-backup' },
  ];

  const docRefs = (path: string) => refs.filter((r) => r.source.file === path && r.origin !== 'marker');
  const documents = [
    {
      path: 'README.md',
      kind: 'plain',
      title: 'Example Infra',
      headings: headings('README.md'),
      references: docRefs('README.md'),
      lineCount: lines('README.md').length,
    },
    {
      path: BG,
      kind: 'process',
      title: 'Deployment Process: Blue/Green Rollout',
      processName: 'Blue/Green Rollout',
      area: 'Deployment Process',
      status: 'validated',
      lastUpdated: '2026-02-01',
      lastValidated: '2026-01-20',
      metadata: [
        { key: 'status', label: 'Status', value: 'validated', line: 4, section: 'status' },
        { key: 'last updated', label: 'Last Updated', value: '2026-02-01', line: 5, section: 'status' },
        { key: 'last validated', label: 'Last Validated', value: '2026-01-20', line: 6, section: 'status' },
      ],
      headings: headings(BG),
      subProcesses: [
        { name: 'Traffic Switch', slug: 'traffic-switch', line: 11, description: 'Switch the listener to the green target group.', references: [byRaw(BG, 'infra/lb.tf:3-10', 1)] },
        { name: 'Rollback', slug: 'rollback', line: 16, description: 'Point traffic back to blue.', references: [byRaw(BG, 'deploy/rollout.sh:40-50')] },
      ],
      environments: [{ name: 'Production', slug: 'production', line: 23 }],
      changes: changes.slice(0, 2),
      references: docRefs(BG),
      lineCount: lines(BG).length,
    },
    {
      path: BK,
      kind: 'process',
      title: 'Deployment Process: Database Backup',
      processName: 'Database Backup',
      area: 'Deployment Process',
      status: 'draft',
      lastUpdated: '2025-11-02',
      metadata: [{ key: 'status', label: 'Status', value: 'draft', line: 3 }],
      headings: headings(BK),
      changes: changes.slice(2),
      references: docRefs(BK),
      lineCount: lines(BK).length,
    },
    {
      path: PLAN,
      kind: 'plan',
      title: 'Improvement Plan',
      headings: headings(PLAN),
      tasks: [
        { taskId: 'TASK-001', name: 'Add rollback step', line: 3, slug: 'task-001-add-rollback-step', priority: 'P1', gapId: 'GAP-001', area: 'Deployment', files: [{ reference: byRaw(PLAN, 'deploy/rollout.sh'), line: 8 }] },
        { taskId: 'TASK-002', name: 'Automate backups', line: 10, slug: 'task-002-automate-backups', priority: 'P2', blockedBy: ['TASK-001'] },
      ],
      references: docRefs(PLAN),
      lineCount: lines(PLAN).length,
    },
    {
      path: SUM,
      kind: 'summary',
      title: 'Deployment Implementation Summary: TASK-001 - Add rollback step',
      taskStatus: 'complete',
      taskId: 'TASK-001',
      lastUpdated: '2026-02-01',
      metadata: [
        { key: 'date', label: 'Date', value: '2026-02-01', line: 3 },
        { key: 'task id', label: 'Task ID', value: 'TASK-001', line: 4 },
        { key: 'status', label: 'Status', value: 'Complete', line: 5 },
      ],
      headings: headings(SUM),
      filesModified: [
        { reference: byRaw(SUM, 'deploy/rollout.sh'), note: 'added rollback', line: 9 },
        { reference: byRaw(SUM, BG), note: 'documented rollback', line: 10 },
      ],
      checkboxes: [
        { text: 'Rollback documented', checked: true, line: 19, section: 'acceptance-criteria' },
        { text: 'Rollback rehearsed', checked: false, line: 20, section: 'acceptance-criteria' },
      ],
      testResults: [
        { passed: true, text: 'shellcheck: Pass', line: 14 },
        { passed: false, text: 'Integration test: Not run', line: 15 },
      ],
      references: docRefs(SUM),
      lineCount: lines(SUM).length,
    },
    {
      path: UPD,
      kind: 'status-update',
      title: 'Status',
      taskId: 'TASK-002',
      headings: headings(UPD),
      statusUpdates: [{ taskId: 'TASK-002', status: 'in_progress', progress: 40, notes: 'Script drafted', line: 3 }],
      lineCount: lines(UPD).length,
    },
  ];

  const graph = {
    name: 'fixture-repo',
    paths: ['.github/workflows/deploy.yml', 'README.md', 'deploy/rollout.sh', BK, BG, PLAN, UPD, SUM, 'infra/lb.tf', 'waymark.config.json'],
    files: [
      { path: '.github/workflows/deploy.yml', lineCount: lines('.github/workflows/deploy.yml').length, language: 'yaml', markers: ['.github/workflows/deploy.yml:2'], citedBy: [], isDocument: false },
      { path: 'deploy/rollout.sh', lineCount: lines('deploy/rollout.sh').length, language: 'shell', markers: ['deploy/rollout.sh:2'], citedBy: citing('deploy/rollout.sh'), isDocument: false },
      { path: BK, lineCount: lines(BK).length, language: 'markdown', markers: [], citedBy: citing(BK), isDocument: true },
      { path: BG, lineCount: lines(BG).length, language: 'markdown', markers: [], citedBy: citing(BG), isDocument: true },
      { path: 'infra/lb.tf', lineCount: lines('infra/lb.tf').length, language: 'hcl', markers: ['infra/lb.tf:1'], citedBy: citing('infra/lb.tf'), isDocument: false },
    ],
    documents,
    processes: [
      {
        id: 'blue-green-rollout',
        name: 'Blue/Green Rollout',
        area: 'Deployment Process',
        file: BG,
        status: 'validated',
        lastUpdated: '2026-02-01',
        lastValidated: '2026-01-20',
        subProcesses: documents[1].subProcesses,
        environments: ['Production', 'staging'],
        changes: [`${BG}:31`, `${BG}:32`],
        implementedBy: ['infra/lb.tf:1', 'deploy/rollout.sh:2'],
        tasks: ['docs/plans/TASK-001'],
        references: docRefs(BG).map((r) => r.id),
      },
      {
        id: 'database-backup',
        name: 'Database Backup',
        area: 'Deployment Process',
        file: BK,
        status: 'draft',
        lastUpdated: '2025-11-02',
        environments: ['CI & Staging'],
        changes: [`${BK}:12`],
        implementedBy: ['.github/workflows/deploy.yml:2'],
        tasks: ['docs/plans/TASK-002'],
        references: docRefs(BK).map((r) => r.id),
      },
    ],
    tasks: [
      {
        key: 'docs/plans/TASK-001',
        taskId: 'TASK-001',
        scope: 'docs/plans',
        name: 'Add rollback step',
        plan: { file: PLAN, line: 3, slug: 'task-001-add-rollback-step' },
        priority: 'P1',
        gapId: 'GAP-001',
        area: 'Deployment',
        status: 'complete',
        progress: 100,
        date: '2026-02-01',
        summaries: [SUM],
        files: [byRaw(SUM, 'deploy/rollout.sh'), byRaw(SUM, BG)],
        processes: ['blue-green-rollout'],
      },
      {
        key: 'docs/plans/TASK-002',
        taskId: 'TASK-002',
        scope: 'docs/plans',
        name: 'Automate backups',
        plan: { file: PLAN, line: 10, slug: 'task-002-automate-backups' },
        priority: 'P2',
        status: 'in_progress',
        progress: 40,
        statusUpdates: [{ taskId: 'TASK-002', status: 'in_progress', progress: 40, notes: 'Script drafted', line: 3, file: UPD }],
        blockedBy: ['TASK-001'],
        processes: ['database-backup'],
      },
    ],
    changes,
    markers,
    references: refs,
    environments: [
      { id: 'ci-staging', name: 'CI & Staging', markers: ['.github/workflows/deploy.yml:2'], processes: ['database-backup'] },
      { id: 'production', name: 'production', markers: ['infra/lb.tf:1'], processes: ['blue-green-rollout'] },
      { id: 'staging', name: 'staging', markers: ['deploy/rollout.sh:2'], processes: ['blue-green-rollout'] },
    ],
    diagnostics: [
      { rule: 'missing-file', severity: 'error', ...at(BK, 'scripts/backup.sh:1-20'), message: '`scripts/backup.sh` does not exist', suggestion: 'did you mean `deploy/rollout.sh`?' },
      { rule: 'never-validated', severity: 'info', file: BK, line: 5, column: 1, message: 'process `Database Backup` has never been validated' },
      { rule: 'line-out-of-range', severity: 'warning', ...at(BG, 'deploy/rollout.sh:40-50'), message: '`deploy/rollout.sh` has 8 lines; `40-50` is past the end' },
    ],
  };
  return Graph.parse(graph);
}

/** What `scanRepository(FIXTURE_REPO)` is expected to return. */
export function sampleScan(): { graph: Graph; config: Config; root: string } {
  const user = JSON.parse(readFileSync(join(FIXTURE_REPO, 'waymark.config.json'), 'utf8'));
  return { graph: sampleGraph(), config: resolveConfig(user, 'fixture-repo'), root: FIXTURE_REPO };
}

/** The sample graph as the site's data: reference date from the graph, problems numbered. */
export function sampleSiteData(): SiteData {
  const graph = sampleGraph();
  return {
    meta: { name: 'fixture-repo', title: 'T', base: '/', validationMaxAgeDays: 90, fileCount: graph.paths.length, referenceDate: newestDate(graph) },
    ...graph,
    problems: graph.diagnostics.map((d, i) => ({ ...d, id: String(i) })),
  };
}
