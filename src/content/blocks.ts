// Reads a lecture body as CommonMark and reduces it to the top-level blocks that carry structure.
// Only top-level headings and thematic breaks are structure: a `--marker--` or `---` inside a fenced
// code block, an HTML block, a list or a quote stays content, exactly as a markdown renderer shows it.
import MarkdownIt from 'markdown-it';

export type Block =
  | { kind: 'marker'; name: string; depth: number; line: number }
  | { kind: 'break'; line: number }
  /** Any other top-level block; `start`/`end` are 0-based body lines, end exclusive. */
  | { kind: 'content'; type: string; start: number; end: number; line: number };

const MARKER = /^--([a-z0-9-]+)--$/i;

// Block rules only: inline parsing is not needed to find structure and would double the cost.
const markdown = new MarkdownIt('commonmark');
markdown.core.ruler.disable(['inline']);

/** Lines in the returned blocks are 1-based file lines (`bodyStartLine` is where the body starts, 0-based). */
export function readBlocks(body: string, bodyStartLine: number): Block[] {
  const tokens = markdown.parse(body, {});
  const blocks: Block[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token || token.level !== 0 || !token.map) continue;
    const [start, end] = token.map;
    const line = bodyStartLine + start + 1;
    if (token.type === 'heading_open') {
      const text = tokens[index + 1]?.content.trim() ?? '';
      const marker = MARKER.exec(text);
      const depth = Number(token.tag.slice(1));
      if (marker?.[1]) {
        blocks.push({ kind: 'marker', name: marker[1].toLowerCase(), depth, line });
        continue;
      }
      // `Answer text` directly above `---` is a setext heading in CommonMark, but in a lecture the
      // author meant an answer followed by the break between answers.
      if (token.markup === '-') {
        blocks.push({ kind: 'content', type: 'paragraph', start, end: end - 1, line });
        blocks.push({ kind: 'break', line: bodyStartLine + end });
        index += 2;
        continue;
      }
      // A plain top-level heading ends the section before it, as in freeCodeCamp's own parser
      // (seen as a malformed `# --explanation` after a solution).
      if (depth === 1) {
        blocks.push({ kind: 'marker', name: '', depth, line });
        continue;
      }
    }
    if (token.type === 'hr') {
      blocks.push({ kind: 'break', line });
      continue;
    }
    if (token.type === 'html_block' && isOnlyComment(token.content)) continue;
    blocks.push({ kind: 'content', type: token.type, start, end, line });
  }
  return blocks;
}

/** Author notes such as `<!-- (Audio) ... -->` are not shown to anyone. */
function isOnlyComment(html: string): boolean {
  return /^\s*<!--[\s\S]*-->\s*$/.test(html) && !/-->[\s\S]*<!--/.test(html.trim());
}
