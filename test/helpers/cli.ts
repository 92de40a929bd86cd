/** Runs the built CLI (dist/cli/main.js) the way a user does, and finds free ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import dgram from 'node:dgram';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const { child, done } = startCli(args, env);
  const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return done.finally(() => clearTimeout(t));
}

/** A port that was free a moment ago on the address. */
export async function freePort(address = '127.0.0.1'): Promise<number> {
  const s = dgram.createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((r) => s.bind(0, address, () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

/** Waits (bounded) until a UDP socket bound to `port` appears in this namespace's /proc table. */
export async function waitForUdpPort(port: number, family: 4 | 6 = 4, timeoutMs = 10_000): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  const file = family === 6 ? '/proc/net/udp6' : '/proc/net/udp';
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = readFileSync(file, 'utf8').split('\n').slice(1);
    if (rows.some((l) => (l.trim().split(/\s+/)[1] ?? '').includes(hex.trim()) && l.includes(hex))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no UDP socket on port ${port} after ${timeoutMs} ms`);
}
