/**
 * The pure editor modules (`src/core/editor/`) on the graph of
 * test/fixtures/lsp-editor: what a position points at, where it leads, what
 * completes there, the hover text and the edits of the code actions. The
 * protocol around them is test/lsp-server.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { processNamed, processTagOnLine, targetAt, tasksNamed } from '../src/core/editor/at-position.ts';
import { citationsOf } from '../src/core/editor/citations.ts';
import { lastValidatedAction, minimalEdit, symbolReferenceActions } from '../src/core/editor/code-actions.ts';
import { completionsAt, MAX_PATHS, type CompletionInputs } from '../src/core/editor/completion.ts';
import { anchorLine, definitionsOf, type SymbolLookup } from '../src/core/editor/definitions.ts';
import { HOVER_LINES, hoverText } from '../src/core/editor/hover.ts';
import { findSymbols, matchSymbol, supportsSymbols } from '../src/core/extract/symbols.ts';
import type { Graph } from '../src/core/schema.ts';
import { countLines } from '../src/core/text/count-lines.ts';
import { scanRepository } from '../src/node/scan.ts';
import { fixturesDir } from './helpers.ts';

const root = path.join(fixturesDir, 'lsp-editor/repo');
const DOC = 'docs/processes/blue-green-rollout.md';
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const symbols = (file: string) => (supportsSymbols(file) ? findSymbols(file, read(file)) : undefined);
const symbol: SymbolLookup = (file, name) => {
  const block = matchSymbol(file, symbols(file) ?? [], name);
  return block && { start: block.start, end: block.end };
};

let graph: Graph;
beforeAll(async () => {
  graph = (await scanRepository(root)).graph;
});

/** The target at the first `needle` on the 1-based `line` of `file`, `offset` characters in. */
function at(file: string, line: number, needle: string, offset = 1) {
  const text = read(file).split('\n')[line - 1];
  return targetAt(graph, file, line, text.indexOf(needle) + 1 + offset, text);
}

describe('targets and definitions', () => {
  it('finds the reference, process or task under the cursor and where it is defined', () => {
    const range = at(DOC, 14, 'infra/lb.tf:4-18');
    expect(range).toMatchObject({ kind: 'reference', span: { line: 14, start: 22, end: 38 } });
    expect(definitionsOf(graph, range!, symbol)).toEqual([{ file: 'infra/lb.tf', start: 4, end: 18 }]);
    expect(definitionsOf(graph, at(DOC, 20, 'scripts/deploy.sh#rollback', 20)!, symbol)).toEqual([{ file: 'scripts/deploy.sh', start: 11, end: 15 }]);
    expect(definitionsOf(graph, at(DOC, 22, 'incident.md#paging', 14)!, symbol)).toEqual([{ file: 'docs/runbooks/incident.md', start: 3, end: 3 }]);
    expect(anchorLine(graph, 'docs/runbooks/incident.md', 'status-page')).toBe(7);

    const process = at('infra/lb.tf', 1, 'Blue/Green');
    expect(process).toMatchObject({ kind: 'process', process: { name: 'Blue/Green Rollout' }, span: { start: 23, end: 41 } });
    expect(definitionsOf(graph, process!, symbol)).toEqual([{ file: DOC, start: 1, end: 1 }]);

    const task = at(DOC, 16, 'TASK-002');
    expect(task).toMatchObject({ kind: 'task', taskId: 'TASK-002' });
    expect(definitionsOf(graph, task!, symbol)).toEqual([{ file: 'docs/plans/improvement-plan.md', start: 16, end: 16 }]);
    // Words that name nothing are no target; nor is a task id no plan defines.
    expect(at(DOC, 10, 'Traffic moves')).toBeUndefined();
    expect(targetAt(graph, DOC, 16, 5, 'See TASK-999 for more.')).toBeUndefined();
  });

  it('reads process tags in every comment and heading form, and names by alias or case', () => {
    const areas = ['Deployment Process', 'Process'];
    expect(processTagOnLine('# Deployment Process: Blue/Green Rollout', areas)).toEqual({ start: 23, end: 41, name: 'Blue/Green Rollout' });
    expect(processTagOnLine('<!-- Process: Database Migration -->', areas)?.name).toBe('Database Migration');
    expect(processTagOnLine('/* **Deployment Process**: Database Migration */', areas)?.name).toBe('Database Migration');
    expect(processTagOnLine('# Reprocess: nothing', areas)).toBeUndefined();
    expect(processNamed(graph.processes, '  database MIGRATION ')?.file).toBe('docs/processes/database-migration.md');
    expect(processNamed(graph.processes, 'Database Migrations')).toBeUndefined();
    expect(tasksNamed(graph, 'TASK-001', DOC).map((task) => task.plan?.file)).toEqual(['docs/plans/improvement-plan.md']);
  });

  it('lists the references citing a line, ranged ones before whole-file ones', () => {
    const cite = (line: number) => citationsOf(graph, 'infra/lb.tf', { start: line, end: line }, symbol).map((reference) => reference.id);
    expect(cite(6)).toEqual([`${DOC}:14:22`, 'docs/plans/improvement-plan.md:14:4']);
    expect(cite(22)).toEqual(['docs/processes/database-migration.md:12:22', 'docs/plans/improvement-plan.md:14:4']);
    expect(cite(19)).toEqual(['docs/plans/improvement-plan.md:14:4']);
  });
});

