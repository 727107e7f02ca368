/**
 * The Slack app manifest: commands, scopes, events and Socket Mode, so a workspace admin can
 * create the app in one paste (api.slack.com/apps → Create New App → From a manifest).
 * `config/slack-manifest.json` is `buildSlackManifest()` with the defaults; a test keeps the two
 * equal. For a command prefix or HTTP mode, print a variant:
 *
 *   npx tsx src/adapters/slack/manifest.ts --prefix news- --url https://bot.example.org/slack/events
 *
 * Field names and limits follow Slack's app manifest reference (docs.slack.dev/reference/app-manifest).
 */
import { fileURLToPath } from 'node:url';
import type { webApi } from '@slack/bolt';
import type { CommandName } from '../../core/types.js';
import { SLACK_COMMANDS, slashCommandName, validateCommandPrefix } from './commands.js';

/** The manifest shape Slack's Web API types describe. */
export type SlackManifest = webApi.AppsManifestCreateArguments['manifest'];

/**
 * What each slash command says in Slack's command picker. Every alternative a hint offers is an
 * argument the core accepts (a test checks each one).
 */
export const COMMAND_TEXT: Record<CommandName, { description: string; usage_hint: string }> = {
  summary: { description: 'Summarise a story (the latest one when none is named)', usage_hint: '[words from the headline or story]' },
  quotes: { description: 'Quotes by a speaker across the stories', usage_hint: '<speaker name>' },
  who: { description: 'Who or what is this: roles, affiliation, stories', usage_hint: '<name of a person, country or organisation>' },
  search: { description: 'Search headlines and story text', usage_hint: '<words>' },
  digest: { description: 'Digest of recent stories', usage_hint: '[24h | today | week | list]' },
  check: { description: 'Check a quote against the archive: verbatim, close, partial or not found', usage_hint: '[speaker:] "the quote"' },
  watch: { description: 'Get an alert when a story quotes or mentions a name, or has your words', usage_hint: '<name or words> | me <name> | list' },
  unwatch: { description: 'Stop a watch', usage_hint: '<id>' },
  ask: { description: 'Ask in plain words: what did X say about Y, who is X, did X say "…"', usage_hint: '<question>' },
  help: { description: 'What the newsroom bot can do', usage_hint: '' },
};

/**
 * Bot scopes: `commands` (slash commands), `chat:write` (answers to mentions and DMs, ephemeral
 * notes, digests in channels the bot is in, watch alerts), `chat:write.public` (scheduled digests
 * in public channels the bot was not invited to), `app_mentions:read` (the `app_mention` event),
 * `im:history` (the `message.im` event), `im:write` (`conversations.open`: a user's watch alerts
 * come by DM). Private channels still need the bot invited.
 */
export const SLACK_BOT_SCOPES = ['app_mentions:read', 'chat:write', 'chat:write.public', 'commands', 'im:history', 'im:write'] as const;
/** Events the adapter listens to. */
export const SLACK_BOT_EVENTS = ['app_mention', 'message.im'] as const;

/** Options for `buildSlackManifest`. */
export interface ManifestOptions {
  /** App and bot user name shown in Slack. Default "Newsroom Bot". */
  name?: string;
  /** Slash command prefix (see `validateCommandPrefix`). Default "". */
  prefix?: string;
  /**
   * HTTP mode: the public https URL Slack posts to (ending in `/slack/events`). When absent the
   * manifest enables Socket Mode and needs no URL.
   */
  requestUrl?: string;
}

/** Builds the manifest. @throws Error for an invalid prefix or a request URL that is not https */
export function buildSlackManifest(options: ManifestOptions = {}): SlackManifest {
  const name = options.name ?? 'Newsroom Bot';
  const prefix = validateCommandPrefix(options.prefix ?? '');
  const url = options.requestUrl;
  if (url !== undefined && !/^https:\/\/\S+$/.test(url)) throw new Error(`Slack request URL must be an https:// URL, got "${url}"`);
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Summaries, quotes and who-is-who from your newsroom’s stories.',
      background_color: '#1f3a5f',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: SLACK_COMMANDS.map((c) => ({
        command: slashCommandName(c, prefix),
        description: COMMAND_TEXT[c].description,
        ...(COMMAND_TEXT[c].usage_hint ? { usage_hint: COMMAND_TEXT[c].usage_hint } : {}),
        should_escape: false,
        ...(url ? { url } : {}),
      })),
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: url === undefined,
      token_rotation_enabled: false,
    },
  };
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `npx tsx src/adapters/slack/manifest.ts --help`. */
const MANIFEST_USAGE = `usage: npx tsx src/adapters/slack/manifest.ts [--prefix PREFIX] [--url URL] [--name NAME]

Prints the Slack app manifest (paste it at api.slack.com/apps → Create New App → From a manifest).
  --prefix news-   every slash command prefixed (/news-quotes), for workspaces where /quotes is taken;
                   set the same slack.commandPrefix in config/newsroom.json
  --url URL        HTTP mode: the public https URL ending in /slack/events (Socket Mode off)
  --name NAME      the app's and bot user's name (default "Newsroom Bot")
`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(MANIFEST_USAGE);
    process.exit(0);
  }
  try {
    const prefix = flag(argv, '--prefix');
    const requestUrl = flag(argv, '--url');
    const name = flag(argv, '--name');
    const manifest = buildSlackManifest({
      ...(prefix !== undefined ? { prefix } : {}),
      ...(requestUrl !== undefined ? { requestUrl } : {}),
      ...(name !== undefined ? { name } : {}),
    });
    process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}
