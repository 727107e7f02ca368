/**
 * Stories written for the /check tests (invented harbour town, people and events). The board
 * chair's quote is carried by three stories published on different days; the story that
 * carried it first is stored last, so "first" must come from publication time, not from storage
 * order. The fishermen's leader has a quote of his own, and the chair some reported speech.
 */
import type { ArticleInput } from '../../src/index/types.js';

export const CHAIR_QUOTE = 'We will not dredge the channel until the survey of the seabed is finished';
export const FLEET_QUOTE = 'The fishing fleet cannot wait another season';

export const FIRST_STORY: ArticleInput = {
  text: `Harbour board puts off dredging of Halden channel

HALDEN — The Halden harbour board on Monday put off the dredging of the town's main shipping channel, saying it wanted a full survey first.

“${CHAIR_QUOTE},” said Ingrid Solberg, chair of the harbour board.

Solberg said that the survey would take at least six weeks.

Fishermen reacted with anger. “${FLEET_QUOTE},” said Tomas Berg, head of the Halden fishermen's association.
`,
  url: 'https://news.example.org/halden/dredging-delayed',
  publishedAt: '2026-03-02T09:00:00Z',
  source: 'test',
};

export const SECOND_STORY: ArticleInput = {
  text: `Halden fishermen protest at harbour office

HALDEN — About forty fishermen gathered outside the Halden harbour office on Thursday to protest against the delay to the dredging of the channel.

Ingrid Solberg, chair of the harbour board, has not changed her position. “${CHAIR_QUOTE},” Solberg said.
`,
  url: 'https://news.example.org/halden/fishermen-protest',
  publishedAt: '2026-03-05T15:30:00Z',
  source: 'test',
};

export const THIRD_STORY: ArticleInput = {
  text: `Survey ship arrives in Halden

HALDEN — A survey ship from the national mapping agency arrived in Halden on Monday to begin measuring the seabed of the shipping channel.

Last week the harbour board chair, Ingrid Solberg, repeated her position. “${CHAIR_QUOTE},” Solberg said.
`,
  url: 'https://news.example.org/halden/survey-ship',
  publishedAt: '2026-03-09T07:45:00Z',
  source: 'test',
};

/** Stored in this order: the first story to carry the quote comes last. */
export const CHECK_STORIES: ArticleInput[] = [THIRD_STORY, SECOND_STORY, FIRST_STORY];
