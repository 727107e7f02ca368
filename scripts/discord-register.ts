/**
 * `npm run discord:register [-- --print]`: registers the bot's slash commands with Discord.
 * DISCORD_GUILD_ID set → that guild only (instant, for development); unset → globally.
 * `--print` writes the command definitions as JSON to stdout and sends nothing.
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_GUILD_ID, DISCORD_API_URL (and `.env`).
 */
import { readEnv } from '../src/config/env.js';
import { discordCommandData } from '../src/adapters/discord/commands.js';
import { registerDiscordCommands } from '../src/adapters/discord/register.js';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--print')) {
    process.stdout.write(JSON.stringify(discordCommandData(), null, 2) + '\n');
    return 0;
  }
  const result = await registerDiscordCommands(readEnv());
  const where = result.scope === 'guild' ? `guild ${result.guildId}` : 'all guilds (global; may take up to an hour to appear)';
  process.stdout.write(`Registered ${result.commands.length} commands for ${where}: ${result.commands.map((c) => `/${c}`).join(' ')}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`discord:register failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
