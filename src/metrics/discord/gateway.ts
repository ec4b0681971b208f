// The gateway as /metrics and /healthz see it: connected only while every shard is ready (discord.js
// marks a shard Connecting, Resuming or Identifying while it reconnects, Disconnected once it gives up).
import { Status } from 'discord.js';
import type { Client } from 'discord.js';
import type { GatewaySample } from '../metrics.js';

export function gatewaySample(client: Client): GatewaySample {
  const shards = [...client.ws.shards.values()];
  const connected = shards.length > 0 && shards.every((shard) => shard.status === Status.Ready);
  const pings = shards.map((shard) => shard.ping).filter((ping) => ping >= 0);
  return { connected, pingMs: pings.length > 0 ? Math.max(...pings) : null };
}
