/**
 * `Reply` → plain text for a terminal or a pipe: title underlined, fields as `Label: value`,
 * lists as bullets, quotes with speaker, cue, the sentence they stand in and their source,
 * and every citation as `[Headline · date · url]`. Article text cannot drive the terminal:
 * control characters (escape sequences included) and bidi overrides are removed.
 */
import type { Block, Citation, Reply, ReplyAction } from '../core/types.js';

/** Options of `renderTerminal`. */
export interface TerminalRenderOptions {
  /** How to tell the user about a follow-up action; default: the command to type. */
  actionHint?: (action: ReplyAction) => string;
}

/**
 * Removes what could drive or confuse a terminal: C0/C1 control characters except newline and
 * tab (so no ANSI escape sequences) and the bidi embedding, override and isolate controls
 * (U+202A–U+202E, U+2066–U+2069), which could reorder what the reader sees. Letters of
 * right-to-left scripts are kept.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '');
}

/** A citation as one line: `[Headline · 2025-03-05 · https://…]` (`undated, first seen 2025-03-05` for an undated story). */
export function citationText(c: Citation): string {
  const date = c.date ? `${c.undated ? 'undated, first seen ' : ''}${c.date.slice(0, 10)}` : null;
  return `[${[c.title, date, c.url].filter(Boolean).join(' · ')}]`;
}

const sameCitation = (a: Citation | undefined, b: Citation | undefined) => Boolean(a && b && a.storyId === b.storyId);

/** The command a page action stands for, as the user would type it. */
export function actionCommand(a: ReplyAction): string {
  const r = a.request;
  return `/${r.command}${r.args ? ` ${r.args}` : ''}${r.page && r.page > 1 ? ` --page ${r.page}` : ''}`;
}

function renderBlock(b: Block, next: Block | undefined): string[] {
  switch (b.type) {
    case 'heading':
      return ['', b.text];
    case 'paragraph': {
      const lines = [b.text];
      // Consecutive paragraphs from the same story cite it once, after the last of them.
      if (b.citation && !(next?.type === 'paragraph' && sameCitation(next.citation, b.citation))) lines.push(`  ${citationText(b.citation)}`);
      return lines;
    }
    case 'quote': {
      const words = b.kind === 'direct' ? `“${b.text}”` : `(reported) ${b.text}`;
      const who = `  — ${b.speaker}${b.cue ? ` (${b.cue})` : ''}${b.note ? ` · ${b.note}` : ''}${b.occurrences && b.occurrences > 1 ? ` · appears ${b.occurrences} times` : ''}`;
      const lines = ['', `• ${words}`, who];
      if (b.context && b.context.trim() !== b.text.trim()) lines.push(`  In context: ${b.context}`);
      lines.push(`  ${citationText(b.citation)}`);
      return lines;
    }
    case 'diff':
      // wdiff's markers: [-only in the claim-] {+only in the story+}.
      return [`  ${b.parts.map((p) => (p.op === 'claim' ? `[-${p.text}-]` : p.op === 'story' ? `{+${p.text}+}` : p.text)).join(' ')}`];
    case 'list':
      return b.items.map((i) => `  • ${i}`);
    case 'fields':
      return b.fields.map((f) => `${f.label}: ${f.value}`);
    case 'context':
      return [`(${b.text})`];
  }
}

/** Renders a reply as plain text lines joined by `\n`, without a trailing newline. */
export function renderTerminal(reply: Reply, options: TerminalRenderOptions = {}): string {
  const title = reply.title.replace(/\s+/g, ' ').trim();
  const lines: string[] = [title, '─'.repeat(Math.min(72, Math.max(3, [...title].length)))];
  reply.blocks.forEach((b, i) => lines.push(...renderBlock(b, reply.blocks[i + 1])));
  for (const a of reply.actions ?? []) {
    lines.push('', `→ ${a.label}: ${options.actionHint ? options.actionHint(a) : actionCommand(a)}`);
  }
  return terminalSafe(lines.join('\n').replace(/\n{3,}/g, '\n\n'));
}
