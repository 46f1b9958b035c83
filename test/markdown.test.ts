import { describe, expect, it } from 'vitest';
import { parseDocument, type DocProblem } from '../src/core/extract/markdown.ts';
import { Document as DocumentSchema, type Document } from '../src/core/schema.ts';
import { expectLinear } from './growth.ts';

/** `line:column origin raw` per reference, the compact form these tests compare. */
const refs = (doc: Document) => doc.references.map((r) => `${r.source.line}:${r.source.column} ${r.origin} ${r.raw}`);
const problems = (list: DocProblem[]) => list.map((p) => `${p.line}:${p.column} ${p.rule} ${p.message}`);

/** Parse and check the result against the schema every consumer relies on. */
function parse(path: string, text: string) {
  const result = parseDocument(path, text);
  expect(() => DocumentSchema.parse(result.document)).not.toThrow();
  return result;
}

const PROCESS_BOLD = `# Deployment Process: Raspberry Pi Server

## Status
- **Status**: current_implementation
- **Last Updated**: 2026-01-05
- **Last Validated**: not yet validated
- **Code Reference**: \`deploy/pi/setup.sh:1-43\`, \`deploy/pi/app.service:1-20\`

## Overview

The server runs the app behind Caddy. See [the runbook](../runbooks/pi.md#restart) and [rollback](#rollback).
Config lives in \`deploy/pi/Caddyfile\`; run \`sudo systemctl restart app\` to restart.

## Processes

### Provisioning

**Description**: Install packages and create the service user.
**Steps**:
1. Flash the SD card
2. Run \`deploy/pi/setup.sh\`

**Automation**: Fully automated
**Code Reference**: \`deploy/pi/setup.sh:1-43\`
**Validation**: \`systemctl status app\` shows active

### Rollback

**Description**: Restore the previous release.
**Code References**:
- \`deploy/pi/rollback.sh:5-30\`
- docs/runbooks/pi.md Section 3

## Environment Configuration

### Production
- **Host**: pi.local

### Staging
- **Host**: pi-staging.local

## Validation Checklist
- [x] Service starts on boot
- [ ] Backups verified

\`\`\`bash
# Reference: deploy/pi/ignored.sh:1-2
**Code Reference**: \`ignored/inside/fence.sh:1\`
\`\`\`

<!-- **Code Reference**: \`ignored/in/comment.sh:1\` -->

## Change History

| Date       | Version | Description                    | Rationale   |
| ---------- | ------- | ------------------------------ | ----------- |
| 2026-02-01 | 1.1     | Added rollback step (TASK-004) | Incident 42 |
| 2026-02-30 | 1.2     | Tightened TTL                  | -           |
| YYYY-MM-DD | 1.x     | [Change description]           | [Rationale] |
`;

describe('process document, bold-key style', () => {
  const { document: doc, problems: found } = parse('docs/processes/pi.md', PROCESS_BOLD);

  it('reads kind, title, area, name and status fields', () => {
    expect(doc.kind).toBe('process');
    expect(doc.title).toBe('Deployment Process: Raspberry Pi Server');
    expect(doc.area).toBe('Deployment Process');
    expect(doc.processName).toBe('Raspberry Pi Server');
    expect(doc.status).toBe('current_implementation');
    expect(doc.lastUpdated).toBe('2026-01-05');
    expect(doc.lastValidated).toBeUndefined();
    expect(doc.lineCount).toBe(59);
  });

  it('reads bold-key metadata with the section it sits under', () => {
    expect(doc.metadata.slice(0, 4).map((m) => `${m.line} ${m.section} ${m.key}=${m.value}`)).toEqual([
      '4 status status=current_implementation',
      '5 status last updated=2026-01-05',
      '6 status last validated=not yet validated',
      '7 status code reference=deploy/pi/setup.sh:1-43, deploy/pi/app.service:1-20',
    ]);
    expect(doc.metadata.map((m) => m.label)).not.toContain('Reference'); // the fenced and commented ones
  });

  it('places every reference at its column in the file', () => {
    expect(refs(doc)).toEqual([
      '7:24 code-reference deploy/pi/setup.sh:1-43',
      '7:51 code-reference deploy/pi/app.service:1-20',
      '11:57 link ../runbooks/pi.md#restart',
      '11:99 link #rollback',
      '12:18 mention deploy/pi/Caddyfile',
      '21:9 mention deploy/pi/setup.sh',
      '24:22 code-reference deploy/pi/setup.sh:1-43',
      '31:4 code-reference deploy/pi/rollback.sh:5-30',
      '32:3 code-reference docs/runbooks/pi.md Section 3',
      '57:47 mention TASK-004',
    ]);
    const [first] = doc.references;
    expect(first).toMatchObject({ id: 'docs/processes/pi.md:7:24', kind: 'path', path: 'deploy/pi/setup.sh', lines: { start: 1, end: 43 } });
    expect(first.source).toEqual({ file: 'docs/processes/pi.md', line: 7, column: 24 });
    const anchorOnly = doc.references.find((r) => r.raw === '#rollback');
    expect(anchorOnly).toMatchObject({ kind: 'path', path: 'docs/processes/pi.md', anchor: 'rollback' });
    expect(doc.references.find((r) => r.raw.startsWith('../'))).toMatchObject({ path: '../runbooks/pi.md', anchor: 'restart' });
  });

  it('reads headings, sub-processes and environments', () => {
    expect(doc.headings.map((h) => `${h.line} h${h.depth} ${h.slug}`)).toEqual([
      '1 h1 deployment-process-raspberry-pi-server',
      '3 h2 status',
      '9 h2 overview',
      '14 h2 processes',
      '16 h3 provisioning',
      '27 h3 rollback',
      '34 h2 environment-configuration',
      '36 h3 production',
      '39 h3 staging',
      '42 h2 validation-checklist',
      '53 h2 change-history',
    ]);
    expect(doc.subProcesses).toEqual([
      {
        name: 'Provisioning',
        slug: 'provisioning',
        line: 16,
        description: 'Install packages and create the service user.',
        automation: 'Fully automated',
        validation: 'systemctl status app shows active',
        references: ['docs/processes/pi.md:24:22'],
      },
      {
        name: 'Rollback',
        slug: 'rollback',
        line: 27,
        description: 'Restore the previous release.',
        references: ['docs/processes/pi.md:31:4', 'docs/processes/pi.md:32:3'],
      },
    ]);
    expect(doc.environments.map((e) => `${e.line} ${e.name} #${e.slug}`)).toEqual(['36 Production #production', '39 Staging #staging']);
  });

  it('reads checkboxes and the change history, skipping the template row', () => {
    expect(doc.checkboxes.map((c) => `${c.line} ${c.checked ? 'x' : ' '} ${c.text} #${c.section}`)).toEqual([
      '43 x Service starts on boot #validation-checklist',
      '44   Backups verified #validation-checklist',
    ]);
    expect(doc.changes).toEqual([
      {
        id: 'docs/processes/pi.md:57',
        file: 'docs/processes/pi.md',
        line: 57,
        version: '1.1',
        date: '2026-02-01',
        dateText: '2026-02-01',
        change: 'Added rollback step (TASK-004)',
        rationale: 'Incident 42',
        taskIds: ['TASK-004'],
      },
      {
        id: 'docs/processes/pi.md:58',
        file: 'docs/processes/pi.md',
        line: 58,
        version: '1.2',
        dateText: '2026-02-30',
        change: 'Tightened TTL',
        taskIds: [],
      },
    ]);
  });

  it('reports only the impossible change date', () => {
    expect(problems(found)).toEqual(['58:3 invalid-metadata `Date` value `2026-02-30` in the change history is not a valid date']);
    expect(found[0].suggestion).toBe('use YYYY-MM-DD');
  });

  it('reads CRLF, lone CR and a BOM at the same lines and columns', () => {
    for (const variant of [PROCESS_BOLD.replace(/\n/g, '\r\n'), PROCESS_BOLD.replace(/\n/g, '\r'), `\uFEFF${PROCESS_BOLD.replace(/\n/g, '\r\n')}`]) {
      const other = parse('docs/processes/pi.md', variant);
      expect(other.document).toEqual(doc);
      expect(other.problems).toEqual(found);
    }
  });
});

