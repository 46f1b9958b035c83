/**
 * The rules step: every rule over a linked graph, severities and inline
 * suppressions applied, diagnostics sorted.
 */
import type { Config } from '../config/config.ts';
import type { FileFacts } from '../extract/extract.ts';
import { firstOfFile, patchRuns, referenceFile, type LinkedGraph, type LinkFindings } from '../graph/link-graph.ts';
import { rules } from './index.ts';
import { compareText } from '../text/compare.ts';
import type { Finding, Rule, RuleContext, SkippedFile } from './rule.ts';
import type { Diagnostic, Document, Graph, Reference, Severity } from '../schema.ts';

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** What the rules found: the diagnostics, and which rule each reference first raised. */
export interface CheckOutcome {
  /** Severity-resolved, unsuppressed, sorted. */
  diagnostics: Diagnostic[];
  /** Reference id → id of the first rule that reported it (rules run in `rules` order). */
  referenceProblems: Map<string, string>;
}

/**
 * What one check hands the next (the resident engine checks on every save):
 * the per-file rules' diagnostics by file, so a check reruns those rules for
 * the files a change touched only. Valid for one config, history and day.
 */
export interface CheckMemo {
  key?: readonly unknown[];
  files: Map<string, FileCheck>;
  /** Published copies (without `lineText`) of linked references and documents, by the linked object. */
  published: WeakMap<Reference, { problem?: string; reference: Omit<Reference, 'lineText'> }>;
  documents: WeakMap<Document, Graph['documents'][number]>;
  /** Published copies of each file's references (a run of `findings.referenceRuns`), with the file's problems they were made for. */
  runs: WeakMap<Reference[], { problems: FileCheck | undefined; published: Omit<Reference, 'lineText'>[] }>;
  /** Files whose problems the last check wrote. */
  written: Set<string>;
  /** Reference id → rule, from the repository-wide rules of the last check. */
  rest: Map<string, string>;
  /** Files the last check ran the per-file rules for: the work it did. */
  rechecked: number;
  /**
   * The last check's published lists and what they were made from, for the
   * next to patch: a save republishes the runs of the files it touched, not
   * every run (a pass over ~7k runs and ~33k references per save on the large
   * bench repository, most of `checkGraph`'s time; h-graph profile).
   */
  lists?: {
    files: Map<string, FileCheck>;
    runs: Reference[][];
    references: Omit<Reference, 'lineText'>[];
    restFiles: Set<string>;
    documents: Document[];
    published: Graph['documents'];
  };
}

interface FileCheck {
  diagnostics: Diagnostic[];
  /** Reference id → the first rule that reported it. */
  problems: Map<string, string>;
}

export function checkMemo(): CheckMemo {
  return { files: new Map(), published: new WeakMap(), documents: new WeakMap(), runs: new WeakMap(), written: new Set(), rest: new Map(), rechecked: 0 };
}

/**
 * Keep a memo's findings under a new history: for a caller that checks again
 * every file the new history can change (`touchedByHistory`).
 */
export function rekeyHistory(memo: CheckMemo, history: RuleContext['history']): void {
  if (memo.key) memo.key = memo.key.map((part, i) => (i === HISTORY_KEY ? history : part));
}

/** Where the history sits in a memo's key. */
const HISTORY_KEY = 1;

/**
 * Run every rule over a linked graph, apply the configured severities and
 * inline suppressions. Reads the graph and returns what it found; nothing
 * it is given changes. With a memo and the files a change touched, the
 * per-file rules run for those files only and the rest is the memo's.
 */
