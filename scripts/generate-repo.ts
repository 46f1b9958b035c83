/**
 * A synthetic infrastructure monorepo for the benchmark: Terraform modules,
 * services (TypeScript, Python, shell, Dockerfiles, Kubernetes YAML), Ansible
 * roles, process documents with code references, improvement plans and
 * implementation summaries, in the shapes of CONVENTIONS.md.
 *
 * Deterministic: the same size and seed always give the same bytes (seeded
 * PRNG, fixed base date, no clock), so runs and machines compare.
 *
 * Most references are valid. A known set is broken on purpose (ranges past the
 * end of a file, paths that do not exist), each alone on its line, and is
 * returned as `docPath:line` so a caller can check Waymark reports exactly those.
 *
 *   node bin/run-ts.mjs scripts/generate-repo.ts <dir> <small|medium|large|xlarge> [seed]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type RepositorySize = 'small' | 'medium' | 'large' | 'xlarge';

export interface GeneratedRepository {
  files: number;
  processes: number;
  tasks: number;
  /** `docPath:line` of every reference made broken on purpose, sorted. */
  brokenReferences: string[];
}

interface SizeSpec {
  files: number;
  processes: number;
  tasks: number;
}

export const SIZES: Record<RepositorySize, SizeSpec> = {
  small: { files: 200, processes: 10, tasks: 15 },
  medium: { files: 5_000, processes: 200, tasks: 300 },
  large: { files: 50_000, processes: 1_000, tasks: 2_000 },
  /** Three times large, for the bench's growth slope (time and memory per file). */
  xlarge: { files: 150_000, processes: 3_000, tasks: 6_000 },
};

const TASKS_PER_PLAN = 25;
const MARKER_SHARE = 0.1;
const SUMMARY_SHARE = 0.6;
/** Dates count from here, so no output depends on the day the generator runs. */
const BASE_DATE = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast, good enough to vary synthetic text. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Dice {
  constructor(private readonly next: () => number) {}
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }
}

function isoDate(daysAfterBase: number): string {
  return new Date(BASE_DATE + daysAfterBase * DAY).toISOString().slice(0, 10);
}

function pad(n: number, width = 3): string {
  return String(n).padStart(width, '0');
}

