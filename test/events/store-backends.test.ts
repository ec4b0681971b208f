// The event store on the bot's own store, on every backend: what a restart (or another shard's
// process) reads back is what was written, and a store from before shards keeps its events.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventClick } from '../../src/events/answers.js';
import { EventStore } from '../../src/events/store.js';
import { openStore, type QuizStore } from '../../src/store/index.js';
import { allCases } from '../store/backends.js';
import { eventInput } from './fixtures.js';

const NOW = Date.parse('2026-05-01T12:00:00Z');
const START = Date.parse('2026-05-04T18:00:00Z');

for (const backend of allCases('events')) {
  describe.skipIf(!backend.available)(`the event store on ${backend.name}`, () => {
    const opened: QuizStore[] = [];
    let open: () => Promise<{ store: QuizStore; events: EventStore }>;
    beforeAll(() => backend.setup());
    afterAll(() => backend.teardown());
    beforeEach(async () => {
      const { url, options } = await backend.fresh();
      open = async () => {
        const store = await openStore(url, { logger: { warn: vi.fn() }, ...options });
        opened.push(store);
        return { store, events: new EventStore(store.keyv, { kv: store.kv }) };
      };
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('GIVEN events created, cancelled and answered in one process THEN another process reads them all back', async () => {
      const first = await open();
      const kept = await first.events.create(eventInput({ repeat: 'weekly' }), NOW);
      const elsewhere = await first.events.create(eventInput({ guildId: 'guild-2' }), NOW);
      const dropped = await first.events.create(eventInput(), NOW);
      if (!kept.ok || !elsewhere.ok || !dropped.ok) throw new Error('not created');
      await first.events.cancel(dropped.event.id);
      await first.events.openAnswers(kept.event, 0, {
        openedAt: START,
        closesAt: START + 5_000,
        answerCount: 3,
      });
      const click: EventClick = {
        eventId: kept.event.id,
        occurrence: 1,
        questionIndex: 0,
        userId: 'alice',
        choice: 2,
        at: START + 1_000,
        guildId: 'guild-1',
        channelId: 'channel-1',
      };
      expect(await first.events.recordAnswer(click)).toEqual({ accepted: true });

      const second = await open();
      expect((await second.events.listActive()).map((event) => event.id).sort()).toEqual(
        [kept.event.id, elsewhere.event.id].sort(),
      );
      expect((await second.events.listByGuild('guild-1')).map((event) => event.id)).toEqual([kept.event.id]);
      const [sheet] = await second.events.answerSheets(kept.event.id, 1, 1);
      expect(sheet?.answers).toEqual({ alice: { choice: 2, at: START + 1_000, ms: 1_000 } });
    });

    it('GIVEN a store from before shards (one list of active events) THEN its events are still found, and the list is moved', async () => {
      const { store, events } = await open();
      const made = await events.create(eventInput(), NOW);
      if (!made.ok) throw new Error(made.error);
      // What an older version left: the id in the shared list and no per-event key.
      await store.keyv.delete(`quizevent-active:${made.event.id}`);
      await store.keyv.set('quizevent-active', [made.event.id, 'GONE01']);

      expect((await events.listActive()).map((event) => event.id)).toEqual([made.event.id]);
      expect(await store.keyv.get('quizevent-active')).toBeUndefined();
      expect((await (await open()).events.listActive()).map((event) => event.id)).toEqual([made.event.id]);
    });
  });
}
