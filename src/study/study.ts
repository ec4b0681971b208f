// The study feature's flows, from a command or click to what the member sees next: private practice
// of a lecture, review of what is due, the due count for /quiz score, progress. No discord.js: each
// flow returns a StudyView for src/study/discord/render.ts. Every answer goes through the graded
// answers hook (source 'practice' or 'review'), so the same listener moves the cards as for a
// channel quiz; practice and review never touch points or the leaderboard.
import type { Lecture } from '../content/types.js';
import type { QuestionRef } from '../quiz/answer.js';
import { pickSet, questionSets } from '../quiz/catalog.js';
import type { GradedAnswers } from '../quiz/graded.js';
import { gradeChoice } from '../quiz/grading.js';
import { REMOVED_LECTURE } from '../quiz/messages.js';
import { KeyedLock } from '../store/keyed-lock.js';
import type { RecordStore } from '../store/records.js';
import { UserError } from '../user-error.js';
import { CardStore } from './card-store.js';
import { StudyListener } from './listener.js';
import { MissedCounter } from './missed.js';
import { memberProgress, lectureProgress, cardsByKey } from './progress.js';
import type { LectureProgress, MemberProgress } from './progress.js';
import type { LectureLookup } from './questions.js';
import { currentQuestion, isCurrent, setRefs } from './questions.js';
import { MAX_REVIEW_QUESTIONS, reviewQueue } from './queue.js';
import {
  advanced,
  checkStep,
  currentRef,
  hasProgress,
  isAnswered,
  isFinished,
  newSession,
  newSessionId,
  skipped,
  tally,
  withAnswer,
} from './session.js';
import type { SessionKind, SessionStep, StudySession } from './session.js';
import { SessionStore, slotKey } from './session-store.js';
import type { SessionSlot } from './session-store.js';
import { NO_QUESTIONS_TO_PRACTISE, setOutOfRange } from './wording.js';
import { gradedView, refused } from './views.js';
import type { DueSummary, Member, StudyView } from './views.js';

export type { ComesBack, DueSummary, Member, StudyView } from './views.js';

export class Study {
  readonly cards: CardStore;
  readonly sessions: SessionStore;
  readonly missed: MissedCounter;
  /** Register in GradedAnswers: every graded answer moves the member's card. */
  readonly listener: StudyListener;
  /** One step at a time per session slot (a double click on Next moves once). */
  private readonly lock = new KeyedLock();

  constructor(
    records: RecordStore,
    private readonly newId: () => string = () => newSessionId(),
  ) {
    this.cards = new CardStore(records);
    this.sessions = new SessionStore(records);
    this.missed = new MissedCounter(records);
    this.listener = new StudyListener(this.cards, this.missed);
  }

  // ---- practice ----

  /** /quiz practice: a new run from the first question, or the offer to continue an unfinished one. */
  async startPractice(
    member: Member,
    lecture: Lecture,
    requestedSet: number | null,
    random: () => number,
  ): Promise<StudyView> {
    const set = pickSet(lecture, requestedSet, random);
    if (set === null) throw new UserError(setOutOfRange(lecture.title, questionSets(lecture).length));
    const slot: SessionSlot = { kind: 'practice', lectureId: lecture.id };
    return this.inSlot(member, slot, async () => {
      const existing = await this.sessions.get(member.guildId, member.userId, slot);
      if (existing !== undefined && !isFinished(existing) && hasProgress(existing)) {
        return {
          kind: 'offer',
          session: existing,
          lectureTitle: lecture.title,
          restartSet: requestedSet === null ? existing.set : set,
        };
      }
      return this.begin(member, 'practice', lecture, set);
    });
  }

  /** The Continue button: the unfinished run where it was left. */
  async continuePractice(member: Member, lectureId: string, sessionId: string): Promise<StudyView> {
    const slot: SessionSlot = { kind: 'practice', lectureId };
    return this.inSlot(member, slot, async () => {
      const session = await this.sessions.get(member.guildId, member.userId, slot);
      if (session === undefined) return refused('practice', 'no-session');
      if (session.id !== sessionId) return refused('practice', 'superseded');
      return this.present(member, session);
    });
  }

