// What a lecture makes of CommonMark's headings and HTML comments, for both block readers (markdown-it's
// tokens in blocks.ts, the fast path in simple-blocks.ts), so that they cannot read a lecture apart.
import type { Block } from './blocks.js';

const MARKER = /^--([a-z0-9-]+)--$/i;

export interface Heading {
  /** 1 to 6. */
  level: number;
  /** The heading's text, trimmed. */
  text: string;
  /** `-` for a setext heading underlined with dashes, else anything. */
  markup: string;
  /** 0-based body lines, end exclusive (a setext heading's underline included). */
  start: number;
  end: number;
}

/** The blocks a heading gives, with 1-based file lines (`bodyStartLine` is the body's, 0-based). */
export function headingBlocks(heading: Heading, bodyStartLine: number): Block[] {
  const { level, text, markup, start, end } = heading;
  const line = bodyStartLine + start + 1;
  const marker = MARKER.exec(text);
  if (marker?.[1]) return [{ kind: 'marker', name: marker[1].toLowerCase(), depth: level, line }];
  // `Answer text` directly above `---` is a setext heading in CommonMark, but in a lecture the
  // author meant an answer followed by the break between answers.
  if (markup === '-') {
    return [
      { kind: 'content', type: 'paragraph', start, end: end - 1, line },
      { kind: 'break', line: bodyStartLine + end },
    ];
  }
  // A plain top-level heading ends the section before it, as in freeCodeCamp's own parser
  // (seen as a malformed `# --explanation` after a solution).
  if (level === 1) return [{ kind: 'marker', name: '', depth: level, line }];
  return [{ kind: 'content', type: 'heading_open', start, end, line }];
}

/** Author notes such as `<!-- (Audio) ... -->` are not shown to anyone. */
export function isOnlyComment(html: string): boolean {
  return /^\s*<!--[\s\S]*-->\s*$/.test(html) && !/-->[\s\S]*<!--/.test(html.trim());
}
