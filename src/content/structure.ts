// Groups a lecture's top-level blocks into sections, questions and answers.
// Structure is decided by the marker's name, not its heading level: real files carry
// `### --video-solution--` and `## --feedback--`, and both mean what they say.
import type { Block } from './blocks.js';

export type ContentBlock = Extract<Block, { kind: 'content' }>;

/** The content under one marker, with the marker's line for error messages. */
export interface Slot {
  line: number;
  blocks: ContentBlock[];
}

export interface RawAnswer {
  line: number;
  blocks: ContentBlock[];
  feedback: Slot | null;
}

export interface RawQuestion {
  line: number;
  text: Slot | null;
  answers: { line: number; items: RawAnswer[] } | null;
  solution: Slot | null;
}

export interface RawQuizQuestion {
  line: number;
  text: Slot | null;
  distractors: { line: number; items: RawAnswer[] } | null;
  answers: Slot[];
}

export interface RawQuiz {
  line: number;
  questions: RawQuizQuestion[];
}

export interface RawLecture {
  description: Slot | null;
  transcript: Slot | null;
  questions: { line: number; items: RawQuestion[] } | null;
  quizzes: { line: number; items: RawQuiz[] } | null;
}

const QUESTION_MARKERS = new Set(['text', 'answers', 'feedback', 'video-solution']);
const QUIZ_MARKERS = new Set(['quiz', 'question', 'text', 'distractors', 'answer']);

type Section = 'none' | 'description' | 'transcript' | 'questions' | 'quizzes' | 'ignored';

export function groupBlocks(blocks: Block[]): RawLecture {
  const lecture: RawLecture = { description: null, transcript: null, questions: null, quizzes: null };
  let section: Section = 'none';
  // Where the next content block goes; null drops it (ignored sections, stray text between questions).
  let target: ContentBlock[] | null = null;
  let question: RawQuestion | null = null;
  let quiz: RawQuiz | null = null;
  let quizQuestion: RawQuizQuestion | null = null;
  // In `--answers--` / `--distractors--`, a thematic break starts the next answer.
  let answerList: RawAnswer[] | null = null;

  const startAnswer = (line: number): void => {
    if (!answerList) return;
    const answer: RawAnswer = { line, blocks: [], feedback: null };
    answerList.push(answer);
    target = answer.blocks;
  };

  for (const block of blocks) {
    if (block.kind === 'content') {
      target?.push(block);
      continue;
    }
    if (block.kind === 'break') {
      if (answerList) startAnswer(block.line);
      else target?.push({ kind: 'content', type: 'hr', start: -1, end: -1, line: block.line });
      continue;
    }

    const { name, line } = block;
    const inQuestions = section === 'questions' && QUESTION_MARKERS.has(name);
    const inQuizzes = section === 'quizzes' && QUIZ_MARKERS.has(name);
    if (!inQuestions && !inQuizzes) {
      // Any other marker opens a new section; unknown ones (`--scene--`, `--interactive--`...) are skipped.
      answerList = null;
      question = null;
      quiz = null;
      quizQuestion = null;
      section = sectionFor(name);
      target = null;
      if (section === 'description' || section === 'transcript') {
        const slot: Slot = { line, blocks: [] };
        lecture[section] ??= slot;
        target = (lecture[section] ?? slot).blocks;
      } else if (section === 'questions') {
        lecture.questions ??= { line, items: [] };
      } else if (section === 'quizzes') {
        lecture.quizzes ??= { line, items: [] };
      }
      continue;
    }

    if (inQuestions) {
      const items = lecture.questions?.items ?? [];
      if (name === 'text' || !question) {
        question = { line, text: null, answers: null, solution: null };
        items.push(question);
      }
      answerList = null;
      target = null;
      if (name === 'text') {
        question.text = { line, blocks: [] };
        target = question.text.blocks;
      } else if (name === 'answers') {
        question.answers ??= { line, items: [] };
        answerList = question.answers.items;
        startAnswer(line);
      } else if (name === 'feedback') {
        const answer = question.answers?.items.at(-1);
        if (answer) {
          answer.feedback = { line, blocks: [] };
          target = answer.feedback.blocks;
          // A break after the feedback still starts the next answer.
          answerList = question.answers?.items ?? null;
        }
      } else {
        question.solution = { line, blocks: [] };
        target = question.solution.blocks;
      }
      continue;
    }

    // Quiz format.
    const quizzes = lecture.quizzes?.items ?? [];
    answerList = null;
    target = null;
    if (name === 'quiz' || !quiz) {
      quiz = { line, questions: [] };
      quizzes.push(quiz);
      quizQuestion = null;
      if (name === 'quiz') continue;
    }
    if (name === 'question' || !quizQuestion) {
      quizQuestion = { line, text: null, distractors: null, answers: [] };
      quiz.questions.push(quizQuestion);
      if (name === 'question') continue;
    }
    if (name === 'text') {
      quizQuestion.text = { line, blocks: [] };
      target = quizQuestion.text.blocks;
    } else if (name === 'distractors') {
      quizQuestion.distractors ??= { line, items: [] };
      answerList = quizQuestion.distractors.items;
      startAnswer(line);
    } else {
      const answer: Slot = { line, blocks: [] };
      quizQuestion.answers.push(answer);
      target = answer.blocks;
    }
  }
  return lecture;
}

function sectionFor(name: string): Section {
  switch (name) {
    case 'description':
    case 'transcript':
    case 'questions':
    case 'quizzes':
      return name;
    default:
      return 'ignored';
  }
}
