/**
 * Stories written for the Slack tests (invented events; names of public figures and
 * countries only as the subjects of made-up wire copy). One has a spokeswoman's quotes, one
 * carries chat-mention bait (`<!channel>`, `@here`), and a generator makes a speaker with
 * as many quotes as a test needs.
 */
import type { ArticleInput } from '../../src/index/types.js';

export const GRAIN_STORY: ArticleInput = {
  title: 'Moscow denies report of new grain corridor talks',
  url: 'https://news.example.org/world/2024/03/12/grain-corridor-denial',
  publishedAt: '2024-03-12T09:30:00Z',
  source: 'test',
  text: [
    'Moscow denies report of new grain corridor talks',
    'MOSCOW, March 12 (Newsroom) - Russia on Tuesday denied a newspaper report that it had agreed to reopen talks on a Black Sea grain corridor with Ukraine and Turkey.',
    '"There have been no such talks, and there will be none on these terms," Russian Foreign Ministry spokeswoman Maria Zakharova told reporters at her weekly briefing in Moscow.',
    'Zakharova said the report was an attempt to put pressure on Moscow ahead of a summit in Geneva next month.',
    '"We have seen this tactic before. It did not work then, and it will not work now," she said.',
    'France said it was ready to host talks if both sides agreed. French Foreign Minister Jean Dupont told France Inter radio that Paris "will keep every door open".',
    'Turkey, which brokered an earlier deal, did not comment.',
  ].join('\n'),
};

export const PRANK_STORY: ArticleInput = {
  title: 'Council vote delayed after prank alert in staff chat',
  url: 'https://news.example.org/uk/2024/03/13/council-prank-alert',
  publishedAt: '2024-03-13T14:00:00Z',
  source: 'test',
  text: [
    'Council vote delayed after prank alert in staff chat',
    'LEEDS, March 13 (Newsroom) - A city council vote on bus fares was delayed by an hour on Wednesday after someone posted <!channel> and @here in a staff chat with the words "fire drill, leave now", council spokesman Peter Hale said.',
    '"Someone typed <!channel> @here @everyone into the wrong window and three hundred people walked out of the building," Hale told reporters. "It was not a drill."',
    'Hale said the council would review who can alert the whole staff at once. The message also linked to <https://phish.example.net/login|the staff portal>, which the council said was not its site.',
    'The vote on the fares, which would rise by 12 percent, was taken later in the afternoon.',
  ].join('\n'),
};

/**
 * `stories` stories by one speaker, `perStory` quotes each, every quote unique ("… number N …").
 * The speaker is a transport ministry spokeswoman, Elena Markova.
 */
export function markovaStories(stories: number, perStory: number): ArticleInput[] {
  const out: ArticleInput[] = [];
  let n = 0;
  for (let s = 0; s < stories; s++) {
    const lines = [`Rail timetable review, part ${s + 1}`];
    lines.push(
      `KYIV, April ${(s % 28) + 1} (Newsroom) - The transport ministry published part ${s + 1} of its review of the national rail timetable on Monday, spokeswoman Elena Markova said.`,
    );
    for (let q = 0; q < perStory; q++) {
      n++;
      lines.push(
        `"Line number ${n} will run every ${10 + (n % 50)} minutes from June, and we will add night trains where people ask for them," Markova said.`,
      );
      lines.push(`The ministry said the change would affect about ${1000 + n * 7} passengers a day.`);
    }
    out.push({
      title: `Rail timetable review, part ${s + 1}`,
      url: `https://news.example.org/ukraine/2024/04/rail-review-${s + 1}`,
      publishedAt: new Date(Date.UTC(2024, 3, 1 + (s % 28), 8, s)).toISOString(),
      source: 'test',
      text: lines.join('\n'),
    });
  }
  return out;
}
