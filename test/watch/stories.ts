/**
 * Stories written for the watch tests (an invented harbour town): a first story that makes
 * Ingrid Solberg known to the index, then numbered follow-ups that mention or quote her, each
 * with its own URL so a test can revise one.
 */
import type { ArticleInput } from '../../src/index/types.js';

/** Makes Ingrid Solberg and Tomas Berg known before any watch is set. */
export const INTRO_STORY: ArticleInput = {
  text: `Harbour board names new chair

HALDEN — The Halden harbour board on Monday named Ingrid Solberg as its chair.

“The channel is the town's lifeline,” said Ingrid Solberg, chair of the harbour board.

Tomas Berg, head of the fishermen's association, welcomed the choice.
`,
  url: 'https://news.example.org/halden/new-chair',
  source: 'test',
};

/** Follow-up `n`: quotes Ingrid Solberg (her words carry `n`), or only mentions her. */
export function followUp(n: number, options: { quote?: boolean; extra?: string; embargoUntil?: string } = {}): ArticleInput {
  const quote = options.quote ?? true;
  const body = quote
    ? `“The survey of berth ${n} will be finished before the summer,” said Ingrid Solberg, chair of the harbour board.`
    : `Ingrid Solberg, chair of the harbour board, attended the meeting about berth ${n} but did not speak.`;
  return {
    text: `Halden harbour update number ${n}

HALDEN — The harbour board met again on Tuesday to discuss berth ${n} of the shipping channel.

${body}
${options.extra ? `\n${options.extra}\n` : ''}`,
    url: `https://news.example.org/halden/update-${n}`,
    source: 'test',
    ...(options.embargoUntil ? { embargoUntil: options.embargoUntil } : {}),
  };
}

/** A story that never names her. */
export const UNRELATED_STORY: ArticleInput = {
  text: `Ferry timetable changes in Halden

HALDEN — The ferry to the islands will leave twenty minutes earlier from Monday, the operator said.
`,
  url: 'https://news.example.org/halden/ferry',
  source: 'test',
};
