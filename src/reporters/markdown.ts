/**
 * A short markdown summary for a GitHub job summary (`$GITHUB_STEP_SUMMARY`)
 * or a pull-request comment: the counts, what the change touches (with
 * `--changed-since`), and the first problems, each linked to its line.
 * Everything from the repository goes through `markdownText` or
 * `markdownCode`: a file name cannot add a link, an image, HTML or a mention.
 */
import { repoSourceUrl } from '../core/urls/urls.ts';
import type { ImpactItem } from '../core/pull-request/impact.ts';
import type { Diagnostic } from '../core/schema.ts';
import { markdownCode, markdownText } from './escape.ts';
import { countBySeverity, displayPath, type CheckReport, type Reporter } from './report.ts';

/** Problems listed before "and N more": a summary, not the log. */
const LISTED_PROBLEMS = 20;
/** Impact items listed before "and N more". */
const LISTED_IMPACT = 30;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export const markdownReporter: Reporter = (report) => {
  const pr = report.pullRequest;
  const counts = countBySeverity(report.diagnostics);
  const fresh = pr ? 'new ' : '';
  const lines = ['## Waymark', ''];
  const tally = `${plural(counts.error, `${fresh}error`)}, ${plural(counts.warning, `${fresh}warning`)}, ${counts.info} ${fresh}info`;
  const verdict = counts.error > 0 ? `❌ ${tally}` : `✅ ${tally}`;
  if (pr) {
    const against = pr.base ? ` compared with ${markdownCode(pr.base.ref ?? pr.base.commit.slice(0, 12))} (${markdownCode(pr.base.commit.slice(0, 12))})` : ' (no base to compare with)';
    lines.push(`${verdict}${against}.`);
    if (pr.existing > 0) lines.push('', `${plural(pr.existing, 'problem')} ${pr.existing === 1 ? 'was' : 'were'} there before this change and ${pr.existing === 1 ? 'does' : 'do'} not fail it.`);
  } else {
    lines.push(`${verdict}.`);
  }
  if (report.suppressed) lines.push('', `${plural(report.suppressed, 'known problem')} suppressed by \`waymark-suppressions.json\`.`);
  if (pr) {
    lines.push('', `### Documented code this change edits (${pr.impact.length})`, '');
    if (pr.impact.length === 0) lines.push('Nothing a document cites.');
    for (const item of pr.impact.slice(0, LISTED_IMPACT)) lines.push(`- ${impactSentence(item, report, 'markdown')}`);
    if (pr.impact.length > LISTED_IMPACT) lines.push(`- and ${pr.impact.length - LISTED_IMPACT} more`);
  }
  const problems = [...report.diagnostics].sort((a, b) => severityRank(a) - severityRank(b));
  lines.push('', `### ${pr ? 'New problems' : 'Problems'} (${problems.length})`, '');
  if (problems.length === 0) lines.push(pr ? 'This change brings no new problem.' : 'No problems found.');
  for (const problem of problems.slice(0, LISTED_PROBLEMS)) lines.push(`- ${problemLine(problem, report)}`);
  if (problems.length > LISTED_PROBLEMS) lines.push(`- and ${problems.length - LISTED_PROBLEMS} more (\`waymark check\` lists them all)`);
  if (pr?.notes.length) lines.push('', ...pr.notes.map((note) => `> ${markdownMessage(note)}`));
  return `${lines.join('\n')}\n`;
};

const severityRank = (diagnostic: Diagnostic) => ({ error: 0, warning: 1, info: 2 })[diagnostic.severity];

function problemLine(problem: Diagnostic, report: CheckReport): string {
  const place = `${displayPath(report, problem.file)}:${problem.line}:${problem.column}`;
  const message = problem.suggestion ? `${problem.message}; ${problem.suggestion}` : problem.message;
  return `**${problem.severity}** ${linked(markdownCode(place), report, problem.file, problem.line)} ${markdownMessage(message)} (${markdownCode(problem.rule)})`;
}

/** A message with its backticked names as code spans and the rest as escaped text. */
function markdownMessage(message: string): string {
  return message
    .split(/(`[^`]*`)/)
    .map((part) => (part.length > 1 && part.startsWith('`') && part.endsWith('`') ? markdownCode(part.slice(1, -1)) : markdownText(part)))
    .join('');
}

/** `text` as a link to the line in the repository's web view, when a template is known. */
function linked(text: string, report: CheckReport, file: string, line: number, endLine?: number): string {
  const url = repoSourceUrl(report.sourceUrl, displayPath(report, file), line, endLine);
  return url ? `[${text}](${url.replace(/[()<> ]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)})` : text;
}

/**
 * "`infra/lb.tf:12-30` (lines 14-16 changed), cited by Blue/Green Rollout ›
 * Switch traffic in `docs/x.md:40`: revalidate it or update the reference",
 * in markdown or plain text.
 */
export function impactSentence(item: ImpactItem, report: CheckReport, format: 'markdown' | 'text'): string {
  const cited = item.lines ? `${displayPath(report, item.path)}:${range(item.lines)}` : displayPath(report, item.path);
  const source = `${displayPath(report, item.source.file)}:${item.source.line}`;
  const by = item.process ? `${item.process.name}${item.step ? ` › ${item.step}` : ''}` : undefined;
  const changed = item.changed.start === item.changed.end ? `line ${item.changed.start}` : `lines ${range(item.changed)}`;
  if (format === 'text') {
    return `${cited} (${changed} changed), cited by ${by ? `${by} in ` : ''}${source}: revalidate it or update the reference`;
  }
  const citedLink = linked(markdownCode(cited), report, item.path, item.changed.start, item.changed.end);
  const sourceLink = linked(markdownCode(source), report, item.source.file, item.source.line);
  return `${citedLink} (${changed} changed), cited by ${by ? `**${markdownText(by)}** in ` : ''}${sourceLink}: revalidate it or update the reference`;
}

const range = ({ start, end }: { start: number; end: number }) => (start === end ? `${start}` : `${start}-${end}`);
