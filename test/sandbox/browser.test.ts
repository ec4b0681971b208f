// The sandbox in a real headless Chromium, driven as a person would: the message box, autocomplete,
// answer buttons as two members, and a quiz event run to its standings by a moderator. The bot and
// the local Discord run in this process on a clock the test moves, so the event takes no real time.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { startSandbox } from '../../src/sandbox/start.js';
import type { RunningSandbox } from '../../src/sandbox/start.js';
import { SANDBOX_GUILD } from '../../src/sandbox/world.js';
import { TestClock } from '../support/test-clock.js';

const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const CONTENT = fileURLToPath(new URL('../fixtures/sandbox', import.meta.url));
/** Screenshots land here, beside the test output (git ignores the folder). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

if (!HAVE_CHROMIUM && process.env.CI !== 'true')
  console.error(`sandbox browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe('in CI', () => {
  it.runIf(process.env.CI === 'true')('GIVEN CI THEN Chromium is installed for the browser tests', () => {
    expect(HAVE_CHROMIUM, `no Chromium at ${CHROMIUM}: .ci/run installs it`).toBe(true);
  });
});

// A person's pace through a real browser: each test gets a minute on a loaded machine.
describe.skipIf(!HAVE_CHROMIUM)('the sandbox page in Chromium', { timeout: 60_000 }, () => {
  let dir: string;
  let clock: TestClock;
  let running: RunningSandbox;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quizbot-sandbox-'));
    clock = new TestClock();
    const config: Config = {
      discordToken: '',
      clientId: '',
      guildId: null,
      storeUrl: `sqlite://${join(dir, 'sandbox.sqlite')}`,
      contentDir: CONTENT,
      apiUrl: null,
      logLevel: 'silent',
      sandbox: { port: 0 },
    };
    [running, browser] = await Promise.all([
      startSandbox(config, {
        logger: pino({ level: 'silent' }),
        clock,
        events: { introSeconds: 0, revealSeconds: 1 },
        random: () => 0,
      }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    // The clock waits for the bot's event runner (the one running now) after each timer.
    clock.idle = () => running.sandbox.runningBot.events.runner.whenIdle();
    await mkdir(SCREENSHOTS, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await running?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    // Generous: waiting costs nothing when the page is on time, and CI shares two cores with other tests.
    page.setDefaultTimeout(20_000);
    await page.goto(running.server.url);
    await expect.poll(() => page.getByRole('heading', { name: /Sandbox Study Group/ }).count()).toBe(1);
    return page;
  }

  /** Types a slash command and picks it from the list, as a member would. */
  async function startCommand(page: Page, command: string): Promise<void> {
    const box = page.getByRole('combobox', { name: /^Message #/ });
    await box.click();
    await page.keyboard.type(command);
    await page
      .getByRole('option', { name: new RegExp(`^${command}\\b`) })
      .first()
      .waitFor();
    await page.keyboard.press('Enter');
  }

  function message(page: Page, text: string | RegExp) {
    return page.getByRole('article').filter({ hasText: text });
  }

  it('GIVEN /quiz start from autocomplete THEN the summary and questions show, and each member sees only their own private reply', async () => {
    const page = await openPage();
    await startCommand(page, '/quiz start');

    // The lecture option has the bot's own autocomplete: type, then pick from its suggestions.
    const lecture = page.getByRole('combobox', { name: /lecture/ });
    await expect.poll(() => focusedId(page)).toBe(await lecture.getAttribute('id'));
    await page.keyboard.type('shell');
    await page.getByRole('option', { name: 'Getting Around in the Shell' }).click();
    await expect.poll(() => lecture.inputValue()).toBe('Getting Around in the Shell');
    await page.keyboard.press('Enter');

    const summary = message(page, 'The shell is a program');
    await summary.waitFor();
    expect(await summary.getByRole('heading', { name: 'Getting Around in the Shell' }).count()).toBe(1);
    expect(await summary.textContent()).toContain('ada used /quiz start');
    // Markdown: `cd` is a code span, not backticks.
    expect(await summary.locator('code', { hasText: 'pwd' }).count()).toBeGreaterThan(0);

    const question = message(page, 'Which command prints the folder you are currently in?');
    await question.waitFor();
    await message(page, 'Which snippet lists the files').waitFor();

    // ada clicks a wrong answer: her private reply, marked as such.
    await question.getByRole('button', { name: /^A\. ls/ }).click();
    const adaReply = message(page, 'Not quite.');
    await adaReply.waitFor();
    expect(await adaReply.textContent()).toContain('Only you can see this');

    // ben does not see ada's reply; his right answer gets his own.
    await page.getByRole('radio', { name: /ben/ }).check();
    await expect.poll(() => message(page, 'Not quite.').count()).toBe(0);
    await question.getByRole('button', { name: /^B\. pwd/ }).click();
    const benReply = message(page, 'Correct!');
    await benReply.waitFor();
    expect(await benReply.textContent()).toContain('Only you can see this');
    expect(await benReply.textContent()).toContain('+1 point');
    expect(await message(page, 'Not quite.').count()).toBe(0);

    // Back as ada: her reply is there again, ben's is not.
    await page.getByRole('radio', { name: /ada/ }).check();
    await message(page, 'Not quite.').waitFor();
    expect(await message(page, 'Correct!').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox-quiz.png') });
  });

  it('GIVEN a moderator starts a one-question quiz event THEN members answer as the clock runs and the standings are posted', async () => {
    const page = await openPage();
    await page.getByRole('button', { name: '# general' }).click();
    // Members are not offered /quizevent, as Discord hides it from them.
    await startCommandText(page, '/quizevent');
    expect(await page.getByRole('option', { name: /^\/quizevent start/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: /^Message #/ }).fill('');

    await page.getByRole('radio', { name: /morgan/ }).check();
    await startCommand(page, '/quizevent schedule');
    // Required options come first (Discord orders them so): the start, then the lecture.
    await page.getByRole('textbox', { name: /^start/ }).fill('in 1m');
    await page.getByRole('combobox', { name: /^lecture/ }).click();
    await page.keyboard.type('markup');
    await page.getByRole('option', { name: 'Markup <b>Check</b>' }).click();
    await page.getByRole('spinbutton', { name: /seconds/ }).fill('5');
    await page.getByRole('spinbutton', { name: /questions/ }).fill('1');
    await page.getByRole('spinbutton', { name: /reminder/ }).fill('0');
    await page.getByRole('button', { name: 'Send' }).click();
    await message(page, 'Quiz event scheduled').waitFor();

    // The Discord scheduled event shows in the panel; at its start the question is posted.
    const panel = page.getByRole('region', { name: /Scheduled events/ });
    await expect.poll(() => panel.textContent()).toContain('Quiz: Markup');
    expect(await panel.textContent()).toContain('Scheduled');
    await clock.advance(60_000);
    const question = message(page, 'Which keyword declares a constant');
    await question.waitFor();
    await expect.poll(() => panel.textContent()).toContain('Live now');

    // Lecture text is shown as text: its HTML neither renders nor runs.
    await message(page, 'Text with').waitFor();
    expect(await page.locator('.messages img').count()).toBe(0);
    expect(await page.evaluate("'__injected' in window")).toBe(false);
    expect(await message(page, 'Text with').textContent()).toContain('<img src="x" onerror=');
    expect(await message(page, 'Text with').locator('strong', { hasText: 'bold' }).count()).toBe(1);
    expect(
      await message(page, 'Text with').locator('figure', { hasText: 'const answer = 42;' }).textContent(),
    ).toContain('js');

    for (const [name, answer] of [
      ['ada', /^B\. const/],
      ['chloe', /^A\. var/],
    ] as const) {
      await page.getByRole('radio', { name: new RegExp(name) }).check();
      await question.getByRole('button', { name: answer }).click();
      await message(page, 'Answer locked in').waitFor();
    }

    // Time's up (5 s on the test's clock), the reveal, then the standings after the pause.
    await clock.advance(5_000);
    await expect.poll(() => question.getByRole('button', { name: /^A\. var/ }).isDisabled()).toBe(true);
    await clock.advance(1_000);
    const standings = message(page, 'Standings: Markup');
    await standings.waitFor();
    const board = await standings.textContent();
    expect(board).toMatch(/@ada.*1\/1 right/s);
    expect(board).toMatch(/@chloe.*0\/1 right/s);
    await expect
      .poll(() => page.getByRole('region', { name: /Scheduled events/ }).textContent())
      .toContain('Ended');
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox-event.png') });
  });

  it('GIVEN the bot posts a CSV and an image THEN the CSV is previewed as a table, the image shown, both offered for download', async () => {
    const page = await openPage();
    const channel = await running.client.channels.fetch(SANDBOX_GUILD.channels[1]?.id ?? '');
    if (!channel?.isSendable()) throw new Error('#general is not a text channel');
    await channel.send({
      content: 'Your **export**',
      files: [
        { attachment: Buffer.from('member,points\nada,3\n"ben, jr",2\n'), name: 'scores.csv' },
        { attachment: Buffer.from(ONE_PIXEL_PNG, 'base64'), name: 'chart.png' },
      ],
    });
    await page.getByRole('button', { name: '# general' }).click();
    const posted = message(page, 'Your export');
    await posted.getByRole('table', { name: /scores\.csv/ }).waitFor();
    expect(await posted.getByRole('cell', { name: 'ben, jr' }).count()).toBe(1);
    expect(await posted.getByRole('img', { name: 'chart.png' }).count()).toBe(1);
    expect(await posted.getByRole('link', { name: 'Download scores.csv' }).getAttribute('href')).toMatch(
      /^\/attachments\/\d+\/scores\.csv$/,
    );
  });

  it('GIVEN the keyboard only THEN a command is picked, its options filled and sent, focus is visible, and Reset clears the channel', async () => {
    const page = await openPage();
    await page.getByRole('combobox', { name: /^Message #/ }).focus();
    await page.keyboard.type('/quiz li');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const search = page.getByRole('textbox', { name: /search/ });
    await expect.poll(() => focusedId(page)).toBe(await search.getAttribute('id'));
    await page.keyboard.type('git');
    await page.keyboard.press('Enter');
    // /quiz list answers privately; nothing but a matching lecture list.
    const reply = message(page, 'used /quiz list');
    await reply.waitFor();
    expect(await reply.textContent()).toContain('Only you can see this');
    // A focused button shows its focus ring (outline), as a keyboard user needs.
    await page.getByRole('button', { name: 'Reset the sandbox…' }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Reset the sandbox…');

    // Reset, from the keyboard: the dialog asks first; then the channel starts over.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Reset the sandbox?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Reset everything' }).click();
    await page.getByText('This is the start of #quiz').waitFor();
    // The status may still say "Resetting…" for a moment after the channel empties.
    await page.getByRole('status').filter({ hasText: 'The sandbox was reset.' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('The sandbox was reset.');
    expect(await message(page, 'used /quiz').count()).toBe(0);
  });
});

async function startCommandText(page: Page, text: string): Promise<void> {
  const box = page.getByRole('combobox', { name: /^Message #/ });
  await box.click();
  await page.keyboard.type(text);
  await page.getByRole('listbox', { name: 'Commands' }).waitFor();
}

/** The id of the element with the keyboard focus (the test has no DOM types: the page evaluates it). */
function focusedId(page: Page): Promise<unknown> {
  return page.evaluate('document.activeElement && document.activeElement.id');
}
