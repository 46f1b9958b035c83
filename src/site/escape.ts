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
