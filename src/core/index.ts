/**
 * The bot core: `createCore({ index, config, now })` gives a `BotCore` whose `handle` answers
 * `/summary`, `/quotes`, `/who`, `/search`, `/digest` and `/help` from the index, platform-neutrally
 * (adapters render the `Reply`). Requests are validated with zod; bad input gets an error
 * reply, never an exception. No platform library is imported anywhere under `src/core/`.
 */
import { z } from 'zod';
import { DisplaySchema, type DisplayConfig } from '../config/file.js';
import type { ArticleIndex } from '../index/types.js';
import { helpCommand } from './commands/help.js';
import { quotesCommand } from './commands/quotes.js';
import { searchCommand } from './commands/search.js';
import { summaryCommand } from './commands/summary.js';
import { whoCommand } from './commands/who.js';
import { checkCommand } from './commands/check.js';
import { digestCommand, type DigestCommandOptions, type DigestLimits, type DigestSchedules } from './digest.js';
import { errorReply, type CommandSpec, type CoreContext, type ValidRequest } from './context.js';
import { askCommand } from './commands/ask.js';
import { watchCommands, type WatchRegistry } from './commands/watch.js';
import { NameResolver } from './names.js';
import { cleanArgument, count, echo, hasWords } from './text.js';
import { MAX_PAGE } from './commandText.js';
import { COMMAND_NAMES, type BotCore, type CommandName, type CommandRequest, type Reply } from './types.js';

export type * from './types.js';
export { MAX_PAGE, parseCommandText, readPageArgument, suggestCommand } from './commandText.js';
export { internalErrorReply } from './context.js';

/** Every command name a request may carry. */
export { COMMAND_NAMES };


/** How long a name resolver is reused when the index has not changed, in ms (embargoes lift with time). */
const RESOLVER_TTL_MS = 60_000;

/** Options of `createCore`. */
export interface CoreOptions {
  index: ArticleIndex;
  /** Display options; missing ones take the config file's defaults. `digests`: digest limits and default zone. */
  config?: { display?: Partial<DisplayConfig>; digests?: { limits?: Partial<DigestLimits>; defaultTimeZone?: string; lateArrivalHours?: number } };
  /** Digest schedules per channel (`src/schedule/`); without it `/digest` answers on demand only. */
  digests?: DigestSchedules;
  /** Watches (`src/watch/`); without them `/watch` says watches are off. */
  watches?: WatchRegistry;
  /** Clock, for embargoes and tests; default the system clock. */
  now?: () => Date;
  /** Where unexpected failures are reported (a pino logger fits). */
  logger?: { error(obj: object, msg?: string): void };
}

/** The commands this core answers, in the order `/help` lists them; `run` answers a request (for /ask). */
function commandList(digest: DigestCommandOptions, watches: WatchRegistry | undefined, run: (req: ValidRequest) => Promise<Reply>): CommandSpec[] {
  const list: CommandSpec[] = [summaryCommand, quotesCommand, whoCommand, searchCommand, checkCommand, ...watchCommands(watches), askCommand(run), digestCommand(digest)];
  list.push(helpCommand(() => list));
  return list;
}

/** The request schema for a given argument length limit. */
function requestSchema(maxArgumentLength: number) {
  return z.object({
    command: z.enum(COMMAND_NAMES, { error: 'unknown command' }),
    args: z
      .string({ error: 'the argument must be text' })
      .transform(cleanArgument)
      .pipe(
        z.string().max(maxArgumentLength, {
          error: (iss) => `that argument is ${count(String(iss.input).length, 'character')} long; the limit is ${maxArgumentLength}`,
        }),
      ),
    platform: z.enum(['terminal', 'slack', 'discord']),
    userId: z.string(),
    channelId: z.string().optional(),
    page: z.int({ error: 'the page must be a whole number' }).min(1, 'pages start at 1').max(MAX_PAGE, `the page must be at most ${MAX_PAGE}`).optional(),
    isAdmin: z.boolean().optional(),
    direct: z.boolean().optional(),
  });
}

