import { describe, expect, it } from 'vitest';
import { explainFatalClose } from '../../src/discord/gateway-close.js';

describe('explainFatalClose', () => {
  it('GIVEN refused intents THEN every intent the bot asks for is named', () => {
    const { message } = explainFatalClose(4014, ['Guilds', 'GuildMembers']);
    expect(message).toContain('Guilds, GuildMembers');
    expect(message).toContain('Privileged Gateway Intents');
  });

  it('GIVEN a close code discord.js gave up on that has no advice yet THEN the code is still named', () => {
    expect(explainFatalClose(4099, ['Guilds']).message).toBe(
      'Discord closed the gateway with code 4099 and discord.js will not reconnect.',
    );
  });
});
