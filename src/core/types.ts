/**
 * The bot core's platform-neutral contract: what an adapter hands in (`CommandRequest`)
 * and what it gets back (`Reply`). No platform library is imported here or anywhere
 * under `src/core/`; renderers in `src/render/` turn a `Reply` into Block Kit, embeds
 * or terminal text, each within its platform's limits.
 */

/** Every command the core answers, in the order `/help` lists them; adapters and renderers take the list from here. */
export const COMMAND_NAMES = ['summary', 'quotes', 'who', 'search', 'check', 'watch', 'unwatch', 'ask', 'digest', 'help'] as const;

/** Commands the core answers. */
export type CommandName = (typeof COMMAND_NAMES)[number];

/** The platforms adapters exist for. */
export type Platform = 'terminal' | 'slack' | 'discord';

/** One command from a user, as an adapter parsed it from a platform event. */
export interface CommandRequest {
  command: CommandName;
  /** Everything after the command name, as typed (trimmed). May be empty. */
  args: string;
  platform: Platform;
  /** Platform user id ("U024BE7LH", a Discord snowflake, "local"). */
  userId: string;
  /** Platform channel id, when the command came from a channel. */
  channelId?: string;
  /** 1-based page of a long answer (the "More" button asks for page+1). */
  page?: number;
  /** Whether the user is an admin for state-changing commands (set by the adapter from config). */
  isAdmin?: boolean;
  /** The command came from a direct message with the bot (a DM channel), not a shared channel. */
  direct?: boolean;
}

/** Where a fact in a reply comes from: the story it was found in. */
export interface Citation {
  storyId: string;
  title: string;
  /** ISO 8601 date-time the story was published, or (undated) first seen, when known. */
  date: string | null;
  /** True when the story has no publication time: `date` is when it was first seen, and renderers say so ("undated, first seen …"). */
  undated?: boolean;
  url: string | null;
}

/** A unit of reply content. All text fields are plain text; renderers escape them. */
export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string; citation?: Citation }
  | {
      type: 'quote';
      /** The quoted words, without quotation marks. */
      text: string;
      speaker: string;
      kind: 'direct' | 'indirect';
      /** The sentence(s) the quote stands in. */
      context: string | null;
      cue: string | null;
      citation: Citation;
      /** How many times these words appear in the stories when repeats were merged (absent: once). */
      occurrences?: number;
      /** A short note about the speaker shown after the attribution, e.g. a digest's `3 quotes in 2 stories`. */
      note?: string;
    }
  | {
      type: 'diff';
      /**
       * A word diff between a claimed quote and the stored one, in reading order: `same` words
       * both have (as the story printed them), `claim` words only the claim has, `story` words
       * only the story has. Renderers show it natively (strike-through and bold, or markers).
       */
      parts: { op: 'same' | 'claim' | 'story'; text: string }[];
    }
  | { type: 'list'; items: string[] }
  | { type: 'fields'; fields: { label: string; value: string }[] }
  | { type: 'context'; text: string };

/** A follow-up the user can trigger (a button on Slack/Discord, a hint on the terminal). */
export interface ReplyAction {
  type: 'page';
  label: string;
  /** The request to send when the action is taken. */
  request: Pick<CommandRequest, 'command' | 'args' | 'page'>;
}

/** What the core answers: platform-neutral, rendered by `src/render/*`. */
export interface Reply {
  /** answer: the command succeeded; notFound / ambiguous: name resolution failed; error: bad input. */
  status: 'answer' | 'notFound' | 'ambiguous' | 'error' | 'help';
  title: string;
  blocks: Block[];
  actions?: ReplyAction[];
  /** ephemeral: only the asker sees it (errors, help); channel: everyone does. */
  visibility: 'ephemeral' | 'channel';
}

/** The core as adapters see it. */
export interface BotCore {
  /** Answers one command. Never throws for bad user input: returns an error Reply instead. */
  handle(request: CommandRequest): Promise<Reply>;
  /** Up to `limit` names (speakers or entities) starting with or resembling `prefix`, for autocomplete. */
  suggest(kind: 'speaker' | 'entity', prefix: string, limit: number): Promise<string[]>;
}
