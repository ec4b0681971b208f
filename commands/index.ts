// Every slash command the bot offers, in one explicit list (registration and routing both read it).
import type { Command } from '../src/discord/command.js';
import { quizCommand } from './quiz.js';
import { quizEventCommand } from './quizevent.js';
import { lectureCommand } from './lecture.js';
import { quizStatsCommand } from './quizstats.js';

export const commands: readonly Command[] = [quizCommand, quizEventCommand, lectureCommand, quizStatsCommand];
