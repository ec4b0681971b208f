// Bench-only prototype of a change to src/bot.ts, loaded into the bot process with `--import`: the
// client's user and member caches kept to 200 entries (the bot's own kept always). discord.js caches
// the User and GuildMember of every member who clicks and never lets them go (about 0.6 KB each,
// measured), so without a limit the heap grows with every new member for the life of the process.
// The bot reads neither cache: every handler uses the interaction's own user and member.
import { Options } from 'discord.js';

const createDefault = Options.createDefault.bind(Options);
Options.createDefault = () => ({
  ...createDefault(),
  makeCache: Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
    UserManager: { maxSize: 200, keepOverLimit: (user) => user.id === user.client.user.id },
  }),
});
