// A fast path for readBlocks: the top-level blocks of a lecture body read line by line, for bodies
// made only of paragraphs, headings, thematic breaks, fenced and indented code and HTML blocks
// and lists of plain items (nearly all real lecture files). It follows CommonMark's block rules as
// markdown-it applies them, and gives up (null) on anything it does not read itself: block quotes,
// lists holding other blocks, tabs, NUL characters and possible link reference definitions.
// markdown-it stays the reader of everything else, and the oracle that the tests hold this path to
// over the whole corpus.
import type { Block } from './blocks.js';
import { headingBlocks, isOnlyComment } from './lecture-blocks.js';

const SPACE = 0x20;
const HASH = 0x23;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const BACKTICK = 0x60;
const TILDE = 0x7e;
const ASTERISK = 0x2a;
const PLUS = 0x2b;
const DASH = 0x2d;
const EQUALS = 0x3d;
const UNDERSCORE = 0x5f;

/** The HTML tag names that open a block ending at a blank line (CommonMark's list for HTML blocks, kind 6). */
const BLOCK_TAGS =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|' +
  'fieldset|figcaption|figure|footer|form|frame|frameset|h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|' +
  'main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|' +
  'title|tr|track|ul';
const ATTRIBUTE = `\\s+[a-zA-Z_:][a-zA-Z0-9:._-]*(?:\\s*=\\s*(?:[^"'=<>\`\\x00-\\x20]+|'[^']*'|"[^"]*"))?`;
const OPEN_TAG = `<[A-Za-z][A-Za-z0-9\\-]*(?:${ATTRIBUTE})*\\s*\\/?>`;
const CLOSING_TAG = `<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>`;

interface HtmlKind {
  /** Tested on the line from its first non-space character. */
  opens: RegExp;
  /** The line that ends the block (included, unless it is blank). */
  closes: RegExp;
  /** Whether the block may start in the middle of a paragraph. */
  interruptsParagraph: boolean;
}

/** CommonMark's seven kinds of HTML block, in the order they are tried. */
const HTML_KINDS: HtmlKind[] = [
  { opens: /^<(script|pre|style|textarea)(?=(\s|>|$))/i, closes: /<\/(script|pre|style|textarea)>/i, interruptsParagraph: true },
  { opens: /^<!--/, closes: /-->/, interruptsParagraph: true },
  { opens: /^<\?/, closes: /\?>/, interruptsParagraph: true },
  { opens: /^<![A-Za-z]/, closes: />/, interruptsParagraph: true },
  { opens: /^<!\[CDATA\[/, closes: /\]\]>/, interruptsParagraph: true },
  { opens: new RegExp(`^</?(${BLOCK_TAGS})(?=(\\s|/?>|$))`, 'i'), closes: /^$/, interruptsParagraph: true },
  { opens: new RegExp(`^(?:${OPEN_TAG}|${CLOSING_TAG})\\s*$`), closes: /^$/, interruptsParagraph: false },
];

/** Returned inside the scan for a line this path does not read (a list item or a block quote). */
const NOT_SIMPLE = -1;

/**
 * The blocks readBlocks would give for this body, or null when it is not one this path reads.
 * `lines` is the body split at '\n'; lines in the blocks are 1-based file lines, as readBlocks's.
 */
export function readSimpleBlocks(body: string, lines: readonly string[], bodyStartLine: number): Block[] | null {
  // Tabs move columns, NUL becomes U+FFFD in markdown-it, and `]:` may end a reference label.
  if (body.includes('\t') || body.includes('\0') || body.includes(']:')) return null;
  return new Scan(lines, bodyStartLine).blocks();
}

class Scan {
  /**
   * markdown-it's line count: a last piece of nothing but spaces (empty after a final newline, say)
   * is not a line, which matters to a fence or HTML block left open to the end.
   */
  private readonly lineCount: number;
  private readonly out: Block[] = [];

  constructor(
    private readonly lines: readonly string[],
    private readonly bodyStartLine: number,
  ) {
    this.lineCount = lines.length;
    if (this.isBlank(lines.length - 1)) this.lineCount--;
  }