/** Creates the bot core over an index. */
export function createCore(options: CoreOptions): BotCore {
  const display: DisplayConfig = DisplaySchema.parse(options.config?.display ?? {});
  const now = options.now ?? (() => new Date());
  const schema = requestSchema(display.maxArgumentLength);
  const digestSettings = options.config?.digests;
  const commands = new Map<CommandName, CommandSpec>();
  /** Answers a validated request with its command (no catching: `handle` reports failures). */
  const dispatch = async (req: ValidRequest): Promise<Reply> => {
    const spec = commands.get(req.command);
    if (!spec) return errorReply(`/${req.command} is not available`, `/${req.command} is not available on this bot yet.`, 'Type /help for the commands.');
    if (spec.needsArgument && !req.args) {
      return errorReply(`/${spec.name} needs more`, `Usage: ${spec.usage}, e.g. ${spec.example}.`, 'Type /help for the commands.');
    }
    // "*", "???", "--": nothing to look for (a wildcard is not a query). /help and /digest read their own words.
    if (req.args && !hasWords(req.args) && spec.name !== 'help' && spec.name !== 'digest') {
      return errorReply(`/${spec.name}: nothing to look for`, `${echo(req.args)} has no letters or digits to look for. Usage: ${spec.usage}, e.g. ${spec.example}.`, 'Type /help for the commands.');
    }
    return spec.handle(req, ctx);
  };
  for (const c of commandList(
    {
      ...(options.digests ? { schedules: options.digests } : {}),
      ...(digestSettings?.limits ? { limits: digestSettings.limits } : {}),
      ...(digestSettings?.defaultTimeZone ? { defaultTimeZone: digestSettings.defaultTimeZone } : {}),
      ...(digestSettings?.lateArrivalHours !== undefined ? { lateArrivalMs: digestSettings.lateArrivalHours * 3600_000 } : {}),
    },
    options.watches,
    dispatch,
  )) {
    commands.set(c.name, c);
  }
  type Cached = { token: string; at: number; resolver: NameResolver };
  let cache: Cached | null = null;
  let building: Promise<Cached> | null = null;
  /** Builds a resolver for the index as it is now; one build at a time (callers share it). */
  const rebuild = (): Promise<Cached> => {
    building ??= (async () => {
      const token = await options.index.changeToken();
      const at = now().getTime();
      const built = { token, at, resolver: new NameResolver(await options.index.listEntities(now())) };
      cache = built;
      return built;
    })().finally(() => {
      building = null;
    });
    return building;
  };

  const ctx: CoreContext = {
    index: options.index,
    display,
    now,
    async resolver(opts = {}) {
      const token = await options.index.changeToken();
      const t = now().getTime();
      const current = cache;
      if (current && current.token === token && t - current.at <= RESOLVER_TTL_MS && t >= current.at) return current.resolver;
      if (!current || opts.fresh) {
        let built = await rebuild();
        // A build that started before this change does not hold it yet.
        if (built.token !== token) built = await rebuild();
        return built.resolver;
      }
      // Stale: answer from the last resolver while a new one builds (a build reads the whole
      // catalog: ~0.5 s at 100,000 stories, too long to make every command after an ingest wait).
      rebuild().catch((err: unknown) => options.logger?.error({ err }, 'name resolver rebuild failed'));
      return current.resolver;
    },
  };

  return {
    async handle(request: CommandRequest): Promise<Reply> {
      const parsed = schema.safeParse(request);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const what = issue.path[0] === 'args' ? 'Argument too long' : 'Bad request';
        return errorReply(what, `Sorry, ${issue.message}.`, issue.path[0] === 'args' ? 'Shorten it to a name or a few words.' : undefined);
      }
      const req = parsed.data;
      try {
        return await dispatch({
          command: req.command,
          args: req.args,
          page: req.page ?? 1,
          platform: req.platform,
          userId: req.userId,
          ...(req.channelId ? { channelId: req.channelId } : {}),
          isAdmin: req.isAdmin === true,
          direct: req.direct === true,
        });
      } catch (err) {
        options.logger?.error({ err, command: req.command }, 'command failed');
        return errorReply('Something went wrong', `The bot could not answer /${req.command} just now. The error was logged; please try again.`);
      }
    },

    async suggest(kind: 'speaker' | 'entity', prefix: string, limit: number): Promise<string[]> {
      try {
        const resolver = await ctx.resolver();
        const cleaned = cleanArgument(String(prefix ?? '')).slice(0, display.maxArgumentLength);
        return resolver.suggest(cleaned, limit, kind === 'speaker' ? (e) => e.quoteCount > 0 : undefined);
      } catch (err) {
        options.logger?.error({ err }, 'suggest failed');
        return [];
      }
    },
  };
}
