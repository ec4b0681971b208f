// Discord's markdown, read into a small tree the page draws with DOM nodes (never as HTML), so text
// from lectures and members cannot inject anything. Pure: no DOM, no Node; tested in
// test/sandbox/markdown.test.ts. Follows what Discord's client shows: bold, italics, underline,
// strikethrough, spoilers, code spans, fenced code with its language, headings, subtext, quotes,
// lists, masked and bare links, and the <t:…>, <@…>, <#…> and <@&…> tags.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong' | 'em' | 'underline' | 'strike' | 'spoiler'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'timestamp'; seconds: number; style: TimestampStyle }
  | { type: 'mention'; kind: 'user' | 'channel' | 'role'; id: string }
  | { type: 'emoji'; name: string }
  | { type: 'br' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: 1 | 2 | 3; children: Inline[] }
  | { type: 'subtext'; children: Inline[] }
  | { type: 'codeblock'; language: string | null; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] };

export type TimestampStyle = 't' | 'T' | 'd' | 'D' | 'f' | 'F' | 'R';

const TIMESTAMP_STYLES = new Set<string>(['t', 'T', 'd', 'D', 'f', 'F', 'R']);

/** Nesting deeper than this is drawn as plain text (Discord's own parser gives up too). */
const MAX_DEPTH = 12;

export function parseMarkdown(source: string): Block[] {
  return parseBlocks(source.replace(/\r\n?/g, '\n'), 0);
}

