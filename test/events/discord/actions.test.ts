// The Discord side of a finished event, without Discord: a repeat gets its own Discord scheduled
// event.
import type { Client } from 'discord.js';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DiscordEventActions } from '../../../src/events/discord/actions.js';
import type {
  DiscordScheduledEvents,
  ScheduledEventDetails,
} from '../../../src/events/discord/scheduled-events.js';
import { Catalog } from '../../../src/quiz/catalog.js';
import { bundledOnly } from '../../../src/quiz/lectures.js';
import { newQuizEvent } from '../../../src/events/model.js';
import type { QuizEvent } from '../../../src/events/model.js';
import { eventInput } from '../fixtures.js';

const GUILD = '200000000000000001';

class RecordingScheduledEvents {
  readonly created: ScheduledEventDetails[] = [];
  readonly statuses: [string, number][] = [];
  readonly removed: string[] = [];
  constructor(private readonly allowed: boolean) {}
  canManage(): boolean {
    return this.allowed;
  }
  create(details: ScheduledEventDetails): Promise<string> {
    this.created.push(details);
    return Promise.resolve(`discord-${this.created.length}`);
  }
  remove(_guildId: string, id: string): Promise<void> {
    this.removed.push(id);
    return Promise.resolve();
  }
  setStatus(_guildId: string, id: string, status: number): Promise<void> {
    this.statuses.push([id, status]);
    return Promise.resolve();
  }
}

function actionsWith(scheduled: RecordingScheduledEvents, updates: [string, string | null][] = []) {
  return new DiscordEventActions({
    client: { channels: { cache: new Map() } } as unknown as Client,
    lectures: bundledOnly(new Catalog([])),
    scheduled: scheduled as unknown as DiscordScheduledEvents,
    log: pino({ level: 'silent' }),
    now: () => 0,
    setDiscordEventId: (id, discordId) => {
      updates.push([id, discordId]);
      return Promise.resolve();
    },
  });
}

describe('the Discord scheduled event of a repeat', () => {
  it('GIVEN a weekly event ends THEN its Discord event is completed and the next run gets a new one', async () => {
    const scheduled = new RecordingScheduledEvents(true);
    const updates: [string, string | null][] = [];
    const ended: QuizEvent = {
      ...newQuizEvent(
        eventInput({ guildId: GUILD, repeat: 'weekly', discordEventId: 'discord-old' }),
        'K7Q2MX',
        0,
      ),
      status: 'finished',
    };
    ended.progress = { ...ended.progress, phase: 'standings' };
    const next: QuizEvent = {
      ...ended,
      status: 'scheduled',
      startAt: ended.startAt + 7 * 86_400_000,
      occurrence: 2,
    };
    await actionsWith(scheduled, updates).occurrenceEnded(ended, next);
    expect(scheduled.statuses).toEqual([['discord-old', 3]]);
    expect(scheduled.created.map((details) => details.startAt)).toEqual([next.startAt]);
    expect(updates).toEqual([['K7Q2MX', 'discord-1']]);
  });

  it('GIVEN a missed run and a bot that may not manage events THEN the old Discord event is removed and none is made', async () => {
    const scheduled = new RecordingScheduledEvents(false);
    const updates: [string, string | null][] = [];
    const ended: QuizEvent = {
      ...newQuizEvent(
        eventInput({ guildId: GUILD, repeat: 'daily', discordEventId: 'discord-old' }),
        'K7Q2MX',
        0,
      ),
      status: 'finished',
    };
    await actionsWith(scheduled, updates).occurrenceEnded(ended, {
      ...ended,
      status: 'scheduled',
      occurrence: 2,
    });
    expect(scheduled.removed).toEqual(['discord-old']);
    expect(scheduled.created).toEqual([]);
    expect(updates).toEqual([['K7Q2MX', null]]);
  });
});
