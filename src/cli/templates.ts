/**
 * The files `waymark init` writes, and the snippets the recipes in
 * `docs/recipes/` show: one copy of each, so the documented workflow is the
 * one `init` writes and the one the tests run (`test/recipes.test.ts`
 * compares the recipes' code blocks with these).
 */

/** What `init` knows about where the repository is hosted (from `git remote get-url origin`). */
export interface HostingGuess {
  /** `github` or `gitlab`, when the remote says. */
  host?: 'github' | 'gitlab';
  /** Where the Pages site will be, e.g. `https://acme.github.io/infra/`. */
  siteUrl?: string;
  /** "View source" template. */
  repoUrl?: string;
}

/**
 * Guess the Pages site and the source links from a git remote URL.
 *
 * @example
 * guessHosting('git@github.com:acme/infra.git');
 * // { host: 'github', siteUrl: 'https://acme.github.io/infra/', repoUrl: 'https://github.com/acme/infra/blob/HEAD/{path}#L{line}-L{endLine}' }
 */
export function guessHosting(remote: string | undefined): HostingGuess {
  const match = /^(?:https?:\/\/(?:[^@/]+@)?|ssh:\/\/git@|git@)(github\.com|gitlab\.com)[:/](.+?)(?:\.git)?\/?$/.exec(remote?.trim() ?? '');
  if (!match) return {};
  const [, domain, path] = match;
  const parts = path.split('/');
  if (parts.length < 2 || parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) return {};
  const owner = parts[0].toLowerCase();
  const project = parts.slice(1).join('/');
  if (domain === 'github.com') {
    const userSite = project.toLowerCase() === `${owner}.github.io`;
    return {
      host: 'github',
      siteUrl: userSite ? `https://${owner}.github.io/` : `https://${owner}.github.io/${project}/`,
      repoUrl: `https://github.com/${path}/blob/HEAD/{path}#L{line}-L{endLine}`,
    };
  }
  return {
    host: 'gitlab',
    siteUrl: `https://${owner}.gitlab.io/${project}/`,
    repoUrl: `https://gitlab.com/${path}/-/blob/HEAD/{path}#L{line}-{endLine}`,
  };
}

/**
 * A commented `waymark.config.json` (comments and trailing commas are
 * allowed in it). Every field is optional; the written values are the
 * defaults, or what the git remote suggests.
 */
export function configTemplate(name: string, hosting: HostingGuess = {}): string {
  const json = (value: string) => JSON.stringify(value);
  const optional = (key: string, value: string | undefined, example: string) =>
    value ? `${json(key)}: ${json(value)},` : `// ${json(key)}: ${json(example)},`;
  const manifest = hosting.siteUrl ? `${hosting.siteUrl}links.json` : 'https://acme.github.io/infra/links.json';
  return `// Waymark configuration. Every field is optional; comments and trailing commas are allowed.
// Run \`npx waymark --help\` for the commands, \`npx waymark check\` to see what this changes.
{
  // Repository name, shown on the site and stripped from references that start with it.
  "name": ${json(name)},

  // Files to read (globs; empty means every file git tracks) and files to skip on top of .gitignore.
  "include": [],
  "exclude": ["node_modules/**", "site/**"],

  // Severity per rule: "error", "warning", "info" or "off".
  "rules": {
    // "orphan-process": "off",
    // "unvalidated-process": "warning",
  },

  // Stop \`waymark build\` on error-level problems (\`--no-strict\` overrides it once).
  "strict": true,

  "site": {
    "title": ${json(name)},
    // Where the site is published: canonical links and \`waymark link\` use it.
    ${optional('url', hosting.siteUrl, 'https://acme.github.io/infra/')}
    // Sub-path the site is served under. CI passes \`--base\`; set it here for builds without one.
    // "base": "/infra/",
    // "View source" links: {path}, {line} and {endLine} are filled in.
    ${optional('repoUrl', hosting.repoUrl, 'https://github.com/acme/infra/blob/HEAD/{path}#L{line}-L{endLine}')}
  },

  // The last published links.json (a path or a URL): the build fails if a URL it lists would now 404.
  // CI passes \`--previous-manifest\` instead; a missing file or a 404 just means "first build".
  // "previousManifest": ${json(manifest)},

  // URLs that moved and that no alias or git rename covers: old path → id, repository path, "/site/path/" or URL.
  "redirects": {
    // "processes/old-name/": "new-process-id",
  },
}
`;
}

