// /quizstats end to end: members answer a server's own lecture and a quiz event, then a moderator
// reads the results, the chart (decoded) and the CSV the bot attached.
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { MEMBER_PERMISSIONS, user } from '../../src/sandbox/fake-discord.js';
import type { FakeFile } from '../../src/sandbox/fake-discord.js';
import { TestClock } from '../support/test-clock.js';
import { CHART_WIDTH, chartHeight } from '../../src/stats/discord/chart.js';
import { channelHas, moderator, option, quizevent } from './events-support.js';
import { Harness, alice, bob, carol, embedText } from './harness.js';
import type { CommandOption } from './harness.js';
import { addLectures, runCommand, upload } from './library-support.js';
import type { CommandRun } from './library-support.js';

const dave = user('500000000000000004', 'dave');

let h: Harness;
afterEach(async () => {
  await h.close();
});

function quizstats(options: CommandOption[], run = {}): Promise<CommandRun> {
  return runCommand(h, 'quizstats', null, options, run);
}

function decode(file: FakeFile | undefined): PNG {
  if (!file) throw new Error('no chart attached');
  return PNG.sync.read(file.bytes);
}

function csvLines(file: FakeFile | undefined): string[] {
  if (!file) throw new Error('no CSV attached');
  const text = file.bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).trimEnd().split('\r\n');
}

describe('/quizstats lecture', () => {
  it('GIVEN several members answered THEN hardest first, the most chosen wrong answer with its feedback, a chart and a CSV', async () => {
    h = await Harness.start();
    await addLectures(h, [{ name: 'css-colors.md', bytes: upload('css-colors.md') }]);
    const [q1, q2, q3] = await h.startQuiz('css-colors', 3);
    // Q1 (B right): 2 of 4. Q2 (B right): 2 of 3. Q3 (B right): 1 of 3. alice's second click counts nothing.
    for (const [message, who, label] of [
      [q1, alice, 'B'],
      [q1, bob, 'A'],
      [q1, carol, 'A'],
      [q1, dave, 'B'],
      [q2, alice, 'B'],
      [q2, bob, 'B'],
      [q2, carol, 'A'],
      [q3, alice, 'C'],
      [q3, bob, 'C'],
      [q3, carol, 'B'],
      [q3, alice, 'B'],
    ] as const) {
      await h.click(message!, label, who);
    }

    const stats = await quizstats(
      [option('lecture', 'css-colors'), { type: 5, name: 'export', value: true }],
      {
        who: moderator,
      },
    );
    expect(stats.embed.title).toBe('Results: Colours in CSS');
    const text = stats.embed.description ?? '';
    expect(text).toContain(
      '**4** members · **10** first answers, 50% right · **1.3** right per member on average',
    );
    const order = [
      '**Q3** · 33% right first time (1 of 3)',
      '**Q1** · 50% right first time (2 of 4)',
      '**Q2** · 67% right first time (2 of 3)',
    ];
    expect(order.map((line) => text.indexOf(line))).toEqual(
      [...order.map((line) => text.indexOf(line))].sort((a, b) => a - b),
    );
    expect(order.every((line) => text.includes(line))).toBe(true);
    expect(text).toContain(
      'Most chosen wrong answer: **C** "Six" · 67% (2)\n↳ *Six digits, but two digits per channel.*',
    );
    expect(text).toContain(
      'Most chosen wrong answer: **A** `#ff0000` · 50% (2)\n↳ *The first pair is red: this one is pure red.*',
    );
    expect(stats.embed).toMatchObject({ image: { url: 'attachment://quizstats.png' } });

    const chart = decode(stats.files.find((file) => file.name === 'quizstats.png'));
    expect([chart.width, chart.height]).toEqual([CHART_WIDTH, chartHeight(3)]);
    // Opaque, light corners: the chart brings its own background, so it reads on dark and light themes.
    for (const offset of [0, (chart.width * chart.height - 1) * 4]) {
      expect([...chart.data.subarray(offset, offset + 4)]).toEqual([255, 255, 255, 255]);
    }

    const lines = csvLines(stats.files.find((file) => file.name === 'quizstats-css-colors.csv'));
    expect(lines[0]).toBe('member id,member name,lecture,question,first choice,right,answered at');
    expect(lines).toHaveLength(11);
    const alices = lines.filter((line) => line.startsWith(`${alice.id},alice,`));
    expect(alices.map((line) => line.split(',').slice(2, 6).join(','))).toEqual([
      'css-colors,1,B,yes',
      'css-colors,2,B,yes',
      'css-colors,3,C,no',
    ]);
    expect(alices.every((line) => /,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(line))).toBe(true);
    expect(lines.filter((line) => line.startsWith(`${dave.id},dave,css-colors,1,B,yes,`))).toHaveLength(1);
  });

  it('GIVEN nobody answered THEN says so; GIVEN a member without Manage Server THEN refused', async () => {
    h = await Harness.start();
    const empty = await quizstats([option('lecture', 'shell-basics')]);
    expect(empty.text).toContain('Nobody has answered yet');
    expect(empty.files).toEqual([]);
    const refused = await quizstats([option('lecture', 'shell-basics')], {
      who: bob,
      permissions: MEMBER_PERMISSIONS,
    });
    expect(refused.text).toContain('Only members with the Manage Server permission can see quiz results.');
    const neither = await quizstats([]);
    expect(neither.text).toContain('Pick either a lecture or an event');
  });
});

