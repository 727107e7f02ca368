/**
 * Registers the slash commands with Discord through REST ("Bulk Overwrite Application
 * Commands"): for one guild when a guild id is given (instant; for development), otherwise
 * globally (for production; Discord may take up to an hour to show changes). Run by
 * `npm run discord:register`, never on start-up.
 */
import { REST, Routes } from 'discord.js';
import type { Env } from '../../config/env.js';
import { discordCommandData } from './commands.js';
import { normaliseApiUrl } from './adapter.js';

/** What was registered. */
export interface RegisterResult {
  scope: 'guild' | 'global';
  guildId: string | null;
  /** Command names Discord now has, as it echoed them back. */
  commands: string[];
}

/**
 * Overwrites the application's commands with this bot's set.
 * @throws Error when DISCORD_TOKEN or DISCORD_APPLICATION_ID is missing, or with Discord's message
 *   (status and code) when the request is refused
 */
export async function registerDiscordCommands(
  env: Pick<Env, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_GUILD_ID' | 'DISCORD_API_URL'>,
): Promise<RegisterResult> {
  if (!env.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
  if (!env.DISCORD_APPLICATION_ID) throw new Error('DISCORD_APPLICATION_ID is not set (the application id from the developer portal)');
  const rest = new REST(env.DISCORD_API_URL ? { api: normaliseApiUrl(env.DISCORD_API_URL) } : {}).setToken(env.DISCORD_TOKEN);
  const guildId = env.DISCORD_GUILD_ID ?? null;
  const route = guildId
    ? Routes.applicationGuildCommands(env.DISCORD_APPLICATION_ID, guildId)
    : Routes.applicationCommands(env.DISCORD_APPLICATION_ID);
  const echoed = (await rest.put(route, { body: discordCommandData() })) as { name?: unknown }[];
  return {
    scope: guildId ? 'guild' : 'global',
    guildId,
    commands: (Array.isArray(echoed) ? echoed : []).map((c) => String(c.name)),
  };
}
