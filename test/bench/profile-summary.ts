// Sums a V8 CPU profile (.cpuprofile) of a bot by component, to see where a click's main-thread time
// goes. Profile the bots of the click bench with:
//   BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npx tsx test/bench/clicks.ts --quick
// then: npx tsx test/bench/profile-summary.ts /tmp/prof/<file>.cpuprofile [clicks]
// Self time is charged to the component of the function that was running; a native call made from
// JavaScript (node-sqlite3's C++ side, say) counts for the JavaScript that called it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// First match wins: dependencies before the bot's own folders (discord.js has a src/ too).
const COMPONENTS: [string, RegExp][] = [
  ['SQLite binding (node-sqlite3)', /node_modules\/sqlite3\//],
  ['Keyv and its serializer', /node_modules\/(@keyv|keyv)\//],
  ['discord.js, @discordjs/*, ws', /node_modules\/(discord\.js|@discordjs|@sapphire|@vladfrangu|ws)\//],
  ['HTTP client (undici)', /node_modules\/undici\//],
  ['other dependencies', /node_modules\//],
  // The compiled bot is one bundle: its code is not split by folder there (profile through tsx for that).
  ['bot (compiled bundle dist/)', /\/dist\/[^/]+\.js$/],
  ['bot: store', /\/src\/store\//],
  ['bot: everything else', /\/(src|commands|test)\//],
  ['Node internals (streams, net, events...)', /^node:/],
];

const STARTUP = /modules\/(esm|cjs)\/|node_modules\/tsx\/|get_format|package_json_reader/;

/** Milliseconds per component, the start-up (module loading) apart, idle left out. */
export function summarize(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const startup = new Map<number, boolean>();
  const inStartup = (id: number): boolean => {
    const known = startup.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const result =
      node !== undefined && (STARTUP.test(node.callFrame.url) || (up !== undefined && inStartup(up)));
    startup.set(id, result);
    return result;
  };

  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') return;
    let component: string;
    if (inStartup(id)) component = 'start-up: loading and compiling modules';
    else if (functionName === '(garbage collector)') component = 'garbage collector';
    else if (functionName === '(program)') component = 'native, outside any JavaScript ((program))';
    else
      component =
        COMPONENTS.find(([, pattern]) => pattern.test(url))?.[0] ??
        'V8 and Node built-ins (JSON, microtasks, socket writes)';
    totals.set(component, (totals.get(component) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return totals;
}

/** A frame of the bot's click handling: from the first sample under one, start-up is over. */
const CLICK_FRAME = /^(handleAnswerClick|onInteraction)$/;
const TSX = /node_modules\/tsx\//;

/**
 * From the first sample that handles a click on: main-thread time in all, and the part with one of
 * tsx's loader hooks on the stack (the resolve and load hooks every `require` then goes through).
 */
export function tsxShareAfterFirstClick(profile: Profile): { busyMs: number; tsxMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackMatches = (id: number, test: (node: ProfileNode) => boolean): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node && test(node)) return true;
    }
    return false;
  };
  let clicking = false;
  let busyMs = 0;
  let tsxMs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    clicking ||= stackMatches(id, (frame) => CLICK_FRAME.test(frame.callFrame.functionName));
    if (!clicking) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    busyMs += ms;
    if (stackMatches(id, (frame) => TSX.test(frame.callFrame.url))) tsxMs += ms;
  });
  return { busyMs, tsxMs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [clicks]');
  const clicks = Number(process.argv[3] ?? Number.NaN);
  const totals = [...summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile)].sort(
    (a, b) => b[1] - a[1],
  );
  const busy = totals.filter(([name]) => !name.startsWith('start-up')).reduce((sum, [, ms]) => sum + ms, 0);
  for (const [name, ms] of totals) {
    const perClick = Number.isFinite(clicks)
      ? `  ${((ms / clicks) * 1000).toFixed(1).padStart(6)} µs/click`
      : '';
    console.log(`${ms.toFixed(0).padStart(7)} ms${perClick}  ${name}`);
  }
  console.log(`${busy.toFixed(0).padStart(7)} ms busy after start-up`);
  const share = tsxShareAfterFirstClick(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  console.log(
    `From the first click on: ${share.busyMs.toFixed(0)} ms busy, ${share.tsxMs.toFixed(0)} ms of it under tsx's loader hooks (${((share.tsxMs / share.busyMs) * 100).toFixed(1)}%)`,
  );
}