const PROCESS_FRONT_MATTER = `---
title: Blue/Green Rollout
type: process
area: Deployment Process
status: validated
last_updated: 2026-01-05
last_validated: 2025-13-45
aliases:
  - bg-rollout
  - Blue Green
code_references:
  - infra/lb.tf:12-48
  - "infra/dns.tf#L1-L20"
reference: docs/runbooks/rollback.md#steps  # the manual path
---

# Blue/Green Rollout

Traffic moves between two target groups.

## Processes

### Switch traffic

**Description**: Shift the listener rule weights.
**Code Reference**: \`infra/lb.tf:30-48\`
`;

describe('process document, front-matter style', () => {
  const { document: doc, problems: found } = parse('docs/processes/blue-green.md', PROCESS_FRONT_MATTER);

  it('takes kind, area and aliases from front matter and the name from the H1', () => {
    expect(doc.kind).toBe('process');
    expect(doc.title).toBe('Blue/Green Rollout');
    expect(doc.processName).toBe('Blue/Green Rollout');
    expect(doc.area).toBe('Deployment Process');
    expect(doc.status).toBe('validated');
    expect(doc.lastUpdated).toBe('2026-01-05');
    expect(doc.lastValidated).toBeUndefined();
    expect(doc.aliases).toEqual(['bg-rollout', 'Blue Green']);
  });

  it('records top-level scalar keys at the line of the key, keeping dates as written', () => {
    expect(doc.metadata.map((m) => `${m.line} ${m.key}=${m.value}${m.section ? ` #${m.section}` : ''}`)).toEqual([
      '2 title=Blue/Green Rollout',
      '3 type=process',
      '4 area=Deployment Process',
      '5 status=validated',
      '6 last updated=2026-01-05',
      '7 last validated=2025-13-45',
      '14 reference=docs/runbooks/rollback.md#steps',
      '25 description=Shift the listener rule weights. #switch-traffic',
      '26 code reference=infra/lb.tf:30-48 #switch-traffic',
    ]);
  });

  it('reads references from front matter scalars and lists', () => {
    expect(refs(doc)).toEqual([
      '12:5 code-reference infra/lb.tf:12-48',
      '13:6 code-reference infra/dns.tf#L1-L20',
      '14:12 code-reference docs/runbooks/rollback.md#steps',
      '26:22 code-reference infra/lb.tf:30-48',
    ]);
  });

  it('keeps `#` lines of fences without a language or in markdown, never a shell comment or a heading outside code', () => {
    const text = '# Guide\n\n```markdown\n## Example Section\n```\n\n```\n### Swallowed heading ###\n```\n\n```bash\n# install deps\n```\n\n## Real heading\n';
    const { document: doc } = parse('docs/guide.md', text);
    expect(doc.fencedHeadings).toEqual([
      { slug: 'example-section', line: 4 },
      { slug: 'swallowed-heading', line: 8 },
    ]);
  });

  it('keeps the `…:` paragraph that introduces a list with the references in it, nested lists included', () => {
    const text = '# Cleanup\n\nThe following files were removed:\n\n- `a/one.ts`\n  - `a/two.ts`\n\nSee the notes.\n\n- `b/three.ts`\n\n1. `c/four.ts`\n\n   Kept for now:\n\n   - `c/five.ts`\n';
    const { document: doc } = parse('docs/cleanup.md', text);
    expect(doc.references.map((r) => `${r.raw} ${r.listIntro ?? '-'}`)).toEqual([
      'a/one.ts The following files were removed:',
      'a/two.ts The following files were removed:',
      'b/three.ts -',
      'c/four.ts -',
      'c/five.ts Kept for now:',
    ]);
  });

  it('tells a note where a date goes (no year, no month: a warning) from a mistyped date (an error)', () => {
    const text = '# Rollout Improvement Plan\n\n**Last Updated**: After the load-test run\n**Last Validated**: March 32, 2025\n\n## Task: Add canaries\n';
    const { problems: found } = parse('docs/rollout-plan.md', text);
    expect(found.map((p) => `${p.line} ${p.class ?? '-'} ${p.message}`)).toEqual([
      '3 prose `Last Updated` value `After the load-test run` is not a valid date',
      '4 - `Last Validated` value `March 32, 2025` is not a valid date',
    ]);
  });

  it('reports the impossible date YAML would have rolled over', () => {
    expect(problems(found)).toEqual(['7:17 invalid-metadata `last_validated` value `2025-13-45` is not a valid date']);
  });
});