  blocks(): Block[] | null {
    let line = 0;
    while (line < this.lineCount) {
      if (this.isBlank(line)) {
        line++;
        continue;
      }
      line = this.block(line);
      if (line === NOT_SIMPLE) return null;
    }
    return this.out;
  }

  /** Reads the block starting at `line` (not blank); the line after it, or NOT_SIMPLE. */
  private block(line: number): number {
    const text = this.text(line);
    const indent = this.indent(line);
    if (indent >= 4) return this.indentedCode(line);
    const first = text.charCodeAt(indent);
    if (isFenceStart(text, indent)) return this.fence(line, indent);
    if (first === GREATER_THAN) return NOT_SIMPLE;
    if (isThematicBreak(text, indent)) {
      this.out.push({ kind: 'break', line: this.fileLine(line) });
      return line + 1;
    }
    const item = listItemMarker(text, indent);
    if (item) return this.list(line, item);
    if (first === LESS_THAN) {
      const kind = htmlKind(text.slice(indent));
      if (kind) return this.htmlBlock(line, kind);
    }
    const heading = atxHeading(text, indent);
    if (heading) {
      this.heading(heading.level, heading.content, line, line + 1);
      return line + 1;
    }
    return this.paragraph(line);
  }

  private indentedCode(start: number): number {
    let next = start + 1;
    let last = next;
    while (next < this.lineCount) {
      if (this.isBlank(next)) {
        next++;
      } else if (this.indent(next) >= 4) {
        next++;
        last = next;
      } else {
        break;
      }
    }
    this.content('code_block', start, last);
    return last;
  }

  private fence(start: number, indent: number): number {
    const opening = this.text(start);
    const marker = opening.charCodeAt(indent);
    const length = runLength(opening, indent, marker);
    let next = start + 1;
    let closed = false;
    for (; next < this.lineCount; next++) {
      const text = this.text(next);
      const at = this.indent(next);
      if (at >= 4 || text.charCodeAt(at) !== marker) continue;
      const run = runLength(text, at, marker);
      if (run < length || !isBlankFrom(text, at + run)) continue;
      closed = true;
      break;
    }
    const end = closed ? next + 1 : next;
    this.content('fence', start, end);
    return end;
  }

  private htmlBlock(start: number, kind: HtmlKind): number {
    let next = start + 1;
    if (!kind.closes.test(this.text(start).slice(this.indent(start)))) {
      for (; next < this.lineCount; next++) {
        const text = this.text(next).slice(this.indent(next));
        if (kind.closes.test(text)) {
          if (text.length !== 0) next++;
          break;
        }
      }
    }
    // Author notes such as `<!-- (Audio) ... -->` are not shown to anyone.
    if (!isOnlyComment(this.lines.slice(start, next).join('\n'))) this.content('html_block', start, next);
    return next;
  }

  /**
   * A paragraph, or a setext heading when an underline comes before a blank line or a line that
   * starts another block.
   */
  private paragraph(start: number): number {
    let next = start + 1;
    for (; next < this.lineCount && !this.isBlank(next); next++) {
      const indent = this.indent(next);
      if (indent > 3) continue;
      const text = this.text(next);
      const underline = setextUnderline(text, indent);
      if (underline !== 0) {
        const content = this.lines.slice(start, next).join('\n').trim();
        this.setextHeading(underline, content, start, next + 1);
        return next + 1;
      }
      const interrupts = this.endsParagraph(text, indent);
      if (interrupts === null) return NOT_SIMPLE;
      if (interrupts) break;
    }
    this.content('paragraph_open', start, next);
    return next;
  }

  /**
   * Whether the line ends the paragraph above it; null when it is a block quote. `outOfItem`: the
   * paragraph is in a list item and the line starts left of the item's text.
   */
  private endsParagraph(text: string, indent: number, outOfItem = false): boolean | null {
    const first = text.charCodeAt(indent);
    if (isFenceStart(text, indent)) return true;
    if (first === GREATER_THAN) return null;
    if (isThematicBreak(text, indent)) return true;
    const item = listItemMarker(text, indent);
    if (item) {
      // Any item (under four spaces) ends a list item's paragraph from outside it; otherwise only
      // one that has text, and an ordered one from 1, may interrupt a paragraph.
      if (outOfItem && indent < 4) return true;
      if (!outOfItem && !item.empty && (item.start === null || item.start === 1)) return true;
    }
    if (first === LESS_THAN && htmlKind(text.slice(indent))?.interruptsParagraph === true) return true;
    return atxHeading(text, indent) !== null;
  }

