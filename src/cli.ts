/**
 * Command-line entry: `parse`, `ask`, `ingest`, `serve`, `digest`, `bench` subcommands.
 * stdout carries only the command's result; logs and errors go to stderr.
 */
import fs from 'node:fs';
import { parseArticle } from './parse/index.js';
import { toContractJson } from './parse/json.js';

/** Reads an article file as UTF-8 text, with a clear error for missing, binary or oversized files. */
export function readArticleFile(file: string): string {
  const buf = fs.readFileSync(file);
  if (buf.includes(0)) throw new Error(`${file}: looks like a binary file (it contains NUL bytes), not article text`);
  return buf.toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'parse': {
      const file = rest.find((a) => !a.startsWith('--'));
      if (!file) {
        process.stderr.write('usage: cli parse [--json] FILE\n');
        return 2;
      }
      const parsed = parseArticle(readArticleFile(file));
      process.stdout.write(JSON.stringify(toContractJson(parsed), null, rest.includes('--json') ? 0 : 2) + '\n');
      return 0;
    }
    default:
      process.stderr.write(`unknown command ${cmd ?? '(none)'}; try: parse\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
