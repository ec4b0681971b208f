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
  const grouper = new Grouper();
  for (const block of blocks) grouper.add(block);
  return grouper.lecture;
}

/** Walks the blocks in order, keeping track of the section, question and answer list it is in. */
class Grouper {
  readonly lecture: RawLecture = { description: null, transcript: null, questions: null, quizzes: null };
  private section: Section = 'none';
  /** Where the next content block goes; null drops it (ignored sections, stray text between questions). */
  private target: ContentBlock[] | null = null;
  private question: RawQuestion | null = null;
  private quiz: RawQuiz | null = null;
  private quizQuestion: RawQuizQuestion | null = null;
  /** In `--answers--` / `--distractors--`, a thematic break starts the next answer. */
  private answerList: RawAnswer[] | null = null;

  add(block: Block): void {
    if (block.kind === 'content') {
      this.target?.push(block);
    } else if (block.kind === 'break') {
      if (this.answerList) this.startAnswer(block.line);
      else this.target?.push({ kind: 'content', type: 'hr', start: -1, end: -1, line: block.line });
    } else if (this.section === 'questions' && QUESTION_MARKERS.has(block.name)) {
      this.questionMarker(block.name, block.line);
    } else if (this.section === 'quizzes' && QUIZ_MARKERS.has(block.name)) {
      this.quizMarker(block.name, block.line);
    } else {
      this.openSection(block.name, block.line);
    }
  }

  /** Any other marker opens a new section; unknown ones (`--scene--`, `--interactive--`...) are skipped. */
  private openSection(name: string, line: number): void {
    this.answerList = null;
    this.question = null;
    this.quiz = null;
    this.quizQuestion = null;
    this.section = sectionFor(name);
    this.target = null;
    const { lecture } = this;
    if (this.section === 'description' || this.section === 'transcript') {
      const slot: Slot = { line, blocks: [] };
      lecture[this.section] ??= slot;
      this.target = (lecture[this.section] ?? slot).blocks;
    } else if (this.section === 'questions') {
      lecture.questions ??= { line, items: [] };
    } else if (this.section === 'quizzes') {
      lecture.quizzes ??= { line, items: [] };
    }
  }

  /** Lecture format: `--text--` starts a question; answers, feedback and the solution fill it. */
  private questionMarker(name: string, line: number): void {
    if (name === 'text' || !this.question) {
      this.question = { line, text: null, answers: null, solution: null };
      this.lecture.questions?.items.push(this.question);
    }
    const question = this.question;
    this.answerList = null;
    this.target = null;
    if (name === 'text') {
      question.text = { line, blocks: [] };
      this.target = question.text.blocks;
    } else if (name === 'answers') {
      question.answers ??= { line, items: [] };
      this.answerList = question.answers.items;
      this.startAnswer(line);
    } else if (name === 'feedback') {
      const answer = question.answers?.items.at(-1);
      if (answer) {
        answer.feedback = { line, blocks: [] };
        this.target = answer.feedback.blocks;
        // A break after the feedback still starts the next answer.
        this.answerList = question.answers?.items ?? null;
      }
    } else {
      question.solution = { line, blocks: [] };
      this.target = question.solution.blocks;
    }
  }

  /** Quiz format: `--quiz--` starts a set, `--question--` a question, then its text and answers. */
  private quizMarker(name: string, line: number): void {
    this.answerList = null;
    this.target = null;
    if (name === 'quiz' || !this.quiz) {
      this.quiz = { line, questions: [] };
      this.lecture.quizzes?.items.push(this.quiz);
      this.quizQuestion = null;
      if (name === 'quiz') return;
    }
    if (name === 'question' || !this.quizQuestion) {
      this.quizQuestion = { line, text: null, distractors: null, answers: [] };
      this.quiz.questions.push(this.quizQuestion);
      if (name === 'question') return;
    }
    const quizQuestion = this.quizQuestion;
    if (name === 'text') {
      quizQuestion.text = { line, blocks: [] };
      this.target = quizQuestion.text.blocks;
    } else if (name === 'distractors') {
      quizQuestion.distractors ??= { line, items: [] };
      this.answerList = quizQuestion.distractors.items;
      this.startAnswer(line);
    } else {
      const answer: Slot = { line, blocks: [] };
      quizQuestion.answers.push(answer);
      this.target = answer.blocks;
    }
  }

  private startAnswer(line: number): void {
    if (!this.answerList) return;
    const answer: RawAnswer = { line, blocks: [], feedback: null };
    this.answerList.push(answer);
    this.target = answer.blocks;
  }
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
