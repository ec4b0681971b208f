// The limit of this stack: a discord.js client with the same intents and REST option as the quiz
// bot, answering every button with a private "ok" and doing nothing else (no grading, no store).
// The click bench runs it side by side with the real bot. Env: DISCORD_TOKEN, DISCORD_API_URL.
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';

const api = process.env.DISCORD_API_URL;
const client = new Client({
  intents: [GatewayIntentBits.Guilds],
  ...(api ? { rest: { api } } : {}),
});

client.on(Events.InteractionCreate, (interaction) => {
  if (!interaction.isButton()) return;
  interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral }).catch((error: unknown) => {
    console.error('bare bot: reply failed', error);
  });
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await client.destroy();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());

await client.login(process.env.DISCORD_TOKEN ?? 'bench-token');
