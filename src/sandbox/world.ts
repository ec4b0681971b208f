// The sandbox's server on the local Discord: one guild with two text channels, a few members and a
// moderator, so a quiz event can be played by a small crowd from one browser.
import { MEMBER_PERMISSIONS, user } from './fake-discord.js';
import type { FakeGuildSpec, FakeUser } from './fake-discord.js';

export interface SandboxMember {
  user: FakeUser;
  moderator: boolean;
  /** the member's permissions in the guild, a bitfield string */
  permissions: string;
}

/** Manage Guild, Manage Messages, Manage Events and Create Events on top of a member's. */
const MODERATOR_PERMISSIONS = String(
  BigInt(MEMBER_PERMISSIONS) | (1n << 5n) | (1n << 13n) | (1n << 33n) | (1n << 44n),
);

export const SANDBOX_BOT = user('110000000000000001', 'QuizBot');

export const SANDBOX_GUILD: FakeGuildSpec = {
  id: '210000000000000001',
  name: 'Sandbox Study Group',
  channels: [
    { id: '310000000000000001', name: 'quiz' },
    { id: '310000000000000002', name: 'general' },
  ],
};

const member = (id: string, name: string): SandboxMember => ({
  user: user(id, name),
  moderator: false,
  permissions: MEMBER_PERMISSIONS,
});

export const SANDBOX_MEMBERS: readonly SandboxMember[] = [
  member('510000000000000001', 'ada'),
  member('510000000000000002', 'ben'),
  member('510000000000000003', 'chloe'),
  member('510000000000000004', 'dev'),
  { user: user('510000000000000009', 'morgan'), moderator: true, permissions: MODERATOR_PERMISSIONS },
];

export function findMember(id: string): SandboxMember | undefined {
  return SANDBOX_MEMBERS.find((m) => m.user.id === id);
}
