/**
 * Syntax colours for a file page, from Shiki (the highlighter Astro ships),
 * at build time only: the page gets classed spans and no client script.
 *
 * Shiki is asked for tokens, not HTML, so the file page keeps its own markup
 * (one `L<n>` element per line, for ranges and anchors) and escapes every
 * token itself: the repository's text never reaches the page unescaped.
 *
 * Measured on the example (57 files, a loaded 2-core machine): two themes
 * (light and dark) tokenise every file twice, about 3x the time of one pass
 * with Shiki's CSS-variables theme, and Shiki's JavaScript regex engine is
 * about 2x faster than its Oniguruma WASM here. So: one pass, the token kind
 * as a one-letter class, and light and dark colours (chosen for AA contrast
 * on every line background) in the stylesheet.
 */
import { bundledLanguages, createCssVariablesTheme, createHighlighter, type BundledLanguage, type Highlighter } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

/** One run of text on a line, with its token kind's class (`k` keyword, `s` string, …; absent for plain text). */
export interface ColouredToken {
  text: string;
  kind?: string;
}

const PREFIX = '--shiki-';
const THEME = createCssVariablesTheme({ name: 'waymark-tokens', variablePrefix: PREFIX });

/** Shiki's CSS-variables token names → the class the stylesheet colours. */
const KINDS: Record<string, string> = {
  'token-keyword': 'k',
  'token-string': 's',
  'token-string-expression': 's',
  'token-comment': 'c',
  'token-constant': 'n',
  'token-function': 'f',
  'token-parameter': 'p',
  'token-link': 'n',
};

/**
 * Bigger files are shown plain: tokenising costs about a millisecond per
 * hundred lines once warm, and one generated 50,000-line file would add
 * seconds of build time for a page nobody reads top to bottom.
 */
const MAX_CHARS = 100_000;

/**
 * Shiki stops colouring a line after its time limit (500 ms by default) and
 * shows the rest in the colour it had reached. The first line a grammar
 * tokenises also compiles its regular expressions: about 500 ms on a busy
 * machine, so a build's colours depended on the load (the first file of each
 * language got `import { a } from 'b';` as one keyword). Ten times that
 * still ends a line whose patterns backtrack without end.
 */
const LINE_TIME_LIMIT_MS = 5_000;

/**
 * What colours depend on besides a file's text and grammar: Shiki's version
 * and the choices above. A cache of colours (`src/astro/highlight-cache.ts`)
 * keys its entries with it, so a change here never shows stale colours.
 */
export function highlightSettingsKey(shikiVersion: string): string {
  return JSON.stringify([shikiVersion, MAX_CHARS, LINE_TIME_LIMIT_MS, KINDS, SHIKI_NAMES]);
}

/** Waymark language ids (`core/extract/languages.ts`) whose Shiki grammar has another name. */
const SHIKI_NAMES: Record<string, string> = {
  shell: 'shellscript',
  protobuf: 'proto',
  batch: 'bat',
  // A document has its rendered page; its raw view stays plain (the markdown grammar pulls in dozens of embedded ones).
  markdown: '',
  mdx: '',
};

/** File-name shapes whose grammar is more precise than their Waymark language. */
function byName(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.tf') || name.endsWith('.tfvars')) return 'terraform';
  if (name === 'nginx.conf' || (path.toLowerCase().includes('nginx') && name.endsWith('.conf'))) return 'nginx';
  return undefined;
}

/** The Shiki grammar for a file, or undefined to show it plain. */
export function shikiLanguage(path: string, language: string): BundledLanguage | undefined {
  for (const candidate of [byName(path), SHIKI_NAMES[language] ?? language]) {
    if (candidate && Object.hasOwn(bundledLanguages, candidate)) return candidate as BundledLanguage;
  }
  return undefined;
}

let highlighter: Promise<Highlighter> | undefined;
const loaded = new Map<string, Promise<void>>();

/** One highlighter for the whole build; each grammar loaded the first time a file needs it. */
async function highlighterFor(lang: BundledLanguage): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: [THEME], langs: [], engine: createJavaScriptRegexEngine() });
  const shiki = await highlighter;
  if (!loaded.has(lang)) loaded.set(lang, shiki.loadLanguage(lang));
  await loaded.get(lang);
  return shiki;
}

/**
 * Let the highlighter and its grammars go (the next `colourLines` makes a new
 * one). A build colours every file before Astro runs; kept, the highlighter
 * held its heap through Astro's bundle step, the peak of a build whose colour
 * cache was cold.
 */
export async function releaseHighlighter(): Promise<void> {
  const shiki = highlighter;
  highlighter = undefined;
  loaded.clear();
  (await shiki)?.dispose();
}

/**
 * Tokens for each line of `lines` (already split as the page shows them), or
 * undefined when the file is shown plain (no grammar, too big, or the grammar
 * failed on it).
 */
export async function colourLines(path: string, language: string, lines: readonly string[]): Promise<ColouredToken[][] | undefined> {
  const lang = shikiLanguage(path, language);
  if (!lang) return undefined;
  const text = lines.join('\n');
  if (text.length > MAX_CHARS) return undefined;
  try {
    const shiki = await highlighterFor(lang);
    const tokens = shiki.codeToTokensBase(text, { lang, theme: THEME, tokenizeTimeLimit: LINE_TIME_LIMIT_MS });
    if (tokens.length !== lines.length) return undefined;
    return tokens.map((line) => {
      const out: ColouredToken[] = [];
      for (const token of line) {
        const kind = kindOf(token.color);
        const last = out[out.length - 1];
        // Neighbours of one kind merge: fewer spans, same colours.
        if (last && last.kind === kind) last.text += token.content;
        else out.push(kind ? { text: token.content, kind } : { text: token.content });
      }
      return out;
    });
  } catch {
    // A grammar that cannot read this file leaves it plain rather than failing the build.
    return undefined;
  }
}

/** `var(--shiki-token-keyword)` → `k`; anything else is plain text. */
function kindOf(color: string | undefined): string | undefined {
  const name = color?.startsWith(`var(${PREFIX}`) ? color.slice(PREFIX.length + 4, -1) : undefined;
  return name ? KINDS[name] : undefined;
}
