// ServerLectures: a server's uploads loaded on its first lookup, kept in an LRU under a byte
// budget, never loaded for another shard's server, and updated in place by uploads and removals.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lecture } from '../../src/content/types.js';
import { ServerLectures } from '../../src/library/lectures.js';
import type { GuildUploads } from '../../src/library/lectures.js';
import { Catalog } from '../../src/quiz/catalog.js';
import { makeLecture } from '../quiz/make-lecture.js';

const bundled = new Catalog([makeLecture({ id: 'shared', title: 'Shared' })]);

/** Each guild `g<N>` has one lecture `own-<N>` of 10,000 bytes; every load is recorded. */
function setup(options: { budgetBytes?: number; owns?: (guildId: string) => boolean } = {}) {
  const loaded: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const lectures = new ServerLectures(bundled, {
    budgetBytes: options.budgetBytes ?? 1_000_000,
    ...(options.owns ? { owns: options.owns } : {}),
    load: async (guildId): Promise<GuildUploads> => {
      loaded.push(guildId);
      await gate;
      const lecture: Lecture = makeLecture({ id: `own-${guildId.slice(1)}`, title: `Own ${guildId}` });
      return { lectures: [lecture], bytes: 10_000 };
    },
  });
  return {
    lectures,
    loaded,
    hold: (): (() => void) => {
      let release = (): void => undefined;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}

describe('ServerLectures', () => {
  it('GIVEN lookups THEN each server is loaded once, on its first lookup, and sees its own and the bundled lectures', async () => {
    const { lectures, loaded } = setup();
    expect(loaded).toEqual([]);
    const [a, again] = await Promise.all([lectures.forGuild('g1'), lectures.forGuild('g1')]);
    expect(a.lectures.map((lecture) => lecture.id)).toEqual(['own-1', 'shared']);
    expect(again).toBe(a);
    expect((await lectures.forGuild('g2')).get('own-1')).toBeUndefined();
    expect(loaded).toEqual(['g1', 'g2']);
  });

  it('GIVEN a budget for two servers THEN the least recently used is dropped and re-read when needed', async () => {
    const { lectures, loaded } = setup({ budgetBytes: 2 * (10_000 + 1024) });
    await lectures.forGuild('g1');
    await lectures.forGuild('g2');
    await lectures.forGuild('g1');
    await lectures.forGuild('g3');
    expect(lectures.loadedGuilds).toEqual(['g1', 'g3']);
    expect((await lectures.forGuild('g2')).get('own-2')?.title).toBe('Own g2');
    expect(loaded).toEqual(['g1', 'g2', 'g3', 'g2']);
    expect(lectures.usedBytes).toBe(2 * (10_000 + 1024));
  });

  it("GIVEN shards THEN another shard's server is never loaded", async () => {
    const { lectures, loaded } = setup({ owns: (guildId) => guildId !== 'g2' });
    expect(await lectures.forGuild('g2')).toBe(bundled);
    await lectures.forGuild('g1');
    expect(loaded).toEqual(['g1']);
  });

  it('GIVEN an upload while the server loads THEN the load reads again rather than keep the old list', async () => {
    const { lectures, loaded, hold } = setup();
    const release = hold();
    const pending = lectures.forGuild('g1');
    await Promise.resolve();
    await Promise.resolve();
    lectures.put('g1', [makeLecture({ id: 'fresh', title: 'Fresh' })], 20_000);
    release();
    await pending;
    expect(loaded).toEqual(['g1', 'g1']);
  });

  it('GIVEN a cached server THEN put and remove change its catalog at once, without a load', async () => {
    const { lectures, loaded } = setup();
    await lectures.forGuild('g1');
    lectures.put('g1', [makeLecture({ id: 'fresh', title: 'Fresh' })], 20_000);
    expect((await lectures.forGuild('g1')).get('fresh')?.title).toBe('Fresh');
    expect((await lectures.ownCatalog('g1')).lectures.map((lecture) => lecture.id).sort()).toEqual([
      'fresh',
      'own-1',
    ]);
    lectures.remove('g1', 'own-1', 10_000);
    expect((await lectures.forGuild('g1')).get('own-1')).toBeUndefined();
    expect(lectures.usedBytes).toBe(10_000 + 1024);
    expect(loaded).toEqual(['g1']);
  });

  describe('autocomplete while a server loads for the first time', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("GIVEN a first load slower than the wait THEN autocomplete answers from the bundled lectures, and from the server's own once loaded", async () => {
      // The wait bounds real time towards Discord's 3 s, so it is a real timer: faked here.
      vi.useFakeTimers();
      const { lectures, hold } = setup();
      const release = hold();
      const first = lectures.forAutocomplete('g1');
      let answered: Catalog | undefined;
      void first.then((catalog) => (answered = catalog));
      await vi.advanceTimersByTimeAsync(1_499);
      expect(answered).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(answered?.lectures.map((lecture) => lecture.id)).toEqual(['shared']);
      release();
      expect((await lectures.forAutocomplete('g1')).lectures.map((lecture) => lecture.id)).toEqual([
        'own-1',
        'shared',
      ]);
    });

    it("GIVEN a first load faster than the wait THEN autocomplete answers with the server's own lectures", async () => {
      vi.useFakeTimers();
      const { lectures } = setup();
      const catalog = await lectures.forAutocomplete('g2');
      expect(catalog.lectures.map((lecture) => lecture.id)).toEqual(['own-2', 'shared']);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
