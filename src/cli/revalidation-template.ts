/**
 * The scheduled workflow `init --ci github` adds, commented out: once a week it runs
 * `waymark check --format json` and keeps one issue open per process owner listing
 * that owner's overdue, stale and never-validated processes. Commented, because it
 * needs `issues: write` and opens issues: the team turns it on, not `init`.
 */

/** The rules that mean "someone should revalidate this process". */
const REVALIDATION_RULES = ['validation-overdue', 'stale-reference', 'process-needs-revalidation', 'unvalidated-process'];

/**
 * The body of the `actions/github-script` step. It reads only Waymark's own report and the
 * process documents it names, inside the checkout; `github` and `context` are the step's.
 * An issue is found again by its title, so a weekly run updates it instead of adding one.
 */
const REVALIDATION_SCRIPT = `const fs = require('fs');
const path = require('path');
const RULES = new Set(${JSON.stringify(REVALIDATION_RULES)});
const root = process.cwd();
const report = JSON.parse(fs.readFileSync(path.join(root, 'waymark.json'), 'utf8'));
const byOwner = new Map();
for (const problem of report.problems) {
  if (!RULES.has(problem.rule)) continue;
  const file = path.resolve(root, problem.file);
  // Waymark's report names repository files; anything else is not read.
  if (!file.startsWith(root + path.sep)) continue;
  let text = '';
  try { text = fs.readFileSync(file, 'utf8'); } catch {}
  const owner = (/^[ \\t]*(?:[-*][ \\t]+)?\\*\\*Owner\\*\\*[ \\t]*:[ \\t]*(.+?)[ \\t]*$/im.exec(text) || [])[1] || 'no owner';
  const lines = byOwner.get(owner) || [];
  lines.push('- [ ] \`' + problem.file + ':' + problem.line + '\` ' + problem.message + ' (' + problem.rule + ')');
  byOwner.set(owner, lines);
}
const open = await github.paginate(github.rest.issues.listForRepo, { ...context.repo, state: 'open', labels: 'waymark' });
for (const [owner, lines] of [...byOwner].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  const title = 'Waymark: processes to revalidate (' + owner + ')';
  const body = 'Processes owned by **' + owner + '** that need revalidating, from \`waymark check\` on ' + new Date().toISOString().slice(0, 10) + ':\\n\\n' + lines.join('\\n') + '\\n\\nRecord a revalidation with \`waymark validate <process>\`.';
  const existing = open.find((issue) => issue.title === title);
  if (existing) await github.rest.issues.update({ ...context.repo, issue_number: existing.number, body });
  else await github.rest.issues.create({ ...context.repo, title, body, labels: ['waymark'] });
}
`;

/** The workflow, commented out line by line; `run` is how the job runs Waymark (npm project or npx). */
export function revalidationWorkflow(install: string, run: string): string {
  const script = REVALIDATION_SCRIPT.trimEnd()
    .split('\n')
    .map((line) => `            ${line}`)
    .join('\n');
  const workflow = `name: Waymark revalidation

on:
  schedule:
    - cron: '0 6 * * 1' # Mondays, 06:00 UTC
  workflow_dispatch:

permissions:
  contents: read
  issues: write

jobs:
  owners:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # staleness is read from git history
      - uses: actions/setup-node@v4
        with:
          node-version: 22
${install}      - name: Check
        run: ${run} check --format json > waymark.json || test -s waymark.json
      - name: One issue per owner
        uses: actions/github-script@v7
        with:
          script: |
${script}
`;
  const header = `# Waymark: once a week, one issue per process owner listing the processes to
# revalidate (overdue, stale, never validated). Uncomment every line to turn it on;
# it needs \`issues: write\`. Owners come from each process's \`**Owner**:\` line.
`;
  const commented = workflow
    .trimEnd()
    .split('\n')
    .map((line) => (line === '' ? '#' : `# ${line}`));
  return `${header}${commented.join('\n')}\n`;
}