const SUMMARY = `# Infrastructure Implementation Summary: TASK-001 - Add CI/CD pipeline

**Date**: 2026-01-12
**Task ID**: TASK-001
**Deployment Area**: CI/CD
**Status**: ✅ Complete

## Changes Made

### Files Created/Modified
- \`.github/workflows/deploy.yml\`: Added the production deploy job
- \`infra/lb.tf:12-48\`: Weighted target groups
- \`scripts/smoke.sh\`

### Infrastructure Changes
- Load balancer: Added blue and green target groups

### Process Updates
- Blue/Green Rollout: Documented the switch in [the process](../processes/blue-green.md#switch-traffic)

## Testing Results

### Infrastructure Testing
- ✅ Provisioning: Pass
- ❌ Environment: staging DNS not propagated

### Code Quality
- ✅ Linter: Pass

## Issues Encountered

### Issue 1: DNS propagation
- **Resolution**: Lowered the TTL in \`infra/dns.tf\`
- **Impact**: One day of delay

## Deviations from Plan

### Deviation 1: Kept the old listener
- **Reason**: Rollback safety
- **Impact**: None

## Next Steps

- [ ] Remove the old listener
- [x] Update the runbook

## Acceptance Criteria Status

- [x] Pipeline deploys to production: Done
- [ ] Rollback under 5 minutes: Pending
`;

describe('implementation summary following the seed template', () => {
  const { document: doc, problems: found } = parse('docs/tasks/TASK-001-summary.md', SUMMARY);

  it('reads kind, task id, status and date', () => {
    expect(doc.kind).toBe('summary');
    expect(doc.taskId).toBe('TASK-001');
    expect(doc.taskStatus).toBe('complete');
    expect(doc.lastUpdated).toBe('2026-01-12');
    expect(doc.tasks).toEqual([]);
    expect(found).toEqual([]);
  });

  it('reads the files list with notes, as references', () => {
    expect(doc.filesModified).toEqual([
      { reference: 'docs/tasks/TASK-001-summary.md:11:4', note: 'Added the production deploy job', line: 11 },
      { reference: 'docs/tasks/TASK-001-summary.md:12:4', note: 'Weighted target groups', line: 12 },
      { reference: 'docs/tasks/TASK-001-summary.md:13:4', line: 13 },
    ]);
    expect(refs(doc)).toEqual([
      '1:42 mention TASK-001',
      '4:14 mention TASK-001',
      '11:4 files-modified .github/workflows/deploy.yml',
      '12:4 files-modified infra/lb.tf:12-48',
      '13:4 files-modified scripts/smoke.sh',
      '19:62 link ../processes/blue-green.md#switch-traffic',
      '33:39 mention infra/dns.tf',
    ]);
  });

  it('reads test results and checkboxes', () => {
    expect(doc.testResults).toEqual([
      { passed: true, text: 'Provisioning: Pass', line: 24 },
      { passed: false, text: 'Environment: staging DNS not propagated', line: 25 },
      { passed: true, text: 'Linter: Pass', line: 28 },
    ]);
    expect(doc.checkboxes.map((c) => `${c.line} ${c.checked ? 'x' : ' '} ${c.text} #${c.section}`)).toEqual([
      '44   Remove the old listener #next-steps',
      '45 x Update the runbook #next-steps',
      '49 x Pipeline deploys to production: Done #acceptance-criteria-status',
      '50   Rollback under 5 minutes: Pending #acceptance-criteria-status',
    ]);
  });
});

