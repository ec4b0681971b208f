// What the bot tells operators through /metrics (Prometheus text format, prom-client): interactions by
// type, kind and outcome, reply and store latency, quiz events, the gateway, and the process's own
// memory, CPU, event loop and garbage collection. Pure: the Discord side hands in what it sees.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface InteractionSample {
  type: string;
  kind: string;
  outcome: string;
  seconds: number;
}

export interface GatewaySample {
  connected: boolean;
  /** Heartbeat round trip, or null before the first one. */
  pingMs: number | null;
}

export interface MetricsSources {
  gateway(): GatewaySample;
  /** The status of every quiz event the runner is driving. */
  eventStatuses(): readonly string[];
}

/** From a millisecond (a click answered from memory) to Discord's 3 s limit and past it. */
const REPLY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];
const EVENT_STATUSES = ['scheduled', 'running'];

export class BotMetrics {
  readonly registry = new Registry();
  private readonly interactions: Counter<'type' | 'kind' | 'outcome'>;
  private readonly replySeconds: Histogram<'type' | 'kind'>;
  private readonly storeSeconds: Histogram<'operation' | 'outcome'>;
  /**
   * Label children by label values: prom-client hashes the labels on every call otherwise, and the
   * click path should pay as little as it can.
   */
  private readonly counted = new Map<string, Counter.Internal>();
  private readonly timed = new Map<string, Histogram.Internal<'type' | 'kind'>>();
  private readonly storeTimed = new Map<string, Histogram.Internal<'operation' | 'outcome'>>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.interactions = new Counter({
      name: 'quizbot_interactions_total',
      help: 'Interactions handled, by type (command, button, autocomplete), kind (e.g. "quiz start", "answer") and outcome (ok, refused, failed, expired).',
      labelNames: ['type', 'kind', 'outcome'],
      registers,
    });
    this.replySeconds = new Histogram({
      name: 'quizbot_reply_seconds',
      help: 'Time from receiving an interaction to its reply sent (the handler done), by type and kind.',
      labelNames: ['type', 'kind'],
      buckets: REPLY_BUCKETS,
      registers,
    });
    this.storeSeconds = new Histogram({
      name: 'quizbot_store_seconds',
      help: 'Time of each quiz store call (recordAnswer, getScore, leaderboard...), by operation and outcome (ok, error).',
      labelNames: ['operation', 'outcome'],
      buckets: STORE_BUCKETS,
      registers,
    });
    new Gauge({
      name: 'quizbot_quiz_events',
      help: 'Quiz events the runner is driving, by status (scheduled, running).',
      labelNames: ['status'],
      registers,
      collect() {
        const statuses = sources.eventStatuses();
        for (const status of EVENT_STATUSES) {
          this.set({ status }, statuses.filter((each) => each === status).length);
        }
      },
    });
    new Gauge({
      name: 'quizbot_gateway_connected',
      help: '1 while the Discord gateway connection is ready, 0 while it is down or reconnecting.',
      registers,
      collect() {
        this.set(sources.gateway().connected ? 1 : 0);
      },
    });
    new Gauge({
      name: 'quizbot_gateway_ping_seconds',
      help: 'Round trip of the last gateway heartbeat.',
      registers,
      collect() {
        const { pingMs } = sources.gateway();
        if (pingMs === null) this.reset();
        else this.set(pingMs / 1000);
      },
    });
    // Resident memory, heap, CPU, event loop lag, garbage collections, handles.
    collectDefaultMetrics({ register: this.registry });
  }

  interactionHandled(sample: InteractionSample): void {
    const key = `${sample.type}\u0000${sample.kind}\u0000${sample.outcome}`;
    let counter = this.counted.get(key);
    if (counter === undefined) {
      counter = this.interactions.labels({ type: sample.type, kind: sample.kind, outcome: sample.outcome });
      this.counted.set(key, counter);
    }
    counter.inc();
    const timedKey = `${sample.type}\u0000${sample.kind}`;
    let histogram = this.timed.get(timedKey);
    if (histogram === undefined) {
      histogram = this.replySeconds.labels({ type: sample.type, kind: sample.kind });
      this.timed.set(timedKey, histogram);
    }
    histogram.observe(sample.seconds);
  }

  storeCall(operation: string, ok: boolean, seconds: number): void {
    const key = `${operation}\u0000${ok ? 'ok' : 'error'}`;
    let histogram = this.storeTimed.get(key);
    if (histogram === undefined) {
      histogram = this.storeSeconds.labels({ operation, outcome: ok ? 'ok' : 'error' });
      this.storeTimed.set(key, histogram);
    }
    histogram.observe(seconds);
  }

  /** The exposition text and its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
