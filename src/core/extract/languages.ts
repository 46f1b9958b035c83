/**
 * Which comment and string syntax a file uses, decided from its path alone
 * (CONVENTIONS §1). The one language table: the comment lexer
 * (`comments.ts`) reads it for markers, and the symbol finder
 * (`symbols.ts`) through the same lexer. Pure: the table below is the whole
 * knowledge; unknown files get `#` and `//`.

/** A comment that runs to the end of the line. */
export interface LineComment {
  /** The prefix, e.g. `#`, `//`, `--`, `REM`. */
  open: string;
  /** Only when it is the first non-blank text of the line (ini `;`, Dockerfile `#`, batch `REM`). */
  lineStart?: boolean;
  /** Only at line start or after whitespace: in YAML `a#b` is a word, not a comment. */
  afterSpace?: boolean;
  /** Only where a shell word starts: line start, after whitespace or after `;|&()` (`$#`, `${#x}` are no comments). */
  wordStart?: boolean;
  /** Case-insensitive and must be followed by whitespace or the line end (batch `REM`). */
  word?: boolean;
}

/** A comment between an opener and a closer, possibly over several lines. */
export interface BlockComment {
  open: string;
  close: string;
  /** Opener only counts as the first non-blank text of the line (Ruby `=begin`). */
  lineStart?: boolean;
  /** Inner lines may start with a ` * ` gutter (`/** … *\/`), which is not text. */
  star?: boolean;
}

/** A string literal, tracked only so comment starters inside it are ignored. */
export interface StringSyntax {
  open: string;
  close: string;
  /** `backslash`: `\"` does not close; `double`: `''` does not close (SQL, YAML). */
  escape?: 'backslash' | 'double';
  /** May span lines; otherwise an unclosed string ends with its line, which limits damage from a stray quote. */
  multiline?: boolean;
  /** Opens only at line start, after whitespace or after `[{,(=` (a YAML `it's` is no string). */
  afterSpace?: boolean;
  /** Openers of embedded code (`${`), which holds strings and braces of its own until its `}`. */
  interpolation?: readonly string[];
  /** An opener written with its first character doubled (HCL `$${`, `%%{`) is literal text. */
  doubledIsLiteral?: boolean;
}

/** `<<EOF` heredocs: their bodies are string content, skipped whole. */
export interface HeredocSyntax {
  /** Blanks may stand between `<<` and the word (shell). */
  spaced?: boolean;
  /** An unquoted word must be upper case, so `list << item` stays code (Ruby). */
  upperCase?: boolean;
}

export interface CommentSyntax {
  line: LineComment[];
  block: BlockComment[];
  strings: StringSyntax[];
  /** Markdown: ``` and ~~~ fenced blocks are examples, skipped whole. */
  fences?: boolean;
  heredocs?: HeredocSyntax;
  /** A backslash outside strings escapes the next character (LaTeX `\%`, Makefile `\#`, shell `\{`). */
  escapes?: boolean;
  /** JS regex literals, so `/\{/` is no brace and `/#/` no comment. */
  regex?: boolean;
}

const HASH: LineComment = { open: '#' };
const HASH_WORD: LineComment = { open: '#', afterSpace: true };
const HASH_SHELL: LineComment = { open: '#', wordStart: true };
const SLASHES: LineComment = { open: '//' };
const C_BLOCK: BlockComment = { open: '/*', close: '*/', star: true };
const HTML_BLOCK: BlockComment = { open: '<!--', close: '-->' };

const DQ: StringSyntax = { open: '"', close: '"', escape: 'backslash' };
const SQ: StringSyntax = { open: "'", close: "'", escape: 'backslash' };
const SQ_RAW: StringSyntax = { open: "'", close: "'" };
const BACKTICK_ML: StringSyntax = { open: '`', close: '`', escape: 'backslash', multiline: true };
const TEMPLATE: StringSyntax = { ...BACKTICK_ML, interpolation: ['${'] };
const TRIPLE_DQ: StringSyntax = { open: '"""', close: '"""', escape: 'backslash', multiline: true };
const TRIPLE_SQ: StringSyntax = { open: "'''", close: "'''", escape: 'backslash', multiline: true };

