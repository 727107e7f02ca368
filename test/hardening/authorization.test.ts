/**
 * Authorization (issue 7): the only state-changing chat commands the core has are
 * `/digest schedule` and `/digest unschedule`. Through the real core over a real schedule store,
 * anyone not flagged admin by the adapter (from `slack.admins` / `discord.admins`) gets the
 * polite refusal on every platform, and nothing changes; a missing flag counts as not admin.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { BotCore, CommandRequest, Platform } from '../../src/core/types.js';
import type { SqliteIndex } from '../../src/index/sqlite.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { ScheduleService } from '../../src/schedule/service.js';
import { SqliteDigestStore } from '../../src/schedule/store.js';
import { openIndex, tempDb } from '../schedule/helpers.js';

let clock: ManualClock;
let index: SqliteIndex;
let service: ScheduleService;
let core: BotCore;

beforeEach(() => {
  clock = new ManualClock('2025-05-05T12:00:00Z');
  index = openIndex(tempDb(), clock);
  service = new ScheduleService(new SqliteDigestStore(index.connection), { clock, defaultTimeZone: 'Europe/London' });
  core = createCore({ index, now: () => clock.now(), digests: service, config: { digests: { defaultTimeZone: 'Europe/London' } } });
});
afterEach(async () => {
  await index.close();
});

const CHANNEL: Record<Exclude<Platform, 'terminal'>, { channelId: string; admin: string; other: string }> = {
  slack: { channelId: 'C0DESK', admin: 'U0ADMIN', other: 'U0READER' },
  discord: { channelId: '112233445566778899', admin: '998877665544332211', other: '123451234512345' },
};

function ask(platform: 'slack' | 'discord', args: string, extra: Partial<CommandRequest>) {
  return core.handle({ command: 'digest', args, platform, channelId: CHANNEL[platform].channelId, userId: CHANNEL[platform].other, ...extra });
}

describe('state-changing commands are for admins only', () => {
  for (const platform of ['slack', 'discord'] as const) {
    it(`${platform}: a non-admin is refused politely and nothing changes`, async () => {
      const made = await ask(platform, 'schedule daily 08:00 Europe/London', { userId: CHANNEL[platform].admin, isAdmin: true });
      expect(made.status).not.toBe('error');
      const before = await service.list(platform, CHANNEL[platform].channelId);
      expect(before).toHaveLength(1);

      for (const args of ['schedule weekdays 17:30 America/New_York', 'unschedule', `unschedule ${before[0]!.id}`, 'SCHEDULE daily 09:00']) {
        for (const flag of [{ isAdmin: false }, {}]) {
          const r = await ask(platform, args, flag);
          expect(r, args).toMatchObject({ status: 'error', title: 'Only admins can change digest schedules', visibility: 'ephemeral' });
          expect(JSON.stringify(r)).toContain('Admins are listed in the config file');
        }
      }
      expect(await service.list(platform, CHANNEL[platform].channelId)).toEqual(before);
      // Reading is open to everyone.
      const listed = await ask(platform, 'list', {});
      expect(listed.status).toBe('answer');
    });
  }
});
