/**
 * Progress of the start-up ingest (`npm start`): quiet when it is quick, and a progress line once
 * it has taken longer than `afterMs` (1 s), so that a desk ingesting 1,500 stories at start-up
 * sees why the bot is not answering yet. On a terminal (TTY) it is a cli-progress bar redrawn in
 * place; elsewhere (a log file, a container) one plain line every `everyMs` (5 s) and one at the
 * end. Writes to the given stream (stderr: stdout carries only the bot's answers).
 */
import cliProgress from 'cli-progress';
import { formatRate, type ProgressStream } from './runner.js';

/** Options of `startupProgress`. Times are milliseconds. */
export interface StartupProgressOptions {
  /** Nothing is shown before the ingest has run this long. Default 1000. */
  afterMs?: number;
  /** Without a TTY: a line at most this often. Default 5000. */
  everyMs?: number;
  /** Stories expected (folder counts), when known: shown as "n of N". */
  expected?: number | null;
  /** Clock (tests); default `Date.now`. */
  now?: () => number;
  /** Timers (tests); default the global ones. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** A running progress display. */
export interface StartupProgress {
  /** Counts one story handled (stored, unchanged or failed); `label` names its source. */
  tick(label: string): void;
  /** Ends the display; prints a closing line when a progress line was shown. */
  done(): void;
  /** Lines written so far (plain mode), for tests. */
  readonly lines: string[];
}

/**
 * Starts a progress display on `stream` (see the module docstring).
 * @returns the display; call `tick` per story and `done` at the end
 */
export function startupProgress(stream: ProgressStream, opts: StartupProgressOptions = {}): StartupProgress {
  const now = opts.now ?? Date.now;
  const afterMs = opts.afterMs ?? 1000;
  const everyMs = opts.everyMs ?? 5000;
  const setTimer = opts.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms).unref());
  const clearTimer = opts.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout));
  const started = now();
  const expected = opts.expected && opts.expected > 0 ? opts.expected : null;
  let count = 0;
  let label = '';
  let lastLine = -Infinity;
  let shown = false;
  let finished = false;
  const lines: string[] = [];
  let bar: cliProgress.SingleBar | null = null;

  const rate = (): string => formatRate(count, now() - started) ?? '0/s';
  const write = (line: string): void => {
    lines.push(line);
    stream.write(`${line}\n`);
  };
  const plainLine = (): string =>
    `newsroom-bot: ingesting at start-up: ${count.toLocaleString('en-US')}${expected ? ` of ${expected.toLocaleString('en-US')}` : ''} stories (${rate()})${label ? `, now ${label}` : ''}; the bot answers once this is done`;

  const update = (): void => {
    if (finished) return;
    const t = now();
    if (t - started < afterMs) return;
    if (stream.isTTY) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { stream, format: 'start-up ingest [{bar}] {value}/{total} stories | {rate} | {source}', hideCursor: false, clearOnComplete: false, fps: 5 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(expected ?? count, count, 1), count, { rate: rate(), source: label });
        shown = true;
      }
      if (count > bar.getTotal()) bar.setTotal(count);
      bar.update(count, { rate: rate(), source: label.length > 40 ? `…${label.slice(-39)}` : label });
      return;
    }
    if (t - lastLine >= everyMs) {
      lastLine = t;
      shown = true;
      write(plainLine());
    }
  };
  // A slow first story (a feed fetch, a big file) still gets its line after `afterMs`.
  const timer = setTimer(update, Math.min(afterMs, everyMs));

  return {
    lines,
    tick(l: string): void {
      count++;
      label = l;
      update();
    },
    done(): void {
      if (finished) return;
      finished = true;
      clearTimer(timer);
      const secs = ((now() - started) / 1000).toFixed(1);
      if (bar) {
        (bar as cliProgress.SingleBar).update(count);
        (bar as cliProgress.SingleBar).stop();
      }
      if (shown && !stream.isTTY) write(`newsroom-bot: start-up ingest done: ${count.toLocaleString('en-US')} ${count === 1 ? 'story' : 'stories'} in ${secs} s`);
    },
  };
}
