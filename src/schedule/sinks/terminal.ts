/**
 * Digests to the terminal: the reply rendered by `renderTerminal`, under a line naming the
 * channel, written to a stream (stdout in `npm start`). For schedules with platform "terminal".
 */
import type { Reply } from '../../core/types.js';
import { renderTerminal, terminalSafe } from '../../render/terminal.js';
import type { DigestPostOptions, DigestSink } from './types.js';

/** A sink writing digests to `out`. */
export function terminalDigestSink(out: NodeJS.WritableStream): DigestSink {
  return {
    platform: 'terminal',
    async post(channelId: string, reply: Reply, options: DigestPostOptions): Promise<{ parts: number }> {
      if (options.skipParts >= 1) return { parts: 1 };
      const text = `── ${options.key.startsWith('watch') ? 'alert' : 'digest'} for ${terminalSafe(channelId)} ──\n${renderTerminal(reply)}\n\n`;
      await new Promise<void>((resolve, reject) => out.write(text, (err) => (err ? reject(err) : resolve())));
      await options.onPart(1, null);
      return { parts: 1 };
    },
    async openDirect(userId: string): Promise<string> {
      // The terminal has one reader: a user's alerts print like a channel's, under their name.
      return `you (${userId})`;
    },
  };
}