const C_LIKE: CommentSyntax = { line: [SLASHES], block: [C_BLOCK], strings: [DQ, SQ] };
const JS_LIKE: CommentSyntax = { line: [SLASHES], block: [C_BLOCK], strings: [DQ, SQ, TEMPLATE], regex: true };
const UPPER_HEREDOCS: HeredocSyntax = { upperCase: true };
const HASH_ONLY: CommentSyntax = { line: [HASH], block: [], strings: [DQ, SQ] };
const HTML_LIKE: CommentSyntax = { line: [], block: [HTML_BLOCK], strings: [] };

/** Syntax per language id. */
const SYNTAX: Record<string, CommentSyntax> = {
  hcl: {
    line: [HASH, SLASHES],
    block: [C_BLOCK],
    strings: [{ ...DQ, interpolation: ['${', '%{'], doubledIsLiteral: true }],
    heredocs: {},
  },
  yaml: {
    line: [HASH_WORD],
    block: [],
    strings: [
      { open: '"', close: '"', escape: 'backslash', afterSpace: true },
      { open: "'", close: "'", escape: 'double', afterSpace: true },
    ],
  },
  // Shell quotes span lines: a `#` inside a multi-line `"…"` is no comment.
  shell: {
    line: [HASH_SHELL],
    block: [],
    strings: [
      { open: "$'", close: "'", escape: 'backslash', multiline: true },
      { ...DQ, multiline: true },
      { ...SQ_RAW, multiline: true },
      BACKTICK_ML,
    ],
    heredocs: { spaced: true },
    escapes: true,
  },
  python: { line: [HASH], block: [], strings: [TRIPLE_DQ, TRIPLE_SQ, DQ, SQ] },
  ruby: { line: [HASH], block: [{ open: '=begin', close: '=end', lineStart: true }], strings: [DQ, SQ], heredocs: UPPER_HEREDOCS },
  powershell: { line: [HASH], block: [{ open: '<#', close: '#>' }], strings: [{ ...DQ, escape: 'double' }, { ...SQ_RAW, escape: 'double' }] },
  toml: { line: [HASH], block: [], strings: [TRIPLE_DQ, { ...TRIPLE_SQ, escape: undefined }, DQ, SQ_RAW] },
  dockerfile: { line: [{ open: '#', lineStart: true }], block: [], strings: [] },
  makefile: { line: [HASH], block: [], strings: [DQ, SQ_RAW], escapes: true },
  perl: HASH_ONLY,
  r: HASH_ONLY,
  elixir: { line: [HASH], block: [], strings: [TRIPLE_DQ, DQ, SQ] },
  dotenv: { line: [{ open: '#', lineStart: true }], block: [], strings: [] },
  ignore: { line: [{ open: '#', lineStart: true }], block: [], strings: [] },
  typescript: JS_LIKE,
  javascript: JS_LIKE,
  go: { line: [SLASHES], block: [C_BLOCK], strings: [DQ, SQ, { open: '`', close: '`', multiline: true }] },
  csharp: C_LIKE,
  java: { line: [SLASHES], block: [C_BLOCK], strings: [TRIPLE_DQ, DQ, SQ] },
  kotlin: { line: [SLASHES], block: [C_BLOCK], strings: [TRIPLE_DQ, DQ, SQ] },
  groovy: { line: [SLASHES], block: [C_BLOCK], strings: [TRIPLE_DQ, TRIPLE_SQ, DQ, SQ] },
  scala: { line: [SLASHES], block: [C_BLOCK], strings: [TRIPLE_DQ, DQ, SQ] },
  swift: { line: [SLASHES], block: [C_BLOCK], strings: [TRIPLE_DQ, DQ] },
  dart: { line: [SLASHES], block: [C_BLOCK], strings: [TRIPLE_DQ, TRIPLE_SQ, DQ, SQ] },
  // `'a` is a lifetime in Rust, so only double quotes are strings.
  rust: { line: [SLASHES], block: [C_BLOCK], strings: [DQ] },
  solidity: C_LIKE,
  c: C_LIKE,
  cpp: C_LIKE,
  protobuf: C_LIKE,
  json: { line: [SLASHES], block: [C_BLOCK], strings: [DQ] },
  css: { line: [], block: [C_BLOCK], strings: [DQ, SQ] },
  scss: C_LIKE,
  php: { line: [SLASHES, HASH], block: [C_BLOCK], strings: [DQ, SQ] },
  sql: {
    line: [{ open: '--' }],
    block: [C_BLOCK],
    strings: [{ open: "'", close: "'", escape: 'double' }, { open: '"', close: '"', escape: 'double' }],
  },
  lua: {
    line: [{ open: '--' }],
    block: [{ open: '--[[', close: ']]' }],
    strings: [{ open: '[[', close: ']]', multiline: true }, DQ, SQ],
  },
  haskell: { line: [{ open: '--' }], block: [{ open: '{-', close: '-}' }], strings: [DQ] },
  html: HTML_LIKE,
  xml: HTML_LIKE,
  // Single-file components: markup comments plus their `<script>` comments.
  vue: { line: [SLASHES], block: [HTML_BLOCK, C_BLOCK], strings: [DQ, SQ, BACKTICK_ML] },
  svelte: { line: [SLASHES], block: [HTML_BLOCK, C_BLOCK], strings: [DQ, SQ, BACKTICK_ML] },
  // Inline code spans are strings so that documented syntax (`<!-- … -->`) is not a comment.
  markdown: { line: [], block: [HTML_BLOCK], strings: [{ open: '`', close: '`' }], fences: true },
  // MDX 2 rejects HTML comments; `{/* … */}` is its comment form.
  mdx: { line: [], block: [HTML_BLOCK, { open: '{/*', close: '*/}', star: true }], strings: [{ open: '`', close: '`' }], fences: true },
  ini: { line: [{ open: ';', lineStart: true }, { open: '#', lineStart: true }], block: [], strings: [] },
  properties: { line: [{ open: '#', lineStart: true }, { open: '!', lineStart: true }], block: [], strings: [] },
  lisp: { line: [{ open: ';' }], block: [], strings: [DQ] },
  erlang: { line: [{ open: '%' }], block: [], strings: [DQ] },
  latex: { line: [{ open: '%' }], block: [], strings: [], escapes: true },
  batch: {
    line: [
      { open: 'REM', lineStart: true, word: true },
      { open: '@REM', lineStart: true, word: true },
      { open: '::', lineStart: true },
    ],
    block: [],
    strings: [],
  },
  jinja: { line: [HASH_WORD], block: [{ open: '{#', close: '#}' }], strings: [DQ, SQ] },
  unknown: { line: [HASH_WORD, SLASHES], block: [], strings: [DQ] },
};