/** The name, triggers, permissions and concurrency every GitHub workflow `init` writes shares. */
export const WORKFLOW_TRIGGERS = `name: Waymark

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: waymark-\${{ github.ref }}
  cancel-in-progress: true
`;

/** `.github/workflows/waymark.yml`: check with SARIF upload; build, and publish to Pages from main. */
export const GITHUB_WORKFLOW = `# Waymark: check process references on every push and pull request (results go
# to code scanning), build the site with the URL contract, publish it to GitHub
# Pages from main. Settings → Pages → Source must be "GitHub Actions".
${WORKFLOW_TRIGGERS}
jobs:
  check:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # git history: renamed documents keep their old URLs
      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm
      - run: npm ci
      - name: Check references
        id: check
        run: npx waymark check --format sarif > waymark.sarif
        continue-on-error: true
      - name: Upload results to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: waymark.sarif
          category: waymark
      - name: Fail on errors
        if: steps.check.outcome == 'failure'
        run: npx waymark check --quiet

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
          cache: npm
      - run: npm ci
      - name: Read the Pages address
        id: pages
        uses: actions/configure-pages@v5
      - name: Build the site
        # A URL the published site has must not 404 after this build (a first build has nothing to compare).
        run: >-
          npx waymark build --out site
          --base "\${{ steps.pages.outputs.base_path }}/"
          --previous-manifest "\${{ steps.pages.outputs.base_url }}/links.json"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

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

/** `waymark.gitlab-ci.yml`, for `include: local:` from `.gitlab-ci.yml`: check, then Pages from the default branch. */
export const GITLAB_CI = `# Waymark: check process references in every pipeline; build the site with the
# URL contract and publish it to GitLab Pages from the default branch.
# Include it from .gitlab-ci.yml:   include: { local: waymark.gitlab-ci.yml }
waymark-check:
  stage: test
  image: node:22
  variables:
    GIT_DEPTH: 0 # git history: renamed documents keep their old URLs
  cache:
    key: { files: [package-lock.json] }
    paths: [.npm/]
  script:
    - npm ci --cache .npm --prefer-offline
    - npx waymark check --format sarif > waymark.sarif || true
    - npx waymark check
  artifacts:
    when: always
    paths: [waymark.sarif]

pages:
  stage: deploy
  image: node:22
  variables:
    GIT_DEPTH: 0
  cache:
    key: { files: [package-lock.json] }
    paths: [.npm/]
  script:
    - npm ci --cache .npm --prefer-offline
    - BASE_PATH="$(node -p 'new URL(process.env.CI_PAGES_URL).pathname')"
    - npx waymark build --out public --base "$BASE_PATH" --previous-manifest "$CI_PAGES_URL/links.json"
  artifacts:
    paths: [public]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`;

/** A git pre-commit hook: no commit with a broken reference. */
export const PRE_COMMIT_HOOK = `#!/bin/sh
# Waymark: refuse a commit that breaks a process reference.
# Skip once with \`git commit --no-verify\`.
exec npx --no-install waymark check --quiet
`;

/** The same hook for the pre-commit framework (https://pre-commit.com), as \`.pre-commit-config.yaml\`. */
export const PRE_COMMIT_CONFIG = `repos:
  - repo: local
    hooks:
      - id: waymark
        name: waymark check
        entry: npx --no-install waymark check --quiet
        language: system
        pass_filenames: false
        always_run: true
`;
