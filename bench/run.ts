/**
 * `npm run bench`: every benchmark, figures printed with ratios against a peer measured in
 * the same run. Parser (ours vs compromise), ingest of a 10,000-story folder, Discord
 * round trips against the loopback fake. Set BENCH_QUICK=1 for smaller sizes;
 * the synthetic-archive scale benchmark (bench/scale.ts) runs at BENCH_SCALE_N stories (default
 * 10,000; BENCH_SCALE=0 skips it; BENCH_SCALE_N=100000 gives the bot's memory at 100,000 stories, with the
 * parser's given names, gazetteer and model loaded, in about 10 minutes; `npm run bench:scale` runs
 * 10,000 and 100,000 on both backends);
 * the load benchmark (bench/load.ts: Slack acknowledgement latency during a backfill) runs unless BENCH_LOAD=0.
 */
import { benchParse, benchParseScaling, benchParseStartup, printParse } from './parse.js';

const quick = process.env.BENCH_QUICK === '1';

async function main(): Promise<void> {
  const startup = await benchParseStartup();
  console.log(`parser data at first use: given names ${startup.givenNames.ms.toFixed(0)} ms / ${startup.givenNames.heapMB.toFixed(1)} MB heap; places ${startup.places.ms.toFixed(0)} ms / ${startup.places.heapMB.toFixed(1)} MB; attribution model ${startup.model.ms.toFixed(0)} ms / ${startup.model.heapMB.toFixed(1)} MB (${startup.model.features} features, loaded once per process)`);
  printParse(benchParse(quick ? 3 : 20));
  try {
    console.log('real news (polnear-train):');
    printParse(benchParse(quick ? 1 : 3, 'real'));
  } catch (e) {
    console.log(`parse (real news): skipped (${e instanceof Error ? e.message : String(e)})`);
  }
  const sc = benchParseScaling();
  console.log(`parse scaling: twice the quote-dense text takes ${sc.doubleRatio.toFixed(2)}x the time (linear: ~2x; target under 3x); quote-dense vs plain text of the same size ${sc.heavyVsPlain.toFixed(1)}x (target under 20x)`);
  try {
    const { benchIngest } = await import('./ingest.js');
    const r = await benchIngest(quick ? 1000 : 10_000);
    console.log(`ingest: ${r.stories} stories: ${r.addedPerSecond.toFixed(0)} stories/s added, ${r.unchangedPerSecond.toFixed(0)} stories/s unchanged (added ${r.added}, unchanged ${r.unchanged}, failed ${r.failed})`);
  } catch (e) {
    console.log(`ingest: skipped (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    const { benchDiscord } = await import('./discord.js');
    const r = await benchDiscord(quick ? 300 : 2000, quick ? 50 : 200);
    console.log(`discord: ${JSON.stringify(r)}`);
  } catch (e) {
    console.log(`discord: skipped (${e instanceof Error ? e.message : String(e)})`);
  }
  if (process.env.BENCH_LOAD !== '0') {
    // Signed slash commands at a steady rate against the Slack HTTP receiver during a backfill (BENCH_LOAD=0 skips).
    const { benchLoad, formatLoad } = await import('./load.js');
    console.log(formatLoad(await benchLoad(quick ? 1000 : 3000, quick ? 200 : 600)));
  }
  if (process.env.BENCH_SCALE !== '0') {
    // Synthetic archive per backend (Postgres when BENCH_DATABASE_URL is set); BENCH_SCALE_N sets the
    // sizes (comma-separated); `npm run bench:scale` runs 10,000 and 100,000 with a throwaway PostgreSQL.
    const { benchScale } = await import('./scale.js');
    await benchScale(String(process.env.BENCH_SCALE_N ?? (quick ? 1000 : 10_000)).split(",").map(Number));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
