/**
 * `/help`: the commands with their usage and an example, and how many stories the index holds;
 * `/help <command>` shows that command alone; an unknown name is said to be unknown (with the
 * closest command, when one is close) before the full list.
 */
import type { CommandSpec } from '../context.js';
import type { Reply } from '../types.js';
import { suggestCommand } from '../commandText.js';
import { clip, count } from '../text.js';

/** Builds the help command over the list of commands it describes (itself included). */
export function helpCommand(all: () => readonly CommandSpec[]): CommandSpec {
  return {
    name: 'help',
    usage: '/help [command]',
    description: 'This list, or one command in full.',
    example: '/help who',
    needsArgument: false,
    async handle(req, ctx): Promise<Reply> {
      const stories = await ctx.index.storyCount();
      // "/help who", "/help /quotes": that command alone.
      const wanted = req.args.trim().replace(/^\//, '').toLowerCase();
      const one = wanted ? all().find((c) => c.name === wanted) : undefined;
      const names = all().map((c) => c.name);
      // "/help foo": say there is no such command (and which one was meant, when one is close), then list them all.
      const unknown = wanted && !one ? wanted : null;
      const guess = unknown ? suggestCommand(unknown, names) : null;
      if (one) {
        return {
          status: 'help',
          title: `/${one.name}`,
          blocks: [
            { type: 'paragraph', text: one.description },
            { type: 'list', items: [`Usage: ${one.usage}`, `Example: ${one.example}`] },
            { type: 'context', text: `${count(stories, 'story', 'stories')} in the index. /help lists every command.` },
          ],
          visibility: 'ephemeral',
        };
      }
      return {
        status: 'help',
        title: unknown ? `No command /${clip(unknown, 30)}` : 'Newsroom bot: commands',
        blocks: [
          ...(unknown
            ? [{ type: 'paragraph' as const, text: `There is no /${clip(unknown, 30)} command.${guess ? ` Did you mean /${guess}?` : ''} These are the commands:` }]
            : []),
          { type: 'paragraph', text: 'I answer questions about the stories in the newsroom index. Names can be a surname, a full name, an adjective or a capital (french, paris), and small typos are fine.' },
          { type: 'list', items: all().map((c) => `${c.usage}: ${c.description} Example: ${c.example}`) },
          { type: 'context', text: `${count(stories, 'story', 'stories')} in the index.` },
        ],
        visibility: 'ephemeral',
      };
    },
  };
}
