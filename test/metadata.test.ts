import { describe, expect, it } from 'vitest';
import {
  isPlaceholder,
  normaliseKey,
  parseIsoDate,
  parsePercent,
  parseProcessStatus,
  parseTaskStatus,
  readWrittenDate,
  writesNoDate,
  stripDecorations,
} from '../src/core/extract/metadata.ts';
import { createSlugger, headingSlug, slugify } from '../src/core/text/slug.ts';

describe('normaliseKey', () => {
  it('folds the spellings of a key to lower-case words', () => {
    const labels = ['Last Validated', 'last_validated', 'lastValidated', '**Last Validated**:', 'Last-Validated', ' LAST  VALIDATED '];
    expect(labels.map(normaliseKey)).toEqual(Array(labels.length).fill('last validated'));
    expect(normaliseKey('Task ID')).toBe('task id');
    expect(normaliseKey('taskId')).toBe('task id');
    expect(normaliseKey('Files Created/Modified')).toBe('files created/modified');
  });
});

describe('stripDecorations', () => {
  it('removes bold, backticks, emoji and trailing spaces', () => {
    expect(stripDecorations('✅ Complete  ')).toBe('Complete');
    expect(stripDecorations('❌ **NOT IMPLEMENTED**')).toBe('NOT IMPLEMENTED');
    expect(stripDecorations('⚠️ Partially done')).toBe('Partially done');
    expect(stripDecorations('🚧 WIP')).toBe('WIP');
    expect(stripDecorations('`infra/lb.tf:12-48`, `a.md`')).toBe('infra/lb.tf:12-48, a.md');
    expect(stripDecorations('keeps __init__.py and snake_case')).toBe('keeps __init__.py and snake_case');
  });
});

describe('parseProcessStatus', () => {
  it.each([
    ['current_implementation', 'current_implementation'],
    ['Current Implementation', 'current_implementation'],
    ['current-implementation', 'current_implementation'],
    ['validated', 'validated'],
    ['✅ Validated', 'validated'],
    ['**Validated** (2026-01-05)', 'validated'],
    ['Implemented', 'implemented'],
    ['DRAFT', 'draft'],
    ['Deprecated', 'deprecated'],
    ['superseded', 'deprecated'],
  ])('%s → %s', (text, status) => {
    expect(parseProcessStatus(text)).toBe(status);
  });

  it.each(['not validated', 'Complete', 'whatever', '', '[Status]', 'draft | current_implementation | validated'])('%s → undefined', (text) => {
    expect(parseProcessStatus(text)).toBeUndefined();
  });
});

describe('parseTaskStatus', () => {
  it.each([
    ['Complete', 'complete'],
    ['Completed', 'complete'],
    ['Done', 'complete'],
    ['✅ Complete', 'complete'],
    ['✅ **COMPLETE**  ', 'complete'],
    ['In Progress', 'in_progress'],
    ['in_progress', 'in_progress'],
    ['WIP', 'in_progress'],
    ['🚧 In progress (60%)', 'in_progress'],
    ['Blocked', 'blocked'],
    ['Blocked by TASK-002', 'blocked'],
    ['Not Started', 'not_started'],
    ['not_started', 'not_started'],
    ['Pending', 'not_started'],
    ['Planned', 'not_started'],
    ['TODO', 'not_started'],
    ['❌ **NOT IMPLEMENTED**', 'not_started'],
  ])('%s → %s', (text, status) => {
    expect(parseTaskStatus(text)).toBe(status);
  });

  it.each(['Complete | In Progress | Blocked', '[Status]', 'Shelved', ''])('%s → undefined', (text) => {
    expect(parseTaskStatus(text)).toBeUndefined();
  });
});

describe('parseIsoDate', () => {
  it.each([
    ['2026-01-05', '2026-01-05'],
    ['2026-1-5', '2026-01-05'],
    ['2026-01-05T10:00Z', '2026-01-05'],
    ['2026-01-05T10:00:00.000+02:00', '2026-01-05'],
    ['2026/01/05', '2026-01-05'],
    ['January 5, 2026', '2026-01-05'],
    ['Jan 5 2026', '2026-01-05'],
    ['Sept. 30, 2025', '2025-09-30'],
    ['5 Jan 2026', '2026-01-05'],
    ['5th January, 2026', '2026-01-05'],
    ['**2026-01-05**', '2026-01-05'],
    ['2024-02-29', '2024-02-29'],
  ])('%s → %s', (text, iso) => {
    expect(parseIsoDate(text)).toBe(iso);
  });

  it.each(['2025-13-45', '2025-02-30', '2025-02-29', '2026-00-10', 'not yet validated', '-', 'N/A', '[YYYY-MM-DD]', '05/01/2026', 'Smarch 5, 2026', ''])(
    '%s → undefined',
    (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
    },
  );
});

