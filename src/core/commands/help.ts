/**
 * `/help`: the commands with their usage and an example, and how many stories the index holds.
 */
import type { CommandSpec } from '../context.js';
import type { Reply } from '../types.js';
import { count } from '../text.js';

/** Builds the help command over the list of commands it describes (itself included). */
export function helpCommand(all: () => readonly CommandSpec[]): CommandSpec {
  return {
    name: 'help',
    usage: '/help',
    description: 'This list.',
    example: '/help',
    needsArgument: false,
    async handle(_req, ctx): Promise<Reply> {
      const stories = await ctx.index.storyCount();
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