describe('/quizstats event', () => {
  it('GIVEN a quiz event run THEN its own results and standings, and the lecture counts the same first answers', async () => {
    const clock = new TestClock();
    h = await Harness.start({}, { clock, events: { introSeconds: 0, revealSeconds: 1 } });
    const started = await quizevent(h, 'start', [option('lecture', 'shell-basics'), option('seconds', 5)]);
    const eventId = /Event id ([0-9A-Z]{6})/.exec(started.text)?.[1] ?? '';
    const first = (await channelHas(h, 2))[1]!;
    await clock.advance(1_000);
    await h.click(first, 'B', alice);
    await clock.advance(1_000);
    await h.click(first, 'A', bob);
    await h.click(first, 'B', carol);
    await clock.advance(3_000);
    await clock.advance(1_000);
    const second = (await channelHas(h, 3))[2]!;
    await h.click(second, 'A', alice);
    await clock.advance(1_000);
    await h.click(second, 'B', bob);
    await clock.advance(5_000);
    await clock.advance(1_000);
    await channelHas(h, 4);

    const stats = await quizstats([
      option('event', eventId.toLowerCase()),
      { type: 5, name: 'export', value: true },
    ]);
    expect(stats.embed.title).toBe(`Results: Getting Around in the Shell, event ${eventId}`);
    const text = embedText({ interactionId: '', token: '', type: 4, at: 0, data: { embeds: [stats.embed] } });
    expect(text).toContain('**3** members · **5** first answers, 60% right');
    expect(text).toContain('**Q2** · 50% right first time (1 of 2)');
    expect(text).toContain('**Q1** · 67% right first time (2 of 3)');
    expect(text).toContain(
      'Most chosen wrong answer: **A** `ls` · 33% (1)\n↳ *That one lists the files; it does not say where you are.*',
    );
    // alice: 2 right; carol 1 right (answered once, the second question costs its full 5 s); bob 0.
    expect(text).toMatch(
      new RegExp(
        `Standings: 1\\. <@${alice.id}> · 2 of 2 right · [\\d.]+ s\\n2\\. <@${carol.id}> · 1 of 1 right · [\\d.]+ s\\n3\\. <@${bob.id}> · 0 of 2 right`,
      ),
    );
    const lines = csvLines(stats.files.find((file) => file.name === `quizstats-${eventId}-run1.csv`));
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 6).join(','))).toEqual(
      expect.arrayContaining([
        'alice,shell-basics,1,B,yes',
        'alice,shell-basics,2,A,yes',
        'bob,shell-basics,2,B,no',
      ]),
    );
    expect(lines).toHaveLength(6);

    const lecture = await quizstats([option('lecture', 'shell-basics')]);
    expect(lecture.embed.description).toContain('**3** members · **5** first answers, 60% right');
  });
});
