// /lecture end to end: moderators upload, list, replace, remove and download a server's own
// lectures through the fake Discord (which serves the attachments and keeps the files the bot sends).
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PERMISSIONS, EPHEMERAL, MEMBER_PERMISSIONS } from '../../src/sandbox/fake-discord.js';
import { fillDisk } from '../support/faults.js';
import { TestClock } from '../support/test-clock.js';
import { option, quizevent } from './events-support.js';
import { Harness, alice, asCallbackView, bob, buttonId, embedText, embedsOf } from './harness.js';
import {
  FIRST_GUILD,
  SECOND_GUILD,
  addLectures,
  autocompleteLecture,
  lectureOption,
  runCommand,
  upload,
} from './library-support.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function start(options: Parameters<typeof Harness.start>[1] = {}, limits?: object): Promise<Harness> {
  h = await Harness.start(limits === undefined ? {} : { lectureLimits: { ...DEFAULTS, ...limits } }, {
    fake: { guilds: [FIRST_GUILD, SECOND_GUILD] },
    ...options,
  });
  return h;
}

const DEFAULTS = { maxFileBytes: 1024 * 1024, maxLectures: 500, maxTotalBytes: 20 * 1024 * 1024 };
const CSS = upload('css-colors.md');

/** css-colors.md with its id, title and first question changed. */
function variant(
  id: string,
  title = 'Colours in CSS',
  firstQuestion = 'Which hex code is pure green?',
): string {
  return CSS.toString('utf8')
    .replace('id: css-colors', `id: ${id}`)
    .replace('title: Colours in CSS', `title: ${title}`)
    .replace('Which hex code is pure green?', firstQuestion);
}