function kebab(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

// ---------------------------------------------------------------------------
// Vocabulary

const SYSTEMS = [
  'Payments', 'Checkout', 'Catalog', 'Search', 'Inventory', 'Billing', 'Identity', 'Notifications',
  'Reporting', 'Ledger', 'Shipping', 'Pricing', 'Recommendations', 'Media', 'Gateway', 'Analytics',
  'Orders', 'Accounts', 'Fraud', 'Loyalty', 'Support', 'Warehouse', 'Returns', 'Reviews',
  'Messaging', 'Scheduler', 'Audit', 'Metrics', 'Logging', 'Tracing', 'Secrets', 'Registry',
  'Storefront', 'Partner API', 'Mobile API', 'Data Lake', 'Stream Ingest', 'Feature Store', 'Edge Cache', 'Mail Relay',
];
const ACTIVITIES = [
  'Blue/Green Rollout', 'Canary Release', 'Rolling Update', 'Database Backup', 'Point-in-Time Restore',
  'Regional Failover', 'Certificate Rotation', 'Secret Rotation', 'Schema Migration', 'Capacity Scaling',
  'Cache Warmup', 'Log Retention', 'Disaster Recovery Drill', 'Dependency Upgrade', 'Node Pool Upgrade',
  'Cluster Upgrade', 'Traffic Shift', 'Feature Flag Rollout', 'Incident Rollback', 'Cost Review',
  'Access Review', 'Image Promotion', 'Config Sync', 'DNS Cutover', 'Queue Drain', 'Index Rebuild',
  'Snapshot Cleanup', 'Smoke Testing', 'Load Testing', 'Health Checking',
];
const VERBS = ['Add', 'Automate', 'Harden', 'Document', 'Migrate', 'Monitor', 'Replace', 'Split', 'Consolidate', 'Encrypt'];
const OBJECTS = [
  'state locking', 'pipeline approvals', 'backup verification', 'alert routing', 'drift detection',
  'image scanning', 'secret storage', 'autoscaling policy', 'readiness probes', 'log shipping',
  'network policies', 'IAM boundaries', 'cost tags', 'runbook links', 'rollback job',
];
const AREAS = ['Infrastructure', 'CI/CD', 'Environment', 'Process'];
const ENVIRONMENTS = ['production', 'staging', 'development'];
const SENTENCES = [
  'The change is applied by the pipeline, never by hand.',
  'Operators follow the steps in order and stop at the first failed validation.',
  'Each environment keeps its own state and variables.',
  'The previous version stays available until validation passes.',
  'Alerts page the on-call engineer when a step exceeds its time budget.',
  'Every run is recorded in the deployment log with its commit.',
  'Credentials come from the secret store and are never written to disk.',
  'The procedure was rehearsed on staging before it reached production.',
  'Capacity is checked before and after the change.',
  'A failed step leaves the system in its previous state.',
];
const SUB_PROCESSES = ['Prepare', 'Apply', 'Verify', 'Rollback'];
const AWS_RESOURCES = ['aws_s3_bucket', 'aws_iam_role', 'aws_security_group', 'aws_lb_target_group', 'aws_db_instance', 'aws_sqs_queue', 'aws_cloudwatch_metric_alarm'];

// ---------------------------------------------------------------------------
// Code files

type CodeKind = 'ts' | 'py' | 'sh' | 'tf' | 'tfvars' | 'yaml' | 'dockerfile' | 'json' | 'txt' | 'j2' | 'conf';

/** One generated file before markers are placed. */
interface CodeFile {
  path: string;
  kind: CodeKind;
  lines: string[];
}

/** Comment prefix for marker blocks; kinds without one never carry markers. */
const COMMENT_PREFIX: Partial<Record<CodeKind, string>> = {
  ts: '//', py: '#', sh: '#', tf: '#', yaml: '#', dockerfile: '#',
};

function tsLines(dice: Dice, name: string): string[] {
  const lines = [`import { readFileSync } from 'node:fs';`, ''];
  for (let i = 0; i < dice.int(2, 8); i++) {
    lines.push(
      `/** Returns the ${name} setting number ${i}. */`,
      `export function ${camel(name)}Setting${i}(env: Record<string, string | undefined>): string {`,
      `  const value = env.${name.toUpperCase().replace(/-/g, '_')}_${i} ?? 'default-${i}';`,
      `  if (value.length > ${dice.int(8, 64)}) throw new Error('setting ${i} is too long');`,
      '  return value.trim();',
      '}',
      '',
    );
  }
  lines.push(`export const manifest = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8'));`);
  return lines;
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function pyLines(dice: Dice, name: string): string[] {
  const lines = ['import os', 'import sys', ''];
  for (let i = 0; i < dice.int(2, 7); i++) {
    lines.push(
      `def ${name.replace(/-/g, '_')}_step_${i}(args):`,
      `    """Run step ${i} of the ${name} job."""`,
      `    target = os.environ.get("TARGET_${i}", "default")`,
      `    if len(args) > ${dice.int(1, 9)}:`,
      '        sys.exit(2)',
      '    return target',
      '',
    );
  }
  lines.push('if __name__ == "__main__":', `    ${name.replace(/-/g, '_')}_step_0(sys.argv[1:])`);
  return lines;
}

function shLines(dice: Dice, name: string): string[] {
  const lines = ['#!/usr/bin/env bash', 'set -euo pipefail', ''];
  for (let i = 0; i < dice.int(2, 8); i++) {
    lines.push(
      `${name.replace(/-/g, '_')}_${i}() {`,
      `  echo "running ${name} step ${i}"`,
      `  kubectl rollout status deployment/${name} --timeout=${dice.int(30, 600)}s`,
      '}',
      '',
    );
  }
  lines.push(`${name.replace(/-/g, '_')}_0 "$@"`);
  return lines;
}

function tfLines(dice: Dice, name: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < dice.int(2, 7); i++) {
    lines.push(
      `resource "${dice.pick(AWS_RESOURCES)}" "${name.replace(/-/g, '_')}_${i}" {`,
      `  name = "${name}-${i}"`,
      '  tags = {',
      `    Service = "${name}"`,
      '    ManagedBy = "terraform"',
      '  }',
      '}',
      '',
    );
  }
  return lines;
}

function tfvarsLines(dice: Dice, environment: string): string[] {
  return [
    `environment    = "${environment}"`,
    `instance_count = ${dice.int(1, 12)}`,
    `instance_type  = "${dice.pick(['t3.small', 'm6i.large', 'c6i.xlarge'])}"`,
    `enable_backups = ${dice.chance(0.7)}`,
  ];
}

function yamlLines(dice: Dice, name: string): string[] {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    app: ${name}`,
    'spec:',
    `  replicas: ${dice.int(1, 8)}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: registry.example.com/${name}:1.${dice.int(0, 40)}.${dice.int(0, 9)}`,
    '          ports:',
    `            - containerPort: ${dice.int(3000, 9000)}`,
    '          readinessProbe:',
    '            httpGet:',
    '              path: /healthz',
    `              port: ${dice.int(3000, 9000)}`,
  ];
}

function ansibleLines(dice: Dice, name: string): string[] {
  const lines = ['---'];
  for (let i = 0; i < dice.int(2, 6); i++) {
    lines.push(
      `- name: Configure ${name} item ${i}`,
      '  ansible.builtin.template:',
      `    src: ${name}-${i}.conf.j2`,
      `    dest: /etc/${name}/${i}.conf`,
      "    mode: '0644'",
      '',
    );
  }
  return lines;
}

function dockerfileLines(dice: Dice, name: string): string[] {
  return [
    `FROM node:${dice.pick(['20', '22'])}-bookworm-slim AS build`,
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci',
    'COPY . .',
    'RUN npm run build',
    '',
    'FROM gcr.io/distroless/nodejs22-debian12',
    'WORKDIR /app',
    'COPY --from=build /app/dist ./dist',
    `ENV SERVICE_NAME=${name}`,
    `EXPOSE ${dice.int(3000, 9000)}`,
    'CMD ["dist/server.js"]',
  ];
}

function jsonLines(dice: Dice, name: string): string[] {
  return JSON.stringify({ name, version: `1.${dice.int(0, 30)}.0`, replicas: dice.int(1, 9), features: { cache: dice.chance(0.5) } }, null, 2).split('\n');
}

function plainLines(dice: Dice, name: string): string[] {
  return [`${name}`, '', ...Array.from({ length: dice.int(2, 6) }, () => dice.pick(SENTENCES))];
}

function templateLines(dice: Dice, name: string): string[] {
  return [`[${name}]`, 'listen = {{ listen_address }}', `workers = ${dice.int(1, 16)}`, 'log_level = {{ log_level | default("info") }}'];
}

function confLines(dice: Dice, name: string): string[] {
  return ['server {', `  listen ${dice.int(8000, 8999)};`, `  server_name ${name}.internal;`, '  location / {', `    proxy_pass http://${name}:8080;`, '  }', '}'];
}

// ---------------------------------------------------------------------------
// Folder layouts ("units"): a service, a Terraform module or an Ansible role

function serviceUnit(dice: Dice, name: string): CodeFile[] {
  const root = `services/${name}`;
  const files: CodeFile[] = [
    { path: `${root}/Dockerfile`, kind: 'dockerfile', lines: dockerfileLines(dice, name) },
    { path: `${root}/package.json`, kind: 'json', lines: jsonLines(dice, name) },
    { path: `${root}/NOTES.txt`, kind: 'txt', lines: plainLines(dice, name) },
  ];
  for (let i = 0; i < dice.int(3, 8); i++) files.push({ path: `${root}/src/module-${i}.ts`, kind: 'ts', lines: tsLines(dice, `${name}-${i}`) });
  for (let i = 0; i < dice.int(1, 3); i++) files.push({ path: `${root}/deploy/deployment-${i}.yaml`, kind: 'yaml', lines: yamlLines(dice, `${name}-${i}`) });
  for (let i = 0; i < dice.int(1, 2); i++) files.push({ path: `${root}/scripts/run-${i}.sh`, kind: 'sh', lines: shLines(dice, `${name}-${i}`) });
  for (let i = 0; i < dice.int(0, 2); i++) files.push({ path: `${root}/tools/job_${i}.py`, kind: 'py', lines: pyLines(dice, `${name}-${i}`) });
  if (dice.chance(0.3)) files.push({ path: `${root}/nginx/site.conf`, kind: 'conf', lines: confLines(dice, name) });
  return files;
}

function terraformUnit(dice: Dice, name: string): CodeFile[] {
  const root = `infra/modules/${name}`;
  const files: CodeFile[] = ['main', 'variables', 'outputs', 'versions'].map((part) => ({
    path: `${root}/${part}.tf`,
    kind: 'tf' as const,
    lines: tfLines(dice, `${name}-${part}`),
  }));
  for (let i = 0; i < dice.int(0, 3); i++) files.push({ path: `${root}/extra-${i}.tf`, kind: 'tf', lines: tfLines(dice, `${name}-extra-${i}`) });
  for (const environment of ENVIRONMENTS) {
    files.push({ path: `${root}/environments/${environment}.tfvars`, kind: 'tfvars', lines: tfvarsLines(dice, environment) });
  }
  files.push({ path: `${root}/README.txt`, kind: 'txt', lines: plainLines(dice, name) });
  return files;
}

function ansibleUnit(dice: Dice, name: string): CodeFile[] {
  const root = `ansible/roles/${name}`;
  const files: CodeFile[] = ['tasks', 'handlers', 'defaults'].map((part) => ({
    path: `${root}/${part}/main.yml`,
    kind: 'yaml' as const,
    lines: ansibleLines(dice, `${name}-${part}`),
  }));
  for (let i = 0; i < dice.int(1, 3); i++) files.push({ path: `${root}/templates/${name}-${i}.conf.j2`, kind: 'j2', lines: templateLines(dice, name) });
  return files;
}

/** Exactly `count` code files, in folders of realistic size. */
function generateCodeFiles(dice: Dice, count: number): CodeFile[] {
  const files: CodeFile[] = [];
  for (let unit = 0; files.length < count; unit++) {
    const name = `${kebab(dice.pick(SYSTEMS))}-${pad(unit, 4)}`;
    const roll = dice.int(0, 9);
    const made = roll < 6 ? serviceUnit(dice, name) : roll < 9 ? terraformUnit(dice, name) : ansibleUnit(dice, name);
    files.push(...made.slice(0, count - files.length));
  }
  return files;
}

// ---------------------------------------------------------------------------
// Processes, markers, plans, summaries

interface ProcessPlan {
  name: string;
  slug: string;
  docPath: string;
  /** Code files whose markers name this process. */
  markedFiles: CodeFile[];
}

interface TaskPlan {
  id: string;
  name: string;
  area: string;
  priority: string;
  planPath: string;
  process: ProcessPlan;
  files: CodeFile[];
  summaryPath?: string;
  complete: boolean;
}

function planProcesses(dice: Dice, count: number): ProcessPlan[] {
  const shuffled = dice.shuffle(SYSTEMS.flatMap((system) => ACTIVITIES.map((activity) => `${system} ${activity}`)));
  // Past the pool (xlarge only), second and third rounds with a qualifier; smaller sizes keep their names.
  const names = count <= shuffled.length ? shuffled : [...shuffled, ...['Secondary', 'Tertiary'].flatMap((round) => shuffled.map((name) => `${name} ${round}`))];
  if (names.length < count) throw new Error(`only ${names.length} distinct process names for ${count} processes`);
  return names.slice(0, count).map((name) => {
    const slug = kebab(name);
    return { name, slug, docPath: `docs/processes/${slug}.md`, markedFiles: [] };
  });
}

/**
 * Put marker blocks into ~10% of the code files that have a comment syntax,
 * every process at least once, so none is an orphan.
 */
function placeMarkers(dice: Dice, code: CodeFile[], processes: ProcessPlan[], tasks: TaskPlan[]): void {
  const markable = dice.shuffle(code.filter((file) => COMMENT_PREFIX[file.kind]));
  const wanted = Math.max(processes.length, Math.round(code.length * MARKER_SHARE));
  const chosen = markable.slice(0, Math.min(wanted, markable.length));
  chosen.forEach((file, position) => {
    const process = position < processes.length ? processes[position] : dice.pick(processes);
    const task = dice.chance(0.2) && tasks.length ? dice.pick(tasks) : undefined;
    insertMarker(dice, file, process, task);
    process.markedFiles.push(file);
  });
}

function insertMarker(dice: Dice, file: CodeFile, process: ProcessPlan, task: TaskPlan | undefined): void {
  const prefix = COMMENT_PREFIX[file.kind]!;
  const anchor = dice.chance(0.5) ? `#${kebab(dice.pick(SUB_PROCESSES))}` : '';
  const block = [
    `${prefix} Deployment Process: ${process.name}`,
    `${prefix} Implements: ${dice.pick(OBJECTS)} for ${process.name.toLowerCase()}`,
    `${prefix} Environment: ${dice.pick(ENVIRONMENTS)}`,
    `${prefix} Reference: ${process.docPath}${anchor}`,
    ...(task ? [`${prefix} Task: ${task.id}`] : []),
  ];
  // Right after a blank line (or at the top), so the block stands apart from the code above it.
  const blankLines = file.lines.flatMap((line, index) => (line === '' ? [index + 1] : []));
  const at = blankLines.length ? dice.pick(blankLines) : 0;
  file.lines.splice(at, 0, ...block, '');
}

function planTasks(dice: Dice, count: number, processes: ProcessPlan[], code: CodeFile[]): TaskPlan[] {
  const planAreas = Array.from({ length: Math.ceil(count / TASKS_PER_PLAN) }, (_, index) => `${kebab(SYSTEMS[index % SYSTEMS.length])}-${pad(index, 2)}`);
  return Array.from({ length: count }, (_, index) => {
    const folder = planAreas[Math.floor(index / TASKS_PER_PLAN)];
    const id = `TASK-${pad(index + 1)}`;
    const name = `${dice.pick(VERBS)} ${dice.pick(OBJECTS)}`;
    const hasSummary = dice.chance(SUMMARY_SHARE);
    return {
      id,
      name,
      area: dice.pick(AREAS),
      priority: `P${dice.int(0, 3)}`,
      planPath: `docs/plans/${folder}/improvement-plan.md`,
      process: dice.pick(processes),
      files: Array.from({ length: dice.int(1, 3) }, () => dice.pick(code)),
      summaryPath: hasSummary ? `docs/plans/${folder}/summaries/${id}-${kebab(name)}.md` : undefined,
      complete: dice.chance(0.7),
    };
  });
}

// ---------------------------------------------------------------------------
// Markdown documents

/** A valid reference into `file`: a range (or single line) inside it, in one of the written forms. */
function validReference(dice: Dice, file: CodeFile): string {
  const count = file.lines.length;
  const start = dice.int(1, Math.max(1, count - 1));
  const end = Math.min(count, start + dice.int(0, 20));
  const form = dice.int(0, 9);
  if (form < 6 || start === end) return start === end ? `${file.path}:${start}` : `${file.path}:${start}-${end}`;
  if (form < 8) return `${file.path}#L${start}-L${end}`;
  return file.path;
}

interface BrokenSpec {
  kind: 'past-end' | 'missing-file';
  file: CodeFile;
}

function brokenReference(dice: Dice, spec: BrokenSpec, index: number): string {
  if (spec.kind === 'missing-file') {
    // A name that exists nowhere, so no suffix or "did you mean" match turns it into a hit.
    const { dir, ext } = path.posix.parse(spec.file.path);
    return `${dir}/retired-${pad(index, 4)}${ext || '.sh'}:1-${dice.int(5, 30)}`;
  }
  const start = spec.file.lines.length + dice.int(3, 40);
  return `${spec.file.path}:${start}-${start + dice.int(5, 30)}`;
}

function codeReferenceLine(references: string[]): string {
  return `**Code Reference**: ${references.map((reference) => `\`${reference}\``).join(', ')}`;
}

/** Lines of a process document; `broken` (if any) replaces one sub-process's code reference. */
function processDocument(
  dice: Dice,
  process: ProcessPlan,
  pool: CodeFile[],
  tasks: TaskPlan[],
  broken: string | undefined,
): { lines: string[]; brokenLine?: number } {
  const sources = process.markedFiles.length ? process.markedFiles : [dice.pick(pool)];
  const cite = () => validReference(dice, dice.chance(0.7) ? dice.pick(sources) : dice.pick(pool));
  const updated = dice.int(200, 500);
  const lines = [
    `# Deployment Process: ${process.name}`,
    '',
    '## Status',
    `- **Status**: ${dice.pick(['implemented', 'validated', 'current_implementation'])}`,
    `- **Last Updated**: ${isoDate(updated)}`,
    `- **Last Validated**: ${isoDate(updated + dice.int(0, 30))}`,
    `- **Owner**: ${dice.pick(SYSTEMS)} team`,
    `- ${codeReferenceLine(Array.from({ length: dice.int(1, 3) }, cite))}`,
    '',
    '## Overview',
    '',
    ...Array.from({ length: dice.int(2, 6) }, () => dice.pick(SENTENCES)),
    '',
    '## Sub-Processes',
    '',
  ];
  const brokenAt = broken ? dice.int(0, SUB_PROCESSES.length - 1) : -1;
  let brokenLine: number | undefined;
  SUB_PROCESSES.forEach((sub, index) => {
    lines.push(`### ${sub}`, '', `**Description**: ${sub} step of ${process.name.toLowerCase()}.`, '', '**Steps**:');
    for (let step = 1; step <= dice.int(2, 4); step++) lines.push(`${step}. ${dice.pick(SENTENCES)}`);
    lines.push('', `**Automation**: \`${dice.pick(sources).path}\``, '');
    if (index === brokenAt) {
      lines.push(codeReferenceLine([broken!]));
      brokenLine = lines.length;
    } else {
      lines.push(codeReferenceLine([cite()]));
    }
    lines.push('', `**Validation**: ${dice.pick(SENTENCES)}`, '');
  });
  lines.push(...environmentSection(dice), ...checklist(dice), ...changeHistory(dice, updated, tasks));
  return { lines, brokenLine };
}

