// How uploads behave at scale: a server's lectures are read and parsed only when that server needs
// them, kept under a memory budget (evicted and re-read without the members noticing), and an
// upload is checked in a worker thread, so clicks are answered while a large file is parsed, and
// one that takes too long is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { LibraryStore } from '../../src/library/store.js';
import { Harness, alice, bob, embedText, waitUntil } from './harness.js';
import type { CallbackView } from './harness.js';
import {
  FIRST_GUILD,
  SECOND_GUILD,
  addLectures,
  lectureOption,
  runCommand,
  upload,
} from './library-support.js';

const CSS = upload('css-colors.md');
/** What one cached server with css-colors costs: its source and the entry's overhead (1 KB). */
const ONE_SERVER = CSS.length + 1024;

let h: Harness;
afterEach(async () => {
  await h.close();
});

function renamed(id: string, title: string): string {
  return CSS.toString('utf8').replace('id: css-colors', `id: ${id}`).replace('Colours in CSS', title);
}

/** A valid lecture of about 880 KB: 99,000 list items, the shape markdown-it is slowest on. */
function largeLecture(): string {
  const items = Array.from({ length: 99_000 }, (_, index) => `- i${index}`).join('\n');
  return CSS.toString('utf8').replace('# --description--\n', `# --description--\n\n${items}\n`);
}

async function quizIn(guild: typeof SECOND_GUILD, lecture: string): Promise<CallbackView> {
  const sent = h.fake.sendCommand({
    name: 'quiz',
    options: [{ type: 1, name: 'start', options: [lectureOption(lecture)] }],
    user: alice,
    guildId: guild.id,
    channelId: guild.channels[0]!.id,
  });
  return h.callback(sent.id);
}

describe('server lectures on demand', () => {
  it('GIVEN many servers with uploads THEN none is parsed at start, a command loads its own server only, and the budget evicts and re-reads transparently', async () => {
    h = await Harness.start(
      { lectureCacheBytes: ONE_SERVER + 1024 },
      { fake: { guilds: [FIRST_GUILD, SECOND_GUILD] } },
    );
    // Forty servers' uploads in the store, as a big deployment has them after a restart.
    const library = new LibraryStore(h.bot!.store.table, h.bot!.store.keyv);
    const by = { id: alice.id, name: 'alice' };
    for (let index = 0; index < 40; index += 1) {
      const guildId = `90000000000000${String(index).padStart(4, '0')}`;
      const source = renamed(`css-${index}`, `Colours ${index}`);
      await library.save(guildId, [{ id: `css-${index}`, source }], {
        lectures: [
          {
            id: `css-${index}`,
            title: `Colours ${index}`,
            fileName: 'c.md',
            bytes: source.length,
            addedBy: by,
            addedAt: 0,
          },
        ],
      });
    }
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    await addLectures(h, [{ name: 'css-second.md', bytes: renamed('css-second', 'Second colours') }], {
      guildId: SECOND_GUILD.id,
    });
    await h.stopBot();
    await h.startBot();
    const lectures = h.bot!.lectures;
    expect(lectures.loads).toBe(0);
    expect(lectures.loadedGuilds).toEqual([]);

    const [first] = await h.startQuiz('css-colors', 3);
    expect(lectures.loadedGuilds).toEqual([FIRST_GUILD.id]);
    expect(lectures.loads).toBe(1);

    // The second server's lecture pushes the first out of the budget...
    expect(embedText(await quizIn(SECOND_GUILD, 'css-second'))).toContain('Second colours');
    expect(lectures.loadedGuilds).toEqual([SECOND_GUILD.id]);
    expect(lectures.usedBytes).toBeLessThanOrEqual(ONE_SERVER + 1024);
    // ...and a member there still gets their quiz: the first server's lectures are read again.
    expect(embedText(await h.click(first!, 'B', bob))).toContain('Correct');
    expect(lectures.loadedGuilds).toEqual([FIRST_GUILD.id]);
    expect(lectures.loads).toBe(3);
  });

  it('GIVEN a server in memory THEN an upload and a removal change what it sees at once', async () => {
    h = await Harness.start();
    await h.startQuiz('shell-basics', 2);
    const loads = h.bot!.lectures.loads;
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    expect(embedText((await h.quiz('list', [])).callback)).toContain('Colours in CSS');
    await runCommand(h, 'lecture', 'remove', [lectureOption('css-colors')]);
    expect(embedText((await h.quiz('list', [])).callback)).not.toContain('Colours in CSS');
    // Served from the cached catalog, updated in place: the store was not read again.
    expect(h.bot!.lectures.loads).toBe(loads);
  });
});

describe('uploads checked in a worker thread', () => {
  it('GIVEN a large upload being parsed THEN a click is answered before the upload reply, and the upload is saved', async () => {
    h = await Harness.start();
    const [question] = await h.startQuiz('shell-basics', 2);
    const large = largeLecture();
    const adding = addLectures(h, [{ name: 'large.md', bytes: large }]);
    await waitUntil(() =>
      h.logs.some((line) => line.msg === 'checking an uploaded lecture in the parser thread'),
    );
    let added = false;
    void adding.then(() => (added = true));
    const graded = embedText(await h.click(question!, 'B', bob));
    expect(graded).toContain('Correct');
    expect(added).toBe(false);
    const reply = await adding;
    expect(reply.text).toContain('✅ **large.md**: saved: "Colours in CSS" (`css-colors`), 3 questions');
  });

  it('GIVEN an upload that takes longer than LECTURE_PARSE_TIMEOUT THEN a private refusal and nothing stored', async () => {
    h = await Harness.start({ lectureParseBudgetMs: 1 });
    const reply = await addLectures(h, [{ name: 'large.md', bytes: largeLecture() }]);
    expect((reply.message.flags ?? 0) & 64).toBe(64);
    expect(reply.text).toContain(
      '❌ **large.md**: not saved: checking it took longer than 1 ms: split it into smaller lecture files',
    );
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain(
      "This server's own lectures: 0 of 500",
    );
    expect(h.logs.some((line) => line.msg === 'an uploaded lecture took too long to check')).toBe(true);
  });
});
