/**
 * Smoke test of `npm run bench -- --quick` (real traffic in a private namespace, ~2 minutes).
 * Opt-in: MCB_BENCH_SMOKE=1, as root, with dist/ built (npm test's pretest builds it). It moves
 * enough traffic to disturb other timing-sensitive tests, so it is not part of a plain `npm test`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/bench/main.js', import.meta.url));
const isRoot = process.getuid?.() === 0;
const enabled = process.env['MCB_BENCH_SMOKE'] === '1' && isRoot && existsSync(MAIN);
const why = process.env['MCB_BENCH_SMOKE'] !== '1' ? 'set MCB_BENCH_SMOKE=1 to run' : !isRoot ? 'needs root' : 'dist/bench/main.js not built';

function benchNamespaces(): string[] {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n').map((l) => l.split(' ')[0]!).filter((n) => /^mcb-[0-9a-f]+-bench$/.test(n));
}

function run(args: string[], killAfterMs: number | null, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const hard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const soft = killAfterMs === null ? null : setTimeout(() => child.kill('SIGINT'), killAfterMs);
    child.on('close', (code) => {
      clearTimeout(hard);
      if (soft) clearTimeout(soft);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!enabled)(`bench --quick smoke (${enabled ? 'enabled' : why})`, () => {
  it('runs every workload, prints the tables and writes the JSON, leaving no namespace', { timeout: 420_000 }, async () => {
    const before = benchNamespaces();
    const dir = mkdtempSync(join(tmpdir(), 'mcb-bench-smoke-'));
    try {
      const out = join(dir, 'b.json');
      const r = await run(['--quick', '--no-install', '--out', out], null, 400_000);
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      expect(r.stdout).toContain('Maximum send rate');
      expect(r.stdout).toContain('Targets (medians of this run)');
      const doc = JSON.parse(readFileSync(out, 'utf8')) as { runs: { ok: boolean; workload: string }[]; targets: unknown[] };
      expect(doc.targets.length).toBeGreaterThan(5);
      for (const w of ['maxrate', 'drain', 'latency']) expect(doc.runs.some((x) => x.workload === w && x.ok)).toBe(true);
      expect(benchNamespaces()).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGINT deletes the namespace and exits 130', { timeout: 60_000 }, async () => {
    const before = benchNamespaces();
    const r = await run(['--quick', '--no-install', '--out', '/dev/null'], 6000, 50_000);
    expect(r.code).toBe(130);
    expect(benchNamespaces()).toEqual(before);
  });
});
