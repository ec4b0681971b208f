// Discord ending the gateway connection for good, in words an operator can act on. discord.js
// 14 neither resumes nor re-identifies after these close codes: it emits ShardDisconnect with the
// code (and a bare ShardError such as "Authentication failed"), then stays silent. Before ready,
// login() rejects with that bare error; after ready, nothing rejects and the process idles.
import { DiscordjsError, DiscordjsErrorCodes, GatewayCloseCodes } from 'discord.js';

/** The bot cannot go on: Discord will not take it back until the operator changes something. */
export class DiscordRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscordRefusedError';
  }
}

const PORTAL = 'the Developer Portal (https://discord.com/developers/applications)';
const RESET_TOKEN = `Open ${PORTAL}, Bot → Reset Token, and put the new token in DISCORD_TOKEN.`;

/** Per close code, the cause and the fix; `asked` names the intents the bot asks for. */
const ADVICE = new Map<number, (asked: string) => string>([
  [
    GatewayCloseCodes.AuthenticationFailed,
    () =>
      `Discord rejected the bot token (gateway close 4004, authentication failed): the token is wrong ` +
      `or was reset. ${RESET_TOKEN}`,
  ],
  [
    GatewayCloseCodes.InvalidIntents,
    (asked) =>
      `Discord rejected the gateway intents as invalid (gateway close 4013). ${asked} Privileged ones ` +
      `must also be enabled in ${PORTAL}, Bot → Privileged Gateway Intents; an invalid value is a bug ` +
      `in this bot version.`,
  ],
  [
    GatewayCloseCodes.DisallowedIntents,
    (asked) =>
      `Discord refused a privileged gateway intent (gateway close 4014, disallowed intents). ${asked} ` +
      `Enable the privileged ones among them for this application in ${PORTAL}, Bot → Privileged ` +
      `Gateway Intents (a bot in 100 or more servers must be verified for them).`,
  ],
  [
    GatewayCloseCodes.InvalidShard,
    () =>
      `Discord rejected the shard the bot connected as (gateway close 4010, invalid shard); check the ` +
      `shard settings, or update discord.js.`,
  ],
  [
    GatewayCloseCodes.ShardingRequired,
    () =>
      `Discord requires sharding for this bot (gateway close 4011): it is in too many servers for one ` +
      `gateway connection, and this bot runs one.`,
  ],
  [
    GatewayCloseCodes.InvalidAPIVersion,
    () =>
      `Discord rejected the gateway API version the bot uses (gateway close 4012, invalid API version); ` +
      `update discord.js.`,
  ],
]);

/** Why Discord closed the gateway with `code` and what to do; `intents` are the ones the bot asks for. */
export function explainFatalClose(code: number, intents: readonly string[]): DiscordRefusedError {
  const asked = `The bot asks for these gateway intents: ${intents.join(', ') || 'none'}.`;
  const advice = ADVICE.get(code);
  // discord.js only gives up on the codes above; should a later version add one, still say so.
  return new DiscordRefusedError(
    advice?.(asked) ?? `Discord closed the gateway with code ${code} and discord.js will not reconnect.`,
  );
}

/**
 * A bad token usually fails before the gateway: GET /gateway/bot answers 401 and login() rejects
 * with discord.js's "An invalid token was provided." The same advice then, else undefined.
 */
export function explainLoginFailure(error: unknown): DiscordRefusedError | undefined {
  if (!(error instanceof DiscordjsError) || error.code !== DiscordjsErrorCodes.TokenInvalid) return undefined;
  return new DiscordRefusedError(
    `Discord rejected the bot token (HTTP 401 on login): the token is wrong or was reset. ${RESET_TOKEN}`,
  );
}