describe('parsePercent', () => {
  it('reads a leading percentage within 0–100', () => {
    expect(['40%', '40 %', '40', '12.5%', '100%', '0%', '60% (3 of 5 steps)'].map(parsePercent)).toEqual([40, 40, 40, 12.5, 100, 0, 60]);
    expect(['[X%]', 'X%', '140%', 'about half', ''].map(parsePercent)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('isPlaceholder', () => {
  it.each([
    '[Status]',
    '[YYYY-MM-DD]',
    'YYYY-MM-DD',
    '[Process | Environment | Infrastructure | CI/CD]',
    'TASK-XXX',
    'GAP-XXX',
    'Complete | In Progress | Blocked',
    'draft | current_implementation | validated',
    '<process-name>',
    '{{ title }}',
    'file.tf:line-range',
    'path/to/file.tf',
    'file1.tf',
    'file2.yml',
    '`[Change description]`',
    '___',
  ])('%s is a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(['validated', 'TASK-001', 'infra/lb.tf:12-48', '2026-01-05', '<https://example.com>', '<ops@example.com>', 'pages/[id].tsx', 'a | 1', '', '__init__.py'])(
    '%s is not a placeholder',
    (value) => {
      expect(isPlaceholder(value)).toBe(false);
    },
  );
});

describe('slugs', () => {
  it('makes GitHub heading anchors, unique per document', () => {
    const slugger = createSlugger();
    const texts = ['Rollback', 'Rollback', 'Blue/Green Rollout', 'Step 1: Review Task & Processes', 'Rollback', 'Café — Ünïcode'];
    expect(texts.map((text) => slugger.slug(text))).toEqual([
      'rollback',
      'rollback-1',
      'bluegreen-rollout',
      'step-1-review-task--processes',
      'rollback-2',
      'café--ünïcode',
    ]);
    slugger.reset();
    expect(slugger.slug('Rollback')).toBe('rollback');
    expect(headingSlug('Rollback')).toBe('rollback');
    expect(headingSlug('Rollback')).toBe('rollback');
  });

  it('makes ids whose words punctuation separates', () => {
    expect(slugify('Blue/Green Rollout')).toBe('blue-green-rollout');
    expect(slugify('  Raspberry Pi Server (v2)  ')).toBe('raspberry-pi-server-v2');
    expect(slugify('Café Ünïcode')).toBe('cafe-unicode');
    expect(slugify('---')).toBe('');
  });
});

describe('readWrittenDate', () => {
  it.each([
    ['2025-11-02.', { day: '2025-11-02', precision: 'day' }],
    ['Friday, October 24, 2025', { day: '2025-10-24', precision: 'day' }],
    ['July 2, 2025, 3:55 PM', { day: '2025-07-02', precision: 'day' }],
    ['November 20, 2025 (Updated with the new pricing)', { day: '2025-11-20', precision: 'day' }],
    ['5/13/2025, 11:09:39 PM (generated)', { day: '2025-05-13', precision: 'day' }],
    ['13/5/2025', { day: '2025-05-13', precision: 'day' }],
    // A month or a year stands for its last day: an age from it never runs ahead of the claim.
    ['January 2025', { day: '2025-01-31', precision: 'month' }],
    ['Feb 2024', { day: '2024-02-29', precision: 'month' }],
    ['2025', { day: '2025-12-31', precision: 'year' }],
    ['2025-01-XX', { placeholder: true }],
    ['YYYY-MM-DD', { placeholder: true }],
  ])('%s', (text, expected) => {
    expect(readWrittenDate(text)).toEqual(expected);
  });

  it.each(['After the load-test run', 'Based on the E2E suite (29/29 passed)', 'last Tuesday', 'see commit log'])('%s writes no date (a note where a date goes)', (text) => {
    expect(writesNoDate(text)).toBe(true);
  });

  it.each(['2025-13-45', 'March 32, 2025', 'Smarch 2025', 'Sept 31st', '**2025**/14/02'])('%s is a date mistyped, not a note', (text) => {
    expect(writesNoDate(text)).toBe(false);
  });

  it.each(['5/6/2025', 'Current session', 'Chronological ordering', 'Smarch 2025', '2025-13-01', 'Relative (2h ago) or absolute'])(
    'does not read %s as a date',
    (text) => {
      expect(readWrittenDate(text)).toBeUndefined();
    },
  );
});
