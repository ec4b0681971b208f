import { UserError } from './respond.js';

/** Scores are per server, so quiz actions need one. */
export function requireGuildId(interaction: { guildId: string | null }): string {
  if (!interaction.guildId) throw new UserError('Quizzes run in a server, not in direct messages.');
  return interaction.guildId;
}

/** The name a server shows for the member: server nickname, else display name, else username. */
export function memberName(interaction: {
  member: unknown;
  user: { username: string; globalName: string | null };
}): string {
  const member = interaction.member;
  if (typeof member === 'object' && member !== null) {
    if ('displayName' in member && typeof member.displayName === 'string') return member.displayName;
    if ('nick' in member && typeof member.nick === 'string' && member.nick !== '') return member.nick;
  }
  return interaction.user.globalName ?? interaction.user.username;
}
