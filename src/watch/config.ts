/**
 * The `watches` section of the config file (zod): how often the watch runner looks for new
 * stories and when a burst of alerts becomes one message. Every field is optional. Example:
 * `"watches": { "pollSeconds": 30, "burstAlerts": 3, "burstMinutes": 10, "holdMinutes": 5 }`.
 */
import { z } from 'zod';

export const WatchesSchema = z.strictObject({
  /** Seconds between looks for newly surfaced stories. */
  pollSeconds: z.int().min(1).max(3600).default(30),
  /** Alerts one watch may send within `burstMinutes` before further ones are gathered into one message. */
  burstAlerts: z.int().min(1).max(100).default(3),
  burstMinutes: z.int().min(1).max(1440).default(10),
  /** How long a gathered alert waits for more stories before it is posted. */
  holdMinutes: z.int().min(0).max(1440).default(5),
});

export type WatchesConfig = z.infer<typeof WatchesSchema>;
