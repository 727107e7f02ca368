/**
 * `/ask <question>`: a plain question ("what did zakharova say about nato", "who is X",
 * "did X say "…"", "summarise <headline words>") answered by the command it reads as
 * (`questions.ts`). The reply is that command's, with a first line saying how the question was
 * read, so the user learns the command; a question that cannot be read gets `/help` with a note.
 * Adapters send mentions and DMs that start with no command word here.
 */
import type { CommandSpec, ValidRequest } from '../context.js';
import { readQuestion } from '../questions.js';
import type { Reply } from '../types.js';
import { echo } from '../text.js';

/** Builds `/ask` over `run`, which answers the command a question reads as (the core's own dispatch). */
export function askCommand(run: (req: ValidRequest) => Promise<Reply>): CommandSpec {
  return {
    name: 'ask',
    usage: '/ask <question>',
    description: 'Ask in plain words: "what did X say about Y", "who is X", "did X say "…"", "summarise <headline words>". The answer says which command it read.',
    example: '/ask what did zakharova say about nato',
    needsArgument: true,
    async handle(req): Promise<Reply> {
      const read = readQuestion(req.args);
      if (!read || read.command === 'ask') {
        const help = await run({ ...req, command: 'help', args: '', page: 1 });
        return {
          ...help,
          blocks: [{ type: 'context', text: `I could not read ${echo(req.args)} as a question. Try “what did zakharova say about nato”, “who is zakharova”, or a command below.` }, ...help.blocks],
        };
      }
      const reply = await run({ ...req, command: read.command, args: read.args });
      return { ...reply, blocks: [{ type: 'context', text: `Read as: /${read.command}${read.args ? ` ${read.args}` : ''}` }, ...reply.blocks] };
    },
  };
}
