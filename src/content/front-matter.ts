// Splits a lecture file into its YAML front matter and markdown body, keeping line numbers, and reads
// the fields the bot uses as text exactly as the author typed them.
import type matterFunction from 'gray-matter';
import { requireParserLibrary } from './parser-libraries.js';
import { readSimpleFrontMatter } from './simple-yaml.js';

let matterLoaded: typeof matterFunction | undefined;

/** gray-matter (and js-yaml), loaded on the first parse: a start served from the content cache never needs it. */
function matter(input: string): matterFunction.GrayMatterFile<string> {
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- require() is untyped; this is the package the types describe
  matterLoaded ??= requireParserLibrary('gray-matter') as typeof matterFunction;
  // Options (even empty) stop gray-matter from caching every file's text in memory.
  return matterLoaded(input, {});
}

export interface FrontMatterSplit {
  /** Parsed YAML, or null when it is missing or broken (see `error`). */
  data: Record<string, unknown> | null;
  /** Raw front matter lines, for finding which line a field is on. */
  yamlLines: string[];
  /** The markdown after the closing `---`. */
  body: string;
  /** 0-based line in the file where `body` starts. */
  bodyStartLine: number;
  error: { line: number; message: string } | null;
}

const DELIMITER = '---';

/**
 * Values a front matter may hold, counting each use of a YAML alias (`*name`) as a copy. js-yaml
 * shares an aliased node instead of copying it, so a "billion laughs" file parses in milliseconds,
 * but anything that walks the result (a JSON dump, a deep copy) would expand every alias. Real front
 * matter holds a handful of fields.
 */
export const MAX_FRONT_MATTER_VALUES = 10_000;

/** `source` must already be normalized (no BOM, LF line ends). */
export function splitFrontMatter(source: string): FrontMatterSplit {
  const firstEnd = lineEnd(source, 0);
  if (source.slice(0, firstEnd).trimEnd() !== DELIMITER) {
    return failure(source, 1, 'missing front matter: the file must start with a --- line, then id and title');
  }
  // The real corpus closes with '--- ' (trailing space) in places, so compare trimmed lines. Found
  // line by line rather than by splitting the whole file: the body is most of it.
  let closingStart = -1;
  let closing = 0;
  for (let start = firstEnd + 1, line = 1; start <= source.length; line++) {
    const end = lineEnd(source, start);
    if (source.slice(start, end).trimEnd() === DELIMITER) {
      closingStart = start;
      closing = line;
      break;
    }
    start = end + 1;
  }
  if (closingStart === -1) {
    return failure(source, 1, 'front matter is not closed: add a --- line after the last field');
  }
  const yamlLines = closing === 1 ? [] : source.slice(firstEnd + 1, closingStart - 1).split('\n');
  const closingEnd = lineEnd(source, closingStart);
  const body = closingEnd < source.length ? source.slice(closingEnd + 1) : '';
  try {
    const data: unknown = readSimpleFrontMatter(yamlLines) ?? matter(`${DELIMITER}\n${yamlLines.join('\n')}\n${DELIMITER}\n`).data;
    if (!isFieldMap(data)) {
      return { data: null, yamlLines, body, bodyStartLine: closing + 1, error: { line: 2, message: 'front matter must be a map of fields' } };
    }
    if (exceedsValues(data, MAX_FRONT_MATTER_VALUES)) {
      const message = `front matter expands to more than ${MAX_FRONT_MATTER_VALUES.toLocaleString('en')} values through YAML aliases (*name): remove the aliases`;
      return { data: null, yamlLines, body, bodyStartLine: closing + 1, error: { line: aliasLine(yamlLines), message } };
    }
    return { data, yamlLines, body, bodyStartLine: closing + 1, error: null };
  } catch (error) {
    const { line, reason } = describeYamlError(error);
    return {
      data: null,
      yamlLines,
      body,
      bodyStartLine: closing + 1,
      error: { line, message: `invalid front matter: ${reason}` },
    };
  }
}

/** Where the line starting at `start` ends (its newline, or the end of the text). */
function lineEnd(text: string, start: number): number {
  const newline = text.indexOf('\n', start);
  return newline === -1 ? text.length : newline;
}

/** 1-based file line of a top-level field such as `id:`, or 1 when it is absent. */
export function fieldLine(split: FrontMatterSplit, field: string): number {
  const pattern = new RegExp(`^(["']?)${field}\\1\\s*:`);
  const index = split.yamlLines.findIndex((line) => pattern.test(line));
  return index === -1 ? 1 : index + 2;
}

export interface TextField {
  /** The trimmed text, or null when the field is absent or empty. */
  text: string | null;
  /** Why the field cannot be read as text, or null. */
  problem: string | null;
}

