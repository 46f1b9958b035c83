/**
 * The data Waymark reads out of a repository. Every type the engine, the
 * reporters and the site use is inferred from these schemas, so a field is
 * documented once, here.
 *
 * Positions are 1-based lines and columns; paths are repository-relative with
 * forward slashes.
 */
import { z } from 'zod';
import type { SuppressionEntry } from './baseline/suppressions.ts';
import type { Config } from './config/config.ts';
import type { RepositoryHistory } from './history/history.ts';
import type { Rename } from './urls/link-table.ts';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** One problem found in the repository: the single shape every rule, reporter and page uses. */
export const Diagnostic = z.object({
  /** Stable rule id, e.g. `missing-file`. */
  rule: z.string(),
  /** How bad it is, after config overrides. */
  severity: Severity,
  /** Repository-relative path of the file the problem is in. */
  file: z.string(),
  /** 1-based line of the problem. */
  line: z.number().int().min(1),
  /** 1-based column of the problem. */
  column: z.number().int().min(1),
  /** Plain-language reason, names in backticks. */
  message: z.string(),
  /** What to do about it ("did you mean `infra/lb.tf`?"), when Waymark knows. */
  suggestion: z.string().optional(),
  /** Why it got its severity, when asked for (`--explain`): the class, the config, the evidence weighed. */
  evidence: z.array(z.string()).optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

/** An inclusive 1-based line range. */
export const LineRange = z.object({
  /** First line. */
  start: z.number().int().min(1),
  /** Last line (equal to `start` for a single line). */
  end: z.number().int().min(1),
});
export type LineRange = z.infer<typeof LineRange>;

/** A place in a repository file. */
const Location = z.object({
  /** Repository-relative path. */
  file: z.string(),
  /** 1-based line. */
  line: z.number().int().min(1),
  /** 1-based column. */
  column: z.number().int().min(1),
});
type Location = z.infer<typeof Location>;

const ReferenceKind = z.enum(['path', 'glob', 'id', 'url']);
type ReferenceKind = z.infer<typeof ReferenceKind>;

/**
 * One target named in a marker value or a document, as written. Parsing is
 * pure: it knows nothing of which files exist.
 */
export const ParsedReference = z.object({
  /** The exact text this reference was parsed from, e.g. `infra/lb.tf:12-48`. */
  raw: z.string(),
  /** What kind of target the text names. */
  kind: ReferenceKind,
  /** For `path` and `glob`: the path as written, without anchor, lines or section. */
  path: z.string().optional(),
  /** Heading anchor after `#` (never the `L12-L48` line form, which becomes `lines`). */
  anchor: z.string().optional(),
  /** Line or line range, from `:12`, `:12-48`, `#L12-L48` or `(lines 12-48)`. */
  lines: LineRange.optional(),
  /** Section named in words: `Section 9`, `§0`, `(Orchestration section)`. */
  section: z.string().optional(),
  /** For `id`: the identifier, e.g. `TASK-001`. */
  identifier: z.string().optional(),
  /** For `url`: the URL. */
  url: z.string().optional(),
  /** 0-based offset of `raw` within the value it came from. */
  offset: z.number().int().min(0),
});
export type ParsedReference = z.infer<typeof ParsedReference>;

export const ReferenceStatus = z.enum(['ok', 'external', 'id', 'missing', 'ambiguous']);
export type ReferenceStatus = z.infer<typeof ReferenceStatus>;

/** Where a reference was found. */
export const ReferenceOrigin = z.enum(['marker', 'code-reference', 'link', 'files-modified', 'mention']);
export type ReferenceOrigin = z.infer<typeof ReferenceOrigin>;

/** A reference placed in the repository, not yet resolved. */
export const PlacedReference = ParsedReference.extend({
  /** Stable id: `<file>:<line>:<column>`. */
  id: z.string(),
  /** Where the reference text stands. */
  source: Location,
  /** What kind of text carried it. */
  origin: ReferenceOrigin,
  /**
   * The source line holding it (markdown only), trimmed, at most 200 characters (past them, the
   * line's first 100 and the 100 before the reference, joined by ` … `): the words
   * around a reference (`e.g.`, `Should be:`, `| Create |`, `🔄 PLANNED`) tell a planned or
   * example file from a broken one. Raw text; the rules weigh it with the configured words.
   */
  lineText: z.string().optional(),
  /** In a markdown table's body: the header of its column (`Old path`, `File`), which says what the cell holds. */
  tableColumn: z.string().optional(),
  /**
   * In a markdown list: the paragraph ending in `:` just before it (`The following files were
   * removed:`), at most its last 200 characters, which says what the items are.
   */
  listIntro: z.string().optional(),
});
export type PlacedReference = z.infer<typeof PlacedReference>;

/** A reference resolved against the repository's files. */
export const Reference = PlacedReference.extend({
  /** Resolution outcome. */
  status: ReferenceStatus,
  /** Resolved repository-relative target path(s): one for a path, several for a glob. */
  targets: z.array(z.string()).default([]),
  /** For `ambiguous`: the files it could mean; for `missing`: similar existing paths. */
  candidates: z.array(z.string()).default([]),
  /** For `missing`: the path points into another repository (`../platform-docs/x.md`, a config `externalRoots` name). */
  outside: z.enum(['other-repository']).optional(),
  /** Rule id of the problem this reference raised, if any (e.g. `line-out-of-range`). */
  problem: z.string().optional(),
});
export type Reference = z.infer<typeof Reference>;

/** One `Tag: value` line (with continuations) inside a marker block. */
export const MarkerField = z.object({
  /** Canonical tag key, lower-case: `deployment process`, `implements`, `reference`, … */
  tag: z.string(),
  /** The tag as written in the comment, e.g. `Deployment Process`. */
  label: z.string(),
  /** Value with continuation lines joined by a single space. */
  value: z.string(),
  /** Line of the tag. */
  line: z.number().int().min(1),
  /** Column where the value starts. */
  column: z.number().int().min(1),
});
export type MarkerField = z.infer<typeof MarkerField>;

/** A block of consecutive tagged comment lines in a code file. */
export const Marker = z.object({
  /** Stable id: `<file>:<line>`. */
  id: z.string(),
  /** Repository-relative path of the code file. */
  file: z.string(),
  /** Line of the first tagged comment line. */
  line: z.number().int().min(1),
  /** Column of the first tag. */
  column: z.number().int().min(1),
  /** Last line of the block. */
  endLine: z.number().int().min(1),
  /** The tags, in source order. */
  fields: z.array(MarkerField),
  /** Process name from a process-like tag (`Deployment Process`, `Process`, `Workflow`, …). */
  process: z.string().optional(),
  /** The tag that named the process (its area), e.g. `Deployment Process`. */
  area: z.string().optional(),
  /** `Implements:` value. */
  implements: z.string().optional(),
  /** `Environment:` value. */
  environment: z.string().optional(),
  /** Ids of the references in `Reference:`/alias values and `Task:` values. */
  references: z.array(z.string()).default([]),
  /** Resolved process id, filled by linking. */
  processId: z.string().optional(),
});
export type Marker = z.infer<typeof Marker>;

export const ProcessStatus = z.enum(['draft', 'current_implementation', 'validated', 'implemented', 'deprecated']);
export type ProcessStatus = z.infer<typeof ProcessStatus>;

export const TaskStatus = z.enum(['not_started', 'in_progress', 'blocked', 'complete']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const DocumentKind = z.enum(['process', 'summary', 'plan', 'status-update', 'report', 'plain']);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** A heading of a markdown document. */
export const Heading = z.object({
  /** 1–6. */
  depth: z.number().int().min(1).max(6),
  /** Heading text, inline markup removed. */
  text: z.string(),
  /** GitHub-style anchor slug, unique within the document (`-1`, `-2` suffixes). */
  slug: z.string(),
  /** Line of the heading. */
  line: z.number().int().min(1),
});
export type Heading = z.infer<typeof Heading>;

/** A metadata value as read (front matter or a `**Key**: value` line). */
export const MetadataEntry = z.object({
  /** Normalised key: lower-case words joined by spaces, e.g. `last validated`. */
  key: z.string(),
  /** The key as written. */
  label: z.string(),
  /** The value as written, markup and emoji stripped, trimmed. */
  value: z.string(),
  /** Line of the entry (front matter entries use the line of the key). */
  line: z.number().int().min(1),
  /** Which section heading slug it sits under (undefined at top level). */
  section: z.string().optional(),
});
export type MetadataEntry = z.infer<typeof MetadataEntry>;

/** A row of a change-history table. */
export const ChangeEntry = z.object({
  /** Stable id: `<doc path>:<line>`. */
  id: z.string(),
  /** Document holding the table. */
  file: z.string(),
  /** Line of the row. */
  line: z.number().int().min(1),
  /** Version column, if any. */
  version: z.string().optional(),
  /** ISO date (YYYY-MM-DD), when the date cell parsed. */
  date: z.string().optional(),
  /** The date cell as written. */
  dateText: z.string().optional(),
  /** Change/Description column. */
  change: z.string(),
  /** Author column; `-` is dropped. */
  author: z.string().optional(),
  /** Rationale/Reason column. */
  rationale: z.string().optional(),
  /** Task ids mentioned in the row. */
  taskIds: z.array(z.string()).default([]),
  /** Owning process id, filled by linking. */
  processId: z.string().optional(),
});
export type ChangeEntry = z.infer<typeof ChangeEntry>;

/** A `###` sub-process of a process document. */
export const SubProcess = z.object({
  /** Heading text. */
  name: z.string(),
  /** Heading anchor slug. */
  slug: z.string(),
  /** Heading line. */
  line: z.number().int().min(1),
  /** `**Description**` value. */
  description: z.string().optional(),
  /** `**Automation**` value. */
  automation: z.string().optional(),
  /** `**Validation**` value. */
  validation: z.string().optional(),
  /** Ids of code references inside this section. */
  references: z.array(z.string()).default([]),
});
export type SubProcess = z.infer<typeof SubProcess>;

/** An environment section (`### Production` under `## Environment Configuration`). */
export const EnvironmentSection = z.object({
  /** Environment name as written. */
  name: z.string(),
  /** Heading anchor slug. */
  slug: z.string(),
  /** Heading line. */
  line: z.number().int().min(1),
});
export type EnvironmentSection = z.infer<typeof EnvironmentSection>;

/** A checkbox item (`- [ ]` / `- [x]`). */
export const Checkbox = z.object({
  /** Item text. */
  text: z.string(),
  /** Whether it is ticked. */
  checked: z.boolean(),
  /** Line of the item. */
  line: z.number().int().min(1),
  /** Heading slug of the section it is in. */
  section: z.string().optional(),
});
export type Checkbox = z.infer<typeof Checkbox>;

/** A file listed under "Files Created/Modified" in a summary or "Files to create/modify" in a plan. */
export const FileMention = z.object({
  /** Reference id of the backticked path. */
  reference: z.string(),
  /** The note after the path (`: added rollback`). */
  note: z.string().optional(),
  /** Line of the list item. */
  line: z.number().int().min(1),
});
export type FileMention = z.infer<typeof FileMention>;

/** A task as defined in an improvement plan (`## Task: …`, `### TASK-001: …`). */
export const TaskDefinition = z.object({
  /** The id as written (`TASK-001`), or one derived from the name when the plan has none. */
  taskId: z.string(),
  /** Task name. */
  name: z.string(),
  /** Heading line. */
  line: z.number().int().min(1),
  /** Heading anchor slug. */
  slug: z.string(),
  /** `P0`…`P3`. */
  priority: z.string().optional(),
  /** Gap id the task closes (`GAP-007`). */
  gapId: z.string().optional(),
  /** Area (`Deployment Area`, `Area`). */
  area: z.string().optional(),
  /** Status if the plan states one. */
  status: TaskStatus.optional(),
  /** Task ids this task blocks. */
  blocks: z.array(z.string()).default([]),
  /** Task ids blocking this one. */
  blockedBy: z.array(z.string()).default([]),
  /** Files to create/modify. */
  files: z.array(FileMention).default([]),
  /** Description text (first paragraph), if any. */
  description: z.string().optional(),
});
export type TaskDefinition = z.infer<typeof TaskDefinition>;

/** A `## Task Status Update` block. */
export const StatusUpdate = z.object({
  /** Task id it updates. */
  taskId: z.string().optional(),
  /** Normalised status. */
  status: TaskStatus.optional(),
  /** Progress percentage 0–100. */
  progress: z.number().min(0).max(100).optional(),
  /** Notes value. */
  notes: z.string().optional(),
  /** Next steps value. */
  nextSteps: z.string().optional(),
  /** Line of the heading. */
  line: z.number().int().min(1),
});
export type StatusUpdate = z.infer<typeof StatusUpdate>;

/** A markdown document, parsed. Pure data from one file's text. */
export const Document = z.object({
  /** Repository-relative path. */
  path: z.string(),
  /** What the document is. */
  kind: DocumentKind,
  /** H1 text (or front matter `title`, or file name). */
  title: z.string(),
  /** For processes: the name after `Deployment Process:` etc. */
  processName: z.string().optional(),
  /** For processes: the area prefix of the H1 (`Deployment Process`, `Workflow`, …). */
  area: z.string().optional(),
  /** Front matter and bold-key metadata in document order. */
  metadata: z.array(MetadataEntry).default([]),
  /** Normalised process status. */
  status: ProcessStatus.optional(),
  /** Normalised task status (summaries). */
  taskStatus: TaskStatus.optional(),
  /** ISO date of Last Updated / Date. */
  lastUpdated: z.string().optional(),
  /** ISO date of Last Validated; absent when "not yet validated". */
  lastValidated: z.string().optional(),
  /** Task id a summary or status update is about. */
  taskId: z.string().optional(),
  /** Front matter `aliases`. */
  aliases: z.array(z.string()).default([]),
  /** Every heading. */
  headings: z.array(Heading).default([]),
  /** Explicit HTML anchors (`<a id="x">`, `<a name="x">`), as written: link targets like heading slugs. */
  anchors: z.array(z.string()).optional(),
  /**
   * `# …` lines inside fenced code with no language or a markdown one: no heading on GitHub, kept
   * to say why a link to one finds nothing (a fence nested in a fence closes it early and opens
   * another that swallows the headings after it).
   */
  fencedHeadings: z.array(z.object({ /** Its slug as GitHub would make it. */ slug: z.string(), /** Its line. */ line: z.number().int().min(1) })).optional(),
  /** Bold labels that stand as headings (`**Rollback:**` alone on a paragraph's first line), without the colon: sections named in words. */
  labels: z.array(z.string()).optional(),
  /** Sub-processes (process docs). */
  subProcesses: z.array(SubProcess).default([]),
  /** Environment sections (process docs). */
  environments: z.array(EnvironmentSection).default([]),
  /** Tasks defined in a plan. */
  tasks: z.array(TaskDefinition).default([]),
  /** Task status update blocks. */
  statusUpdates: z.array(StatusUpdate).default([]),
  /** All checkboxes. */
  checkboxes: z.array(Checkbox).default([]),
  /**
   * A `## Status` section's first line (`## Status` then `Done`), as stories write the status they
   * keep no `Status:` field for, with its line.
   */
  statusSection: z.object({ value: z.string(), line: z.number().int().min(1) }).optional(),
  /** Names a shell block creates (`mkdir monitoring`, `touch main.tf`), with the block's line: what a walkthrough's later steps edit. */
  created: z.array(z.object({ name: z.string(), line: z.number().int().min(1) })).optional(),
  /** Files Created/Modified (summaries). */
  filesModified: z.array(FileMention).default([]),
  /** Change-history rows. */
  changes: z.array(ChangeEntry).default([]),
  /** Every reference found in the document (code references, links, file mentions). */
  references: z.array(PlacedReference).default([]),
  /** Testing result lines (`✅ Linter: Pass`). */
  testResults: z.array(z.object({ passed: z.boolean(), text: z.string(), line: z.number().int() })).default([]),
  /** Number of lines in the file. */
  lineCount: z.number().int().min(0),
});
export type Document = z.infer<typeof Document>;

/** A process, defined by a process document. */
export const Process = z.object({
  /** Stable id: slug of the process name (`blue-green-rollout`), suffixed when two share a name. */
  id: z.string(),
  /** Process name (`Blue/Green Rollout`). */
  name: z.string(),
  /** Area prefix of the H1 (`Deployment Process`, `Workflow`, …). */
  area: z.string(),
  /** Path of the defining document. */
  file: z.string(),
  /** Normalised status. */
  status: ProcessStatus.optional(),
  /** ISO date. */
  lastUpdated: z.string().optional(),
  /** ISO date; absent when never validated. */
  lastValidated: z.string().optional(),
  /** Other names for the process (front matter `aliases`). */
  aliases: z.array(z.string()).default([]),
  /** Sub-processes. */
  subProcesses: z.array(SubProcess).default([]),
  /** Environment names (from the document and from markers). */
  environments: z.array(z.string()).default([]),
  /** Change-history entry ids, newest first. */
  changes: z.array(z.string()).default([]),
  /** Marker ids of code that implements it. */
  implementedBy: z.array(z.string()).default([]),
  /** Task keys of tasks that touched it. */
  tasks: z.array(z.string()).default([]),
  /** Reference ids the document makes. */
  references: z.array(z.string()).default([]),
});
export type Process = z.infer<typeof Process>;

/** A task: plan entry, summaries and status updates joined by scoped id. */
export const Task = z.object({
  /** Stable key: `<plan path without extension>/<taskId>` (each plan numbers its own tasks), or `<folder>/<taskId>` for a task only a summary defines. */
  key: z.string(),
  /** The id as written (`TASK-001`). */
  taskId: z.string(),
  /** Folder of the plan (or summary) that defines the task. */
  scope: z.string(),
  /** Name from the plan or summary title. */
  name: z.string(),
  /** Where the task is defined in a plan. */
  plan: z.object({ file: z.string(), line: z.number().int(), slug: z.string() }).optional(),
  /** Priority `P0`…`P3`. */
  priority: z.string().optional(),
  /** Gap id. */
  gapId: z.string().optional(),
  /** Area. */
  area: z.string().optional(),
  /** Current status: latest status update, else summary, else plan; `not_started` when nothing says. */
  status: TaskStatus,
  /** Progress percentage from the latest status update, or 100 when complete. */
  progress: z.number().min(0).max(100).optional(),
  /** Latest date seen (summary date). */
  date: z.string().optional(),
  /** Paths of implementation summaries. */
  summaries: z.array(z.string()).default([]),
  /** Status updates, in document order. */
  statusUpdates: z.array(StatusUpdate.extend({ file: z.string() })).default([]),
  /** Blocks / blocked by (task ids as written). */
  blocks: z.array(z.string()).default([]),
  /** Task ids blocking this one. */
  blockedBy: z.array(z.string()).default([]),
  /** Reference ids of files the task created or modified. */
  files: z.array(z.string()).default([]),
  /** Process ids the task touched. */
  processes: z.array(z.string()).default([]),
});
export type Task = z.infer<typeof Task>;

/** A repository file that carries markers or is referenced. */
export const FileNode = z.object({
  /** Repository-relative path. */
  path: z.string(),
  /** Line count. */
  lineCount: z.number().int().min(0),
  /** Language name used for comment syntax (`hcl`, `yaml`, `markdown`, …). */
  language: z.string(),
  /** Marker ids in the file. */
  markers: z.array(z.string()).default([]),
  /** Reference ids that resolve to this file. */
  citedBy: z.array(z.string()).default([]),
  /** Whether the file is a markdown document Waymark parsed. */
  isDocument: z.boolean(),
});
export type FileNode = z.infer<typeof FileNode>;

/** An environment (production, staging, …) named by markers or documents. */
export const Environment = z.object({
  /** Slug of the name. */
  id: z.string(),
  /** Name as first written. */
  name: z.string(),
  /** Marker ids tagged with it. */
  markers: z.array(z.string()).default([]),
  /** Process ids that describe or implement it. */
  processes: z.array(z.string()).default([]),
});
export type Environment = z.infer<typeof Environment>;

/** Everything Waymark knows about a repository, cross-linked. */
export const Graph = z.object({
  /** Repository name (folder name, or config `name`). */
  name: z.string(),
  /** Every file discovered (paths), sorted. */
  paths: z.array(z.string()),
  /** Files that matter to the graph. */
  files: z.array(FileNode),
  /** Every parsed markdown document. */
  documents: z.array(Document),
  /** Processes. */
  processes: z.array(Process),
  /** Tasks. */
  tasks: z.array(Task),
  /** Change-history rows of the whole repository, newest first. */
  changes: z.array(ChangeEntry),
  /** Markers in code. */
  markers: z.array(Marker),
  /** Every reference, resolved. */
  references: z.array(Reference),
  /** Environments. */
  environments: z.array(Environment),
  /** Problems, sorted by file, line, column, rule. */
  diagnostics: z.array(Diagnostic),
});
export type Graph = z.infer<typeof Graph>;

/**
 * A scanned repository: what `scanRepository` returns, and what the build
 * hands to the site (with the renames added). The one declaration of it.
 */
export interface ScanResult {
  /** The checked graph. */
  graph: Graph;
  /** The config every default applied to. */
  config: Config;
  /** Absolute, real path of the repository root. */
  root: string;
  /** What git knows of the files, when the repository has history: the source of the staleness view. */
  history?: RepositoryHistory;
  /** The date ages were judged by (YYYY-MM-DD), so the site judges uncommitted work alike. */
  today?: string;
  /** Git renames, newest first (`readRenames`), for redirects from old paths; absent until read. */
  renames?: Rename[];
  /** Files skipped without a diagnostic (binary content, symbolic-link aliases), counted for the report's summary. */
  quietlySkipped?: { binary: number; links: number };
  /** With a suppressions file: the problems it allows (left out of `graph.diagnostics`) and its entries nothing uses. */
  baseline?: { suppressed: Diagnostic[]; unused: SuppressionEntry[] };
}

/** A commit named on the site: enough to show and link it. */
export const ChangedCommit = z.object({
  /** Full hash. */
  hash: z.string(),
  /** Abbreviated hash, as git abbreviates it in this repository. */
  short: z.string(),
  /** Committer date, ISO 8601 with offset; empty for uncommitted work. */
  date: z.string(),
  /** First line of the message. */
  subject: z.string(),
  /** Changes in the work tree, not committed yet. */
  uncommitted: z.boolean().optional(),
});
export type ChangedCommit = z.infer<typeof ChangedCommit>;

/** A cited range whose code changed after the citing document's cutoff (see `src/core/history/staleness.ts`). */
export const ChangedCode = z.object({
  /** Where the cited lines are now (after moves and renames). */
  path: z.string(),
  /** First line now. */
  start: z.number().int().min(1),
  /** Last line now. */
  end: z.number().int().min(1),
  /** Ids of the references that cite this range. */
  references: z.array(z.string()),
  /** The commits that changed it after the cutoff, newest first. */
  commits: z.array(ChangedCommit),
});
export type ChangedCode = z.infer<typeof ChangedCode>;

/** What changed in the code a process cites since it was last validated. One per process, when git history is known. */
export const ProcessStaleness = z.object({
  /** Process id. */
  id: z.string(),
  /** What changes are measured from: `Last Validated`, else `Last Updated`, else each reference's own commit. */
  since: z.object({ kind: z.enum(['validated', 'updated', 'written']), day: z.string().optional() }),
  /** Changed ranges, by path then line. */
  changed: z.array(ChangedCode),
  /** Distinct commits across `changed`. */
  commitCount: z.number().int().min(0),
  /** Day (YYYY-MM-DD) of the oldest of those commits (uncommitted work has none). */
  firstChange: z.string().optional(),
  /** Day of the newest. */
  lastChange: z.string().optional(),
});
export type ProcessStaleness = z.infer<typeof ProcessStaleness>;

/**
 * `waymark check --format json`: a versioned object rather than a bare list,
 * so a field can be added without breaking a reader and a reader can tell the
 * formats apart. Its JSON Schema ships in the package (`schemas/`).
 */
export const ProblemReport = z
  .object({
    /** Format version: stays 1 while fields are only added. */
    version: z.literal(1),
    /** URL of this format's JSON Schema. */
    $schema: z.string(),
    /** Every problem, sorted by file, line, column, rule; paths relative to where the command ran. */
    problems: z.array(Diagnostic),
  })
  .meta({ title: 'waymark check --format json', description: 'The problems one `waymark check` run found.' });
export type ProblemReport = z.infer<typeof ProblemReport>;
