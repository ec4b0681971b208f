// A fast path for the front matter nearly every lecture has: one `key: value` per line, each value
// plain text, a whole number or quoted text, and maps of such lines one level deep. It gives exactly
// what js-yaml (through gray-matter) gives for those lines, and null for anything else, which then
// goes to gray-matter: deeper maps, lists, comments after a value, tags, anchors, anything YAML
// could read as a date, a float, a boolean or null, and every error (so that its message and line
// stay js-yaml's).

/** `key:` then nothing or spaces and the value; keys as lecture files write them. */
const FIELD = /^([A-Za-z][A-Za-z0-9_]*):(?:( +)(.*))?$/;
/** Characters js-yaml refuses or treats specially anywhere in the text (controls, BOM, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNUSUAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\ufffe\uffff\ud800-\udfff]/;
/** Plain text with nothing YAML reads specially: no `:` (a nested key), no `#` (a comment), no tab. */
const PLAIN = /^[A-Za-z0-9_][^:#\t]*$/;
/** Every character a YAML int, float or timestamp can hold, apart from a 0x / 0b / 0o prefix. */
const NUMERIC_LOOKING = /^[0-9_.:eE+\-tTzZ ]*$/;
const WHOLE_NUMBER = /^(?:0|[1-9][0-9]{0,14})$/;
/** js-yaml's core schema words for null and booleans (the only letter-led non-strings). */
const KEYWORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** The fields of these front matter lines as js-yaml reads them, or null when this path does not apply. */
export function readSimpleFrontMatter(yamlLines: readonly string[]): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  let fields = 0;
  for (let index = 0; index < yamlLines.length; index++) {
    const line = yamlLines[index] ?? '';
    if (line === '') continue;
    const field = readField(line);
    if (field === undefined) return null;
    // A repeated key is an error in js-yaml: it says so.
    if (Object.hasOwn(data, field.key)) return null;
    let value: unknown = field.value;
    if (value === null) {
      // `key:` and nothing else may open a map of the indented lines under it (freeCodeCamp's
      // bilibiliIds: aid, bvid, cid), read by the same rules, one level deep.
      const nested = readNestedMap(yamlLines, index + 1);
      if (nested === undefined) return null;
      if (nested !== null) {
        value = nested.map;
        index = nested.end - 1;
      }
    }
    data[field.key] = value;
    fields += 1;
  }
  return fields > 0 ? data : null;
}

/** One `key: value` line at the start of a line, or undefined when only js-yaml can read it. */
function readField(line: string): { key: string; value: string | number | null } | undefined {
  if (UNUSUAL.test(line)) return undefined;
  const field = FIELD.exec(line);
  if (field === null) return undefined;
  const value = field[2] === undefined ? null : scalar((field[3] ?? '').replace(/ +$/, ''));
  return value === undefined ? undefined : { key: field[1] ?? '', value };
}

/**
 * The map of the lines from `start` indented alike by spaces, up to the first line that is not (a
 * blank line ends it too); null when the line at `start` is not indented (no map: the value is
 * null); undefined when only js-yaml can say (another indent, a line it cannot read, a key twice).
 */
function readNestedMap(
  lines: readonly string[],
  start: number,
): { map: Record<string, unknown>; end: number } | null | undefined {
  const indent = /^ +/.exec(lines[start] ?? '')?.[0].length ?? 0;
  if (indent === 0) return null;
  const map: Record<string, unknown> = {};
  let end = start;
  for (; end < lines.length; end++) {
    const line = lines[end] ?? '';
    const lineIndent = /^ */.exec(line)?.[0].length ?? 0;
    if (lineIndent === 0) break;
    if (lineIndent !== indent) return undefined;
    const field = readField(line.slice(indent));
    if (field === undefined || field.value === null || Object.hasOwn(map, field.key)) return undefined;
    map[field.key] = field.value;
  }
  // A blank line and then more indented lines: the map might go on, which js-yaml decides.
  for (let next = end; next < lines.length && (lines[next] ?? '').trim() === ''; next++) {
    if (/^ /.test(lines[next + 1] ?? '')) return undefined;
  }
  return { map, end };
}

/** A value's meaning, or undefined when only js-yaml can say. */
function scalar(text: string): string | number | null | undefined {
  if (text === '') return null;
  const first = text.charCodeAt(0);
  if (first === 0x27) return singleQuoted(text);
  if (first === 0x22) return doubleQuoted(text);
  if (!PLAIN.test(text) || KEYWORDS.has(text)) return undefined;
  if (first >= 0x30 && first <= 0x39) {
    if (WHOLE_NUMBER.test(text)) return Number(text);
    // Digits and nothing a number or date could not hold: js-yaml must decide. With a 0x/0b/0o
    // prefix the letters after it could be digits.
    if (NUMERIC_LOOKING.test(text) || /^0[xXbBoO]/.test(text)) return undefined;
  }
  return text;
}

/** 'text', with '' for a quote inside; nothing after the closing quote. */
function singleQuoted(text: string): string | undefined {
  const match = /^'((?:[^']|'')*)'$/.exec(text);
  return match ? (match[1] ?? '').replaceAll("''", "'") : undefined;
}

/** "text" without escapes; nothing after the closing quote. */
function doubleQuoted(text: string): string | undefined {
  const match = /^"([^"\\]*)"$/.exec(text);
  return match ? (match[1] ?? '') : undefined;
}
