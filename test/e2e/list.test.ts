// /quiz list pages through a content folder larger than one page, privately, with its search kept.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Harness, buttonsOf, embedText, isEphemeral } from './harness.js';

let h: Harness | undefined;
let contentDir: string;
afterEach(async () => {
  await h?.close();
  await rm(contentDir, { recursive: true, force: true });
});

function lecture(n: number): string {
  const id = `topic-${String(n).padStart(2, '0')}`;
  return `---\nid: ${id}\ntitle: Topic ${String(n).padStart(2, '0')}\n---\n\n# --description--\n\nText ${n}.\n\n# --questions--\n\n## --text--\n\nPick one.\n\n## --answers--\n\nYes\n\n---\n\nNo\n\n## --video-solution--\n\n1\n`;
}

it('GIVEN 23 lectures THEN /quiz list shows ten per page and Next turns the page in place', async () => {
  contentDir = await mkdtemp(join(tmpdir(), 'quizbot-list-'));
  for (let n = 1; n <= 23; n++) await writeFile(join(contentDir, `topic-${n}.md`), lecture(n));
  h = await Harness.start({ contentDir });

  const { token, callback } = await h.quiz('list', [{ type: 3, name: 'search', value: 'topic' }]);
  expect(isEphemeral(callback)).toBe(true);
  expect(embedText(callback)).toContain('**Topic 01**');
  expect(embedText(callback)).not.toContain('**Topic 11**');
  expect(callback.data?.embeds?.[0]?.footer?.text).toContain('Page 1 of 3 · 23 lectures');

  const list = h.fake.originalResponse(token)!;
  const second = await h.click(list, 'Next ▶');
  expect(second.type).toBe(7);
  expect(embedText(second)).toContain('**Topic 11**');
  expect(second.data?.embeds?.[0]?.title).toBe('Lectures matching "topic"');
  expect(buttonsOf(second).map((button) => button.disabled)).toEqual([false, false]);
});