  /** The Start over button: a new run of the lecture, replacing the one offered. */
  async restartPractice(
    member: Member,
    lectureId: string,
    set: number,
    sessionId: string,
  ): Promise<StudyView> {
    const slot: SessionSlot = { kind: 'practice', lectureId };
    return this.inSlot(member, slot, async () => {
      const session = await this.sessions.get(member.guildId, member.userId, slot);
      if (session !== undefined && session.id !== sessionId) return refused('practice', 'superseded');
      const lecture = member.catalog.get(lectureId);
      if (lecture === undefined) throw new UserError(REMOVED_LECTURE);
      return this.begin(member, 'practice', lecture, questionSets(lecture)[set] === undefined ? 0 : set);
    });
  }

  // ---- review ----

  /** /quiz review: a new session of what is due, most overdue first, or what is scheduled. */
  async startReview(member: Member): Promise<StudyView> {
    const queue = reviewQueue(
      await this.cards.memberCards(member.guildId, member.userId),
      member.catalog,
      member.now,
    );
    if (queue.due.length === 0) {
      return { kind: 'nothing-due', due: { due: 0, scheduled: queue.scheduled, nextDueAt: queue.nextDueAt } };
    }
    const questions = queue.due.slice(0, MAX_REVIEW_QUESTIONS).map((entry) => entry.ref);
    return this.inSlot(member, { kind: 'review' }, async () => {
      const session = newSession({
        id: this.newId(),
        kind: 'review',
        lectureId: null,
        set: 0,
        questions,
        now: member.now,
      });
      await this.sessions.save(member.guildId, member.userId, session);
      return this.present(member, session);
    });
  }

  /** How many of the member's questions are due now, and when the next one is (for /quiz score). */
  async dueSummary(member: Member): Promise<DueSummary> {
    const queue = reviewQueue(
      await this.cards.memberCards(member.guildId, member.userId),
      member.catalog,
      member.now,
    );
    return { due: queue.due.length, scheduled: queue.scheduled, nextDueAt: queue.nextDueAt };
  }

  // ---- both ----

  /**
   * An answer button of a practice run or review session. The answer is reported to `graded` (which
   * moves the card) before the session records it, so a reply never shows a grade the card lacks.
   */
  async answer(
    member: Member,
    graded: GradedAnswers,
    slot: SessionSlot,
    step: SessionStep,
    choice: number,
  ): Promise<StudyView> {
    return this.inSlot(member, slot, async () => {
      const session = await this.sessions.get(member.guildId, member.userId, slot);
      const refusal = checkStep(session, step, 'answer');
      if (refusal !== null || session === undefined) return refused(slot.kind, refusal ?? 'no-session');
      const ref = currentRef(session);
      const question = ref === undefined ? undefined : currentQuestion(member.catalog, ref);
      if (ref === undefined || question === undefined) {
        // Changed since the session began: passed over, and the member is shown the next one.
        return this.saveAndPresent(member, skipped(session, member.now), 1);
      }
      const grade = gradeChoice(question, choice);
      if (grade === null) throw new UserError('That answer is not one of the choices.');
      await graded.report({
        guildId: member.guildId,
        userId: member.userId,
        question: ref,
        choice,
        correct: grade.correct,
        at: member.now,
        source: session.kind,
        first: false,
        answerId: `${session.kind}:${session.id}:${session.position}`,
      });
      const answered = withAnswer(session, { choice, correct: grade.correct, at: member.now });
      await this.sessions.save(member.guildId, member.userId, answered);
      const [card] = await this.cards.cardsFor(member.guildId, member.userId, [ref]);
      return gradedView(
        answered,
        question,
        this.lectureTitle(member.catalog, ref),
        choice,
        grade,
        card,
        member.now,
      );
    });
  }

  /** The Next button: the following question, or the summary after the last. */
  async next(member: Member, slot: SessionSlot, step: SessionStep): Promise<StudyView> {
    return this.inSlot(member, slot, async () => {
      const session = await this.sessions.get(member.guildId, member.userId, slot);
      const refusal = checkStep(session, step, 'next');
      if (refusal !== null || session === undefined) return refused(slot.kind, refusal ?? 'no-session');
      return this.saveAndPresent(member, advanced(session, member.now), 0);
    });
  }

  // ---- progress ----

  async progress(member: Member): Promise<MemberProgress> {
    return memberProgress(
      member.catalog,
      await this.cards.memberCards(member.guildId, member.userId),
      member.now,
    );
  }