describe('/lecture add', () => {
  it('GIVEN an invalid file THEN every problem is listed as name.md:line: message in a code block, and nothing is stored', async () => {
    await start();
    const reply = await addLectures(h, [{ name: 'broken.md', bytes: upload('broken.md') }]);
    expect((reply.message.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.embed.title).toBe('Nothing added');
    expect(reply.text).toContain('❌ **broken.md**: not saved, 3 problems (below)');
    expect(reply.text).toContain(
      [
        '```',
        'broken.md:1: front matter needs a title',
        'broken.md:11: question 1 needs at least two answers, found 1',
        'broken.md:33: question 2: --video-solution-- is 5 but the question has 2 answers',
        '```',
      ].join('\n'),
    );
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain(
      "This server's own lectures: 0 of 500",
    );
    const quiz = await h.quiz('start', [lectureOption('broken-upload')]);
    expect(embedText(quiz.callback)).toContain('No lecture matches');
  });

  it('GIVEN a valid file THEN a preview, the lecture plays in this server, and the other server does not see it', async () => {
    await start();
    const reply = await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    expect(reply.embed.title).toBe('Lectures added');
    expect(reply.text).toContain(
      '✅ **css-colors.md**: saved: "Colours in CSS" (`css-colors`), 3 questions, 4 answers with feedback',
    );

    expect(await autocompleteLecture(h, 'quiz', 'start', 'colo')).toEqual(['css-colors']);
    const [first] = await h.startQuiz('css-colors', 3);
    const graded = embedText(await h.click(first!, 'B', bob));
    expect(graded).toContain('Correct');
    const wrong = embedText(await h.click(first!, 'A', alice));
    expect(wrong).toContain('The first pair is red: this one is pure red.');
    expect(embedText((await h.quiz('list', [])).callback)).toContain('Colours in CSS');

    expect(await autocompleteLecture(h, 'quiz', 'start', 'colo', { guildId: SECOND_GUILD.id })).toEqual([]);
    const elsewhere = await h.fake.waitForCallback(
      h.fake.sendCommand({
        name: 'quiz',
        options: [{ type: 1, name: 'start', options: [lectureOption('css-colors')] }],
        user: alice,
        guildId: SECOND_GUILD.id,
      }).id,
    );
    expect(embedText(elsewhere)).toContain('No lecture matches "css-colors"');

    const event = await quizevent(h, 'start', [option('lecture', 'css-colors')]);
    expect(event.text).toContain('Quiz event starting now');
    expect(event.text).toContain('Colours in CSS');
  });

  it('GIVEN the id of one of its lectures THEN refused without replace; with replace:True old buttons of changed questions say so', async () => {
    await start();
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    const [first, second] = await h.startQuiz('css-colors', 3);

    const again = await addLectures(h, [
      {
        name: 'css-v2.md',
        bytes: variant('css-colors', 'Colours, second edition', 'Which hex code is green?'),
      },
    ]);
    expect(again.text).toContain(
      'already has a lecture with the id `css-colors` ("Colours in CSS", added by alice)',
    );
    expect(again.text).toContain('replace:True');

    const replaced = await addLectures(
      h,
      [
        {
          name: 'css-v2.md',
          bytes: variant('css-colors', 'Colours, second edition', 'Which hex code is green?'),
        },
      ],
      { replace: true },
    );
    expect(replaced.text).toContain('✅ **css-v2.md**: replaced: "Colours, second edition"');
    expect(embedText(await h.click(first!, 'B'))).toContain('This question has changed since it was posted');
    expect(embedText(await h.click(second!, 'B'))).toContain('Correct');
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain('Colours, second edition');
  });

  it("GIVEN a bundled lecture's id THEN refused with the reason; GIVEN two files THEN one line each", async () => {
    await start();
    const reply = await addLectures(h, [
      { name: 'mine.md', bytes: variant('shell-basics') },
      { name: 'css-colors.md', bytes: CSS },
    ]);
    expect(reply.embed.title).toBe('Some lectures added');
    const lines = (reply.embed.description ?? '').split('\n');
    expect(lines[0]).toContain(
      "❌ **mine.md**: not saved: the id `shell-basics` belongs to one of the bot's own lectures",
    );
    expect(lines[1]).toContain('✅ **css-colors.md**: saved');
  });

  it('GIVEN files that are not lectures THEN a clear line each, nothing stored, and the bot keeps serving', async () => {
    await start();
    const bomb = ['---', 'id: bomb', 'title: Bomb', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefg')
      bomb.push(
        `${name}: &${name} [${Array(10)
          .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    bomb.push('---', '# --questions--');
    const long = `${CSS.toString('utf8')}${'\n'.repeat(100_000)}`;
    const reply = await addLectures(h, [
      { name: 'notes.txt', bytes: 'plain text' },
      { name: 'image.md', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]) },
      { name: 'latin1.md', bytes: Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]) },
      { name: 'bomb.md', bytes: bomb.join('\n') },
      { name: 'long.md', bytes: long },
    ]);
    const text = reply.text;
    expect(text).toContain('❌ **notes.txt**: not saved: not a .md file');
    expect(text).toContain('❌ **image.md**: not saved: a binary file (it contains NUL bytes)');
    expect(text).toContain('❌ **latin1.md**: not saved: not UTF-8 text');
    expect(text).toContain('bomb.md:5: front matter expands to more than 10,000 values through YAML aliases');
    const lines = long.split('\n').length.toLocaleString('en');
    expect(text).toContain(
      `❌ **long.md**: not saved: ${lines} lines: a lecture file may have at most 100,000`,
    );
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain(
      "This server's own lectures: 0 of 500",
    );
    expect(await h.startQuiz('shell-basics', 2)).toHaveLength(2);
  });

  it('GIVEN a file over the size limit, a failed download or one that hangs THEN each says why and nothing is kept', async () => {
    const clock = new TestClock();
    await start({ clock }, { maxFileBytes: 4096 });
    const big = `${CSS.toString('utf8')}\n${'x'.repeat(5000)}\n`;
    const sent = addLectures(h, [
      { name: 'big-declared.md', bytes: big },
      // Discord says it is small, the download finds otherwise: reading stops at the cap.
      { name: 'big-actual.md', bytes: big, size: 100, chunked: true },
      { name: 'gone.md', bytes: CSS, status: 404 },
      { name: 'slow.md', bytes: CSS, hang: true },
    ]);
    await h.fake.waitForRequest((request) => request.path.endsWith('/slow.md'));
    await clock.advance(10_000);
    const text = (await sent).text;
    expect(text).toContain(
      '❌ **big-declared.md**: not saved: too large: 5.8 KB, and a lecture file may be at most 4 KB',
    );
    expect(text).toContain('❌ **big-actual.md**: not saved: too large: more than 4 KB');
    expect(text).toContain('❌ **gone.md**: not saved: the download failed (HTTP 404)');
    expect(text).toContain('❌ **slow.md**: not saved: the download took longer than 10 s');
    expect(h.fake.requests.some((request) => request.path.endsWith('/big-declared.md'))).toBe(false);
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain(
      "This server's own lectures: 0 of 500",
    );
  });

  it('GIVEN a full disk THEN a short apology, nothing half-saved; once freed the same file is saved', async () => {
    await start();
    const disk = fillDisk(h.bot!.store);
    const failed = await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    expect(failed.text).toContain(
      'I could not save the lectures (a storage problem on my side), so nothing was added.',
    );
    disk.free();
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain(
      "This server's own lectures: 0 of 500",
    );
    expect(embedText((await h.quiz('start', [lectureOption('css-colors')])).callback)).toContain(
      'No lecture matches',
    );
    expect((await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }])).text).toContain(
      '✅ **css-colors.md**: saved',
    );
  });

  it('GIVEN the server at its limits THEN a new lecture is refused and says which limit', async () => {
    await start({}, { maxLectures: 1, maxTotalBytes: CSS.length + 100 });
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    const count = await addLectures(h, [{ name: 'two.md', bytes: variant('css-two') }]);
    expect(count.text).toContain('this server already has 1 lectures, the most allowed');
    const bigger = await addLectures(
      h,
      [{ name: 'css-colors.md', bytes: `${CSS.toString('utf8')}\n${'y'.repeat(200)}\n` }],
      { replace: true },
    );
    expect(bigger.text).toContain("this server's lectures would take");
    expect((await runCommand(h, 'lecture', 'list', [])).text).toContain("This server's own lectures: 1 of 1");
  });

  it('GIVEN a file with many problems THEN the reply shows what fits and attaches the full list as a .txt', async () => {
    await start();
    const questions = Array.from(
      { length: 120 },
      () => '## --text--\n\nWhich one?\n\n## --answers--\n\nOnly\n',
    ).join('\n');
    const reply = await addLectures(h, [
      { name: 'many.md', bytes: `---\nid: many\ntitle: Many\n---\n\n# --questions--\n\n${questions}` },
    ]);
    expect(reply.embed.description?.length).toBeLessThanOrEqual(4096);
    expect(reply.text).toContain('the full list of 240 problems is in the attached lecture-problems.txt');
    const [file] = reply.files;
    expect(file?.name).toBe('lecture-problems.txt');
    const lines = file?.bytes.toString('utf8').trim().split('\n') ?? [];
    expect(lines).toHaveLength(240);
    expect(lines.every((line) => /^many\.md:\d+: question \d+ /.test(line))).toBe(true);
  });
});

describe('/lecture list, remove, download', () => {
  it('GIVEN lectures THEN list shows who added each and marks the bundled ones', async () => {
    await start();
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }], { who: bob });
    const list = await runCommand(h, 'lecture', 'list', []);
    expect(list.text).toMatch(/📄 \*\*Colours in CSS\*\* `css-colors` · added by bob <t:\d+:R>/);
    expect(list.text).toContain('📚 **Getting Around in the Shell** `shell-basics` · bundled with the bot');
  });

  it('GIVEN more lectures than a page THEN Next turns the list in place', async () => {
    await start();
    for (const batch of [0, 5]) {
      const files = [0, 1, 2, 3, 4].map((n) => ({
        name: `css-${batch + n}.md`,
        bytes: variant(`css-${batch + n}`, `Colours ${String(batch + n).padStart(2, '0')}`),
      }));
      expect((await addLectures(h, files)).embed.title).toBe('Lectures added');
    }
    const list = await runCommand(h, 'lecture', 'list', []);
    expect(list.text).toContain("This server's own lectures: 10 of 500");
    expect(list.embed.footer?.text).toContain('Page 1 of 2');
    // A forwarded button reaches members too: it is checked again.
    expect(embedText(await h.click(list.message, 'Next ▶', bob))).toContain(
      'Only members with the Manage Server',
    );
    const sent = h.fake.clickButton({
      customId: buttonId(list.message, 'Next ▶'),
      message: list.message,
      user: alice,
      permissions: ADMIN_PERMISSIONS,
    });
    const next = asCallbackView(await h.fake.waitForCallback(sent.id));
    expect(next.type).toBe(7);
    expect(embedText(next)).toContain('📚 **Getting Around in the Shell**');
    expect(embedText(next)).not.toContain('Colours 00');
  });

  it('GIVEN a lecture THEN download gives the file back byte for byte, remove takes it away', async () => {
    await start();
    // A byte-order mark and Windows line ends: what a download must give back untouched.
    const original = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(CSS.toString('utf8').replaceAll('\n', '\r\n')),
    ]);
    await addLectures(h, [{ name: 'Colours.md', bytes: original }]);
    expect(await autocompleteLecture(h, 'lecture', 'download', '')).toEqual(['css-colors']);

    const downloaded = await runCommand(h, 'lecture', 'download', [lectureOption('css-colors')]);
    expect(downloaded.files.map((file) => file.name)).toEqual(['Colours.md']);
    expect(downloaded.files[0]?.bytes.equals(original)).toBe(true);

    const [question] = await h.startQuiz('css-colors', 3);
    const scheduled = await quizevent(h, 'schedule', [
      option('lecture', 'css-colors'),
      option('start', 'in 2h'),
    ]);
    const eventId = /Event id ([0-9A-Z]{6})/.exec(scheduled.text)?.[1] ?? 'none';
    const removed = await runCommand(h, 'lecture', 'remove', [lectureOption('css-colors')]);
    expect(removed.text).toContain('**Colours in CSS** (`css-colors`) is no longer offered in this server');
    expect(removed.text).toContain(
      `A quiz event uses it and cannot run now: \`${eventId}\`. Cancel it with /quizevent cancel`,
    );
    expect(embedText(await h.click(question!, 'B'))).toContain('This lecture is no longer available');
    expect(await autocompleteLecture(h, 'quiz', 'start', 'colo')).toEqual([]);
    const again = await runCommand(h, 'lecture', 'remove', [lectureOption('css-colors')]);
    expect(again.text).toContain('This server has no lecture `css-colors` of its own');
    const bundled = await runCommand(h, 'lecture', 'download', [lectureOption('shell-basics')]);
    expect(bundled.text).toContain("`shell-basics` is one of the bot's own lectures");
  });

  it('GIVEN a restart THEN the server keeps its lectures', async () => {
    await start();
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    await h.stopBot();
    await h.startBot();
    expect(await h.startQuiz('css-colors', 3)).toHaveLength(3);
  });

  it('GIVEN a member without Manage Server THEN every subcommand is refused and autocomplete offers nothing', async () => {
    await start();
    await addLectures(h, [{ name: 'css-colors.md', bytes: CSS }]);
    const member = { who: bob, permissions: MEMBER_PERMISSIONS };
    const add = await addLectures(h, [{ name: 'css-colors.md', bytes: variant('css-x') }], member);
    expect(add.text).toContain('Only members with the Manage Server permission can add lectures.');
    for (const [sub, options] of [
      ['list', []],
      ['remove', [lectureOption('css-colors')]],
      ['download', [lectureOption('css-colors')]],
    ] as const) {
      const run = await runCommand(h, 'lecture', sub, [...options], member);
      expect(run.text).toContain('Only members with the Manage Server permission');
    }
    expect(await autocompleteLecture(h, 'lecture', 'remove', '', member)).toEqual([]);
    expect(h.fake.requests.filter((request) => request.path.startsWith('/attachments/'))).toHaveLength(1);
    expect(embedsOf((await runCommand(h, 'lecture', 'list', [])).message)[0]?.description).toContain(
      'css-colors',
    );
  });
});
