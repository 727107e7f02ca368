/**
 * Page furniture: lines that pages, live blogs and feeds print around a story but that are not
 * the story, so they must never reach a summary, a quote or a digest. Each rule is named after
 * the convention it recognises, so a test (or a wrong answer) can say which rule took a line:
 *
 * - `live-coverage`: live-blog prompts and notices ("Follow our live coverage of …", "This page
 *   will be updated", "Refresh for the latest updates", "Live updates paused").
 * - `entry-time`: a live-blog entry's timestamp standing alone ("21:20", "21:20 GMT", "2h ago").
 *   A timestamp glued to an entry ("21:20 — The count in ward 4 …") is not a line of its own:
 *   `stripEntryTime` takes it off and keeps the entry.
 * - `editors-note`: notes about the piece, not the news ("Editor's note: …", "This interview has
 *   been edited for length and clarity.").
 * - `sponsored`: sponsored, promoted and advertising boxes ("Sponsored: …", "Advertisement",
 *   "Paid content", "In partnership with …").
 * - `newsletter`: newsletter and subscription prompts ("Sign up for our morning newsletter …").
 * - `social`: share and follow prompts ("Follow us on Instagram", "Share this article").
 *
 * Rules look only at short lines (a prompt is a line, not a paragraph of reporting) and only at
 * how a line opens, so a story *about* a newsletter or a sponsor keeps its sentences.
 */

/** A furniture rule's name. */
export type FurnitureRule = 'live-coverage' | 'entry-time' | 'editors-note' | 'sponsored' | 'newsletter' | 'social';

/** Longest line a rule may take, in characters. */
const MAX_FURNITURE = 260;

const RULES: readonly { rule: FurnitureRule; test: RegExp }[] = [
  {
    rule: 'live-coverage',
    test: /^(?:(?:follow|read|get|see|watch)\b.{0,40}\blive\b.{0,40}\b(?:coverage|updates?|blog|reporting)\b|(?:this|the) (?:page|blog|story|article|live blog) (?:will be|is being|is) (?:updated|refreshed)\b|(?:please )?refresh (?:this page|the page|for)\b|auto-?refresh\b|live updates? (?:are |have )?(?:paused|ended|resumed)\b|(?:we(?:'|’)re|we are) (?:no longer|now) (?:updating|live)\b|(?:our|this) live (?:coverage|blog) (?:has ended|is now closed|continues)\b)/i,
  },
  {
    rule: 'entry-time',
    test: /^(?:(?:updated|posted)\s+)?(?:\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?|\d{1,2}\s?[ap]\.?m\.?)(?:\s+(?:GMT|BST|UTC|CET|CEST|EET|ET|EST|EDT|CT|PT|PST|PDT|local time))?$|^\d{1,3}\s?(?:min(?:ute)?s?|h(?:ours?|rs?)?|m)\s+ago$|^just now$/i,
  },
  {
    rule: 'editors-note',
    test: /^(?:(?:the )?editor(?:'|’)?s(?:'|’)? note\b|(?:this|the) (?:interview|conversation|transcript|q&a|exchange)\b.{0,30}\b(?:has been|was|have been)\b.{0,20}\b(?:edited|condensed)\b|(?:answers|responses|quotes|remarks|it) (?:have|has) been (?:lightly )?(?:edited|condensed)\b|(?:lightly )?(?:edited|condensed) for (?:length|clarity|brevity)\b)/i,
  },
  {
    rule: 'sponsored',
    test: /^(?:sponsored|advertisement|advertising|advertorial|promoted|promotion|paid (?:content|post|partnership|for by)|partner content|in partnership with|presented by|brought to you by|supported by|ad|ads)\b(?:\s*$|\s*[:|—–-]|\s+(?:content|story|post|by|links?)\b)/i,
  },
  {
    rule: 'newsletter',
    test: /^(?:(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|briefing|bulletin|alerts?|inbox|email|updates|digest)\b|(?:get|receive|want)\b.{0,60}\b(?:newsletter|briefing|in your inbox|delivered to your inbox)\b|never miss (?:a|another) (?:story|update)\b|already a subscriber\b|subscribe (?:now|today|for)\b|support (?:our|independent) journalism\b)/i,
  },
  {
    rule: 'social',
    test: /^(?:(?:follow|like|join|find) (?:us|our \w+(?: \w+)?) on (?:twitter|x|facebook|instagram|tiktok|threads|bluesky|mastodon|linkedin|youtube|whatsapp|telegram|social media)\b|share (?:this|on|via)\b|(?:click|tap) (?:here )?to (?:share|follow|subscribe)\b|(?:copy|share) (?:the )?link\b)/i,
  },
];

/** The rule a line is furniture by, or null when it is story text. */
export function furnitureRule(line: string): FurnitureRule | null {
  const t = line.replace(/\s+/g, ' ').trim();
  if (!t || t.length > MAX_FURNITURE) return null;
  for (const r of RULES) if (r.test.test(t)) return r.rule;
  return null;
}

/**
 * A live-blog entry's leading timestamp ("21:20 — ", "9.05am: ", "10:15 GMT | "), removed; the
 * entry's text is kept. Text without one is returned unchanged.
 */
export function stripEntryTime(line: string): string {
  return line.replace(
    /^\s*(?:(?:updated|posted)\s+)?(?:\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?|\d{1,2}\s?[ap]\.?m\.?)(?:\s+(?:GMT|BST|UTC|CET|CEST|EET|ET|EST|EDT|CT|PT|PST|PDT|local time))?\s*(?:—|–|-|:|\|)\s+(?=\S)/i,
    '',
  );
}

/** Paragraphs with furniture taken out, and what was taken by which rule. */
export interface FurnitureResult {
  paragraphs: string[];
  removed: { rule: FurnitureRule; text: string }[];
}

/**
 * Removes furniture paragraphs (see the module docstring) and strips live-blog entry times.
 * A story is never emptied: when every paragraph would go, they all stay.
 */
export function stripFurniture(paragraphs: readonly string[]): FurnitureResult {
  const kept: string[] = [];
  const removed: FurnitureResult['removed'] = [];
  for (const p of paragraphs) {
    const rule = furnitureRule(p);
    if (rule) removed.push({ rule, text: p });
    else kept.push(stripEntryTime(p));
  }
  if (kept.length === 0) return { paragraphs: [...paragraphs], removed: [] };
  return { paragraphs: kept, removed };
}
