// The real bot in a child process, for tests that kill it: configuration from the environment as
// `npm start` reads it, with a clock the parent test moves over IPC ({ advance: ms } -> { advanced }).
// Quiz event pauses come from TEST_INTRO_SECONDS / TEST_REVEAL_SECONDS.
import { startBot } from '../../src/bot.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { TestClock } from './test-clock.js';

interface Advance {
  advance: number;
  id: number;
}

const config = parseConfig(process.env);
const clock = new TestClock(Number(process.env.TEST_CLOCK_START ?? Date.now()));
const bot = await startBot(config, {
  logger: createLogger(config.logLevel),
  clock,
  events: {
    introSeconds: Number(process.env.TEST_INTRO_SECONDS ?? 0),
    revealSeconds: Number(process.env.TEST_REVEAL_SECONDS ?? 1),
  },
});
clock.idle = () => bot.events.runner.whenIdle();

process.on('message', (message: Advance) => {
  void clock.advance(message.advance).then(() => process.send?.({ advanced: message.id }));
});
process.once('SIGTERM', () => {
  void bot.stop().then(() => process.exit(0));
});
process.send?.({ ready: true });
