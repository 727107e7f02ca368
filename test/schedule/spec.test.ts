/**
 * Schedule specs as typed in chat and written in the config file: days, times, IANA zones,
 * the cron pattern croner evaluates, slot keys, and the config file's `digests` section.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigFile } from '../../src/config/index.js';
import {
  cronPattern,
  describeSpec,
  nextRun,
  parseDays,
  parseScheduleText,
  parseTime,
  parseTimeZone,
  previousRun,
  runsBetween,
  slotKey,
} from '../../src/schedule/spec.js';

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: string }) => (r.ok ? r.value : `ERROR ${r.error}`);

describe('parsing', () => {
  it('reads days in their usual spellings and canonicalises them', () => {
    expect(['daily', 'every day', '', 'weekdays', 'Mon-Fri', 'weekend', 'sat sun', 'Monday, Thursday', 'thu,mon', 'fri-mon'].map((d) => ok(parseDays(d)))).toEqual([
      'daily',
      'daily',
      'daily',
      'weekdays',
      'weekdays',
      'weekends',
      'weekends',
      'mon,thu',
      'mon,thu',
      'sun,mon,fri,sat',
    ]);
    expect(ok(parseDays('sometimes'))).toMatch(/^ERROR “sometimes” is not a day/);
    expect(ok(parseDays('mon-someday'))).toMatch(/^ERROR “mon-someday” is not a range of days/);
  });

  it('reads times in 24-hour and am/pm forms, and rejects impossible or vague ones', () => {
    expect(['08:00', '8:00', '0800', '17.30', '17h30', '8am', '12am', '12pm', '5:30pm', '23:59', '00:00'].map((t) => ok(parseTime(t)))).toEqual([
      '08:00',
      '08:00',
      '08:00',
      '17:30',
      '17:30',
      '08:00',
      '00:00',
      '12:00',
      '17:30',
      '23:59',
      '00:00',
    ]);
    for (const bad of ['24:00', '8', '13pm', '0am', '7:60', 'noon', '', '8:5']) expect(parseTime(bad).ok, bad).toBe(false);
  });

  it('accepts IANA zones (spelt as Intl spells them) and rejects fixed offsets and junk', () => {
    expect(ok(parseTimeZone('europe/london'))).toBe('Europe/London');
    expect(ok(parseTimeZone('America/Santiago'))).toBe('America/Santiago');
    expect(ok(parseTimeZone('UTC'))).toBe('UTC');
    for (const bad of ['+02:00', 'Mars/Olympus_Mons', 'Europe/London; DROP TABLE', '', 'x'.repeat(80)]) expect(parseTimeZone(bad).ok, bad).toBe(false);
  });

  it('reads whole schedules from chat text', () => {
    expect(ok(parseScheduleText('daily 08:00 Europe/London'))).toEqual({ days: 'daily', time: '08:00', timeZone: 'Europe/London' });
    expect(ok(parseScheduleText('weekdays 17:30 America/New_York'))).toEqual({ days: 'weekdays', time: '17:30', timeZone: 'America/New_York' });
    expect(ok(parseScheduleText('mon, wed 5:30 pm asia/tokyo'))).toEqual({ days: 'mon,wed', time: '17:30', timeZone: 'Asia/Tokyo' });
    expect(ok(parseScheduleText('07:15', 'Europe/Berlin'))).toEqual({ days: 'daily', time: '07:15', timeZone: 'Europe/Berlin' });
    expect(ok(parseScheduleText('daily 25:00 UTC'))).toMatch(/^ERROR “25:00” is not a time of day/);
    expect(ok(parseScheduleText('daily 08:00 Nowhere/Town'))).toMatch(/^ERROR “Nowhere\/Town” is not an IANA time zone/);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseScheduleText(text);
        if (r.ok) expect(r.value.time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
        else expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('evaluation', () => {
  it('builds single-value minute and hour patterns (croner fixed-time jobs)', () => {
    expect(cronPattern({ days: 'daily', time: '08:05', timeZone: 'UTC' })).toBe('5 8 * * *');
    expect(cronPattern({ days: 'weekdays', time: '17:30', timeZone: 'UTC' })).toBe('30 17 * * 1,2,3,4,5');
    expect(cronPattern({ days: 'sun,sat', time: '00:00', timeZone: 'UTC' })).toBe('0 0 * * 0,6');
    expect(describeSpec({ days: 'mon,thu', time: '07:15', timeZone: 'Asia/Tokyo' })).toBe('Mon, Thu at 07:15 (Asia/Tokyo)');
  });

  it('finds next and previous runs in the zone; a weekday run after Friday is Monday', () => {
    const spec = { days: 'weekdays', time: '17:30', timeZone: 'America/New_York' };
    expect(nextRun(spec, new Date('2025-06-06T22:00:00Z'))?.toISOString()).toBe('2025-06-09T21:30:00.000Z');
    expect(previousRun(spec, new Date('2025-06-09T21:30:00Z'))?.toISOString()).toBe('2025-06-06T21:30:00.000Z');
    expect(runsBetween(spec, new Date('2025-06-01T00:00:00Z'), new Date('2025-06-30T00:00:00Z'))).toHaveLength(20); // 2–27 June
    expect(runsBetween(spec, new Date('2025-06-01T00:00:00Z'), new Date('2025-06-30T00:00:00Z'), 3).map((d) => d.toISOString())).toEqual([
      '2025-06-25T21:30:00.000Z',
      '2025-06-26T21:30:00.000Z',
      '2025-06-27T21:30:00.000Z',
    ]);
  });

  it('keys a run by its local calendar date', () => {
    expect(slotKey('Pacific/Auckland', new Date('2025-06-01T20:00:00Z'))).toBe('2025-06-02');
    expect(slotKey('America/Los_Angeles', new Date('2025-06-01T05:00:00Z'))).toBe('2025-05-31');
  });

  it('gives every local date of a year exactly one run, across both DST changes, in every zone tested', () => {
    for (const timeZone of ['Europe/Berlin', 'America/Santiago', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata']) {
      for (const time of ['00:00', '00:30', '01:30', '02:30', '23:30']) {
        const runs = runsBetween({ days: 'daily', time, timeZone }, new Date('2024-12-31T12:00:00Z'), new Date('2025-12-31T12:00:00Z'), 2000);
        const dates = runs.map((r) => slotKey(timeZone, r));
        expect(new Set(dates).size, `${timeZone} ${time}`).toBe(dates.length);
        expect(dates.length, `${timeZone} ${time}`).toBeGreaterThanOrEqual(365);
        expect(dates.length, `${timeZone} ${time}`).toBeLessThanOrEqual(366);
      }
    }
  });
});

describe('the config file’s digests section', () => {
  it('defaults to no schedules and validates every field with a clear message', () => {
    expect(parseConfigFile({}).digests).toMatchObject({ schedules: [], defaultTimeZone: 'UTC', graceMinutes: 120, postWhenEmpty: true });
    const file = parseConfigFile({
      digests: { defaultTimeZone: 'Europe/London', schedules: [{ platform: 'slack', channel: 'C0DESK', days: 'Mon-Fri', time: '5:30pm' }] },
    });
    expect(file.digests.schedules).toEqual([{ platform: 'slack', channel: 'C0DESK', days: 'weekdays', time: '17:30' }]);
    let err: ConfigError | null = null;
    try {
      parseConfigFile({ digests: { graceMinutes: 0, schedules: [{ platform: 'teams', channel: '', time: '8', timeZone: 'Mars/Base' }] } });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const names = err!.problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'digests.graceMinutes',
        'digests.schedules.0.platform',
        'digests.schedules.0.channel',
        'digests.schedules.0.time',
        'digests.schedules.0.timeZone',
      ]),
    );
  });
});
