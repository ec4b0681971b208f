// Prints a message view as text (embeds with a bar, buttons in brackets) for the docs' example renderings.
import { ButtonStyle } from 'discord.js';
import type { APIEmbed } from 'discord.js';
import type { MessageView } from '../../src/discord/embeds.js';

export function show(title: string, view: MessageView): void {
  const lines: string[] = [`### ${title}`, '', '```text'];
  for (const embed of view.embeds) lines.push(...embedLines(embed));
  for (const row of view.components) {
    lines.push(
      row.components
        .map((button) => {
          const mark = button.style === ButtonStyle.Success ? ' ✔' : '';
          const state = button.disabled ? ' (disabled)' : '';
          return `[ ${button.label}${mark}${state} ]`;
        })
        .join(' '),
    );
  }
  lines.push('```', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function embedLines(embed: APIEmbed): string[] {
  const out: string[] = [];
  if (embed.title) out.push(`▌ ${embed.title}`);
  if (embed.description) out.push(...embed.description.split('\n').map((line) => `▌ ${line}`));
  for (const field of embed.fields ?? []) {
    out.push(`▌ ${field.name}`, ...field.value.split('\n').map((line) => `▌   ${line}`));
  }
  if (embed.footer) out.push(`▌ — ${embed.footer.text}`);
  return out;
}
