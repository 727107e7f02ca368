/**
 * Bolt's `Logger` interface on top of a pino logger, so Bolt's own messages (bad signatures,
 * rate limits, listener errors) land in the same structured log as ours.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger as PinoLogger } from 'pino';

const PINO_LEVEL: Record<LogLevel, string> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** What a refused request signature means for the operator. */
export const SIGNATURE_HINT =
  'Slack request refused (401): its signature does not match SLACK_SIGNING_SECRET (Basic Information → App Credentials → Signing Secret), or it is older than 5 minutes';

function text(msg: unknown[]): string {
  return msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
}

/** Wraps `pino` (a child named "bolt" is created) as a Bolt logger. Level changes apply to the child only. */
export function boltLogger(pino: PinoLogger): BoltLogger {
  const log = pino.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const levelFromPino = Object.entries(PINO_LEVEL).find(([, v]) => v === log.level)?.[0];
  if (levelFromPino) level = levelFromPino as LogLevel;
  return {
    debug: (...msg: unknown[]) => log.debug(text(msg)),
    info: (...msg: unknown[]) => log.info(text(msg)),
    warn: (...msg: unknown[]) => {
      const t = text(msg);
      // A request whose signature does not verify: say which setting to check.
      if (/verify the request|verify authenticity|signature/i.test(t)) {
        log.warn({ hint: SIGNATURE_HINT }, `${t}. ${SIGNATURE_HINT}`);
        return;
      }
      log.warn(t);
    },
    error: (...msg: unknown[]) => {
      const t = text(msg);
      // A refused app token at start-up: startSlack reports it in one line naming SLACK_APP_TOKEN.
      if (/Failed to retrieve a new WSS URL/.test(t) && /invalid_auth|not_authed|not_allowed_token_type|token_revoked|account_inactive/.test(t)) log.debug(t);
      else log.error(t);
    },
    setLevel(l: LogLevel) {
      level = l;
      // Never make pino chattier than it was configured (a silent test logger stays silent).
      if (log.levels.values[PINO_LEVEL[l]]! > log.levels.values[log.level]!) log.level = PINO_LEVEL[l];
    },
    getLevel: () => level,
    setName: () => {},
  };
}
