/**
 * What a URL of the built site may be. Everything the site links to or loads
 * passes {@link safeUrl} as it is rendered, whatever it came from (the scan,
 * the fact cache, config, a redirect), because all of those can be written
 * by the repository's author, and the repository is not trusted.
 */

/** A C0/C1 control character or any Unicode white space: browsers drop or fold these inside URLs. */
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/u;

/** True when `text` holds a control character or white space. */
export function hasControlOrSpace(text: string): boolean {
  return CONTROL_OR_SPACE.test(text);
}

/** `text` with every control character and white space percent-encoded (`\n` → `%0A`), so it stays one field of one line. */
export function encodeControlAndSpace(text: string): string {
  return text.replace(new RegExp(CONTROL_OR_SPACE.source, 'gu'), (ch) => encodeURIComponent(ch));
}

/** A C0 or C1 control character, or a line or paragraph separator. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** True when `text` holds a control character: one that can end a line or start an escape sequence. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** Schemes a page may link to. `mailto:` is there for contact links in documents. */
const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL when a browser would keep it on the site or send it to an
 * `http(s)`/`mailto` address; undefined for anything else (`javascript:`,
 * `data:`, `vbscript:`, `//host`, `\\host`, white space or control characters
 * anywhere, a character reference before the path).
 *
 * With no blanks or controls left, a browser reads a scheme exactly where this
 * regular expression does, so case and entities cannot disguise one, and a
 * leading pair of slashes or backslashes is the only way to name a host.
 *
 * @example
 * safeUrl('/docs/processes/x/'); // '/docs/processes/x/'
 * safeUrl('JaVaScRiPt:alert(1)'); // undefined
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '' || hasControlOrSpace(url)) return undefined;
  // `&#106;avascript:` is `javascript:` wherever a writer forgets to escape `&`.
  if (url.split(/[/?#]/, 1)[0].includes('&')) return undefined;
  if (/^[\\/]{2}/.test(url)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  if (!scheme) return url;
  if (!ALLOWED_SCHEMES.has(`${scheme[1].toLowerCase()}:`)) return undefined;
  return URL.canParse(url) ? url : undefined;
}

/** Characters of one base segment: the unreserved set of RFC 3986. */
const BASE_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** What {@link baseProblem} asks of a base. */
export const BASE_RULE = 'must be a path of letters, digits and `-._~` segments, such as `/` or `/docs/`';

/**
 * Why `base` cannot be the sub-path a site is served under, or undefined when
 * it can: a path of segments made of letters, digits and `-._~`, such as `/`,
 * `/docs/`, `/a-b/c_d/`. Anything else (a backslash, a host, white space, `..`)
 * could send every page's scripts and styles to another origin or split a
 * line of `_redirects`.
 */
export function baseProblem(base: string): string | undefined {
  const inner = base.replace(/^\/+|\/+$/g, '');
  if (inner === '') return undefined;
  for (const segment of inner.split('/')) {
    if (!BASE_SEGMENT.test(segment) || segment === '.' || segment === '..') {
      return BASE_RULE;
    }
  }
  return undefined;
}