function environmentSection(dice: Dice): string[] {
  return [
    '## Environment Configuration',
    '',
    ...ENVIRONMENTS.slice(0, dice.int(1, 3)).flatMap((environment) => [
      `### ${environment[0].toUpperCase()}${environment.slice(1)}`,
      '',
      `- ${dice.int(1, 8)} replicas, ${dice.pick(['manual approval', 'automatic promotion'])}.`,
      '',
    ]),
  ];
}

function checklist(dice: Dice): string[] {
  return ['## Validation Checklist', '', ...Array.from({ length: dice.int(2, 5) }, () => `- [x] ${dice.pick(SENTENCES)}`), ''];
}

function changeHistory(dice: Dice, lastDay: number, tasks: TaskPlan[]): string[] {
  const rows = dice.int(1, 5);
  const lines = ['## Change History', '', '| Version | Date | Change | Author | Rationale |', '| ------- | ---- | ------ | ------ | --------- |'];
  for (let row = rows; row >= 1; row--) {
    const rationale = tasks.length && dice.chance(0.4) ? dice.pick(tasks).id : dice.pick(['Incident review', 'Audit finding', 'Documented existing practice']);
    const author = dice.pick(['-', 'mkoval', 'jtan', 'apatel', 'lnguyen']);
    lines.push(`| 1.${row - 1} | ${isoDate(lastDay - (rows - row) * 30)} | ${dice.pick(VERBS)} ${dice.pick(OBJECTS)} | ${author} | ${rationale} |`);
  }
  return lines;
}

