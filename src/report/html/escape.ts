/**
 * Escaping for the two contexts the HTML report writes into: element text / attribute values,
 * and JSON inside a <script type="application/json"> block.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content or a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON that can sit inside a <script> element: a script's content ends at the first "</script"
 * whatever JSON thinks of it (HTML Living Standard, 4.12.1.3 "Restrictions for contents of script
 * elements"), so "<" is written as \u003c; ">" and "&" too, which also rules out "<!--" and
 * "-->". U+2028/U+2029 are escaped so the text stays valid if it is ever pasted into JS source.
 * JSON.parse turns every escape back into the same character. Non-finite numbers become null,
 * as in the JSON report.
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value, (_key: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript source for an inline <script>: no "</script" may appear in it (see above). In JS
 * source "<\/" means the same as "</" inside strings, template literals and regular expressions.
 */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
