// Checks one uploaded file before anything is stored: a markdown file within the size limit, text
// rather than binary, not absurdly long, and a valid lecture for the content engine. Pure.
import { parseGuarded } from '../content/load.js';
import type { ContentProblem, Lecture } from '../content/types.js';
import { MAX_LINES, formatSizeAgainstLimit } from './limits.js';

export type UploadCheck =
  /** `source` is the file's text, decoding back to exactly the bytes uploaded. */
  | { ok: true; lecture: Lecture; source: string; bytes: number }
  /** Not a lecture file at all (wrong type, binary, too big): one reason for the whole file. */
  | { ok: false; reason: string }
  /** A lecture file with mistakes, each at its line. */
  | { ok: false; problems: ContentProblem[] };

/** The attachment's name is all Discord tells of its type; lectures are `.md` files. */
export function isMarkdownName(name: string): boolean {
  return name.toLowerCase().endsWith('.md');
}

export function tooLargeReason(bytes: number, maxFileBytes: number): string {
  const sizes = formatSizeAgainstLimit(bytes, maxFileBytes);
  return `too large: ${sizes.size}, and a lecture file may be at most ${sizes.limit}`;
}

// Strict: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD. The BOM is kept in
// the text, so that the text encodes back to the very bytes uploaded.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function checkUpload(name: string, bytes: Uint8Array, maxFileBytes: number): UploadCheck {
  if (!isMarkdownName(name)) return { ok: false, reason: 'not a .md file: lectures are markdown files' };
  if (bytes.length > maxFileBytes) return { ok: false, reason: tooLargeReason(bytes.length, maxFileBytes) };
  if (bytes.includes(0))
    return { ok: false, reason: 'a binary file (it contains NUL bytes), not markdown text' };
  let source: string;
  try {
    source = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not UTF-8 text: save it as UTF-8 and upload it again' };
  }
  const lines = countLines(source);
  if (lines > MAX_LINES) {
    return {
      ok: false,
      reason: `${lines.toLocaleString('en')} lines: a lecture file may have at most ${MAX_LINES.toLocaleString('en')}`,
    };
  }
  const result = parseGuarded(source, name);
  if (result.lecture === null) return { ok: false, problems: result.problems };
  return { ok: true, lecture: result.lecture, source, bytes: bytes.length };
}

function countLines(text: string): number {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines += 1;
  return lines;
}
