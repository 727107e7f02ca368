/**
 * Stories written for the digest tests (invented events and people). One harbour story, one
 * budget story with money figures, one with chat-mention bait, and an embargoed one.
 */
import type { ArticleInput } from '../../src/index/types.js';

export const HARBOUR_STORY: ArticleInput = {
  title: 'Ferry crews vote to strike over night shifts in Valletta',
  url: 'https://news.example.org/malta/ferry-crews-strike',
  source: 'test',
  text: [
    'Ferry crews vote to strike over night shifts in Valletta',
    'VALLETTA, May 6 (Newsroom) - About 400 ferry crew members in Malta voted on Tuesday to strike next week after talks with the operator over night-shift pay broke down.',
    '"Our members have worked every storm and every holiday, and they will not be taken for granted," union secretary Rita Camilleri told reporters outside the harbour office.',
    'Camilleri said the union had asked for a 9 percent rise for night shifts.',
    '"We remain open to talks at any hour," she said.',
    'The operator, Island Link Ferries, said the demand would cost it 3 million euros a year.',
    '"We cannot pay what we do not earn," Island Link chief executive Mark Borg said in a statement.',
  ].join('\n'),
};

export const BUDGET_STORY: ArticleInput = {
  title: 'Portugal sets aside record sum for school repairs',
  url: 'https://news.example.org/portugal/school-repairs',
  source: 'test',
  text: [
    'Portugal sets aside record sum for school repairs',
    'LISBON, May 6 (Newsroom) - Portugal will spend 1.2 billion euros over three years to repair 800 schools, Education Minister Helena Sousa said on Tuesday.',
    '"No child should learn under a leaking roof," Sousa told parliament.',
    'Sousa said the first 150 schools would be repaired before September.',
    'Opposition lawmaker Tiago Ramos said the plan came too late. "Parents have waited a decade for this," Ramos said.',
    'Spain announced a similar programme last year.',
  ].join('\n'),
};

export const BAIT_STORY: ArticleInput = {
  title: 'Prank alert <!channel> @here floods council chat',
  url: 'https://news.example.org/uk/prank-alert',
  source: 'test',
  text: [
    'Prank alert <!channel> @here floods council chat',
    'LEEDS, May 6 (Newsroom) - A council meeting in Leeds was delayed on Tuesday after a prank message reading "<!channel> @everyone the building is on fire" was posted to the staff chat.',
    '"It was a silly joke that cost us an afternoon," council leader Janet Hughes said.',
  ].join('\n'),
};

/** A story under embargo until `until` (ISO). */
export function embargoedStory(until: string): ArticleInput {
  return {
    title: 'Central bank of Freedonia to cut rates, embargoed',
    url: 'https://news.example.org/freedonia/rates-embargoed',
    source: 'test',
    embargoUntil: until,
    text: [
      'Central bank of Freedonia to cut rates, embargoed',
      'FREEDONIA CITY, May 6 (Newsroom) - The central bank of Freedonia will cut its main rate by 25 basis points, governor Aslan Lionheart said.',
      '"The time is right," Lionheart said.',
    ].join('\n'),
  };
}
