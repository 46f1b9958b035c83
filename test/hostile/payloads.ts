/**
 * What a hostile repository plants: script payloads that would set a global
 * sentinel (or open a dialog) if they ever ran, and a secret that lives
 * outside the repository and must never reach any output.
 */

/** Content of the files outside the repository; it must never appear in a report or the site. */
export const SECRET = 'OUTSIDE-SECRET-c0ffee-5a1t';

/** The statement every payload runs; the browser test asserts it never ran. */
export const SENTINEL = 'window.__pwned=1';

/** Payloads in HTML, attribute and URL positions. */
export const PAYLOADS = {
  script: `<script>${SENTINEL}</script>`,
  img: `<img src=x onerror="${SENTINEL}">`,
  svg: `<svg onload="${SENTINEL}"></svg>`,
  iframe: `<iframe src="javascript:${SENTINEL}"></iframe>`,
  attributeBreak: `"><script>${SENTINEL}</script>`,
  singleQuoteBreak: `' onmouseover='${SENTINEL}`,
  jsUrl: `javascript:${SENTINEL}`,
  alert: `<script>alert(1)</script>`,
  // Escaped once: live again after a consumer that decodes twice (Pagefind reads filter values that way).
  entityImg: `&lt;img src=x onerror="${SENTINEL}"&gt;`,
} as const;

/** A configured process tag whose label is markup: it becomes the area of the processes it names. */
export const TAG_LABEL = `Ops <img src=x onerror=${SENTINEL}>`;

/** Queries typed into the search box: payloads, and words that find the pages holding them. */
export const SEARCH_QUERIES = [PAYLOADS.img, PAYLOADS.script, PAYLOADS.attributeBreak, PAYLOADS.jsUrl, 'onerror', 'Evil'] as const;

/**
 * Markup that must not occur in a built page outside attribute values (where
 * `<` is harmless text): each would be live. Escaped forms such as
 * `&lt;script&gt;` are fine and expected.
 */
export const LIVE_MARKUP: RegExp[] = [
  /<script>\s*(?:window\.__pwned|alert)/i,
  /<img[^>]*\sonerror\s*=/i,
  /<svg[^>]*\sonload\s*=/i,
  /<iframe/i,
  /<[a-z][^>]*\son[a-z]+\s*=/i,
];

/** A script URL in a link, source or form: never allowed in a built page. */
export const SCRIPT_URL = /\s(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/i;