  /**
   * A top-level list whose items hold only paragraphs (lazy lines included), as one content block up to
   * the first line that is not the list's (blank lines before it are the list's, as in markdown-it).
   * Anything else in an item (a nested list, code, a heading, an HTML block, an empty item) is
   * NOT_SIMPLE.
   */
  private list(start: number, first: ListMarker): number {
    let line = start;
    let marker = first;
    for (;;) {
      const end = this.listItem(line, marker);
      if (end === NOT_SIMPLE) return NOT_SIMPLE;
      line = end;
      if (line >= this.lineCount) break;
      const text = this.text(line);
      const indent = this.indent(line);
      if (indent >= 4 || isFenceStart(text, indent) || isThematicBreak(text, indent)) break;
      if (text.charCodeAt(indent) === GREATER_THAN) return NOT_SIMPLE;
      const next = listItemMarker(text, indent);
      if (!next || next.ordered !== marker.ordered || next.delimiter !== marker.delimiter) break;
      marker = next;
    }
    this.content(first.ordered ? 'ordered_list_open' : 'bullet_list_open', start, line);
    return line;
  }

  /** One list item's paragraphs; the line after it (past any blank lines), or NOT_SIMPLE. */
  private listItem(start: number, marker: ListMarker): number {
    const text = this.text(start);
    const spaces = runLength(text, marker.end, SPACE);
    // An empty item, or one opening with indented code, is left to markdown-it.
    if (marker.empty || spaces > 4) return NOT_SIMPLE;
    const contentIndent = marker.end + spaces;
    if (this.startsOtherBlock(text, contentIndent)) return NOT_SIMPLE;
    let line = start;
    for (;;) {
      line = this.itemParagraph(line, contentIndent);
      if (line === NOT_SIMPLE) return NOT_SIMPLE;
      if (line < this.lineCount && !this.isBlank(line)) return line;
      while (line < this.lineCount && this.isBlank(line)) line++;
      if (line >= this.lineCount) return line;
      const indent = this.indent(line);
      if (indent < contentIndent) return line;
      // A second paragraph of the item; any other block in it is left to markdown-it.
      if (indent - contentIndent >= 4 || this.startsOtherBlock(this.text(line), indent)) return NOT_SIMPLE;
    }
  }

  /**
   * A paragraph inside a list item whose text starts at column `contentIndent`: the line that ends it
   * (blank, or one that starts a block out of the item), or NOT_SIMPLE for a block inside the item.
   */
  private itemParagraph(start: number, contentIndent: number): number {
    let next = start + 1;
    for (; next < this.lineCount && !this.isBlank(next); next++) {
      const indent = this.indent(next);
      if (indent - contentIndent > 3) continue;
      const text = this.text(next);
      const inside = indent >= contentIndent;
      if (inside && setextUnderline(text, indent) !== 0) return NOT_SIMPLE;
      const ends = this.endsParagraph(text, indent, !inside);
      if (ends === null) return NOT_SIMPLE;
      // A block that starts inside the item (a nested list, say) is left to markdown-it.
      if (ends) return inside ? NOT_SIMPLE : next;
    }
    return next;
  }

  /** Whether text at `indent` starts a block other than a paragraph (for the inside of list items). */
  private startsOtherBlock(text: string, indent: number): boolean {
    const first = text.charCodeAt(indent);
    return (
      isFenceStart(text, indent) ||
      first === GREATER_THAN ||
      first === LESS_THAN ||
      isThematicBreak(text, indent) ||
      listItemMarker(text, indent) !== null ||
      atxHeading(text, indent) !== null
    );
  }

  private setextHeading(marker: number, content: string, start: number, end: number): void {
    const level = marker === EQUALS ? 1 : 2;
    this.heading(level, content, start, end, marker === DASH ? '-' : '=');
  }

  private heading(level: number, text: string, start: number, end: number, markup = '#'): void {
    this.out.push(...headingBlocks({ level, text, markup, start, end }, this.bodyStartLine));
  }

