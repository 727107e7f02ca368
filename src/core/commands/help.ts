/**
 * `/help`: the commands with their usage and an example, and how many stories the index holds;
 * `/help <command>` shows that command alone (an unknown name gets the full list).
 */
import type { CommandSpec } from '../context.js';
import type { Reply } from '../types.js';
import { count } from '../text.js';

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
        title: 'Newsroom bot: commands',
        blocks: [
          { type: 'paragraph', text: 'I answer questions about the stories in the newsroom index. Names can be a surname, a full name, an adjective or a capital (french, paris), and small typos are fine.' },
          { type: 'list', items: all().map((c) => `${c.usage}: ${c.description} Example: ${c.example}`) },
          { type: 'context', text: `${count(stories, 'story', 'stories')} in the index.` },
        ],
        visibility: 'ephemeral',
      };
    },
  };
}
