/**
 * HTML escaping for text that comes from the repository. Everything a page
 * shows from a scanned repository (titles, paths, metadata values, comments,
 * source lines) goes through these before it is placed in markup that Astro
 * does not escape itself (`set:html`, generated SVG).
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * Render inline backticks of a plain-language message (`missing file \`a.tf\``)
 * as `<code>`, escaping everything else. Diagnostics name things in backticks.
 */
export function formatMessage(message: string): string {
  return message
    .split(/(`[^`]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

const LOOKALIKES: Record<string, string> = {
  '&': '\uff06',
  '<': '\u2039',
  '>': '\u203a',
  '"': '\uff02',
  "'": '\u2019',
};

/**
 * Text with the five HTML-significant characters replaced by lookalikes
 * (`<img>` → `‹img›`), for places that show it as HTML after decoding it an
 * unknown number of times. Pagefind is one: it decodes a filter value twice
 * (attribute, then its own pass) and its UI sets the result as `innerHTML`,
 * so no amount of escaping is safe across its versions, but text with no `&`
 * or `<` is inert under any number of decodings.
 */
export function inertText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => LOOKALIKES[ch]);
}
