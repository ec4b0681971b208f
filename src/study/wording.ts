// What members are told by the study feature when something cannot go on: refusals of stale
// buttons, lectures without questions. Pure strings, shown privately.
import type { SessionKind, StepRefusal } from './session.js';

export const NO_QUESTIONS_TO_PRACTISE = 'That lecture has no questions to practise.';

export function setOutOfRange(title: string, count: number): string {
  return `"${title}" has ${count} quiz set(s): pick a set from 1 to ${count}.`;
}

/** Why a practice or review button did nothing. */
export function refusalText(kind: SessionKind, reason: StepRefusal): string {
  const run = kind === 'practice' ? 'practice run' : 'review session';
  const again = kind === 'practice' ? '/quiz practice' : '/quiz review';
  switch (reason) {
    case 'no-session':
      return `This ${run} is no longer saved. Run ${again} to start a new one.`;
    case 'superseded':
      return kind === 'practice'
        ? 'This practice run was replaced: you started this lecture over. Carry on in the newest message, or run /quiz practice again.'
        : 'This review session was replaced by a newer one. Carry on in the newest message, or run /quiz review again.';
    case 'finished':
      return `This ${run} is finished. Run ${again} to go again.`;
    case 'moved-on':
      return `You have already moved past this question. Carry on from the latest message of this ${run}.`;
    case 'not-reached':
      return `That question is not up yet in this ${run}: answer the current one first.`;
    case 'already-answered':
      return 'You already answered this question here: press Next to go on.';
    case 'not-answered':
      return 'Answer this question first.';
  }
}