/** Extension (lower-case, no dot) → language id. */
const EXTENSIONS: Record<string, string> = {
  tf: 'hcl', tfvars: 'hcl', hcl: 'hcl', nomad: 'hcl', pkr: 'hcl',
  yaml: 'yaml', yml: 'yaml',
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', fish: 'shell',
  py: 'python', pyi: 'python', bzl: 'python', star: 'python',
  rb: 'ruby', rake: 'ruby', gemspec: 'ruby',
  ps1: 'powershell', psm1: 'powershell', psd1: 'powershell',
  toml: 'toml',
  dockerfile: 'dockerfile', containerfile: 'dockerfile',
  mk: 'makefile', mak: 'makefile',
  pl: 'perl', pm: 'perl', r: 'r', ex: 'elixir', exs: 'elixir',
  env: 'dotenv',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  go: 'go', cs: 'csharp', java: 'java', kt: 'kotlin', kts: 'kotlin',
  groovy: 'groovy', gradle: 'groovy', jenkinsfile: 'groovy', scala: 'scala', swift: 'swift', dart: 'dart',
  rs: 'rust', sol: 'solidity',
  c: 'c', h: 'c', cpp: 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  proto: 'protobuf', json: 'json', jsonc: 'json', json5: 'json',
  css: 'css', scss: 'scss', less: 'scss', php: 'php',
  sql: 'sql', lua: 'lua', hs: 'haskell',
  html: 'html', htm: 'html', xml: 'xml', xsd: 'xml', xsl: 'xml', svg: 'xml', csproj: 'xml', plist: 'xml',
  vue: 'vue', svelte: 'svelte',
  md: 'markdown', markdown: 'markdown', mdx: 'mdx',
  ini: 'ini', cfg: 'ini', conf: 'ini', editorconfig: 'ini', npmrc: 'ini', gitconfig: 'ini',
  properties: 'properties',
  clj: 'lisp', cljs: 'lisp', el: 'lisp', lisp: 'lisp', scm: 'lisp',
  erl: 'erlang', hrl: 'erlang', tex: 'latex', sty: 'latex', cls: 'latex',
  bat: 'batch', cmd: 'batch',
  j2: 'jinja', jinja: 'jinja', jinja2: 'jinja',
  gitignore: 'ignore', dockerignore: 'ignore', helmignore: 'ignore', gitattributes: 'ignore',
};

