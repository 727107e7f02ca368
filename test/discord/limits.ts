/**
 * An independent checker of Discord's message limits, written from Discord's documentation
 * rather than from the renderer's code, so the renderer can be tested against it. Returns a list
 * of human-readable violations (empty when the message is acceptable). Works on both the
 * renderer's camelCase payload and a captured REST body (snake_case `allowed_mentions`).
 */
import { embedLength } from 'discord.js';
import type { APIEmbed } from 'discord.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface ButtonLike {
  type?: number;
  label?: string;
  custom_id?: string;
  style?: number;
}
interface RowLike {
  type?: number;
  components?: ButtonLike[];
}
export interface MessageLike {
  content?: string | null;
  embeds?: APIEmbed[];
  components?: RowLike[];
}

/** Lists every way `msg` breaks a Discord limit. */
export function limitViolations(msg: MessageLike): string[] {
  const v: string[] = [];
  const strings: string[] = [];
  if (msg.content != null) {
    strings.push(msg.content);
    if (msg.content.length > 2000) v.push(`content ${msg.content.length} > 2000`);
  }
  const embeds = msg.embeds ?? [];
  if (embeds.length > 10) v.push(`${embeds.length} embeds > 10`);
  let total = 0;
  embeds.forEach((e, i) => {
    const at = `embed ${i}`;
    let own = 0;
    if (e.title != null) {
      strings.push(e.title);
      own += e.title.length;
      if (e.title.length > 256) v.push(`${at} title ${e.title.length} > 256`);
    }
    if (e.description != null) {
      strings.push(e.description);
      own += e.description.length;
      if (e.description.length > 4096) v.push(`${at} description ${e.description.length} > 4096`);
      if (e.description.length === 0) v.push(`${at} empty description`);
    }
    const fields = e.fields ?? [];
    if (fields.length > 25) v.push(`${at} ${fields.length} fields > 25`);
    fields.forEach((f, j) => {
      strings.push(f.name, f.value);
      own += f.name.length + f.value.length;
      if (f.name.length === 0 || f.name.length > 256) v.push(`${at} field ${j} name length ${f.name.length}`);
      if (f.value.length === 0 || f.value.length > 1024) v.push(`${at} field ${j} value length ${f.value.length}`);
    });
    if (e.footer) {
      strings.push(e.footer.text);
      own += e.footer.text.length;
      if (e.footer.text.length > 2048) v.push(`${at} footer ${e.footer.text.length} > 2048`);
    }
    if (e.author) {
      strings.push(e.author.name);
      own += e.author.name.length;
      if (e.author.name.length > 256) v.push(`${at} author ${e.author.name.length} > 256`);
    }
    if (!e.title && !e.description && fields.length === 0) v.push(`${at} is empty`);
    if (embedLength(e) !== own) v.push(`${at}: discord.js embedLength ${embedLength(e)} != counted ${own}`);
    total += own;
  });
  if (total > 6000) v.push(`embeds total ${total} > 6000`);
  const rows = msg.components ?? [];
  if (rows.length > 5) v.push(`${rows.length} action rows > 5`);
  const ids = new Set<string>();
  rows.forEach((r, i) => {
    const buttons = r.components ?? [];
    if (buttons.length === 0 || buttons.length > 5) v.push(`row ${i} has ${buttons.length} buttons`);
    for (const b of buttons) {
      const label = b.label ?? '';
      strings.push(label);
      if (label.length === 0 || label.length > 80) v.push(`button label length ${label.length}`);
      const id = b.custom_id ?? '';
      if (id.length === 0 || id.length > 100) v.push(`custom_id length ${id.length}`);
      if (ids.has(id)) v.push(`duplicate custom_id ${id}`);
      ids.add(id);
    }
  });
  for (const s of strings) if (LONE_SURROGATE.test(s)) v.push(`lone surrogate in ${JSON.stringify(s.slice(0, 40))}`);
  return v;
}

/** Total characters across a message's embeds, as Discord counts toward its 6000 limit. */
export function embedsTotal(embeds: APIEmbed[]): number {
  return embeds.reduce((n, e) => n + embedLength(e), 0);
}
