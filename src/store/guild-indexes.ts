// Lazily builds one RankedIndex per guild from the store and keeps it current. Scores written
// while a build is reading the table are held back and applied on top of what it read, so a
// build never loses (or rolls back) an answer that raced it.

import type { ScoreRecord, ScoredUser } from '../quiz/scoring.js';
import { RankedIndex } from './ranked-index.js';

type IndexState =
  | { kind: 'building'; ready: Promise<RankedIndex>; writtenMeanwhile: Map<string, ScoreRecord> }
  | { kind: 'ready'; index: RankedIndex };

export type LoadGuildScores = (guildId: string) => Promise<ScoredUser[]>;

export class GuildIndexes {
  private readonly states = new Map<string, IndexState>();

  constructor(private readonly loadGuildScores: LoadGuildScores) {}

  get(guildId: string): Promise<RankedIndex> {
    const state = this.states.get(guildId);
    if (state?.kind === 'ready') return Promise.resolve(state.index);
    if (state?.kind === 'building') return state.ready;
    return this.build(guildId);
  }

  /**
   * Call after a score is durably written. A guild that was never indexed is left alone: its
   * first build reads the written score from the table.
   */
  recordWrite(guildId: string, userId: string, score: ScoreRecord): void {
    const state = this.states.get(guildId);
    if (state?.kind === 'ready') state.index.upsert(userId, score);
    else if (state?.kind === 'building') state.writtenMeanwhile.set(userId, score);
  }

  private build(guildId: string): Promise<RankedIndex> {
    const writtenMeanwhile = new Map<string, ScoreRecord>();
    const ready = this.loadGuildScores(guildId).then(
      (loaded) => {
        const index = RankedIndex.from(loaded);
        for (const [userId, score] of writtenMeanwhile) index.upsert(userId, score);
        this.states.set(guildId, { kind: 'ready', index });
        return index;
      },
      (error: unknown) => {
        // Forget the failed build so that the next request tries again.
        this.states.delete(guildId);
        throw error;
      },
    );
    this.states.set(guildId, { kind: 'building', ready, writtenMeanwhile });
    return ready;
  }
}
