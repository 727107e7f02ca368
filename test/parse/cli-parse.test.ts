/** `cli parse --json FILE` and `cli parse --jsonl FILE...` as a real process (contract: shared/contracts/parse-json.md). */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-parse-'));
  for (let i = 0; i < 60; i++) {
    fs.writeFileSync(path.join(dir, `story-${String(i).padStart(2, '0')}.txt`), `Ferry story ${i}\n\n“Sailing ${i} is on time,” said Ines Duarte, the harbour master. ${'The quay was busy. '.repeat(400)}\n`);
  }
  fs.writeFileSync(path.join(dir, 'binary.txt'), Buffer.from([0x41, 0x00, 0x42]));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdout on a pipe read to the end (a pipe is where a lost tail would show). */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('cli parse', () => {
  it('--jsonl prints one line per file in the order given, each with "file" as given; a bad file gets its own error line', async () => {
    const files = fs.readdirSync(dir).filter((f) => f.startsWith('story-')).sort().map((f) => path.join(dir, f));
    const args = [files[0]!, path.join(dir, 'binary.txt'), path.join(dir, 'missing.txt'), ...files.slice(1)];
    const r = await cli(['parse', '--jsonl', ...args]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; error?: string; quotes?: { speaker: { name: string } | null }[] });
    expect(lines.map((l) => l.file)).toEqual(args);
    expect(lines[1]!.error).toMatch(/binary/);
    expect(lines[2]!.error).toMatch(/no such file/);
    expect(lines[0]!.quotes![0]!.speaker!.name).toBe('Ines Duarte');
    expect(lines[args.length - 1]!.quotes![0]!.speaker!.name).toBe('Ines Duarte');
  }, 60_000);

  it('--json prints one object; no file is a usage error', async () => {
    const one = await cli(['parse', '--json', path.join(dir, 'story-00.txt')]);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).title).toBe('Ferry story 0');
    const none = await cli(['parse', '--jsonl']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: cli parse/);
  }, 60_000);
});