describe('hover', () => {
  it('shows at most the first lines of the range, the state, and the other citers', () => {
    const long = { ...at(DOC, 14, 'infra/lb.tf:4-18')! } as Extract<ReturnType<typeof at>, { kind: 'reference' }>;
    long.reference = { ...long.reference, lines: { start: 1, end: 30 }, id: 'other' };
    const text = hoverText({ graph, textOf: read, symbol }, long);
    const fence = /```hcl\n([\s\S]*?)\n```/.exec(text)![1];
    expect(fence.split('\n')).toHaveLength(HOVER_LINES);
    expect(text).toContain('… 15 more lines');
    expect(text).toContain('State: ok');
    expect(text).toContain(`Also cited by: \`${DOC}:14\`, \`docs/processes/database-migration.md:12\``);
  });

  it('keeps cited text that holds backticks inside its fence', () => {
    const target = at(DOC, 20, 'scripts/deploy.sh#rollback', 20)!;
    const text = hoverText({ graph, textOf: () => read('scripts/deploy.sh').replace('local previous', 'local previous # ```'), symbol }, target);
    expect(text).toMatch(/^````shell\n/m);
  });

  it('gives a process its status, validation and owner; a task its plan entry', () => {
    expect(hoverText({ graph, textOf: read, symbol }, at('infra/lb.tf', 1, 'Blue/Green')!)).toBe(
      [
        '**Deployment Process: Blue/Green Rollout**',
        'Status: validated',
        'Last validated: 2026-11-02',
        'Owner: Platform team',
        `Defined in \`${DOC}\`; implemented by 2 markers`,
      ].join('\n\n'),
    );
    expect(hoverText({ graph, textOf: read, symbol }, at(DOC, 16, 'TASK-002')!)).toBe(
      '**TASK-002: Automate the Rollback**\n\nStatus: not_started, priority P0\n\nDefined in `docs/plans/improvement-plan.md:16`',
    );
  });
});

