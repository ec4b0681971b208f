// The practice and review buttons (owned by /quiz). A step edits the private session message in
// place; a button that can no longer act (finished, replaced, already answered) says so in a new
// private message and leaves the session as it is.
import type { MessageComponentInteraction } from 'discord.js';
import type { BotContext, ButtonRoute } from '../../discord/command.js';
import type { CustomIdKind, QuizCustomId } from '../../discord/custom-id.js';
import { respond } from '../../discord/respond.js';
import type { StudyView } from '../study.js';
import { memberOf, reviewCommand } from './commands.js';
import { studyMessage } from './render.js';

const STUDY_KINDS = [
  'practice-answer',
  'practice-next',
  'practice-continue',
  'practice-restart',
  'review-answer',
  'review-next',
  'review-start',
] as const satisfies readonly CustomIdKind[];

async function handleStudyButton(
  interaction: MessageComponentInteraction,
  ctx: BotContext,
  id: QuizCustomId,
): Promise<void> {
  const member = await memberOf(interaction, ctx);
  const study = ctx.study;
  switch (id.kind) {
    case 'practice-answer':
      return show(
        interaction,
        await study.answer(
          member,
          ctx.graded,
          { kind: 'practice', lectureId: id.lectureId },
          { sessionId: id.session, position: id.position },
          id.answer,
        ),
      );
    case 'practice-next':
      return show(
        interaction,
        await study.next(
          member,
          { kind: 'practice', lectureId: id.lectureId },
          { sessionId: id.session, position: id.position },
        ),
      );
    case 'practice-continue':
      return show(interaction, await study.continuePractice(member, id.lectureId, id.session));
    case 'practice-restart':
      return show(interaction, await study.restartPractice(member, id.lectureId, id.set, id.session));
    case 'review-answer':
      return show(
        interaction,
        await study.answer(
          member,
          ctx.graded,
          { kind: 'review' },
          { sessionId: id.session, position: id.position },
          id.answer,
        ),
      );
    case 'review-next':
      return show(
        interaction,
        await study.next(member, { kind: 'review' }, { sessionId: id.session, position: id.position }),
      );
    case 'review-start':
      return reviewCommand(interaction, ctx);
    default:
      throw new Error(`the study feature does not handle ${id.kind} buttons`);
  }
}

/** The session message edited in place; a refusal as a private message of its own. */
async function show(interaction: MessageComponentInteraction, view: StudyView): Promise<void> {
  if (view.kind === 'refused') {
    await respond(interaction, { ...studyMessage(view), ephemeral: true });
    return;
  }
  await interaction.update(studyMessage(view));
}

export const studyButtons: ButtonRoute = { kinds: STUDY_KINDS, handle: handleStudyButton };
