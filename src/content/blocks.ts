// Reads a lecture body as CommonMark and reduces it to the top-level blocks that carry structure.
// Only top-level headings and thematic breaks are structure: a `--marker--` or `---` inside a fenced
// code block, an HTML block, a list or a quote stays content, exactly as a markdown renderer shows it.
import type MarkdownIt from 'markdown-it';
import type { StateBlock, Token } from 'markdown-it';
import { headingBlocks, isOnlyComment } from './lecture-blocks.js';
import { requireParserLibrary } from './parser-libraries.js';
import { readSimpleBlocks } from './simple-blocks.js';

export type Block =
  | { kind: 'marker'; name: string; depth: number; line: number }
  | { kind: 'break'; line: number }
  /** Any other top-level block; `start`/`end` are 0-based body lines, end exclusive. */
  | { kind: 'content'; type: string; start: number; end: number; line: number };

export interface BodyBlocks {
  blocks: Block[];
  /** Where lists and quotes nest deeper than `levels` (1-based file line): that markdown was not read. */
  tooDeep: { line: number; levels: number } | null;
}

/**
 * How deep lists and quotes may nest, in markdown-it levels: a list takes two (the list and its item),
 * a quote one. Every level is a few recursive calls: with Node's default stack (about 1 MB) markdown-it
 * overflows at about 1,700 nested quotes or 1,600 nested lists, so 1,000 levels leaves room for callers.
 */
export const MAX_NESTING_LEVELS = 1000;
/** For a caller already so deep in its own calls that MAX_NESTING_LEVELS overflows the stack. */
const FALLBACK_NESTING_LEVELS = 100;

type ParseEnv = {
  /** 0-based body line where nesting first went past the limit. */
  tooDeepAt: number | null;
};

type BlockParser = (body: string) => { tokens: Token[]; tooDeepAt: number | null };

/**
 * markdown-it, loaded on the first parse rather than at start-up: a start whose files all come from the
 * content cache never needs it.
 */
function markdownIt(): typeof MarkdownIt {
  // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- require() is untyped; this is the package the types describe
  return requireParserLibrary('markdown-it') as typeof MarkdownIt;
}

/**
 * markdown-it's block state, making its tokens with plain assignments. markdown-it 15's Token sets
 * each of its 13 fields through a defineProperty helper (how its build compiles class fields): a fifth
 * of the whole corpus load, and much of its garbage. The token made here has the same fields, set by
 * plain assignment, and Token's prototype (its attr* methods, instanceof); everything else is
 * markdown-it's own.
 */
function plainTokenState(markdown: typeof MarkdownIt): typeof MarkdownIt.StateBlock {
  class PlainToken {
    map: [number, number] | null = null;
    level = 0;
    children: Token[] | null = null;
    content = '';
    markup = '';
    info = '';
    block = false;
    hidden = false;
    attrs: Token['attrs'] = null;
    meta: Record<string, unknown> | null = null;

    constructor(
      public type: string,
      public tag: string,
      public nesting: Token['nesting'],
    ) {}
  }
  Object.setPrototypeOf(PlainToken.prototype, markdown.Token.prototype);

  return class PlainTokenState extends markdown.StateBlock {
    override push(type: string, tag: string, nesting: Token['nesting']): Token {
      // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- a PlainToken has every Token field and Token's prototype
      const token = new PlainToken(type, tag, nesting) as unknown as Token;
      // The rest as markdown-it's own StateBlock.push does it.
      token.block = true;
      if (nesting < 0) this.level--;
      token.level = this.level;
      if (nesting > 0) this.level++;
      this.tokens.push(token);
      return token;
    }
  };
}

function blockParser(markdownItClass: typeof MarkdownIt, levels: number): BlockParser {
  // markdown-it's own limit (maxNesting: 20 in the commonmark preset) silently drops the rest of the
  // document, so it is lifted and this first rule stops at `levels` instead, noting the line.
  const markdown = new markdownItClass('commonmark', { maxNesting: Number.POSITIVE_INFINITY });
  markdown.block.State = plainTokenState(markdownItClass);
  // Block rules only: inline parsing is not needed to find structure and would double the cost.
  markdown.core.ruler.disable(['inline']);
  markdown.block.ruler.before('table', 'too_deep', (state: StateBlock, startLine: number) => {
    if (state.level <= levels) return false;
    // eslint-disable-next-line @typescript-eslint/consistent-type-assertions -- markdown-it types env as any; it is the ParseEnv readBlocks passes
    (state.env as ParseEnv).tooDeepAt ??= startLine;
    // Skip only this line: the markdown after the deep part is still read at its own depth.
    state.line = startLine + 1;
    return true;
  });
  return (body) => {
    const env: ParseEnv = { tooDeepAt: null };
    return { tokens: markdown.parse(body, env), tooDeepAt: env.tooDeepAt };
  };
}

let parsers: { deep: BlockParser; shallow: BlockParser } | undefined;

function blockParsers(): { deep: BlockParser; shallow: BlockParser } {
  if (parsers === undefined) {
    const markdownItClass = markdownIt();
    parsers = {
      deep: blockParser(markdownItClass, MAX_NESTING_LEVELS),
      shallow: blockParser(markdownItClass, FALLBACK_NESTING_LEVELS),
    };
  }
  return parsers;
}

function tokenize(body: string): { tokens: Token[]; tooDeepAt: number | null; levels: number } {
  const { deep, shallow } = blockParsers();
  try {
    return { ...deep(body), levels: MAX_NESTING_LEVELS };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // The stack ran out first: a shallower limit still reads the file or names the line that is too deep.
    return { ...shallow(body), levels: FALLBACK_NESTING_LEVELS };
  }
}

/**
 * Lines in the returned blocks are 1-based file lines (`bodyStartLine` is where the body starts,
 * 0-based); `lines` is the body split at '\n'. Most bodies are read by the fast path
 * (simple-blocks.ts); the others, and any it steps aside from, by markdown-it.
 */
export function readBlocks(
  body: string,
  bodyStartLine: number,
  lines: readonly string[] = body.split('\n'),
): BodyBlocks {
  const simple = readSimpleBlocks(body, lines, bodyStartLine);
  return simple === null ? readBlocksWithMarkdownIt(body, bodyStartLine) : { blocks: simple, tooDeep: null };
}

/** readBlocks through markdown-it alone (the fast path's oracle in the tests). */
export function readBlocksWithMarkdownIt(body: string, bodyStartLine: number): BodyBlocks {
  const { tokens, tooDeepAt, levels } = tokenize(body);
  const blocks: Block[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (!token || token.level !== 0 || !token.map) continue;
    const [start, end] = token.map;
    const line = bodyStartLine + start + 1;
    if (token.type === 'heading_open') {
      const text = tokens[index + 1]?.content.trim() ?? '';
      const level = Number(token.tag.slice(1));
      blocks.push(...headingBlocks({ level, text, markup: token.markup, start, end }, bodyStartLine));
      // Its inline and closing tokens hold nothing more.
      index += 2;
      continue;
    }
    if (token.type === 'hr') {
      blocks.push({ kind: 'break', line });
      continue;
    }
    if (token.type === 'html_block' && isOnlyComment(token.content)) continue;
    blocks.push({ kind: 'content', type: token.type, start, end, line });
  }
  const tooDeep = tooDeepAt === null ? null : { line: bodyStartLine + tooDeepAt + 1, levels };
  return { blocks, tooDeep };
}