  private content(type: string, start: number, end: number): void {
    this.out.push({ kind: 'content', type, start, end, line: this.fileLine(start) });
  }

  private fileLine(line: number): number {
    return this.bodyStartLine + line + 1;
  }

  private text(line: number): string {
    return this.lines[line] ?? '';
  }

  /** Leading spaces (the body has no tabs). */
  private indent(line: number): number {
    const text = this.text(line);
    let at = 0;
    while (text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  private isBlank(line: number): boolean {
    return this.indent(line) === this.text(line).length;
  }
}

function runLength(text: string, from: number, code: number): number {
  let at = from;
  while (text.charCodeAt(at) === code) at++;
  return at - from;
}

function isBlankFrom(text: string, from: number): boolean {
  for (let at = from; at < text.length; at++) if (text.charCodeAt(at) !== SPACE) return false;
  return true;
}

/** Three or more backticks or tildes; a backtick fence's info string has no backtick. */
function isFenceStart(text: string, indent: number): boolean {
  const marker = text.charCodeAt(indent);
  if (marker !== BACKTICK && marker !== TILDE) return false;
  const run = runLength(text, indent, marker);
  if (run < 3) return false;
  return marker !== BACKTICK || !text.includes('`', indent + run);
}

/** Three or more of one of `*`, `-`, `_`, with only spaces between and after. */
function isThematicBreak(text: string, indent: number): boolean {
  const marker = text.charCodeAt(indent);
  if (marker !== ASTERISK && marker !== DASH && marker !== UNDERSCORE) return false;
  let count = 0;
  for (let at = indent; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === marker) count++;
    else if (code !== SPACE) return false;
  }
  return count >= 3;
}

interface ListMarker {
  ordered: boolean;
  /** The bullet, or the `.` or `)` after the number: another one ends the list. */
  delimiter: string;
  /** The ordered list's number, or null for a bullet. */
  start: number | null;
  /** The column just past the marker. */
  end: number;
  /** Nothing but spaces after the marker. */
  empty: boolean;
}

/** A list item's marker at `indent`: a bullet, or 1 to 9 digits and `.` or `)`, then a space or the line's end. */
function listItemMarker(text: string, indent: number): ListMarker | null {
  const ordered = /^(\d{1,9})([.)])(?= |$)/.exec(text.slice(indent, indent + 11));
  let marker: Omit<ListMarker, 'empty'>;
  if (ordered) {
    const [whole, digits = '', delimiter = ''] = ordered;
    marker = { ordered: true, delimiter, start: Number(digits), end: indent + whole.length };
  } else {
    const first = text.charCodeAt(indent);
    if (first !== ASTERISK && first !== DASH && first !== PLUS) return null;
    if (indent + 1 < text.length && text.charCodeAt(indent + 1) !== SPACE) return null;
    marker = { ordered: false, delimiter: text.charAt(indent), start: null, end: indent + 1 };
  }
  return { ...marker, empty: isBlankFrom(text, marker.end) };
}

function htmlKind(fromFirstCharacter: string): HtmlKind | undefined {
  return HTML_KINDS.find((kind) => kind.opens.test(fromFirstCharacter));
}

/** `#` to `######` then a space or the line's end; the text without its closing `#`s. */
function atxHeading(text: string, indent: number): { level: number; content: string } | null {
  const level = runLength(text, indent, HASH);
  if (level < 1 || level > 6) return null;
  let start = indent + level;
  if (start < text.length && text.charCodeAt(start) !== SPACE) return null;
  let end = text.length;
  while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
  let closing = end;
  while (closing > start && text.charCodeAt(closing - 1) === HASH) closing--;
  if (closing < end && (closing === start || text.charCodeAt(closing - 1) === SPACE)) end = closing;
  if (start > end) start = end;
  return { level, content: text.slice(start, end).trim() };
}

/** `=` or `-` (one or more, then only spaces): the marker's code, or 0 when the line is not one. */
function setextUnderline(text: string, indent: number): number {
  const marker = text.charCodeAt(indent);
  if (marker !== EQUALS && marker !== DASH) return 0;
  return isBlankFrom(text, indent + runLength(text, indent, marker)) ? marker : 0;
}