  async lectureProgress(member: Member, lecture: Lecture): Promise<LectureProgress> {
    const cards = await this.cards.memberCards(member.guildId, member.userId);
    return lectureProgress(
      lecture,
      cardsByKey(cards.filter((entry) => entry.ref.lectureId === lecture.id)),
      member.now,
    );
  }

  // ---- internals ----

  private async begin(member: Member, kind: SessionKind, lecture: Lecture, set: number): Promise<StudyView> {
    const questions = setRefs(lecture, set);
    if (questions.length === 0) throw new UserError(NO_QUESTIONS_TO_PRACTISE);
    const session = newSession({
      id: this.newId(),
      kind,
      lectureId: lecture.id,
      set,
      questions,
      now: member.now,
    });
    await this.sessions.save(member.guildId, member.userId, session);
    return this.present(member, session);
  }

  private async saveAndPresent(
    member: Member,
    session: StudySession,
    skippedSoFar: number,
  ): Promise<StudyView> {
    const { session: shown, skipped: more } = skipChanged(session, member.catalog, member.now);
    await this.sessions.save(member.guildId, member.userId, shown);
    return this.view(member, shown, skippedSoFar + more);
  }

  /** The session as it stands, passing over questions that changed since it began. */
  private async present(member: Member, session: StudySession): Promise<StudyView> {
    const { session: shown, skipped: count } = skipChanged(session, member.catalog, member.now);
    if (shown !== session) await this.sessions.save(member.guildId, member.userId, shown);
    return this.view(member, shown, count);
  }

  private async view(member: Member, session: StudySession, skippedCount: number): Promise<StudyView> {
    if (isFinished(session)) return this.summary(member, session);
    const ref = currentRef(session);
    const question = ref === undefined ? undefined : currentQuestion(member.catalog, ref);
    // skipChanged leaves a current question that exists, or a finished session.
    if (ref === undefined || question === undefined) return this.summary(member, session);
    const lectureTitle = this.lectureTitle(member.catalog, ref);
    const answer = isAnswered(session) ? session.answers[session.position] : null;
    const grade = answer ? gradeChoice(question, answer.choice) : null;
    if (answer && grade) {
      const [card] = await this.cards.cardsFor(member.guildId, member.userId, [ref]);
      return gradedView(session, question, lectureTitle, answer.choice, grade, card, member.now);
    }
    return { kind: 'question', session, question, lectureTitle, skipped: skippedCount };
  }

  private async summary(member: Member, session: StudySession): Promise<StudyView> {
    const counts = tally(session);
    if (session.kind === 'review') {
      return { kind: 'review-summary', session, tally: counts, due: await this.dueSummary(member) };
    }
    const refs = [...counts.missed, ...counts.rightRefs];
    const cards = await this.cards.cardsFor(member.guildId, member.userId, refs);
    const dueOf = (index: number): number | null => cards[index]?.due ?? null;
    const rightDue = counts.rightRefs
      .map((_, index) => dueOf(counts.missed.length + index))
      .filter((due) => due !== null);
    return {
      kind: 'practice-summary',
      session,
      lectureTitle:
        session.lectureId === null ? '' : (member.catalog.get(session.lectureId)?.title ?? session.lectureId),
      tally: counts,
      comesBack: {
        missed: counts.missed.map((ref, index) => ({
          ref,
          question: currentQuestion(member.catalog, ref),
          dueAt: dueOf(index),
        })),
        rightFrom: rightDue.length > 0 ? Math.min(...rightDue) : null,
      },
    };
  }

  private lectureTitle(catalog: LectureLookup, ref: QuestionRef): string {
    return catalog.get(ref.lectureId)?.title ?? ref.lectureId;
  }

  private inSlot<T>(member: Member, slot: SessionSlot, task: () => Promise<T>): Promise<T> {
    return this.lock.run(slotKey(member.guildId, member.userId, slot), task);
  }
}

/**
 * Passes over every question from the current one on that no longer exists as it was: skipped when
 * not answered yet, moved past when it was (its answer already reached the card).
 */
function skipChanged(
  session: StudySession,
  catalog: LectureLookup,
  now: number,
): { session: StudySession; skipped: number } {
  let current = session;
  let count = 0;
  while (!isFinished(current)) {
    const ref = currentRef(current);
    if (ref !== undefined && isCurrent(catalog, ref)) break;
    if (isAnswered(current)) {
      current = advanced(current, now);
    } else {
      current = skipped(current, now);
      count += 1;
    }
  }
  return { session: current, skipped: count };
}
