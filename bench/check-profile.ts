/**
 * Profiles /check on the synthetic archive, case by case (verbatim, close, fragment, speaker,
 * joined, unknown): `npx tsx bench/check-profile.ts N [FILE]` builds (or reuses) a SQLite index of
 * N archive stories at FILE and prints p50/p99 per kind of claim. For tuning; `npm run bench:scale`
 * measures /check among the other commands.
 */
import fs from 'node:fs';
import { createCore } from '../src/core/index.js';
import { SqliteIndex } from '../src/index/sqlite.js';
import { checkClaim } from './scale.js';
import { ARCHIVE_START, loadArchive, STORIES_PER_DAY } from './synthetic.js';

const n = Number(process.argv[2] ?? 10_000);
const file = process.argv[3] ?? `/tmp/newsroom-check-${n}.db`;
const fresh = !fs.existsSync(file);
let clock = new Date(ARCHIVE_START);
const index = SqliteIndex.open(file, { clock: () => clock });
if (fresh) await loadArchive(index, 0, n, (at) => (clock = at));
const now = new Date(ARCHIVE_START + (n / STORIES_PER_DAY + 2) * 86_400_000);
const core = createCore({ index, now: () => now });
const kinds = ['verbatim', 'close', 'fragment', 'speaker', 'joined', 'unknown'];
const times = new Map<string, number[]>(kinds.map((k) => [k, []]));
for (let i = 0; i < 600; i++) {
  const t = performance.now();
  const r = await core.handle({ command: 'check', args: checkClaim(i, n), platform: 'terminal', userId: 'bench' });
  const ms = performance.now() - t;
  if (i >= 6) times.get(kinds[i % 6]!)!.push(ms);
  if (i < 6) console.log(kinds[i % 6], '→', r.title, `(${ms.toFixed(1)} ms)`);
}
for (const [k, xs] of times) {
  xs.sort((a, b) => a - b);
  console.log(`${k.padEnd(9)} p50 ${xs[Math.floor(xs.length / 2)]!.toFixed(1)} ms  p99 ${xs[Math.floor(xs.length * 0.99)]!.toFixed(1)} ms  max ${xs.at(-1)!.toFixed(1)} ms`);
}
await index.close();
