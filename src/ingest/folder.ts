/**
 * A folder of story files (`.txt`, `.md`, `.html`, `.json`) as a source, and a polling watcher
 * that notices new and changed files in serve mode. Polling (a `stat` of each story file every
 * interval) is used rather than `fs.watch` because it behaves the same on every filesystem,
 * network mounts and containers included, and a file is only read once its size and mtime have
 * held still for one interval, so a file still being written is not ingested half-done.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, isStoryFile, readStoryFile } from './files.js';
import { silentLogger, type IngestLogger, type Source, type SourceItem } from './types.js';

/** Options for a folder source. */
export interface FolderOptions {
  /** Descend into sub-folders (default true). Hidden entries (".name") are always skipped. */
  recursive?: boolean;
  /** Largest file read, in bytes. Default 10 MiB. */
  maxFileBytes?: number;
  /** Deepest sub-folder level visited (default 16), a guard against pathological trees. */
  maxDepth?: number;
}

/**
 * Lists the story files under `dir`, sorted by path so that passes are reproducible.
 * Symbolic links to folders are not followed (no cycles).
 * @throws Error when `dir` is missing or not a folder
 */
export async function listStoryFiles(dir: string, opts: FolderOptions = {}): Promise<string[]> {
  const st = await fs.stat(dir).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `folder not found: ${dir}` : `cannot read folder ${dir}: ${err.message}`);
  });
  if (!st.isDirectory()) throw new Error(`not a folder: ${dir}`);
  const recursive = opts.recursive ?? true;
  const maxDepth = opts.maxDepth ?? 16;
  const out: string[] = [];
  const visit = async (d: string, depth: number): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (recursive && depth < maxDepth) await visit(full, depth + 1);
      } else if ((e.isFile() || e.isSymbolicLink()) && isStoryFile(e.name)) {
        out.push(full);
      }
    }
  };
  await visit(dir, 0);
  return out.sort();
}

/** A folder of story files. One pass reads every story file once. */
export class FolderSource implements Source {
  readonly kind = 'folder' as const;
  readonly label: string;
  private files: string[] | null = null;

  constructor(
    readonly dir: string,
    private readonly opts: FolderOptions = {},
  ) {
    this.label = dir;
  }

  async estimate(): Promise<number> {
    this.files = await listStoryFiles(this.dir, this.opts);
    return this.files.length;
  }

  async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
    const files = this.files ?? (await listStoryFiles(this.dir, this.opts));
    this.files = null;
    for (const file of files) {
      if (signal?.aborted) return;
      yield* await readStoryFile(file, this.opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    }
  }
}

/** A single story file as a source. */
export class FileSource implements Source {
  readonly kind = 'file' as const;
  readonly label: string;

  constructor(
    readonly file: string,
    private readonly maxBytes = DEFAULT_MAX_FILE_BYTES,
  ) {
    this.label = file;
  }

  async estimate(): Promise<number> {
    return 1;
  }

  async *items(): AsyncIterable<SourceItem> {
    yield* await readStoryFile(this.file, this.maxBytes);
  }
}

/** Size and modification time of a file, as the watcher compares them. */
type Signature = string;

/** Options for `FolderWatcher`. */
export interface WatchOptions extends FolderOptions {
  /** Milliseconds between polls. Default 2000. */
  intervalMs?: number;
  logger?: IngestLogger;
}

/**
 * Watches a folder for new and changed story files by polling.
 * `start()` records what is there now (already ingested by a backfill) and then, every interval,
 * hands each new or changed file whose size and mtime held still since the previous poll to
 * `onItems`. A deleted file is forgotten (its stories stay in the index). Errors in a poll are
 * logged and the next poll runs as usual.
 */
export class FolderWatcher {
  private seen = new Map<string, Signature>();
  private pending = new Map<string, Signature>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly logger: IngestLogger;
  /** Number of completed polls (for tests and health checks). */
  polls = 0;

  constructor(
    readonly dir: string,
    private readonly onItems: (items: SourceItem[], file: string) => Promise<void>,
    private readonly opts: WatchOptions = {},
  ) {
    this.logger = opts.logger ?? silentLogger;
  }

  private async signatures(): Promise<Map<string, Signature>> {
    const files = await listStoryFiles(this.dir, this.opts);
    const sigs = new Map<string, Signature>();
    for (const f of files) {
      try {
        const st = await fs.stat(f);
        sigs.set(f, `${st.size}:${st.mtimeMs}`);
      } catch {
        // Deleted between listing and stat: ignore until it comes back.
      }
    }
    return sigs;
  }

  /**
   * Takes the initial snapshot and starts polling.
   * @param ingestExisting when true, files already present are ingested on the first polls too
   */
  async start(ingestExisting = false): Promise<void> {
    if (!ingestExisting) this.seen = await this.signatures().catch(() => new Map());
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.opts.intervalMs ?? 2000);
    this.timer.unref?.();
  }

  /** One poll: ingest files that are new or changed and have settled. Never throws. */
  async poll(): Promise<void> {
    try {
      const now = await this.signatures();
      for (const f of [...this.seen.keys()]) if (!now.has(f)) this.seen.delete(f);
      for (const [file, sig] of now) {
        if (this.stopped) break;
        if (this.seen.get(file) === sig) {
          this.pending.delete(file);
          continue;
        }
        if (this.pending.get(file) !== sig) {
          this.pending.set(file, sig); // wait one interval for the file to settle
          continue;
        }
        this.pending.delete(file);
        this.seen.set(file, sig);
        const items = await readStoryFile(file, this.opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
        await this.onItems(items, file);
      }
    } catch (err) {
      this.logger.warn({ folder: this.dir, err: (err as Error).message }, 'folder poll failed; will retry');
    } finally {
      this.polls++;
    }
  }

  /** Stops polling and waits for a poll in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
