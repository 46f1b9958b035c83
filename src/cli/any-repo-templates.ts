/**
 * What `waymark init` writes into a repository that is not an npm project
 * (no `package.json`: Terraform, Helm, shell): CI that runs Waymark with
 * `npx --yes --package <spec> waymark` on a plain Node image (a bare
 * `npx <spec>` would run a tarball path as a program), no `npm ci`. The package is
 * named once, at the top of each file (`WAYMARK_PACKAGE`), from
 * {@link packageSpec}: a registry version by default, a tarball URL or a git
 * URL before the package is published (`init --package`).
 */
import { PACKAGE_VERSION } from '../node/package-root.ts';
import { WORKFLOW_TRIGGERS } from './templates.ts';

/** The package every template runs: this version of Waymark from the registry. */
export function packageSpec(): string {
  return `waymark@${PACKAGE_VERSION}`;
}

/** A spec the templates can quote in YAML and shell as it is: registry names, versions, URLs, paths. */
export function isPackageSpec(spec: string): boolean {
  return /^[\w@./:#~+-]+$/.test(spec) && !spec.startsWith('-');
}

/** `.github/workflows/waymark.yml` for any repository: check (SARIF, job summary, pull-request mode), build, Pages. */
export function githubWorkflowAnyRepo(spec: string): string {
  return `# Waymark: check process references on every push and pull request (results go
# to code scanning and the job summary; a pull request fails only on problems it
# brings), build the site and publish it to GitHub Pages from main.
# Settings → Pages → Source must be "GitHub Actions".
${WORKFLOW_TRIGGERS}
env:
  # The one place the Waymark version is named.
  WAYMARK_PACKAGE: ${spec}

jobs:
  check:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the pull request's base and git history
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Check references
        id: check
        run: npx --yes --package "$WAYMARK_PACKAGE" waymark check --format sarif > waymark.sarif
        continue-on-error: true
      - name: Upload results to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: waymark.sarif
          category: waymark
      - name: Summary of the pull request
        if: github.event_name == 'pull_request'
        run: npx --yes --package "$WAYMARK_PACKAGE" waymark check --changed-since --format markdown >> "$GITHUB_STEP_SUMMARY"
      - name: Summary
        if: github.event_name != 'pull_request' && steps.check.outcome == 'failure'
        run: npx --yes --package "$WAYMARK_PACKAGE" waymark check --format markdown >> "$GITHUB_STEP_SUMMARY"

  build:
    needs: check
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: read
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Read the Pages address
        id: pages
        uses: actions/configure-pages@v5
      - name: Build the site
        env:
          BASE_PATH: \${{ steps.pages.outputs.base_path }}
          BASE_URL: \${{ steps.pages.outputs.base_url }}
        run: npx --yes --package "$WAYMARK_PACKAGE" waymark build --out "$RUNNER_TEMP/site" --base "$BASE_PATH/" --previous-manifest "$BASE_URL/links.json"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: \${{ runner.temp }}/site

  deploy:
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Publish to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
`;
}

/** `waymark.gitlab-ci.yml` for any repository: check (merge requests fail only on what they bring), then Pages. */
export function gitlabCiAnyRepo(spec: string): string {
  return `# Waymark: check process references in every pipeline (a merge request fails only
# on problems it brings); build the site and publish it to GitLab Pages from the
# default branch. Include it from .gitlab-ci.yml:   include: { local: waymark.gitlab-ci.yml }
variables:
  # The one place the Waymark version is named.
  WAYMARK_PACKAGE: ${spec}

waymark-check:
  stage: test
  image: node:22
  variables:
    GIT_DEPTH: 0 # the merge request's base and git history
  script:
    - npx --yes --package "$WAYMARK_PACKAGE" waymark check --format sarif > waymark.sarif || true
    - if [ -n "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" ]; then npx --yes --package "$WAYMARK_PACKAGE" waymark check --changed-since; else npx --yes --package "$WAYMARK_PACKAGE" waymark check; fi
  artifacts:
    when: always
    paths: [waymark.sarif]

pages:
  stage: deploy
  image: node:22
  variables:
    GIT_DEPTH: 0
  script:
    - BASE_PATH="$(node -p 'new URL(process.env.CI_PAGES_URL).pathname')"
    - npx --yes --package "$WAYMARK_PACKAGE" waymark build --out public --base "$BASE_PATH" --previous-manifest "$CI_PAGES_URL/links.json"
  artifacts:
    paths: [public]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`;
}
