/**
 * Plain questions, as people type them in a mention or a DM, read as commands:
 *
 * | question | command |
 * | --- | --- |
 * | what did X say about Y · what has X said on Y · what is X saying about Y | `/quotes X about Y` |
 * | what did X say · what has X said | `/quotes X` |
 * | did X (really) say "…" · did X say that … | `/check X: …` |
 * | is this quote real: "…" · check "…" | `/check …` |
 * | who is X · who's X · what is X · tell me about X | `/who X` |
 * | summarise / summarize / sum up / give me a summary of <headline words> | `/summary words` |
 * | tell me / alert me / let me know when X is quoted or mentioned | `/watch me X` |
 * | find / search (for) / any stories about <words> | `/search words` |
 *
 * Pure and small on purpose: a question no pattern reads gets `null`, and the caller shows
 * `/help`. Leading politeness ("hey", "please", "can you") and a trailing "?" are ignored.
 */
import type { CommandName } from './types.js';

/** A question read as a command. */
export interface ReadQuestion {
  command: CommandName;
  args: string;
}

const SAY = '(?:say|said|says|tell|told|state|stated)';

/** Patterns, most specific first; each builds the command from its groups. */
const PATTERNS: { re: RegExp; read: (m: RegExpExecArray) => ReadQuestion }[] = [
  {
    re: new RegExp(`^did\\s+(.+?)\\s+(?:really\\s+|actually\\s+|ever\\s+)?${SAY}\\s+(?:that\\s+|this\\s*:?\\s*)?(["“«„'‘].+|.{12,})$`, 'i'),
    read: (m) => ({ command: 'check', args: `${m[1]}: ${m[2]}` }),
  },
  {
    re: /^(?:is|was)\s+(?:this|that|the following)\s+(?:quote\s+)?(?:real|right|accurate|genuine|true|correct)\s*[:,?]?\s*(.{8,})$/i,
    read: (m) => ({ command: 'check', args: m[1]! }),
  },
  {
    re: new RegExp(`^what\\s+(?:did|has|have|does|do|had)\\s+(.+?)\\s+${SAY}(?:\\s+(?:about|on|regarding|concerning)\\s+(.+))?$`, 'i'),
    read: (m) => ({ command: 'quotes', args: m[2] ? `${m[1]} about ${m[2]}` : m[1]! }),
  },
  {
    re: /^what\s+(?:is|was|are|were)\s+(.+?)\s+saying(?:\s+(?:about|on|regarding)\s+(.+))?$/i,
    read: (m) => ({ command: 'quotes', args: m[2] ? `${m[1]} about ${m[2]}` : m[1]! }),
  },
  {
    re: /^(?:tell|alert|notify|ping|warn)\s+me\s+(?:when(?:ever)?|if)\s+(.+?)\s+(?:is|gets|get|are)\s+(?:quoted|mentioned|in the news)$/i,
    read: (m) => ({ command: 'watch', args: `me ${m[1]}` }),
  },
  {
    re: /^(?:let\s+me\s+know|tell\s+me)\s+(?:when(?:ever)?|if)\s+(.+?)\s+(?:is|gets)\s+(?:quoted|mentioned)$/i,
    read: (m) => ({ command: 'watch', args: `me ${m[1]}` }),
  },
  {
    re: /^(?:summari[sz]e|sum\s+up|(?:give\s+me\s+)?(?:a\s+)?summary\s+of|what\s+does\s+the\s+story\s+say\s+about)\s*(.*)$/i,
    read: (m) => ({ command: 'summary', args: m[1]!.replace(/^(?:the\s+)?(?:story|article)\s+(?:about|on)\s+/i, '') }),
  },
  {
    re: /^(?:who|what)(?:\s+is|\s+was|\s+are|'s|’s)\s+(.+)$/i,
    read: (m) => ({ command: 'who', args: m[1]! }),
  },
  {
    re: /^tell\s+me\s+about\s+(.+)$/i,
    read: (m) => ({ command: 'who', args: m[1]! }),
  },
  {
    re: /^(?:find|search(?:\s+for)?|(?:are\s+there\s+)?any\s+stories\s+(?:about|on|with))\s+(.+)$/i,
    read: (m) => ({ command: 'search', args: m[1]! }),
  },
];

/** Politeness before a question and punctuation after it. */
const LEAD = /^(?:(?:hey|hi|hello|ok|okay|so|please|pls|bot)[,!]?\s+|(?:can|could|would)\s+you\s+(?:please\s+)?|do\s+you\s+know\s+)+/i;

/**
 * Reads a plain question as a command (see the module docstring).
 * @returns the command and its arguments, or null when no pattern reads it
 */
export function readQuestion(text: string): ReadQuestion | null {
  const q = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEAD, '')
    .replace(/\s*[?!.]+$/, '')
    .trim();
  if (!q) return null;
  for (const p of PATTERNS) {
    const m = p.re.exec(q);
    if (m) {
      const read = p.read(m);
      return { command: read.command, args: read.args.replace(/^(?:the\s+)?(?:news\s+)?about\s+/i, '').trim() };
    }
  }
  return null;
}

/**
 * Whether text that starts with a command word is rather a question ("who is macron" is
 * `/who macron`, not `/who is macron`): it reads as a question whose arguments differ from the
 * command's (`search AT&T` stays `/search AT&T`).
 * @param args what the command word would get
 */
export function readsAsQuestion(text: string, args: string): boolean {
  const read = readQuestion(text);
  return read !== null && read.args.trim().toLowerCase() !== args.trim().toLowerCase();
}
