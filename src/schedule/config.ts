/**
 * The `digests` section of the config file (zod): scheduled digest posts and how they behave.
 * Example:
 * ```json
 * "digests": {
 *   "schedules": [
 *     { "platform": "slack", "channel": "C0DESK", "days": "daily", "time": "08:00", "timeZone": "Europe/London" },
 *     { "platform": "discord", "channel": "300000000000000003", "days": "weekdays", "time": "17:30", "timeZone": "America/New_York" }
 *   ],
 *   "graceMinutes": 120,
 *   "postWhenEmpty": true
 * }
 * ```
 * Schedules made in chat (`/digest schedule …`) live in the database next to these; the config
 * file's list is synced into it at start-up (a schedule removed from the file stops).
 */
import { z } from 'zod';
import { parseDays, parseTime, parseTimeZone, type SpecResult } from './spec.js';

/** A zod string that must read as `parse` says, replaced by its canonical form. */
const canonical = (parse: (text: string) => SpecResult<string>) =>
  z.string().transform((v, ctx) => {
    const r = parse(v);
    if (r.ok) return r.value;
    ctx.addIssue({ code: 'custom', message: r.error.replace(/[“”]/g, '"') });
    return z.NEVER;
  });

/** One scheduled digest from the config file. */
export const DigestScheduleConfigSchema = z.strictObject({
  platform: z.enum(['slack', 'discord', 'terminal'], { error: 'expected "slack", "discord" or "terminal"' }),
  /** Slack channel id (C…/G…/D…), Discord channel id (a snowflake), or any name for the terminal. */
  channel: z.string().trim().min(1, 'expected a channel id').max(100),
  /** `daily`, `weekdays`, `weekends` or day names (`mon,wed,fri`). */
  days: canonical(parseDays).default('daily'),
  /** Local time of day, `HH:MM`. */
  time: canonical(parseTime),
  /** IANA zone; default the section's `defaultTimeZone`. */
  timeZone: canonical(parseTimeZone).optional(),
});

/** How many items each part of a digest shows at most. */
export const DigestLimitsSchema = z.strictObject({
  /** Stories listed, newest first (the rest are counted). */
  stories: z.int().min(1).max(50).default(12),
  /** Most-quoted speakers, each with one quote. */
  speakers: z.int().min(0).max(10).default(4),
  /** Most-mentioned people, countries and organisations: names per kind. */
  names: z.int().min(0).max(10).default(5),
  /** Notable numbers. */
  numbers: z.int().min(0).max(10).default(4),
});

/** The `digests` section; every field has a default, so `{}` (or no section) is valid. */
export const DigestsSchema = z.strictObject({
  schedules: z.array(DigestScheduleConfigSchema).max(500, 'at most 500 schedules').default([]),
  /** Zone of schedules that name none, in the file and in chat. */
  defaultTimeZone: canonical(parseTimeZone).default('UTC'),
  /** A slot missed while the bot was down is posted at start-up if it is younger than this; else recorded as skipped. */
  graceMinutes: z.int().min(1).max(7 * 24 * 60).default(120),
  /** Post a short "nothing new" digest when no story came in (true), or skip the slot (false). */
  postWhenEmpty: z.boolean().default(true),
  /** Attempts at posting one digest before it is recorded as failed. */
  maxAttempts: z.int().min(1).max(100).default(8),
  /** Wait before the first retry, in seconds; it doubles with each attempt. */
  retryFirstSeconds: z.int().min(1).max(3600).default(30),
  /** Longest wait between retries, in minutes. */
  retryMaxMinutes: z.int().min(1).max(1440).default(30),
  /**
   * A story that arrives after a digest was built but was published at most this many hours
   * before it goes into the next digest; one published earlier (an archive backfill) goes into none.
   */
  lateArrivalHours: z.number().min(0).max(24 * 31).default(24),
  limits: DigestLimitsSchema.prefault({}),
});

export type DigestsConfig = z.infer<typeof DigestsSchema>;
export type DigestScheduleConfig = z.infer<typeof DigestScheduleConfigSchema>;
