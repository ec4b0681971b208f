// Bench-only diagnostics loaded into the bot process with `--import` (and node's --expose-gc): on
// SIGUSR2 it writes where the memory is to $BENCH_PROBE_FILE: RSS and V8 heap before and after a full
// garbage collection, and the sizes of discord.js's caches (and, with BENCH_HEAP_SNAPSHOT, a heap
// snapshot). It changes nothing until signalled.
import { readFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { Client } from 'discord.js';

export interface ProbeReport {
  before: NodeJS.MemoryUsage;
  afterGc: NodeJS.MemoryUsage | null;
  heapSpacesMb: Record<string, number>;
  caches: { users: number; members: number; messages: number; channels: number; restHandlers: number };
}

const clients: Client[] = [];
// Every client the bot makes passes through login; that is where the probe finds it.
const login = Object.getOwnPropertyDescriptor(Client.prototype, 'login')?.value as (
  this: Client,
  token?: string,
) => Promise<string>;
Client.prototype.login = function (this: Client, token?: string) {
  clients.push(this);
  return login.call(this, token);
};

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    const before = process.memoryUsage();
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const afterGc = gc ? process.memoryUsage() : null;
    const heapSpacesMb: Record<string, number> = {};
    for (const space of getHeapSpaceStatistics())
      heapSpacesMb[space.space_name] = space.space_used_size / 1e6;
    const caches = { users: 0, members: 0, messages: 0, channels: 0, restHandlers: 0 };
    for (const client of clients) {
      caches.users += client.users.cache.size;
      caches.channels += client.channels.cache.size;
      for (const guild of client.guilds.cache.values()) caches.members += guild.members.cache.size;
      for (const channel of client.channels.cache.values()) {
        if ('messages' in channel) caches.messages += channel.messages.cache.size;
      }
      // Not public API: the per-route rate-limit handlers the REST client keeps until its sweep.
      caches.restHandlers += (client.rest as unknown as { handlers: Map<string, unknown> }).handlers.size;
    }
    const report: ProbeReport = { before, afterGc, heapSpacesMb, caches };
    // BENCH_HEAP_SNAPSHOT=<file>: also a heap snapshot (after the collection), for Chrome's memory tab.
    const snapshot = process.env.BENCH_HEAP_SNAPSHOT;
    if (snapshot) writeHeapSnapshot(snapshot);
    // BENCH_SMAPS=<file>: also the process's memory map, to tell heap from native memory and code.
    const smaps = process.env.BENCH_SMAPS;
    if (smaps) writeFileSync(smaps, readFileSync('/proc/self/smaps', 'utf8'));
    writeFileSync(file, JSON.stringify(report));
  });
}