describe('the raw seed playbook, templates and all', () => {
  const { document: doc, problems: found } = parse('playbooks/PLAYBOOK_05_IMPLEMENT_INFRASTRUCTURE.md', SEED_PLAYBOOK);

  it('is a plain document whose examples are not data', () => {
    expect(doc.kind).toBe('plain');
    expect(doc.title).toBe('Playbook 05: Implement Infrastructure');
    // Ids of other playbooks in prose are real mentions; no path is.
    expect(doc.references.filter((ref) => ref.kind !== 'id')).toEqual([]);
    expect(doc.references.map((ref) => ref.raw)).toEqual(['PLAYBOOK_04', 'PLAYBOOK_02', 'PLAYBOOK_02', 'PLAYBOOK_02', 'PLAYBOOK_04', 'PLAYBOOK_02', 'PLAYBOOK_06']);
    expect(doc.tasks).toEqual([]);
    expect(doc.statusUpdates).toEqual([]);
    expect(doc.changes).toEqual([]);
    expect(doc.checkboxes).toEqual([]);
    expect(doc.filesModified).toEqual([]);
    expect(doc.testResults).toEqual([]);
    expect(found).toEqual([]);
    expect(doc.lineCount).toBe(SEED_PLAYBOOK.split('\n').length - 1); // ends with a newline
  });

  it('still indexes its headings', () => {
    expect(doc.headings.filter((h) => h.depth <= 2).map((h) => h.slug)).toEqual([
      'playbook-05-implement-infrastructure',
      'purpose',
      'when-to-use-this-playbook',
      'prerequisites',
      'instructions-for-ai-assistant',
      'output-deliverables',
      'quality-criteria',
      'example-prompts-for-user',
      'next-steps',
    ]);
    expect(doc.headings.find((h) => h.text.startsWith('Step 8'))?.slug).toBe('step-8-create-implementation-summary');
  });

  it('treats the templates as placeholders when they are written outside code fences', () => {
    const unfenced = SEED_PLAYBOOK.replace(/^```[a-z]*$/gm, '');
    const result = parse('docs/TEMPLATE.md', unfenced);
    expect(result.problems).toEqual([]);
    expect(result.document.references.filter((ref) => ref.kind !== 'id')).toEqual([]);
    expect(result.document.statusUpdates).toEqual([{ line: expect.any(Number) }]);
    expect(result.document.changes).toEqual([]);
  });
});

const PLAN = `# Improvement Plan: CI/CD

## Gaps

### GAP-001: No automated deploys
Deploys are run by hand from a laptop.

## Tasks

### Task: Add CI/CD pipeline

**Task ID**: TASK-001
**Gap ID**: GAP-001
**Priority**: P0 (critical)
**Deployment Area**: CI/CD
**Status**: In Progress
**Blocks**: TASK-002
**Blocked by**: None

Create a workflow that deploys on merge to \`main\`.

**Files to create/modify**:
- \`.github/workflows/deploy.yml\`: new workflow
- \`infra/iam.tf\`: deploy role

### TASK-002: Blue/green switch

- **Gap**: GAP-002
- **Priority**: P1
- **Area**: Infrastructure
- **Status**: Someday
- **Depends on**: TASK-001, TASK-003

Files to create/modify:
- \`infra/lb.tf:12-48\`: listener rule

### Task 3: Document rollback

**Status**: Not Started

### Task: Harden SSH
`;

describe('improvement plan', () => {
  const { document: doc, problems: found } = parse('docs/plans/cicd.md', PLAN);

  it('reads every task with its fields', () => {
    expect(doc.kind).toBe('plan');
    expect(doc.tasks.map((t) => `${t.line} ${t.taskId} "${t.name}" #${t.slug}`)).toEqual([
      '10 TASK-001 "Add CI/CD pipeline" #task-add-cicd-pipeline',
      '26 TASK-002 "Blue/green switch" #task-002-bluegreen-switch',
      '37 TASK-003 "Document rollback" #task-3-document-rollback',
      '41 HARDEN-SSH "Harden SSH" #task-harden-ssh',
    ]);
    expect(doc.tasks[0]).toEqual({
      taskId: 'TASK-001',
      name: 'Add CI/CD pipeline',
      line: 10,
      slug: 'task-add-cicd-pipeline',
      gapId: 'GAP-001',
      priority: 'P0',
      area: 'CI/CD',
      status: 'in_progress',
      blocks: ['TASK-002'],
      blockedBy: [],
      description: 'Create a workflow that deploys on merge to main.',
      files: [
        { reference: 'docs/plans/cicd.md:23:4', note: 'new workflow', line: 23 },
        { reference: 'docs/plans/cicd.md:24:4', note: 'deploy role', line: 24 },
      ],
    });
    expect(doc.tasks[1]).toMatchObject({ gapId: 'GAP-002', priority: 'P1', area: 'Infrastructure', blockedBy: ['TASK-001', 'TASK-003'] });
    expect(doc.tasks[1].status).toBeUndefined();
    expect(doc.tasks[1].files).toEqual([{ reference: 'docs/plans/cicd.md:35:4', note: 'listener rule', line: 35 }]);
    expect(doc.tasks[2].status).toBe('not_started');
    expect(doc.filesModified).toEqual([]);
  });

  it('reports the unknown task status', () => {
    expect(problems(found)).toEqual(['31:15 invalid-metadata `Status` value `Someday` is not a valid task status']);
  });
});

const STATUS_UPDATES = `# Progress notes

## Task Status Update

**Task ID**: TASK-002
**Status**: In Progress
**Progress**: 40%
**Notes**: Listener rule merged; waiting on DNS
**Next Steps**: Switch traffic in staging

## Task Status Update

**Task ID**: TASK-002
**Status**: 🚧 Blocked
**Progress**: [X%]
**Notes**: [Any notes]
`;

describe('task status updates', () => {
  it('reads each update block', () => {
    const { document: doc, problems: found } = parse('docs/tasks/notes-0120.md', STATUS_UPDATES);
    expect(doc.kind).toBe('status-update');
    expect(doc.statusUpdates).toEqual([
      { line: 3, taskId: 'TASK-002', status: 'in_progress', progress: 40, notes: 'Listener rule merged; waiting on DNS', nextSteps: 'Switch traffic in staging' },
      { line: 11, taskId: 'TASK-002', status: 'blocked' },
    ]);
    expect(doc.taskId).toBe('TASK-002');
    expect(doc.taskStatus).toBe('blocked');
    expect(found).toEqual([]);
  });
});

const REPORT = `# Validation Report: Blue/Green Rollout

**Date**: January 20, 2026
**Validator**: ops-team
**Status**: 2 gaps open

## Findings

### GAP-003: Rollback is not automated
- **Severity**: High
- **Reference**: \`docs/processes/blue-green.md#rollback\`
- [ ] Automate the rollback
`;

describe('validation report', () => {
  it('is dated and keeps its references, without task or status rules', () => {
    const { document: doc, problems: found } = parse('docs/reports/2026-01-20.md', REPORT);
    expect(doc.kind).toBe('report');
    expect(doc.lastUpdated).toBe('2026-01-20');
    expect(doc.tasks).toEqual([]);
    expect(refs(doc)).toEqual(['9:5 mention GAP-003', '11:19 code-reference docs/processes/blue-green.md#rollback']);
    expect(doc.checkboxes.map((c) => c.text)).toEqual(['Automate the rollback']);
    expect(found).toEqual([]);
  });
});

describe('change history tables', () => {
  it('matches columns by name in any order, without an Author column', () => {
    const text = `# Workflow: Release Train

## Changelog

| Description | Date | Reason | Version |
| --- | --- | --- | --- |
| Split the **staging** gate (TASK-010, TASK-011) | Jan 5, 2026 | Faster feedback | 2.0 |
| Initial version | 2025-12-01 |  |  |
| [Change description] | [YYYY-MM-DD] | [Rationale] | 1.x |
| Retimed the freeze | last Tuesday | - | 2.1 |
`;
    const { document: doc, problems: found } = parse('docs/workflows/release.md', text);
    expect(doc.kind).toBe('process');
    expect(doc.area).toBe('Workflow');
    expect(doc.changes.map((c) => [c.line, c.version, c.date, c.dateText, c.change, c.author, c.rationale, c.taskIds.join(',')])).toEqual([
      [7, '2.0', '2026-01-05', 'Jan 5, 2026', 'Split the staging gate (TASK-010, TASK-011)', undefined, 'Faster feedback', 'TASK-010,TASK-011'],
      [8, undefined, '2025-12-01', '2025-12-01', 'Initial version', undefined, undefined, ''],
      [10, '2.1', undefined, 'last Tuesday', 'Retimed the freeze', undefined, undefined, ''],
    ]);
    expect(problems(found)).toEqual(['10:24 invalid-metadata `Date` value `last Tuesday` in the change history is not a valid date']);
  });

  it('drops a `-` author and ignores tables under other headings', () => {
    const text = `## Revision History

| Version | Date | Change | Author | Rationale |
|---|---|---|---|---|
| 1.1 | 2026-02-01 | Added rollback step | - | Incident 42 |
| 1.2 | 2026-02-03 | Added canary | Priya | |

## Ports

| Port | Date | Change |
|---|---|---|
| 443 | soon | open |
`;
    const { document: doc, problems: found } = parse('docs/x.md', text);
    expect(doc.changes.map((c) => `${c.line} ${c.version} ${c.author ?? '-'} ${c.change}`)).toEqual(['5 1.1 - Added rollback step', '6 1.2 Priya Added canary']);
    expect(found).toEqual([]);
  });
});

describe('front matter that cannot be read', () => {
  it('reports malformed YAML on its line and still reads the body', () => {
    const text = `---
title: Broken
status: [validated
owner: ops
---
# Deployment Process: Broken Front Matter

- **Status**: validated
- **Code Reference**: \`infra/main.tf:1-10\`
`;
    const { document: doc, problems: found } = parse('docs/processes/broken.md', text);
    expect(problems(found)).toEqual(['4:1 invalid-metadata front matter is not valid YAML: missed comma between flow collection entries']);
    expect(found[0].suggestion).toBe('fix the YAML between the `---` lines');
    expect(doc.kind).toBe('process');
    expect(doc.status).toBe('validated');
    expect(doc.metadata.map((m) => `${m.line} ${m.key}`)).toEqual(['8 status', '9 code reference']);
    expect(refs(doc)).toEqual(['9:24 code-reference infra/main.tf:1-10']);
    expect(doc.headings[0].line).toBe(6);
  });

  it('never evaluates ---js front matter', () => {
    const globals = globalThis as { waymarkPwned?: boolean };
    for (const language of ['js', 'javascript', 'coffee', 'json']) {
      const text = `---${language}
{ title: (globalThis.waymarkPwned = true, 'pwned'), type: 'plan' }
---
# Notes

See \`infra/lb.tf:1-2\`.
`;
      const { document: doc, problems: found } = parse('docs/notes.md', text);
      expect(globals.waymarkPwned).toBeUndefined();
      expect(problems(found)).toEqual([`1:4 invalid-metadata front matter in \`${language}\` is not read: only YAML front matter is supported`]);
      expect(doc.title).toBe('Notes');
      expect(doc.kind).toBe('plain');
      expect(doc.metadata).toEqual([]);
      expect(refs(doc)).toEqual(['6:6 mention infra/lb.tf:1-2']);
    }
  });

  it('refuses YAML tags that would build functions', () => {
    const text = `---
run: !!js/function "function () { globalThis.waymarkPwned = true }"
---
# Notes
`;
    const { problems: found } = parse('docs/notes.md', text);
    expect((globalThis as { waymarkPwned?: boolean }).waymarkPwned).toBeUndefined();
    expect(found.map((p) => `${p.line} ${p.rule}`)).toEqual(['2 invalid-metadata']);
  });

  it('reports front matter that is never closed, reading the text as markdown', () => {
    const { document: doc, problems: found } = parse('docs/open.md', '---\ntitle: Open\n\n# Open Ended\n');
    expect(problems(found)).toEqual(['1:1 invalid-metadata front matter opened on line 1 is never closed']);
    expect(doc.title).toBe('Open Ended');
  });

  it('accepts a document that starts with a thematic break', () => {
    const { document: doc, problems: found } = parse('docs/rule.md', '---\n\nSome text.\n');
    expect(found).toEqual([]);
    expect(doc.lineCount).toBe(3);
  });
});

describe('text that is never data', () => {
  it('ignores fenced and indented code, HTML comments and placeholders', () => {
    const text = `# Notes

\`\`\`hcl
# Deployment Process: Blue/Green Rollout
# Reference: docs/processes/blue-green-rollout.md
\`\`\`

~~~markdown
**Code Reference**: \`infra/fenced.tf:1-2\`
- [ ] fenced checkbox
~~~

    **Status**: indented code
    \`infra/indented.tf:3\`

<!--
**Last Validated**: 2025-13-45
- [ ] commented checkbox
\`infra/commented.tf:1\`
-->

Inline <!-- \`infra/inline-comment.tf:1\` --> comment, then \`infra/real.tf:7\`.

**Code Reference**: \`file.tf:line-range\`, \`TASK-XXX\`, [Process doc](path/to/process.md)

## Tail

\`\`\`
unterminated fence with \`infra/never.tf:1\`
- [x] never a checkbox
`;
    const { document: doc, problems: found } = parse('docs/notes.md', text);
    expect(refs(doc)).toEqual(['22:60 mention infra/real.tf:7']);
    expect(doc.checkboxes).toEqual([]);
    expect(doc.metadata.map((m) => `${m.line} ${m.key}=${m.value}`)).toEqual(['24 code reference=file.tf:line-range, TASK-XXX, [Process doc](path/to/process.md)']);
    // The unterminated fence is still code, and reported as what hides the rest of the document.
    expect(found.map((p) => `${p.line}:${p.column} ${p.rule}`)).toEqual(['28:1 malformed-markdown']);
    expect(doc.headings.map((h) => h.text)).toEqual(['Notes', 'Tail']);
  });

  it('keeps mentions conservative: commands, addresses and prose are not paths', () => {
    const text = `# Operations

Run \`npm run build\`, \`kubectl get pods -n app\`, \`make deploy\` or \`--config=ops/a.yml\`.
Services listen on \`127.0.0.1:3000\` at \`23:45\`; install \`@types/node\`; use \`and/or\`, \`TCP/IP\`, \`github.com/acme/infra\`.
Directories such as \`infra/modules/vpc\` and code like \`Type.Member:100-105\` are not cited either.

| Component | Source |
| --- | --- |
| Home page | \`Home.tsx:57-108\` |
| Chart | \`charts/x/templates/sts.yaml:44-59\` |
| Decisions | \`docs/decisions/0036-*.md\` |
| Image | \`deploy/Dockerfile\` |
`;
    const { document: doc } = parse('docs/ops.md', text);
    expect(refs(doc)).toEqual([
      '9:16 mention Home.tsx:57-108',
      '10:12 mention charts/x/templates/sts.yaml:44-59',
      '11:16 mention docs/decisions/0036-*.md',
      '12:12 mention deploy/Dockerfile',
    ]);
    expect(doc.references.map((r) => r.kind)).toEqual(['path', 'path', 'glob', 'path']);
  });
});

describe('links', () => {
  it('reads relative, anchor, line, image, definition and external links', () => {
    const text = `# Links

See [rollback](#rollback), [lb](../infra/lb.tf#L12-L48), [guide](guide%20one.md?plain=1#Set-Up) and ![diagram](img/flow.png "Flow").
Also [the spec][spec], <https://example.com/runbook>, www.example.org, [mail](mailto:ops@example.com) and [call](tel:123).
[Template](<path/to/process.md>) and [empty]().

[spec]: ./specs/api.yaml "API"
`;
    const { document: doc } = parse('docs/links.md', text);
    expect(refs(doc)).toEqual([
      '3:16 link #rollback',
      '3:33 link ../infra/lb.tf#L12-L48',
      '3:66 link guide%20one.md?plain=1#Set-Up',
      '3:112 link img/flow.png',
      '4:25 link https://example.com/runbook',
      '4:55 link http://www.example.org',
      '7:9 link ./specs/api.yaml',
    ]);
    const byRaw = new Map(doc.references.map((r) => [r.raw, r]));
    expect(byRaw.get('#rollback')).toMatchObject({ kind: 'path', path: 'docs/links.md', anchor: 'rollback' });
    expect(byRaw.get('../infra/lb.tf#L12-L48')).toMatchObject({ kind: 'path', path: '../infra/lb.tf', lines: { start: 12, end: 48 } });
    expect(byRaw.get('../infra/lb.tf#L12-L48')?.anchor).toBeUndefined();
    expect(byRaw.get('guide%20one.md?plain=1#Set-Up')).toMatchObject({ path: 'guide one.md', anchor: 'Set-Up' });
    expect(byRaw.get('https://example.com/runbook')).toMatchObject({ kind: 'url', url: 'https://example.com/runbook', origin: 'link' });
  });
});

describe('link definitions', () => {
  it('a checklist blank read as a definition (`- [Benefit 2]: ___`) is no link; a definition of a path is', () => {
    const text = '# Sign-off\n\n- [Benefit 1]: ___\n- [Owner]: ____\n\n[runbook]: ./runbooks/rollback.md\n';
    const { document: doc } = parse('checklists/sign-off.md', text);
    expect(refs(doc)).toEqual(['6:12 link ./runbooks/rollback.md']);
  });
});

describe('document kinds', () => {
  it.each([
    ['docs/a.md', '---\ntype: plan\n---\n# Deployment Process: X\n', 'plan'],
    ['docs/a.md', '---\ntype: process\nprocess: Nightly Backup\n---\n# Backups\n', 'process'],
    ['docs/a.md', '# Security: Secrets Rotation\n', 'process'],
    ['docs/a.md', '# API Contract: Orders\n', 'process'],
    ['docs/a.md', '# Deployment Process Notes\n', 'plain'],
    ['docs/a.md', '# Backend Implementation Summary: TASK-009 - Queue\n', 'summary'],
    ['docs/TASK-009-summary.md', '# Queue work\n', 'summary'],
    ['docs/a.md', '# Infrastructure Improvement Plan\n', 'plan'],
    ['docs/improvement-plan.md', '# Q1\n', 'plan'],
    ['docs/explanation.md', '# Why\n', 'plain'],
    ['docs/a.md', '# Notes\n\n### TASK-001: Something\n', 'plan'],
    ['docs/a.md', '# Notes\n\n## Task Status Update\n', 'status-update'],
    ['docs/a.md', '# Gap Analysis: CI/CD\n', 'report'],
    ['docs/2026-01-security-audit.md', '# January\n', 'report'],
    ['docs/a.md', '# Just notes\n', 'plain'],
  ])('%s %j → %s', (path, text, kind) => {
    expect(parse(path, text).document.kind).toBe(kind);
  });

  it('takes the process name from front matter when the H1 has no area', () => {
    const { document: doc } = parse('docs/a.md', '---\ntype: process\nprocess: Nightly Backup\n---\n# Backups\n');
    expect([doc.title, doc.area, doc.processName]).toEqual(['Backups', 'Deployment Process', 'Nightly Backup']);
  });

  it('uses the configured areas', () => {
    const text = '# Runbook: Failover\n';
    expect(parseDocument('docs/a.md', text).document.kind).toBe('plain');
    const { document: doc } = parseDocument('docs/a.md', text, { areas: ['Runbook'] });
    expect([doc.kind, doc.area, doc.processName]).toEqual(['process', 'Runbook', 'Failover']);
  });

  it('validates the process status against the process lifecycle', () => {
    const { document: doc, problems: found } = parse(
      'docs/p.md',
      '# Deployment Process: P\n\n**Status:** Complete\n**Last Updated:** 2026-01-05T10:00Z\n**Date**: TBD\n',
    );
    expect(doc.status).toBeUndefined();
    expect(doc.lastUpdated).toBe('2026-01-05');
    expect(problems(found)).toEqual(['3:13 invalid-metadata `Status` value `Complete` is not a valid process status']);
    expect(found[0].suggestion).toContain('current_implementation');
    const template = parse('docs/p.md', '# Deployment Process: [Process Name]\n\n**Status**: [Status]\n**Last Validated**: [YYYY-MM-DD]\n');
    expect(template.problems).toEqual([]);
  });
});

describe('robustness', () => {
  it('never throws, whatever the input', () => {
    const inputs = [
      '',
      '\n\n\n',
      '---',
      '---\n---',
      '| a | b |\n|---|',
      '| a |\n|---|\n| 1 | 2 | 3 |\n',
      '```\n```js\n',
      '#'.repeat(10) + ' deep',
      '- [ ]\n- [x]',
      '**Status**:\n**Date**:',
      '[x]: <>\n[y]: #\n',
      '\u0000\u0001binary',
      '\uFEFF\r\r\n\r',
      '> **Code Reference**: `a/b.tf:1`\n>   **Status**: ok',
      '<!-- unterminated comment\n**Status**: x',
      '## Change History\n\n| Date |\n|---|\n| not a date at all |',
    ];
    for (const input of inputs) {
      const result = parseDocument('docs/odd.md', input);
      expect(() => DocumentSchema.parse(result.document)).not.toThrow();
    }
    expect(parseDocument('docs/bin.md', '\u0000\u0001binary').problems.map((p) => p.rule)).toEqual(['unreadable-file']);
  });

  it('reads a document with 10,000 references, in time linear in their number', () => {
    const document = (rows: number) => {
      const lines = ['# Deployment Process: Big', '', '## Code References', ''];
      for (let i = 0; i < rows; i++) lines.push(`- **Code Reference**: \`infra/mod${i}/main.tf:1-${i + 2}\`, [doc](docs/d${i}.md)`);
      return lines.join('\n');
    };
    const { document: doc } = parseDocument('docs/big.md', document(5000));
    expect(doc.references).toHaveLength(10_000);
    expect(doc.references[9_999].source).toEqual({ file: 'docs/big.md', line: 5004, column: expect.any(Number) });
    expectLinear('a list of reference rows', document, (text) => parseDocument('docs/big.md', text), 1250);
  });
});
const SEED_PLAYBOOK = `# Playbook 05: Implement Infrastructure

## Purpose

This playbook provides step-by-step instructions for implementing infrastructure while maintaining sync between infrastructure code and deployment process documentation. Use this to execute infrastructure implementation following documented processes.

## When to Use This Playbook

- After improvement plan created (PLAYBOOK_04)
- When implementing specific infrastructure tasks
- When updating infrastructure to match deployment processes
- During Phase 3 improvement work

## Prerequisites

- Improvement plan exists
- Task definition clear
- Deployment process documentation available
- Understanding of current and desired state

## Instructions for AI Assistant

### Step 1: Review Task and Processes

**Your task:**
1. Read the improvement task definition
2. Read the relevant deployment process documentation
3. Understand current state vs. desired state
4. Identify all files and infrastructure changes involved

**Create implementation checklist:**
\`\`\`
Task: [Task name]
Deployment Area: [Process | Environment | Infrastructure | CI/CD]
Files to create/modify:
- file1.tf: [changes needed]
- file2.yml: [changes needed]

Infrastructure changes:
- [Change 1]
- [Change 2]

Current state: [description]
Desired state: [description]
\`\`\`

### Step 2: Plan Implementation Steps

**Break down the task into steps:**

1. **Preparation:**
   - Create feature branch (if using Git)
   - Review current infrastructure
   - Understand dependencies

2. **Implementation:**
   - Step 1: [Specific change]
   - Step 2: [Specific change]
   - Step 3: [Specific change]

3. **Validation:**
   - Test infrastructure
   - Verify against processes
   - Check for deployment improvements

4. **Documentation:**
   - Update processes if needed
   - Update code comments
   - Update infrastructure documentation

**Implementation plan:**
\`\`\`markdown
## Implementation Plan: [Task Name]

### Step 1: [Action]
- File: \`file.tf\`
- Change: [Description]
- Validation: [How to verify]

### Step 2: [Action]
- File: \`file.yml\`
- Change: [Description]
- Validation: [How to verify]

[Continue for all steps]
\`\`\`

### Step 3: Implement Infrastructure Changes

**For each implementation step:**

1. **Read current code:**
   - Understand existing infrastructure implementation
   - Identify what needs to change
   - Check for dependencies

2. **Make changes:**
   - Follow deployment process documentation
   - Reference processes in code comments
   - Maintain code quality standards
   - Follow infrastructure patterns

3. **Verify changes:**
   - Check syntax/compilation
   - Verify logic matches processes
   - Check for obvious errors

**Code comment template:**
\`\`\`hcl
# Deployment Process: [Process Name]
# Implements: [What this implements]
# Environment: [Environment name]
# Reference: [Process doc]
\`\`\`

### Step 4: Maintain Documentation Sync

**While implementing, keep documentation in sync:**

1. **If code changes reveal process issues:**
   - Note the issue
   - Decide: Update process or change code
   - Document decision

2. **If implementation differs from processes:**
   - Document why
   - Update processes if needed
   - Or adjust implementation to match processes

3. **Update code references:**
   - Update line numbers if code moved
   - Update file paths if files moved
   - Verify all references accurate

**Sync checklist:**
\`\`\`
Documentation Sync:
- [ ] Processes still accurate
- [ ] Code references updated
- [ ] Implementation matches processes
- [ ] Deviations documented
\`\`\`

### Step 5: Test Infrastructure

**Test against processes and functionality:**

1. **Infrastructure Testing:**
   - Test infrastructure provisioning
   - Test infrastructure management
   - Test environment configuration
   - Test deployment processes

2. **Functional Testing:**
   - Verify deployment works
   - Check for regressions
   - Verify infrastructure improvements

3. **Code Validation:**
   - Run linter
   - Run type checker
   - Run tests (if available)

4. **Process Validation:**
   - Verify infrastructure matches processes
   - Verify deployment matches processes
   - Verify deployment goals met

**Testing checklist:**
\`\`\`
Testing:
- [ ] Infrastructure works correctly
- [ ] Provisioning works correctly
- [ ] Management works correctly
- [ ] Deployment processes work correctly
- [ ] Deployment goals met
- [ ] No deployment regressions
- [ ] Code quality checks pass
- [ ] Matches process documentation
\`\`\`

### Step 6: Update Deployment Process Documentation

**If processes need updates:**

1. **Update process document:**
   - Update process definitions
   - Update infrastructure definitions
   - Update code references
   - Add change history entry

2. **Update validation checklist:**
   - Mark validated items
   - Add new validation items if needed
   - Update validation status

**Process update template:**
\`\`\`markdown
## Change History

| Version | Date       | Change                      | Author | Rationale      |
| ------- | ---------- | --------------------------- | ------ | -------------- |
| 1.1     | YYYY-MM-DD | [Change description]        | -      | [Rationale]    |
\`\`\`

### Step 7: Validate Against Processes

**Use PLAYBOOK_02 to validate:**

1. **Run validation:**
   - Check all code references
   - Verify deployment processes
   - Verify infrastructure matches processes
   - Verify deployment goals met

2. **Fix any discrepancies:**
   - Update code if process is source of truth
   - Update process if code is source of truth
   - Document decision

3. **Update validation status:**
   - Mark process as \`validated\` or \`implemented\`
   - Update validation date

### Step 8: Create Implementation Summary

**Document what was done:**

\`\`\`markdown
# Infrastructure Implementation Summary: [Task Name]

**Date**: [YYYY-MM-DD]
**Task ID**: TASK-XXX
**Deployment Area**: [Process | Environment | Infrastructure | CI/CD]
**Status**: Complete | In Progress | Blocked

## Changes Made

### Files Created/Modified
- \`file1.tf\`: [Changes made]
- \`file2.yml\`: [Changes made]

### Infrastructure Changes
- [Change 1]: [Description]
- [Change 2]: [Description]

### Process Updates
- [Update 1]: [Description]
- [Update 2]: [Description]

## Testing Results

### Infrastructure Testing
- ✅ Provisioning: [Result]
- ✅ Management: [Result]
- ✅ Environment: [Result]
- ✅ Deployment: [Result]

### Functional Testing
- ✅ Deployment: [Result]
- ✅ No regressions: [Result]

### Code Quality
- ✅ Linter: Pass
- ✅ Type checker: Pass
- ✅ Tests: [Result]

### Process Validation
- ✅ Infrastructure: Matches processes
- ✅ Deployment: Matches processes
- ✅ Deployment Goals: Met

## Issues Encountered

### Issue 1: [Description]
- **Resolution**: [How resolved]
- **Impact**: [Impact on implementation]

## Deviations from Plan

### Deviation 1: [Description]
- **Reason**: [Why deviated]
- **Impact**: [Impact on outcome]

## Next Steps

- [ ] [Next action]
- [ ] [Next action]

## Acceptance Criteria Status

- [ ] [Criterion 1]: [Status]
- [ ] [Criterion 2]: [Status]
- [ ] [Criterion 3]: [Status]
\`\`\`

### Step 9: Update Task Tracking

**Update task status:**

\`\`\`markdown
## Task Status Update

**Task ID**: TASK-XXX
**Status**: Complete | In Progress | Blocked
**Progress**: [X%]
**Notes**: [Any notes]
**Next Steps**: [What's next]
\`\`\`

## Output Deliverables

1. **Implemented infrastructure changes**
2. **Updated deployment process documentation** (if needed)
3. **Implementation summary**
4. **Updated task tracking**
5. **Validation report** (from PLAYBOOK_02)

## Quality Criteria

**Good implementation:**
- ✅ Infrastructure matches processes
- ✅ Deployment goals met
- ✅ Documentation updated
- ✅ No deployment regressions
- ✅ Code quality maintained

**Red flags:**
- ❌ Infrastructure doesn't match processes
- ❌ Deployment goals not met
- ❌ Deployment regressions introduced
- ❌ Documentation not updated
- ❌ Code quality degraded

## Example Prompts for User

\`\`\`
Implement TASK-001: Add CI/CD pipeline for production deployment.
Follow the deployment process documentation and maintain sync.
Test infrastructure and update processes if needed.
\`\`\`

## Next Steps

After implementation:
1. **Validate processes** → Use PLAYBOOK_02
2. **Update task tracking** → Mark as complete
3. **Move to next task** → Continue with next task in plan

---

**Related Playbooks:**
- PLAYBOOK_04: Plan Improvements (use before this)
- PLAYBOOK_02: Validate Environment (use after this)
- PLAYBOOK_06: Update Process (use if processes need updates)

`;

describe('document kind', () => {
  it('lets an explicit area prefix win over report words in the title', () => {
    expect(parse('docs/processes/audit.md', '# Deployment Process: Audit Log Shipping\n').document.kind).toBe('process');
    expect(parse('docs/plans/audit.md', '# Infrastructure Improvement Plan: audit-26\n').document.kind).toBe('plan');
    expect(parse('docs/reports/q3.md', '# Security Audit Q3\n').document.kind).toBe('report');
  });
});

describe('mentions in prose', () => {
  it('a path in backticks that labels a link to a repository file is the link, not a second reference; a URL link keeps it', () => {
    const { document } = parse(
      'docs/scripts.md',
      [
        '# Scripts',
        '',
        '- [`scripts/deploy.sh`](../scripts/deploy.sh) ships the site.',
        '- [`scripts/lint.sh`](https://github.com/acme/tools/blob/main/scripts/lint.sh) lints, like `scripts/check.sh`.',
        '',
      ].join('\n'),
    );
    expect(refs(document)).toEqual([
      '3:25 link ../scripts/deploy.sh',
      '4:5 mention scripts/lint.sh',
      '4:23 link https://github.com/acme/tools/blob/main/scripts/lint.sh',
      '4:93 mention scripts/check.sh',
    ]);
  });

  it('also under a References heading or in a reference field: the backticked label of a link is the link', () => {
    const { document } = parse(
      'kas/README.md',
      ['# KAS', '', '## References', '', '- **Quick start:** [`QUICK-START.md`](./QUICK-START.md)', '- **Runbook:** `docs/runbook.md`', '', '**Reference**: [`infra/lb.tf`](../infra/lb.tf)', ''].join('\n'),
    );
    expect(refs(document)).toEqual(['5:39 link ./QUICK-START.md', '6:17 code-reference docs/runbook.md', '8:32 link ../infra/lb.tf']);
  });

  it('reads repository paths in inline code but not absolute server paths', () => {
    const text = '# Notes\n\nEdit `infra/lb.tf:12` and then reload `/etc/nginx/nginx.conf` on the host.\n';
    const refs = parse('docs/notes.md', text).document.references.map((ref) => `${ref.source.line}:${ref.source.column} ${ref.raw}`);
    expect(refs).toEqual(['3:7 infra/lb.tf:12']);
  });

  it('reads a code span holding one path with spaces in its names whole, in a references list and a files list; spaced words after a file stay words', () => {
    const text = [
      '# Data plane decision',
      '',
      '## References',
      '',
      '- `docs/plans/DMF Vendor Vision 2026-05-29.md` — North Star',
      '- `docs/a.md Section 2` — the model',
      '',
      '## Files Modified',
      '',
      '- `docs/handoffs/DMF Catalog + Move 1 Handoff 2026-05-04.md`',
      '',
    ].join('\n');
    const { document } = parse('docs/decisions/0017.md', text);
    expect(refs(document)).toEqual([
      '5:4 code-reference docs/plans/DMF Vendor Vision 2026-05-29.md',
      '6:4 code-reference docs/a.md Section 2',
      '10:4 files-modified docs/handoffs/DMF Catalog + Move 1 Handoff 2026-05-04.md',
    ]);
  });
});