function planDocument(dice: Dice, planPath: string, tasks: TaskPlan[]): string[] {
  const title = planPath.split('/').at(-2)!;
  const lines = [`# Infrastructure Improvement Plan: ${title}`, '', `**Date**: ${isoDate(dice.int(100, 300))}`, '', '## Tasks', ''];
  tasks.forEach((task, index) => {
    lines.push(
      `### ${task.id}: ${task.name}`,
      '',
      `**Gap ID**: GAP-${pad(Number(task.id.slice(5)))}`,
      `**Priority**: ${task.priority}`,
      `**Deployment Area**: ${task.area}`,
      ...(index > 0 && dice.chance(0.3) ? [`**Blocked by**: ${tasks[index - 1].id}`] : []),
      `**Process**: [${task.process.name}](../../processes/${task.process.slug}.md)`,
      '',
      '**Files to create/modify**:',
      ...task.files.map((file) => `- \`${file.path}\`: ${dice.pick(SENTENCES)}`),
      '',
    );
  });
  return lines;
}

function summaryDocument(dice: Dice, task: TaskPlan): string[] {
  const criteria = Array.from({ length: dice.int(2, 4) }, (_, index) => index);
  const open = task.complete ? -1 : dice.int(0, criteria.length - 1);
  return [
    `# Infrastructure Implementation Summary: ${task.id} - ${task.name}`,
    '',
    `**Date**: ${isoDate(dice.int(300, 500))}`,
    `**Task ID**: ${task.id}`,
    `**Deployment Area**: ${task.area}`,
    `**Status**: ${task.complete ? 'Complete' : 'In Progress'}`,
    '',
    '## Changes Made',
    '',
    '### Files Created/Modified',
    ...task.files.map((file) => `- \`${file.path}\`: ${dice.pick(SENTENCES)}`),
    '',
    '### Process Updates',
    `- Updated [${task.process.name}](../../../processes/${task.process.slug}.md)`,
    '',
    '## Testing Results',
    '',
    `- ✅ Provisioning: ${dice.pick(['Pass', 'Pass on staging'])}`,
    `- ${task.complete ? '✅' : '❌'} Deployment: ${task.complete ? 'Pass' : 'Pending'}`,
    '',
    '## Acceptance Criteria Status',
    '',
    ...criteria.map((index) => `- [${index < open || open < 0 ? 'x' : ' '}] ${dice.pick(SENTENCES)}`),
  ];
}

