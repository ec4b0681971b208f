import { UserError } from './respond.js';

/** Scores are per server, so quiz actions need one. */
export function requireGuildId(interaction: { guildId: string | null }): string {
  if (!interaction.guildId) throw new UserError('Quizzes run in a server, not in direct messages.');
  return interaction.guildId;
}