function parseBlocks(source: string, depth: number): Block[] {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0)
      blocks.push({ type: 'paragraph', children: parseInline(paragraph.join('\n'), depth) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^```([\w+#.-]*)\s*$/.exec(line);
    if (fence) {
      // The closing fence may end the last line of code, as Discord allows.
      const end = lines.findIndex((l, j) => j > i && /```\s*$/.test(l));
      if (end > i) {
        flush();
        const last = (lines[end] ?? '').replace(/```\s*$/, '');
        const body = [...lines.slice(i + 1, end), ...(last === '' ? [] : [last])];
        blocks.push({ type: 'codeblock', language: fence[1] || null, text: body.join('\n') });
        i = end;
        continue;
      }
    }
    const heading = /^(#{1,3}) +(.+)$/.exec(line);
    if (heading && depth < MAX_DEPTH) {
      flush();
      const level = heading[1]?.length === 1 ? 1 : heading[1]?.length === 2 ? 2 : 3;
      blocks.push({ type: 'heading', level, children: parseInline(heading[2] ?? '', depth + 1) });
      continue;
    }
    const subtext = /^-# +(.+)$/.exec(line);
    if (subtext && depth < MAX_DEPTH) {
      flush();
      blocks.push({ type: 'subtext', children: parseInline(subtext[1] ?? '', depth + 1) });
      continue;
    }
    if (/^>>> /.test(line) && depth < MAX_DEPTH) {
      flush();
      const rest = [line.slice(4), ...lines.slice(i + 1)].join('\n');
      blocks.push({ type: 'quote', children: parseBlocks(rest, depth + 1) });
      break;
    }
    if (/^> ?/.test(line) && line.startsWith('>') && depth < MAX_DEPTH) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && /^>( |$)/.test(lines[i] ?? '')) {
        quoted.push((lines[i] ?? '').replace(/^> ?/, ''));
        i++;
      }
      i--;
      if (quoted.length > 0) {
        blocks.push({ type: 'quote', children: parseBlocks(quoted.join('\n'), depth + 1) });
        continue;
      }
    }
    const item = listItem(line);
    if (item && depth < MAX_DEPTH) {
      flush();
      const consumed = parseList(lines, i, depth);
      blocks.push(consumed.block);
      i = consumed.next - 1;
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return blocks;
}

function listItem(line: string): { indent: number; ordered: boolean; number: number; text: string } | null {
  const m = /^( *)([-*]|(\d{1,9})\.) +(.*)$/.exec(line);
  if (!m) return null;
  return {
    indent: m[1]?.length ?? 0,
    ordered: m[3] !== undefined,
    number: Number(m[3] ?? 1),
    text: m[4] ?? '',
  };
}

/** A list from line `start`: items at its indent, deeper lines nested inside the item before. */
function parseList(lines: string[], start: number, depth: number): { block: Block; next: number } {
  const first = listItem(lines[start] ?? '');
  const indent = first?.indent ?? 0;
  const ordered = first?.ordered ?? false;
  const items: string[][] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const item = listItem(line);
    if (item && item.indent === indent && item.ordered === ordered) items.push([item.text]);
    else if (line.startsWith(' '.repeat(indent + 1)) && line.trim() !== '' && items.length > 0)
      items[items.length - 1]?.push(line.slice(indent + 2));
    else break;
  }
  return {
    block: {
      type: 'list',
      ordered,
      start: first?.number ?? 1,
      items: items.map((item) => parseBlocks(item.join('\n'), depth + 1)),
    },
    next: i,
  };
}

// ------------------------------------------------------------------ inline

interface Rule {
  match: RegExp;
  build: (m: RegExpExecArray, depth: number) => Inline | null;
}

const wrap =
  (type: 'strong' | 'em' | 'underline' | 'strike' | 'spoiler') =>
  (m: RegExpExecArray, depth: number): Inline => ({ type, children: parseInline(m[1] ?? '', depth + 1) });

// Tried in order at each position, as Discord's parser does; the first that matches wins.
const RULES: Rule[] = [
  { match: /^\\([^\w\s])/, build: (m) => ({ type: 'text', text: m[1] ?? '' }) },
  {
    match: /^(`+)([\s\S]*?[^`])\1(?!`)/,
    build: (m) => ({
      type: 'code',
      text: (m[2] ?? '').trim() === '' ? (m[2] ?? '') : (m[2] ?? '').replace(/^ (.*) $/s, '$1'),
    }),
  },
  {
    match: /^\[([^\]\n]+)\]\(\s*<?(https?:\/\/[^\s)>]+)>?\s*\)/,
    build: (m, depth) => {
      const href = safeUrl(m[2] ?? '');
      return href ? { type: 'link', href, children: parseInline(m[1] ?? '', depth + 1) } : null;
    },
  },
  {
    match: /^<(https?:\/\/[^\s>]+)>/,
    build: (m) => {
      const href = safeUrl(m[1] ?? '');
      return href ? { type: 'link', href, children: [{ type: 'text', text: m[1] ?? '' }] } : null;
    },
  },
  {
    match: /^https?:\/\/[^\s<]+[^\s<.,:;"')\]!?]/,
    build: (m) => {
      const href = safeUrl(m[0]);
      return href ? { type: 'link', href, children: [{ type: 'text', text: m[0] }] } : null;
    },
  },
  {
    match: /^<t:(-?\d{1,13})(?::([a-zA-Z]))?>/,
    build: (m) => {
      const style = m[2] ?? 'f';
      if (!TIMESTAMP_STYLES.has(style)) return null;
      return { type: 'timestamp', seconds: Number(m[1]), style: toStyle(style) };
    },
  },
  { match: /^<@!?(\d{17,20})>/, build: (m) => ({ type: 'mention', kind: 'user', id: m[1] ?? '' }) },
  { match: /^<@&(\d{17,20})>/, build: (m) => ({ type: 'mention', kind: 'role', id: m[1] ?? '' }) },
  { match: /^<#(\d{17,20})>/, build: (m) => ({ type: 'mention', kind: 'channel', id: m[1] ?? '' }) },
  { match: /^<a?:(\w{2,32}):\d{17,20}>/, build: (m) => ({ type: 'emoji', name: m[1] ?? '' }) },
  {
    match: /^\*\*\*([\s\S]+?)\*\*\*(?!\*)/,
    build: (m, depth) => ({
      type: 'strong',
      children: [{ type: 'em', children: parseInline(m[1] ?? '', depth + 1) }],
    }),
  },
  { match: /^\*\*([\s\S]+?)\*\*(?!\*)/, build: wrap('strong') },
  { match: /^__([\s\S]+?)__(?!_)/, build: wrap('underline') },
  { match: /^\*(?=\S)([\s\S]*?\S)\*(?!\*)/, build: wrap('em') },
  { match: /^_([\s\S]+?)_(?![\w_])/, build: wrap('em') },
  { match: /^~~([\s\S]+?)~~/, build: wrap('strike') },
  { match: /^\|\|([\s\S]+?)\|\|/, build: wrap('spoiler') },
];

/** Characters where a rule may start; plain text runs up to the next one. */
const SPECIAL = /[\\`[<h*_~|\n]/;

export function parseInline(source: string, depth = 0): Inline[] {
  if (depth > MAX_DEPTH) return [{ type: 'text', text: source }];
  const out: Inline[] = [];
  const text = (t: string): void => {
    const last = out[out.length - 1];
    if (last?.type === 'text') last.text += t;
    else out.push({ type: 'text', text: t });
  };
  let rest = source;
  while (rest.length > 0) {
    if (rest[0] === '\n') {
      out.push({ type: 'br' });
      rest = rest.slice(1);
      continue;
    }
    let matched = false;
    for (const rule of RULES) {
      const m = rule.match.exec(rest);
      if (!m) continue;
      const node = rule.build(m, depth);
      if (node === null) continue;
      if (node.type === 'text') text(node.text);
      else out.push(node);
      rest = rest.slice(m[0].length);
      matched = true;
      break;
    }
    if (matched) continue;
    // No rule here: this character is text, and so is everything up to the next special one.
    const next = rest.slice(1).search(SPECIAL);
    const end = next === -1 ? rest.length : next + 1;
    text(rest.slice(0, end));
    rest = rest.slice(end);
  }
  return out;
}

function toStyle(style: string): TimestampStyle {
  switch (style) {
    case 't':
    case 'T':
    case 'd':
    case 'D':
    case 'F':
    case 'R':
      return style;
    default:
      return 'f';
  }
}

/** Only http(s) links become links; anything else (javascript:, data:) stays text. */
export function safeUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
