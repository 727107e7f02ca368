/**
 * `npm run discord:register [-- --print]`: registers the bot's slash commands with Discord.
 * DISCORD_GUILD_ID set → that guild only (instant, for development); unset → globally.
 * `--print` writes the command definitions as JSON to stdout and sends nothing; `--invite` prints
 * the URL that adds the bot to a server; `--help` says all this.
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_GUILD_ID, DISCORD_API_URL (and `.env`).
 */
import { readEnv } from '../src/config/env.js';
import { discordCommandData, discordInviteUrl } from '../src/adapters/discord/commands.js';
import { registerDiscordCommands } from '../src/adapters/discord/register.js';
import { discordTokenError } from '../src/adapters/discord/start.js';

const USAGE = `usage: npm run discord:register [-- --print | --invite | --help]

  (no option)  register the bot's slash commands with Discord: in the guild DISCORD_GUILD_ID when
               set (at once; for development), else globally (may take up to an hour to appear).
               Run it once, and again whenever the commands change; never needed on start-up.
               Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (in .env or the environment).
  --print      print the command definitions as JSON; sends nothing
  --invite     print the URL that adds the bot to a server, with the scopes and permissions it needs
               (needs DISCORD_APPLICATION_ID only)
  --help       this text
`;

async function main(argv: string[]): Promise<number> {
  const known = new Set(['--print', '--invite', '--help', '-h']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv.includes('--invite')) {
    const env = readEnv();
    if (!env.DISCORD_APPLICATION_ID) {
      process.stderr.write('DISCORD_APPLICATION_ID is not set: copy the Application ID from the Discord developer portal (your application → General Information)\n');
      return 1;
    }
    process.stdout.write(`${discordInviteUrl(env.DISCORD_APPLICATION_ID)}\n`);
    return 0;
  }
  if (argv.includes('--print')) {
    process.stdout.write(JSON.stringify(discordCommandData(), null, 2) + '\n');
    return 0;
  }
  const env = readEnv();
  const result = await registerDiscordCommands(env).catch((err: unknown) => Promise.reject(discordTokenError(err, env)));
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