export function runChecks(
  graph: LinkedGraph,
  findings: LinkFindings,
  facts: FileFacts[],
  skipped: SkippedFile[],
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'> & Partial<Pick<Config, 'contextWords'>>,
  extras: CheckExtras = {},
  memo: CheckMemo = checkMemo(),
  touched?: ReadonlySet<string>,
): CheckOutcome {
  const { explain, ...context } = extras;
  const key = [config, context.history, context.today, explain];
  const whole = !touched || !memo.key || key.some((part, i) => part !== memo.key![i]);
  if (whole) Object.assign(memo, { key, files: new Map() });
  const only = whole ? undefined : touched;
  const mine = <T>(items: T[], fileOf: (item: T) => string) => (only ? items.filter((item) => only.has(fileOf(item))) : items);
  // Lists in file order (the graph's references, markers and documents, the facts): a search per touched file, not a pass over them all.
  const sorted = only && [...only].sort(compareText);
  const ofTouched = <T>(items: T[], fileOf: (item: T) => string, files = sorted) => (files ? itemsOfFiles(items, fileOf, files) : items);
  const part: RuleContext = {
    graph: {
      ...graph,
      references: ofTouched(graph.references, (reference) => reference.source.file),
      markers: ofTouched(graph.markers, (marker) => marker.file),
      documents: ofTouched(graph.documents, (document) => document.path),
    },
    findings: {
      ...findings,
      taskLookups: mine(findings.taskLookups, (lookup) => lookup.file),
      unknownProcessMarkers: mine(findings.unknownProcessMarkers, (unknown) => unknown.marker.file),
    },
    // Symbol tables travel in the facts of the files cited by symbol: those stay, for `missing-symbol`.
    facts: ofTouched(facts, (fact) => fact.path, sorted && [...new Set([...sorted, ...findings.symbolTargets])].sort(compareText)),
    skipped: mine(skipped, (file) => file.path),
    config,
    ...context,
  };
  for (const file of only ?? []) memo.files.delete(file);
  const perFile = applyRules(rules.filter((rule) => rule.perFile), part, config.rules, explain);
  memo.written = new Set();
  for (const diagnostic of perFile.diagnostics) if (!only || only.has(diagnostic.file)) fileCheck(memo, diagnostic.file).diagnostics.push(diagnostic);
  for (const [reference, rule] of perFile.referenceProblems) fileCheck(memo, referenceFile(reference)).problems.set(reference, rule);
  memo.rechecked = only?.size ?? facts.length;

  const rest = applyRules(rules.filter((rule) => !rule.perFile), { graph, findings, facts, skipped, config, ...context }, config.rules, explain);
  memo.rest = rest.referenceProblems;
  const diagnostics = [...memo.files.values()].flatMap((file) => file.diagnostics).concat(rest.diagnostics);
  const referenceProblems = new Map([...memo.files.values()].flatMap((file) => [...file.problems]));
  for (const [reference, rule] of rest.referenceProblems) if (!referenceProblems.has(reference)) referenceProblems.set(reference, rule);
  return { diagnostics: diagnostics.sort(compareDiagnostics), referenceProblems };
}

/** The items of `files` (sorted) from `items` sorted by file, in their order. */
function itemsOfFiles<T>(items: readonly T[], fileOf: (item: T) => string, files: readonly string[]): T[] {
  const found: T[] = [];
  for (const file of files) {
    for (let i = firstOfFile(items, fileOf, file); i < items.length && fileOf(items[i]) === file; i++) found.push(items[i]);
  }
  return found;
}

function fileCheck(memo: CheckMemo, file: string): FileCheck {
  memo.written.add(file);
  let found = memo.files.get(file);
  if (!found) memo.files.set(file, (found = { diagnostics: [], problems: new Map() }));
  return found;
}

/** Some rules over a context: their findings as diagnostics (severities and inline suppressions applied), and the references they reported. */
function applyRules(selected: readonly Rule[], context: RuleContext, settings: Config['rules'], explain: boolean | undefined): CheckOutcome {
  const suppressed = suppressionIndex(context.facts);
  const diagnostics: Diagnostic[] = [];
  const referenceProblems = new Map<string, string>();
  for (const rule of selected) {
    if (settings[rule.id] === 'off') continue;
    for (const finding of rule.check(context)) {
      const verdict = severityOf(rule, finding, settings);
      if (verdict.severity === 'off') continue;
      const rulesOnLine = suppressed(finding.file, finding.line);
      if (rulesOnLine && (rulesOnLine.size === 0 || rulesOnLine.has(rule.id))) continue;
      const { reference, class: _class, evidence, ...place } = finding;
      if (reference && !referenceProblems.has(reference)) referenceProblems.set(reference, rule.id);
      const diagnostic: Diagnostic = { rule: rule.id, severity: verdict.severity, ...place };
      if (explain) diagnostic.evidence = [verdict.why, ...(evidence ?? [])];
      diagnostics.push(dropUndefined(diagnostic));
    }
  }
  return { diagnostics, referenceProblems };
}

