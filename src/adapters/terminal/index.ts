/**
 * The terminal adapter: one command per input line, one rendered reply per command, until
 * end of input. Interactive on a TTY (a banner and a `newsroom>` prompt; `/more` follows the
 * last reply's "next page"; `/quit` leaves); silent when piped, so stdout holds only the
 * replies, separated by blank lines. Thin: parsing is `parseCommandText`, answering is the
 * core's, rendering is `renderTerminal`.
 */
import readline from 'node:readline';
import { parseCommandText } from '../../core/commandText.js';
import type { BotCore, CommandRequest, ReplyAction } from '../../core/types.js';
import { actionCommand, renderTerminal, terminalSafe } from '../../render/terminal.js';

/** Options of `runTerminal`. */
export interface TerminalOptions {
  core: BotCore;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Prompt and banner on (a TTY) or off (piped input). */
  interactive: boolean;
  /** First line shown in interactive mode. */
  banner?: string;
  /** The user id requests carry; default "local". */
  userId?: string;
}

/** What a terminal session did. */
export interface TerminalSession {
  /** Commands answered (including those answered with an error reply). */
  commands: number;
  /** True when the user left (`/quit`, Ctrl-C); false when the input ended (end of a pipe, a closed stdin). */
  quit: boolean;
}

/** Words that follow the last reply's page action in the terminal. */
const MORE = new Set(['/more', 'more', '/next', 'next']);
const QUIT = new Set(['/quit', '/exit', 'quit', 'exit']);

/**
 * Runs the read–answer–print loop until the input ends (or `/quit`).
 * Never throws for what the user types; a failing command prints an error and the loop goes on.
 */
export async function runTerminal(options: TerminalOptions): Promise<TerminalSession> {
  const { core, input, output, interactive } = options;
  let closedOutput = false;
  output.on('error', () => {
    closedOutput = true; // e.g. EPIPE when piped into `head`: stop writing, finish quietly
  });
  const write = (text: string) => {
    if (!closedOutput) output.write(text);
  };
  const rl = readline.createInterface({
    input,
    ...(interactive ? { output, terminal: true, prompt: 'newsroom> ' } : { terminal: false }),
    crlfDelay: Infinity,
  });
  let quit = false;
  rl.on('SIGINT', () => {
    quit = true;
    rl.close();
  });
  if (interactive) {
    write(`${options.banner ?? 'Newsroom bot.'} Type /help for the commands, /quit to leave.\n`);
    rl.prompt();
  }
  let lastAction: ReplyAction | null = null;
  let commands = 0;
  const hint = (a: ReplyAction) => (interactive ? `type /more (or ${actionCommand(a)})` : actionCommand(a));

  for await (const raw of rl) {
    if (closedOutput) break;
    const line = raw.trim();
    if (!line) {
      if (interactive) rl.prompt();
      continue;
    }
    if (QUIT.has(line.toLowerCase())) {
      quit = true;
      break;
    }
    let request: CommandRequest | null = null;
    let error: string | null = null;
    if (MORE.has(line.toLowerCase())) {
      if (lastAction) request = { ...lastAction.request, args: lastAction.request.args, platform: 'terminal', userId: options.userId ?? 'local' };
      else error = 'Nothing more to show: the last reply had no further page.';
    } else {
      const cmd = parseCommandText(line);
      if (cmd.ok) request = { command: cmd.command, args: cmd.args, platform: 'terminal', userId: options.userId ?? 'local', ...(cmd.page ? { page: cmd.page } : {}) };
      else error = cmd.error;
    }
    if (request) {
      commands++;
      try {
        const reply = await core.handle(request);
        lastAction = reply.actions?.[0] ?? null;
        write(`${renderTerminal(reply, { actionHint: hint })}\n\n`);
      } catch (err) {
        write(`Error: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n\n`);
      }
    } else if (error) {
      write(`${terminalSafe(error)}\n\n`);
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return { commands, quit };
}
