// A fast path for the front matter nearly every lecture has: one `key: value` per line, each value
// plain text, a whole number or quoted text. It gives exactly what js-yaml (through gray-matter)
// gives for those lines, and null for anything else, which then goes to gray-matter: nested maps,
// lists, comments after a value, tags, anchors, anything YAML could read as a date, a float, a
// boolean or null, and every error (so that its message and line stay js-yaml's).

/** `key:` then nothing or spaces and the value; keys as lecture files write them. */
const FIELD = /^([A-Za-z][A-Za-z0-9_]*):(?:( +)(.*))?$/;
/** Characters js-yaml refuses or treats specially anywhere in the text (controls, BOM, surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const UNUSUAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff\ufffe\uffff\ud800-\udfff]/;
/** Plain text with nothing YAML reads specially: no `:` (a nested key), no `#` (a comment), no tab. */
const PLAIN = /^[A-Za-z0-9][^:#\t]*$/;
/** Every character a YAML int, float or timestamp can hold, apart from a 0x / 0b / 0o prefix. */
const NUMERIC_LOOKING = /^[0-9_.:eE+\-tTzZ ]*$/;
const WHOLE_NUMBER = /^(?:0|[1-9][0-9]{0,14})$/;
/** js-yaml's core schema words for null and booleans (the only letter-led non-strings). */
const KEYWORDS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/** The fields of these front matter lines as js-yaml reads them, or null when this path does not apply. */
export function readSimpleFrontMatter(yamlLines: readonly string[]): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  let fields = 0;
  for (const line of yamlLines) {
    if (line === '') continue;
    if (UNUSUAL.test(line)) return null;
    const field = FIELD.exec(line);
    if (field === null) return null;
    const key = field[1] ?? '';
    // A repeated key is an error in js-yaml: it says so.
    if (Object.hasOwn(data, key)) return null;
    const value = field[2] === undefined ? null : scalar((field[3] ?? '').replace(/ +$/, ''));
    if (value === undefined) return null;
    data[key] = value;
    fields += 1;
  }
  return fields > 0 ? data : null;
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