/**
 * A field the bot uses as text, as the author typed it: YAML reads `2024-01-01` as a date, `0123` as 83
 * and `1e3` as 1000, so any value that is not a string is taken from its line instead.
 */
export function readTextField(split: FrontMatterSplit, field: string): TextField {
  const value = split.data?.[field];
  if (value === undefined || value === null) return { text: null, problem: null };
  if (typeof value === 'string') return { text: nonEmpty(value), problem: null };
  if (Array.isArray(value)) return { text: null, problem: `${field} must be a single value, not a list` };
  if (typeof value === 'object' && !(value instanceof Date))
    return { text: null, problem: `${field} must be a single value, not a map of fields` };
  const written = writtenValue(split, field);
  if (written !== null) return { text: nonEmpty(written), problem: null };
  const kind = value instanceof Date ? 'date' : typeof value;
  return { text: null, problem: `${field} is read by YAML as a ${kind}, not text: put it in quotes` };
}

function nonEmpty(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * The value of a top-level field as written on its line, for when YAML gave it a type the author did
 * not mean (`2024-01-01` becomes a date, `0123` becomes 83). Tags (`!!int`), anchors (`&a`), quotes and a
 * trailing `# comment` are removed; a value on the indented line under `field:` is read too. Null when
 * the field is not written as `field: value` at the start of a line (a `{ ... }` front matter).
 */
export function writtenValue(split: FrontMatterSplit, field: string): string | null {
  const key = new RegExp(`^(["']?)${field}\\1[ \\t]*:(?=\\s|$)(.*)$`);
  const index = split.yamlLines.findIndex((line) => key.test(line));
  if (index === -1) return null;
  let rest = withoutProperties(key.exec(split.yamlLines[index] ?? '')?.[2] ?? '');
  if (rest === '' || rest.startsWith('#')) {
    // `id:` alone, the value on the (indented) line under it.
    const next = split.yamlLines[index + 1] ?? '';
    if (!/^\s/.test(next)) return null;
    rest = withoutProperties(next);
  }
  return scalarText(rest);
}

/** A scalar's text without its quotes or its comment. */
function scalarText(text: string): string {
  if (text.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'/.exec(text);
    return match ? (match[1] ?? '').replaceAll("''", "'") : text;
  }
  if (text.startsWith('"')) {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(text);
    return match ? unescapeDoubleQuoted(match[0]) : text;
  }
  // In plain YAML text, `#` starts a comment only after a space or tab: `C#` keeps it.
  return text.replace(/(^|[ \t])#.*$/, '').trim();
}

/** YAML's double-quoted escapes are JSON's and a few more; those few are kept as written. */
function unescapeDoubleQuoted(quoted: string): string {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : quoted.slice(1, -1);
  } catch {
    return quoted.slice(1, -1);
  }
}

/** Drops the tag (`!!int`) and anchor (`&first`) YAML allows before a value. */
function withoutProperties(text: string): string {
  let rest = text.trim();
  while (/^[!&]\S*/.test(rest)) rest = rest.replace(/^[!&]\S*\s*/, '');
  return rest;
}

function failure(source: string, line: number, message: string): FrontMatterSplit {
  return { data: null, yamlLines: [], body: source, bodyStartLine: 0, error: { line, message } };
}

/** Walks at most `limit` values (aliases counted at every use) and says whether there were more. */
function exceedsValues(root: unknown, limit: number): boolean {
  const pending: unknown[] = [root];
  let seen = 0;
  while (pending.length > 0) {
    const value = pending.pop();
    seen += 1;
    if (seen > limit) return true;
    if (Array.isArray(value)) value.forEach((item: unknown) => pending.push(item));
    else if (typeof value === 'object' && value !== null && !(value instanceof Date))
      Object.values(value).forEach((item: unknown) => pending.push(item));
  }
  return false;
}

/** 1-based file line of the first alias, where the author should look. */
function aliasLine(yamlLines: string[]): number {
  const index = yamlLines.findIndex((line) => /(^|[\s,[{:-])\*[^\s,\]}]/.test(line));
  return index === -1 ? 2 : index + 2;
}

function isFieldMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeYamlError(error: unknown): { line: number; reason: string } {
  const yamlError: { mark?: unknown; reason?: unknown; message?: unknown } = isFieldMap(error) ? error : {};
  const mark: { line?: unknown } = isFieldMap(yamlError.mark) ? yamlError.mark : {};
  // js-yaml counts from 0 starting at the opening '---' line, which is file line 1.
  const line = typeof mark.line === 'number' ? mark.line + 1 : 1;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const reason = text(yamlError.reason) ?? text(yamlError.message) ?? String(error);
  return { line, reason };
}
