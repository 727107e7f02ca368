/**
 * `/search <words>`: stories whose headline or text match the words (all of them when
 * possible, else any), best first, each with an excerpt; paged.
 */
import { errorReply, type CommandSpec } from '../context.js';
import type { Block, Reply } from '../types.js';
import { echo, meaningfulWords } from '../text.js';

/** The `/search` command (see the module docstring). */
export const searchCommand: CommandSpec = {
  name: 'search',
  usage: '/search <words>',
  description: 'Stories whose headline or text contain your words, best match first.',
  example: '/search ceasefire troops',
  needsArgument: true,
  async handle(req, ctx): Promise<Reply> {
    const per = ctx.display.searchResults;
    // Stop words alone ("the", "of it") would match every story: they are not searched for.
    const words = meaningfulWords(req.args);
    if (words.length === 0) {
      return errorReply('/search needs a word to look for', `${echo(req.args)} has only words too common to search for.`, `Usage: ${searchCommand.usage}, e.g. ${searchCommand.example}.`);
    }
    const hits = await ctx.index.search(words.join(' '), per + 1, { offset: (req.page - 1) * per, now: ctx.now() });
    if (hits.length === 0) {
      return {
        status: 'notFound',
        title: req.page > 1 ? `No more results for ${echo(req.args)}` : `Nothing matches ${echo(req.args)}`,
        blocks: [
          {
            type: 'paragraph',
            text: req.page > 1 ? 'That was the last page of results.' : `No story in the index contains ${echo(req.args)}.`,
          },
        ],
        visibility: 'ephemeral',
      };
    }
    const shown = hits.slice(0, per);
    const range = `Results ${(req.page - 1) * per + 1}–${(req.page - 1) * per + shown.length}, best match first`;
    const blocks: Block[] = [{ type: 'context', text: hits[0]!.allWords === false ? `No story has every word; stories with some of them. ${range}` : range }];
    for (const h of shown) {
      blocks.push({
        type: 'paragraph',
        text: h.snippet || h.title,
        citation: { storyId: h.storyId, title: h.title, date: h.date, ...(h.undated ? { undated: true } : {}), url: h.url },
      });
    }
    const reply: Reply = { status: 'answer', title: `Stories matching ${echo(req.args)}`, blocks, visibility: 'channel' };
    if (hits.length > per) {
      reply.actions = [{ type: 'page', label: `More results (page ${req.page + 1})`, request: { command: 'search', args: req.args, page: req.page + 1 } }];
    }
    return reply;
  },
};
