/**
 * Polling a source on an interval (serve mode): each poll is one `runIngest` pass. Polls never
 * overlap; a failed poll (timeout, malformed feed) is logged and the next one runs as usual.
 */
import { runIngest, type IngestStore, type IngestSummary } from './runner.js';
import { silentLogger, type IngestLogger, type Source } from './types.js';

/** Options for `SourcePoller`. */
export interface PollerOptions {
  /** Milliseconds between the end of one poll and the start of the next. */
  intervalMs: number;
  logger?: IngestLogger;
  /** Called with each poll's summary. */
  onPoll?: (summary: IngestSummary) => void;
}

/** Polls one source on an interval and stores what it yields. */
export class SourcePoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<IngestSummary> | null = null;
  private stopped = false;
  private readonly logger: IngestLogger;
  /** Completed polls. */
  polls = 0;
  /** The last poll's summary, or null before the first. */
  last: IngestSummary | null = null;

  constructor(
    readonly source: Source,
    private readonly store: IngestStore,
    private readonly opts: PollerOptions,
  ) {
    this.logger = opts.logger ?? silentLogger;
  }

  /** Starts polling; the first poll runs at once unless `immediately` is false. */
  start(immediately = true): void {
    this.stopped = false;
    if (immediately) void this.pollNow().finally(() => this.schedule());
    else this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pollNow().finally(() => this.schedule()), this.opts.intervalMs);
    this.timer.unref?.();
  }

  /** Polls now (or joins the poll in progress). Never rejects. */
  pollNow(): Promise<IngestSummary> {
    this.running ??= runIngest(this.source, this.store, { progress: false, logger: this.logger })
      .then((summary) => {
        this.polls++;
        this.last = summary;
        const log = { source: this.source.label, added: summary.added, updated: summary.updated, unchanged: summary.unchanged, failed: summary.failed.length };
        if (summary.sourceErrors.length > 0) this.logger.warn({ ...log, errors: summary.sourceErrors }, 'poll failed; next poll as scheduled');
        else if (summary.added + summary.updated + summary.failed.length > 0) this.logger.info(log, 'poll done');
        for (const f of summary.failed) this.logger.warn({ source: this.source.label, item: f.ref, reason: f.reason }, 'item not ingested');
        this.opts.onPoll?.(summary);
        return summary;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
