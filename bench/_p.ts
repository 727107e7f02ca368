import { SqliteIndex } from '../src/index/sqlite.js';
import { checkClaim } from './scale.js';
const index = SqliteIndex.open('/tmp/newsroom-check-100000.db');
const now = new Date('2030-01-01');
const N = 100000;
const T = async (f: () => Promise<unknown>) => { const a = performance.now(); await f(); return performance.now() - a; };
for (const kind of [0, 4, 5]) {
  const t: Record<string, number> = {}; let k = 0;
  for (let i = kind + 6; i < 600; i += 6) {
    const claim = checkClaim(i, N).replace(/^[^:"]*: /, '').replace(/^["“]|["”]$/g, '');
    const mid = Math.floor(claim.length / 2);
    const add = (n: string, v: number) => (t[n] = (t[n] ?? 0) + v);
    add('exact', await T(() => index.quotesWithWords(claim, { now, limit: 20 })));
    add('cheap', await T(() => index.quoteCandidates(claim, { now, thorough: false })));
    add('halves', await T(async () => { await index.quoteCandidates(claim.slice(0, mid), { now, limit: 30, thorough: false }); await index.quoteCandidates(claim.slice(mid), { now, limit: 30, thorough: false }); }));
    add('thorough', await T(() => index.quoteCandidates(claim, { now })));
    k++;
  }
  console.log(kind, Object.entries(t).map(([n, v]) => `${n} ${(v / k).toFixed(2)}`).join('  '));
}
