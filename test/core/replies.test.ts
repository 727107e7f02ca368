/**
 * Replies that read right (issue 14, item 5): /summary needs a meaningful word, wordless input
 * is refused with usage, /help of an unknown command says so, "did you mean" for commands,
 * plurals, duplicate stories from repeated ingest counted once. Real parser and real SQLite
 * index, stories written for these tests.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { parseCommandText, suggestCommand } from '../../src/core/commandText.js';
import { meaningfulWords } from '../../src/core/text.js';
import type { BotCore, CommandName, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { FolderSource } from '../../src/ingest/folder.js';
import { runIngest } from '../../src/ingest/runner.js';
import { stagedStoreInIndex } from '../../src/ingest/store.js';
import { renderTerminal } from '../../src/render/terminal.js';
import { cleanEnv, ROOT } from '../support/bot-process.js';

const run = promisify(execFile);

const STORIES: Record<string, string> = {
  'harbour.txt':
    'Harbour board approves new lifeboat station\n\nPORTHAVEN — The harbour board on Tuesday approved a new lifeboat station at the north quay, replacing a shed built in 1961.\n\n"Our crews deserve a station that works in every weather," said coxswain Bryn Mallory.\n\nThe station will cost 2.4 million pounds, the board said.\n',
  'orchard.txt':
    'Orchard growers count frost losses\n\nKELBROOK — Apple growers in the Kelbrook valley lost about a third of their blossom to a late frost, their association said on Monday.\n\n"It was the coldest April night in twenty years," said grower Ottilie Haines.\n',
};

let dir: string;
let index: SqliteIndex;
let core: BotCore;
const ask = (command: CommandName, args = '') => core.handle({ command, args, platform: 'terminal', userId: 'u' });
const text = (r: Reply) => renderTerminal(r);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replies-'));
  // The same two stories copied into five folders, as a desk re-ingesting an archive would.
  for (let copy = 1; copy <= 5; copy++) {
    const folder = path.join(dir, 'archive', `copy-${copy}`);
    fs.mkdirSync(folder, { recursive: true });
    for (const [name, body] of Object.entries(STORIES)) fs.writeFileSync(path.join(folder, name), body);
  }
  index = SqliteIndex.open(path.join(dir, 'index.db'));
  const summary = await runIngest(new FolderSource(path.join(dir, 'archive')), stagedStoreInIndex(index), { progress: false });
  expect(summary).toMatchObject({ added: 2, duplicate: 8 });
  core = createCore({ index });
});
afterAll(async () => {
  await index.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('/summary and /search need a meaningful word', () => {
  it('stop words alone never select a story', async () => {
    expect(meaningfulWords('bananas in space')).toEqual(['bananas', 'space']);
    // "in" is in both stories; neither is about bananas in space.
    const bananas = await ask('summary', 'bananas in space');
    expect(bananas.status).toBe('notFound');
    const onlyStop = await ask('summary', 'in the of');
    expect(onlyStop.status).toBe('error');
    expect(text(onlyStop)).toContain('has only words too common to pick a story by');
    expect(text(onlyStop)).toContain('Usage: /summary [story]');
    expect((await ask('search', 'the')).status).toBe('error');
    // A meaningful word still finds its story, stop words and all.
    expect((await ask('summary', 'the lifeboat in the north')).title).toBe('Harbour board approves new lifeboat station');
  });

  it('refuses "*" and other wordless input with usage help, for every command that looks something up', async () => {
    for (const [command, usage] of [
      ['quotes', '/quotes [speaker]'],
      ['who', '/who <name>'],
      ['search', '/search <words>'],
      ['summary', '/summary [story]'],
    ] as const) {
      for (const args of ['*', '???', '--', '"" ""']) {
        const r = await ask(command, args);
        expect(r.status, `${command} ${args}`).toBe('error');
        expect(text(r)).toContain(`has no letters or digits to look for. Usage: ${usage}`);
      }
    }
  });
});

describe('/help and mistyped commands', () => {
  it('/help of an unknown command says there is none (with the nearest one) and lists the commands', async () => {
    const r = await ask('help', 'foo');
    expect(r.title).toBe('No command /foo');
    expect(text(r)).toContain('There is no /foo command. These are the commands:');
    expect(text(r)).toContain('/quotes [speaker]');
    expect(text(await ask('help', 'sumary'))).toContain('There is no /sumary command. Did you mean /summary?');
    expect((await ask('help', 'who')).title).toBe('/who');
  });

  it('"did you mean" for mistyped commands; nothing for words that are no command', () => {
    expect(parseCommandText('/summarize harbour')).toEqual({ ok: false, error: 'Unknown command "/summarize". Did you mean /summary? Type /help for the commands.' });
    expect(suggestCommand('qoutes')).toBe('quotes');
    expect(suggestCommand('whois')).toBe('who');
    expect(suggestCommand('serach')).toBe('search');
    expect(suggestCommand('digests')).toBe('digest');
    expect(suggestCommand('banana')).toBeNull();
    expect(suggestCommand('x')).toBeNull();
  });
});

describe('duplicate stories and plurals', () => {
  it('stories ingested five times over are counted, listed and quoted once', async () => {
    expect(await index.storyCount()).toBe(2);
    const quotes = text(await ask('quotes', 'mallory'));
    expect(quotes).toContain('Our crews deserve a station that works in every weather');
    expect(quotes).not.toMatch(/appears \d+ times/);
    expect(quotes).toContain('in 1 story');
    const who = text(await ask('who', 'bryn mallory'));
    expect(who).toContain('Seen in: 1 story');
    const search = await ask('search', 'lifeboat');
    expect(search.blocks.filter((b) => b.type === 'paragraph')).toHaveLength(1);
    const digest = await ask('digest', '24h');
    expect(digest.title).toBe('Digest: 2 new stories');
    // The next ingest of the copies is a no-op.
    const again = await runIngest(new FolderSource(path.join(dir, 'archive')), stagedStoreInIndex(index), { progress: false });
    expect(again).toMatchObject({ unchanged: 10, added: 0, duplicate: 0 });
  });

  it('the CLI says "1 story", never "1 stories"', async () => {
    const one = path.join(dir, 'one');
    fs.mkdirSync(one);
    fs.writeFileSync(path.join(one, 'harbour.txt'), STORIES['harbour.txt']!);
    const db = path.join(dir, 'one.db');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', one], { cwd: ROOT, env: cleanEnv({ DATABASE_PATH: db }) });
    expect(stdout).toMatch(/ingested 1 story in /);
    expect(stdout).toContain(`1 story in ${db}`);
    expect(stdout).not.toMatch(/\b1 stories\b/);
  });
});
