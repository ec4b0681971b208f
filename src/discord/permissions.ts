// Commands Discord hides from members by default are still checked when run: a server can change
// who sees a command (Server Settings → Integrations), and autocomplete reaches the bot regardless.
import { PermissionFlagsBits } from 'discord.js';
import type { PermissionsBitField } from 'discord.js';
import { UserError } from './respond.js';

type WithPermissions = { memberPermissions: Readonly<PermissionsBitField> | null };

export function canManageServer(interaction: WithPermissions): boolean {
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/** A UserError naming the permission unless the member has Manage Server. */
export function requireManageServer(interaction: WithPermissions, what: string): void {
  if (!canManageServer(interaction)) {
    throw new UserError(`Only members with the Manage Server permission can ${what}.`);
  }
}