/** What a check needs besides the graph: git history, today, and whether to explain severities. */
export type CheckExtras = Pick<RuleContext, 'history' | 'today'> & { explain?: boolean };

/**
 * A finding's severity, and why. `off` for its rule silences all of it. A finding of a class:
 * the config's `rule/class`, else the class's default, lowered to the config's `rule` when that
 * is lower. A finding without one: the config's `rule`, else the rule's default.
 */
export function severityOf(rule: Rule, finding: Finding, settings: Config['rules']): { severity: Severity | 'off'; why: string } {
  const ruleSetting = settings[rule.id];
  if (finding.class !== undefined) {
    const known = rule.classes?.[finding.class];
    // A class the rule does not declare is a bug in the rule, not in the repository.
    if (!known) throw new Error(`rule ${rule.id} reported undeclared class \`${finding.class}\``);
    const key = `${rule.id}/${finding.class}`;
    const configured = settings[key];
    if (configured) return { severity: configured, why: `${configured}: the config sets \`${key}\`` };
    const why = `${finding.class}: ${known.description}`;
    // Lowering a rule lowers all of it; raising one class takes `rule/class`.
    if (ruleSetting && rank(ruleSetting) < rank(known.severity)) return { severity: ruleSetting, why: `${ruleSetting}: the config sets \`${rule.id}\` (${why})` };
    return { severity: known.severity, why: `${known.severity}: ${why}` };
  }
  if (ruleSetting) return { severity: ruleSetting, why: `${ruleSetting}: the config sets \`${rule.id}\`` };
  return { severity: rule.defaultSeverity, why: `${rule.defaultSeverity}: the rule's default` };
}

const ranks = { off: 0, info: 1, warning: 2, error: 3 } as const;
function rank(setting: Severity | 'off'): number {
  return ranks[setting];
}

/**
 * The checked graph: the linked graph with its diagnostics, and each
 * reference a rule reported marked with that rule (a new reference object;
 * the linked graph is left as it was). With a memo (`runChecks`), unchanged
 * references and documents keep their published copies too.
 */
export function checkGraph(
  linked: { graph: LinkedGraph; findings: LinkFindings; facts: FileFacts[]; skipped: SkippedFile[] },
  config: Pick<Config, 'rules' | 'validationMaxAgeDays'> & Partial<Pick<Config, 'contextWords'>>,
  extras: CheckExtras = {},
  memo: CheckMemo = checkMemo(),
  touched?: ReadonlySet<string>,
): Graph {
  const { diagnostics, referenceProblems } = runChecks(linked.graph, linked.findings, linked.facts, linked.skipped, config, extras, memo, touched);
  const publish = (reference: Reference) => {
    const problem = referenceProblems.get(reference.id);
    const published = memo.published.get(reference);
    if (published && published.problem === problem) return published.reference;
    const copy = withoutLineText(problem && !reference.problem ? { ...reference, problem } : reference);
    memo.published.set(reference, { problem, reference: copy });
    return copy;
  };
  // File by file: a file's run of references is published again only when it or its problems changed (the per-file rules keep each file's problems).
  const restFiles = new Set([...memo.rest.keys()].map(referenceFile));
  const runs = linked.findings.referenceRuns;
  const lastRest = memo.lists?.restFiles;
  const publishRun = (run: Reference[]) => {
    const file = run[0].source.file;
    const problems = memo.files.get(file);
    let kept = memo.runs.get(run);
    if (!kept || kept.problems !== problems || memo.written.has(file) || restFiles.has(file) || lastRest?.has(file)) memo.runs.set(run, (kept = { problems, published: run.map(publish) }));
    return kept.published;
  };
  const last = touched && memo.lists?.files === memo.files && memo.lists.runs.length === runs.length ? memo.lists : undefined;
  let references: Omit<Reference, 'lineText'>[];
  if (last) {
    // The last check's list with the runs of the files this one may have changed patched in (a pass over every run and reference otherwise).
    const dirty = new Set([...touched!, ...memo.written, ...restFiles, ...last.restFiles]);
    for (let i = 0; i < runs.length; i++) {
      if (runs[i] === last.runs[i]) continue;
      dirty.add(runs[i][0].source.file);
      dirty.add(last.runs[i][0].source.file);
    }
    const runOf = (file: string) => itemsOfFiles(runs, (run) => run[0].source.file, [file])[0];
    references = patchRuns(last.references, [...dirty].sort(compareText), (reference) => reference.source.file, (file) => {
      const run = runOf(file);
      return run ? publishRun(run) : [];
    });
  } else {
    references = [];
    for (const run of runs) for (const reference of publishRun(run)) references.push(reference);
  }
  const lastDocuments = memo.lists?.documents.length === linked.graph.documents.length ? memo.lists : undefined;
  const documents = linked.graph.documents.map((document, i) => {
    if (lastDocuments?.documents[i] === document) return lastDocuments.published[i];
    let copy = memo.documents.get(document);
    if (!copy) memo.documents.set(document, (copy = { ...document, references: document.references.map(withoutLineText) }));
    return copy;
  });
  memo.lists = { files: memo.files, runs, references, restFiles, documents: linked.graph.documents, published: documents };
  return { ...linked.graph, documents, references, diagnostics };
}