describe('completion', () => {
  const inputs = (): CompletionInputs => ({ graph, file: DOC, symbols, lineCount: (file) => countLines(read(file)) });
  const labels = (line: string, file = DOC) => completionsAt({ ...inputs(), file }, line, line.length + 1).map((candidate) => candidate.label);

  it('completes paths only where a path is written, replacing what is typed', () => {
    expect(labels('**Code Reference**: `infra/')).toEqual(['infra/lb.tf']);
    expect(labels('# Reference: scr')).toEqual(['scripts/deploy.sh']);
    expect(labels('Plain prose about infra/')).toEqual([]);
    expect(labels('Closed `code` and infra/')).toEqual([]);
    const [candidate] = completionsAt(inputs(), 'See `infra/l', 13);
    expect(candidate).toMatchObject({ from: 6, to: 13, insert: 'infra/lb.tf' });
    // Relative to the document, as markdown links are.
    expect(labels('See `../runbooks/incident.md#p')).toEqual(['incident-runbook', 'paging', 'status-page']);
  });

  it('offers the ranges of the blocks a file has and its whole length', () => {
    expect(labels('See `infra/lb.tf:')).toEqual(['4-18', '20-24', '26-30', '1-30']);
    expect(labels('See `nowhere.tf:')).toEqual([]);
  });

  it('completes process names after a process tag and task ids', () => {
    expect(labels('# Deployment Process: Blue', 'infra/lb.tf')).toEqual(['Blue/Green Rollout', 'Database Migration']);
    expect(labels('**Task**: ')).toEqual(['TASK-001', 'TASK-002']);
    expect(labels('Done in TASK-0')).toEqual(['TASK-001', 'TASK-002']);
  });

  it('caps the paths offered', () => {
    const many = { ...graph, paths: Array.from({ length: MAX_PATHS * 2 }, (_, index) => `gen/file-${index}.tf`) };
    expect(completionsAt({ ...inputs(), graph: many }, 'See `gen/', 10)).toHaveLength(MAX_PATHS);
  });
});

describe('code actions', () => {
  it('turns a range that covers one block into a symbol reference', () => {
    const tables = new Map([['infra/lb.tf', findSymbols('infra/lb.tf', read('infra/lb.tf'))]]);
    expect(symbolReferenceActions(graph, tables, DOC, { start: 14, end: 14 }).map((action) => action.edits)).toEqual([
      [{ start: { line: 14, column: 22 }, end: { line: 14, column: 38 }, newText: 'infra/lb.tf#aws_lb_listener_rule.switch' }],
    ]);
    // `infra/lb.tf:20-24` in the other document is exactly the blue target group.
    expect(symbolReferenceActions(graph, tables, 'docs/processes/database-migration.md', { start: 12, end: 12 })).toHaveLength(1);
    expect(symbolReferenceActions(graph, tables, DOC, { start: 1, end: 13 })).toEqual([]);
  });

  it('adds or sets Last Validated on process documents only', () => {
    const migration = 'docs/processes/database-migration.md';
    expect(lastValidatedAction(graph, migration, read(migration), '2026-11-26')).toEqual({
      title: 'Add `Last Validated: 2026-11-26`',
      kind: 'source',
      edits: [{ start: { line: 6, column: 1 }, end: { line: 6, column: 1 }, newText: '**Last Validated**: 2026-11-26\n' }],
    });
    // `**Last Validated**: 2026-11-02`: only the day changes.
    expect(lastValidatedAction(graph, DOC, read(DOC), '2026-11-26')).toMatchObject({
      title: 'Set `Last Validated: 2026-11-26`',
      edits: [{ start: { line: 6, column: 29 }, end: { line: 6, column: 31 }, newText: '26' }],
    });
    expect(lastValidatedAction(graph, 'docs/runbooks/incident.md', read('docs/runbooks/incident.md'), '2026-11-26')).toBeUndefined();
  });

  it('edits only what differs', () => {
    expect(minimalEdit('a\nb\nc\n', 'a\nB\nc\n')).toEqual({ start: { line: 2, column: 1 }, end: { line: 2, column: 2 }, newText: 'B' });
    expect(minimalEdit('same', 'same')).toEqual({ start: { line: 1, column: 5 }, end: { line: 1, column: 5 }, newText: '' });
  });
});
