/**
 * Stories written for the Discord tests (invented events; names of public figures only).
 * One carries a spokeswoman's quotes for `/quotes speaker:zakharova`; one quotes a
 * community manager who typed `@everyone` and `@here`, to prove article text never pings.
 */
import type { ArticleInput } from '../../src/index/types.js';

export const ZAKHAROVA_STORY: ArticleInput = {
  title: 'Moscow dismisses grain corridor proposal as "theatre"',
  url: 'https://news.example.org/2024/03/14/grain-corridor',
  publishedAt: '2024-03-14T09:30:00Z',
  source: 'test',
  text: [
    'Moscow dismisses grain corridor proposal as "theatre"',
    '',
    'MOSCOW (Newswire) — Russia on Thursday rejected a proposal for a new Black Sea grain corridor, calling it a publicity exercise.',
    '',
    '"This is theatre staged for the cameras, not diplomacy," Maria Zakharova, spokeswoman for the Russian Foreign Ministry, told reporters in Moscow.',
    '',
    'Zakharova said the plan ignored Russian concerns about shipping inspections.',
    '',
    '"We have heard these promises before and we know how they end," she added.',
    '',
    'The proposal, backed by 14 countries, would have allowed 3 million tonnes of grain a month to leave Odesa.',
  ].join('\n'),
};

export const EVERYONE_STORY: ArticleInput = {
  title: 'Server outage leaves gamers locked out for a day',
  url: 'https://news.example.org/2024/03/15/outage',
  publishedAt: '2024-03-15T12:00:00Z',
  source: 'test',
  text: [
    'Server outage leaves gamers locked out for a day',
    '',
    'LONDON (Newswire) — Thousands of players were locked out of an online game for 26 hours after a failed update.',
    '',
    '"@everyone the servers are down, @here please stop restarting the launcher," Tom Hadley, the community manager, wrote on the game\'s forum.',
    '',
    'Hadley said engineers had rolled back the update by Friday evening.',
  ].join('\n'),
};

export const TALKS_STORY: ArticleInput = {
  title: 'Ministers meet in Geneva for fresh ceasefire talks',
  url: 'https://news.example.org/2024/03/16/geneva',
  publishedAt: '2024-03-16T08:00:00Z',
  source: 'test',
  text: [
    'Ministers meet in Geneva for fresh ceasefire talks',
    '',
    'GENEVA (Newswire) — Foreign ministers from six countries met in Geneva on Saturday for a new round of ceasefire talks.',
    '',
    '"Nobody expects a breakthrough this weekend," said Maria Zakharova, the Russian Foreign Ministry spokeswoman.',
    '',
    'Marco Zanetti, an Italian envoy, said the talks would continue on Sunday.',
  ].join('\n'),
};

export const DISCORD_TEST_STORIES: ArticleInput[] = [ZAKHAROVA_STORY, EVERYONE_STORY, TALKS_STORY];