/** `lineText` is evidence for the rules, not part of the graph a site or a tool reads. */
function withoutLineText<T extends { lineText?: string }>(reference: T): Omit<T, 'lineText'> {
  const { lineText: _lineText, ...rest } = reference;
  return rest;
}

/**
 * File and line → rule ids suppressed there (empty set: all rules). Looked up
 * by file when asked: the facts are in file order as a scan gives them (a
 * binary search; the repository-wide rules would otherwise pass over every
 * file's facts on each resident check), and read whole only when a file is
 * not found that way.
 */
function suppressionIndex(facts: FileFacts[]): (file: string, line: number) => ReadonlySet<string> | undefined {
  let whole: Map<string, Set<string>> | undefined;
  const byFile = new Map<string, Map<number, Set<string>> | undefined>();
  const ofFile = (file: string) => {
    if (byFile.has(file)) return byFile.get(file);
    const fact = factOf(facts, file);
    const lines = fact ? suppressionLines(fact) : undefined;
    byFile.set(file, lines);
    return lines;
  };
  return (file, line) => {
    const lines = ofFile(file);
    if (lines) return lines.get(line);
    whole ??= wholeSuppressionIndex(facts);
    return whole.get(`${file}:${line}`);
  };
}

/** A file's suppressions by line, kept with its facts (the resident engine's checks look up the same unchanged files on every save). */
const suppressionsByFacts = new WeakMap<FileFacts, Map<number, Set<string>>>();
function suppressionLines(fact: FileFacts): Map<number, Set<string>> {
  let lines = suppressionsByFacts.get(fact);
  if (!lines) suppressionsByFacts.set(fact, (lines = new Map(fact.suppressions.map((suppression) => [suppression.line, new Set(suppression.rules)]))));
  return lines;
}

/** The facts of `file`, when the facts are sorted by path (undefined when not found so). */
function factOf(facts: FileFacts[], file: string): FileFacts | undefined {
  const at = firstOfFile(facts, (fact) => fact.path, file);
  return facts[at]?.path === file ? facts[at] : undefined;
}

function wholeSuppressionIndex(facts: FileFacts[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const fact of facts) {
    for (const suppression of fact.suppressions) {
      index.set(`${fact.path}:${suppression.line}`, new Set(suppression.rules));
    }
  }
  return index;
}

function dropUndefined(diagnostic: Diagnostic): Diagnostic {
  const { suggestion, evidence, ...rest } = diagnostic;
  return { ...rest, ...(suggestion === undefined ? {} : { suggestion }), ...(evidence === undefined ? {} : { evidence }) };
}
