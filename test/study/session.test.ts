// Practice and review sessions as plain data: which button may act, and what each step leaves.
import { describe, expect, it } from 'vitest';
import {
  advanced,
  checkStep,
  isAnswered,
  isFinished,
  newSession,
  newSessionId,
  skipped,
  tally,
  withAnswer,
} from '../../src/study/session.js';
import type { StudySession } from '../../src/study/session.js';

const refs = [0, 1, 2].map((question) => ({ lectureId: 'l', set: 0, question, fingerprint: 'fp' }));

function session(): StudySession {
  return newSession({ id: 'AAAAAAAA', kind: 'practice', lectureId: 'l', set: 0, questions: refs, now: 0 });
}

describe('checkStep', () => {
  it('GIVEN a fresh session THEN its first answer button acts; Next waits for an answer', () => {
    const s = session();
    expect(checkStep(s, { sessionId: 'AAAAAAAA', position: 0 }, 'answer')).toBeNull();
    expect(checkStep(s, { sessionId: 'AAAAAAAA', position: 0 }, 'next')).toBe('not-answered');
  });

  it('GIVEN an answered question THEN a second answer is refused and Next acts', () => {
    const s = withAnswer(session(), { choice: 1, correct: true, at: 5 });
    expect(isAnswered(s)).toBe(true);
    expect(checkStep(s, { sessionId: 'AAAAAAAA', position: 0 }, 'answer')).toBe('already-answered');
    expect(checkStep(s, { sessionId: 'AAAAAAAA', position: 0 }, 'next')).toBeNull();
  });

  it('GIVEN buttons of a passed step, another session, or a finished one THEN each says why', () => {
    const moved = advanced(withAnswer(session(), { choice: 1, correct: true, at: 5 }), 6);
    expect(checkStep(moved, { sessionId: 'AAAAAAAA', position: 0 }, 'next')).toBe('moved-on');
    // A button pointing ahead of the run (forged) is told so, not that it was passed.
    expect(checkStep(moved, { sessionId: 'AAAAAAAA', position: moved.position + 1 }, 'answer')).toBe(
      'not-reached',
    );
    expect(checkStep(moved, { sessionId: 'BBBBBBBB', position: 1 }, 'answer')).toBe('superseded');
    expect(checkStep(undefined, { sessionId: 'AAAAAAAA', position: 1 }, 'answer')).toBe('no-session');
    let done = moved;
    for (let i = 1; i < refs.length; i++)
      done = advanced(withAnswer(done, { choice: 0, correct: false, at: 7 }), 8);
    expect(isFinished(done)).toBe(true);
    expect(done.finishedAt).toBe(8);
    expect(checkStep(done, { sessionId: 'AAAAAAAA', position: 2 }, 'next')).toBe('finished');
  });
});

describe('tally', () => {
  it('GIVEN right, skipped and missed questions THEN the summary counts each', () => {
    let s = advanced(withAnswer(session(), { choice: 1, correct: true, at: 1 }), 1);
    s = skipped(s, 2);
    s = advanced(withAnswer(s, { choice: 0, correct: false, at: 3 }), 3);
    expect(isFinished(s)).toBe(true);
    expect(tally(s)).toEqual({ answered: 2, right: 1, missed: [refs[2]], rightRefs: [refs[0]], skipped: 1 });
  });
});

describe('newSessionId', () => {
  it('GIVEN ids THEN 8 characters of Crockford base32', () => {
    for (let i = 0; i < 50; i++) expect(newSessionId()).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  });
});