// ---------------------------------------------------------------------------
// Assembly

interface PlannedRepository extends GeneratedRepository {
  /** Repository-relative path → content, in write order. */
  contents: [string, string][];
}

function toText(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Which processes carry a broken reference, and of which kind. */
function chooseBroken(dice: Dice, processes: ProcessPlan[], pool: CodeFile[]): Map<ProcessPlan, BrokenSpec> {
  const count = Math.max(4, Math.ceil(processes.length / 10));
  const chosen = dice.shuffle(processes).slice(0, Math.min(count, processes.length));
  return new Map(chosen.map((process, index) => [process, { kind: index % 2 ? 'missing-file' : 'past-end', file: dice.pick(pool) }]));
}

/** The whole repository as data; pure, so it can be tested and digested without the disk. */
export function planRepository(size: RepositorySize, seed = 1): PlannedRepository {
  const spec = SIZES[size];
  if (!spec) throw new Error(`unknown size \`${size}\` (small, medium, large or xlarge)`);
  const dice = new Dice(createRandom(seed));
  const processes = planProcesses(dice, spec.processes);
  const plans = Math.ceil(spec.tasks / TASKS_PER_PLAN);
  // Summaries are decided per task later; reserve room for the expected share, then fill code to the target.
  const fixed = 2 + spec.processes + plans + Math.round(spec.tasks * SUMMARY_SHARE);
  const code = generateCodeFiles(dice, Math.max(spec.files - fixed, 20));
  const tasks = planTasks(dice, spec.tasks, processes, code);
  placeMarkers(dice, code, processes, tasks);

  const contents: [string, string][] = [
    ['waymark.config.json', `${JSON.stringify({ name: `synthetic-infra-${size}`, site: { title: `Synthetic infrastructure (${size})` } }, null, 2)}\n`],
    ['README.md', toText(['# Synthetic infrastructure', '', `Generated for the Waymark benchmark: size ${size}, seed ${seed}.`, '', 'Processes live in the docs/processes folder.'])],
  ];
  for (const file of code) contents.push([file.path, toText(file.lines)]);

  const broken = chooseBroken(dice, processes, code);
  const brokenReferences: string[] = [];
  processes.forEach((process) => {
    const spec = broken.get(process);
    const raw = spec && brokenReference(dice, spec, brokenReferences.length);
    const document = processDocument(dice, process, code, tasks, raw);
    if (document.brokenLine) brokenReferences.push(`${process.docPath}:${document.brokenLine}`);
    contents.push([process.docPath, toText(document.lines)]);
  });
  for (const planPath of [...new Set(tasks.map((task) => task.planPath))]) {
    contents.push([planPath, toText(planDocument(dice, planPath, tasks.filter((task) => task.planPath === planPath)))]);
  }
  for (const task of tasks) if (task.summaryPath) contents.push([task.summaryPath, toText(summaryDocument(dice, task))]);

  return { contents, files: contents.length, processes: processes.length, tasks: tasks.length, brokenReferences: brokenReferences.sort() };
}

/** Write the repository under `dir` (created if needed); no git, the caller decides. */
export async function generateRepository(dir: string, size: RepositorySize, seed = 1): Promise<GeneratedRepository> {
  const { contents, ...summary } = planRepository(size, seed);
  const folders = [...new Set(contents.map(([file]) => path.dirname(path.join(dir, file))))];
  for (const folder of folders) await mkdir(folder, { recursive: true });
  // Bounded batches: 50k concurrent writes would exhaust file handles.
  for (let start = 0; start < contents.length; start += 256) {
    await Promise.all(contents.slice(start, start + 256).map(([file, text]) => writeFile(path.join(dir, file), text)));
  }
  return summary;
}

async function cli(args: string[]): Promise<number> {
  const [dir, size = 'small', seed = '1'] = args;
  if (!dir || !(size in SIZES) || !/^\d+$/.test(seed)) {
    process.stderr.write('usage: node bin/run-ts.mjs scripts/generate-repo.ts <dir> <small|medium|large|xlarge> [seed]\n');
    return 2;
  }
  const result = await generateRepository(dir, size as RepositorySize, Number(seed));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await cli(process.argv.slice(2));
}
