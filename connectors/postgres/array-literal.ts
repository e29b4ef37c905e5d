/**
 * PostgreSQL array literals as text: '{"a","b c",NULL}'.
 *
 * The data statements bind one text[] per column (sql-text.ts). changes.ts builds that parameter
 * as the literal text itself, which node-postgres passes through unchanged (a string parameter),
 * instead of a (string | null)[] of values that node-postgres would then turn into the same text
 * (arrayString in pg/lib/utils.js). The output is byte-for-byte what node-postgres makes of the
 * same array (test/unit/postgres/array-literal.test.ts checks it):
 *
 * - every non-null element is double-quoted, so commas, braces, whitespace, the empty string and
 *   the word NULL survive as data;
 * - inside the quotes, `\` and `"` are backslash-escaped; nothing else needs escaping (newlines,
 *   tabs and any other character are taken literally between double quotes);
 * - a null element is the unquoted word NULL.
 *
 * A NUL character (U+0000) is passed through as it is: PostgreSQL text cannot hold it and rejects
 * the statement (SQLSTATE 22021, a data error), exactly as it did when node-postgres built the text.
 */

/** The characters escaped inside a quoted element. */
const ESCAPED = /[\\"]/g;

/**
 * Characters JSON.stringify escapes differently from array input: control characters (it writes
 * '\n', which array input would read as 'n') and surrogates (a lone one becomes '\ud800'; pairs
 * would be fine, but are left to the general path rather than told apart here).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const JSON_DIFFERS = /[\u0000-\u001f\ud800-\udfff]/;

/** One element, double-quoted, with `\` and `"` escaped: 'a"b' -> '"a\"b"'. */
export function quoteArrayElement(text: string): string {
  // Most values contain neither character: two indexOf scans are cheaper than running a regex.
  if (text.indexOf('"') < 0 && text.indexOf('\\') < 0) return `"${text}"`;
  // For the rest (JSON documents, mostly), JSON.stringify does exactly this quoting, in native
  // code and several times faster than a regex replace, unless the text holds a character it
  // escapes in its own way.
  if (!JSON_DIFFERS.test(text)) return JSON.stringify(text);
  return `"${text.replace(ESCAPED, '\\$&')}"`;
}

/**
 * The literal of a one-dimensional text[]: '{"a",NULL,""}' for ['a', null, '']. changes.ts runs
 * the same loop straight over its rows; this form is for tests and benches.
 *
 * The quoted parts are joined rather than appended one by one: join() makes one flat string,
 * while += makes a tree of thousands of small string pieces that stays alive (and is copied by
 * the garbage collector) until node-postgres finally writes the statement.
 */
export function textArrayLiteral(elements: readonly (string | null)[]): string {
  const parts = new Array<string>(elements.length);
  for (let i = 0; i < elements.length; i++) {
    const text = elements[i] ?? null;
    parts[i] = text === null ? 'NULL' : quoteArrayElement(text);
  }
  return `{${parts.join(',')}}`;
}