/** Whole file names (lower-case) that say more than their extension. */
const FILE_NAMES: Record<string, string> = {
  dockerfile: 'dockerfile', containerfile: 'dockerfile',
  makefile: 'makefile', gnumakefile: 'makefile',
  jenkinsfile: 'groovy',
  vagrantfile: 'ruby', gemfile: 'ruby', rakefile: 'ruby', brewfile: 'ruby', podfile: 'ruby',
  '.bashrc': 'shell', '.bash_profile': 'shell', '.zshrc': 'shell', '.profile': 'shell',
  '.env': 'dotenv', '.envrc': 'shell',
  build: 'python', 'build.bazel': 'python', workspace: 'python', tiltfile: 'python',
  codeowners: 'ignore', procfile: 'ignore', caddyfile: 'ignore',
};

/** Name heads whose dotted variants keep the language (`Dockerfile.prod`, `.env.production`). */
const NAME_HEADS: Record<string, string> = {
  dockerfile: 'dockerfile', containerfile: 'dockerfile', jenkinsfile: 'groovy', makefile: 'makefile', '.env': 'dotenv',
};

/**
 * The file names the table knows, all lower-case: extensions, whole names and
 * name heads. For an editor client's document selector (editors/vscode), so it
 * sends the files whose comments Waymark reads and no others.
 */
export function knownFileNames(): { extensions: string[]; names: string[]; heads: string[] } {
  return { extensions: Object.keys(EXTENSIONS), names: Object.keys(FILE_NAMES), heads: Object.keys(NAME_HEADS) };
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1).toLowerCase();
}

/**
 * Language id of a file, from its name: `infra/lb.tf` → `hcl`,
 * `Dockerfile.prod` → `dockerfile`, `notes.xyz` → `unknown`.
 */
export function languageOf(path: string): string {
  const name = baseName(String(path));
  const byName = FILE_NAMES[name];
  if (byName) return byName;
  // Variants such as `Dockerfile.prod`, `Jenkinsfile.deploy`, `.env.production`.
  const head = name.split('.')[0] || `.${name.split('.')[1] ?? ''}`;
  const byHead = NAME_HEADS[head];
  if (byHead) return byHead;
  const dot = name.lastIndexOf('.');
  if (dot >= 0) {
    const byExt = EXTENSIONS[name.slice(dot + 1)];
    if (byExt) return byExt;
  }
  return 'unknown';
}

/** Comment and string syntax of a file, from its name. */
export function commentSyntaxOf(path: string): CommentSyntax {
  return SYNTAX[languageOf(path)] ?? SYNTAX.unknown;
}
