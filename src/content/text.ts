// Turns the blocks under a marker back into Discord-ready markdown, as the author wrote it.
import { inlineHtmlToMarkdown, preBlockToFence } from './html-to-markdown.js';
import type { ContentBlock } from './structure.js';


export function blocksToMarkdown(blocks: ContentBlock[], bodyLines: string[]): string {
  const parts: string[] = [];
  for (const block of blocks) {
    const part = blockToMarkdown(block, bodyLines);
    if (part !== '') parts.push(part);
  }
  return parts.join('\n\n');
}

function blockToMarkdown(block: ContentBlock, bodyLines: string[]): string {
  if (block.type === 'hr') return '---';
  const raw = bodyLines
    .slice(block.start, block.end)
    .map((line) => line.trimEnd())
    .join('\n');
  if (block.type === 'fence') return stripCommonIndent(raw);
  // Discord does not render indented code blocks, so they become fences.
  if (block.type === 'code_block') return '```\n' + stripCommonIndent(raw) + '\n```';
  if (block.type === 'html_block') return preBlockToFence(raw) ?? inlineHtmlToMarkdown(raw).trim();
  return inlineHtmlToMarkdown(raw).trim();
}

/** Indented code keeps its shape but not the page's indentation. */
function stripCommonIndent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return common === 0 ? text : lines.map((line) => line.slice(common)).join('\n');
}
