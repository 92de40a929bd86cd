import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { readReportPath } from '../../src/config/report-path.js';
import type { RunHandle, RunHooks } from '../../src/engine/api.js';
import { ConfigError } from '../../src/errors.js';
import type { LoopbackRunReport, ReceiverRunReport, StopReason } from '../../src/report/model.js';
import { createHistogram, latencyPercentiles } from '../../src/stats/histograms.js';
import { loopbackReport, receiverReport } from '../helpers/html-models.js';
import { chartContainers } from '../helpers/html-page.js';
import { fakeIo } from '../helpers/fake-io.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'mcb-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));



function engineWith(loopback: LoopbackRunReport | null, receiver: RunHandle<ReceiverRunReport> | null): Engine {
  const never = (): never => {
    throw new Error('not in this test');
  };
  return {
    runSender: never,
    runReceiver: (_c, _h: RunHooks) => receiver ?? never(),
    runLoopback: () => (loopback ? { result: Promise.resolve(loopback), stop: () => undefined } : never()),
  };
}

describe('readReportPath (--report)', () => {
  const err = (raw: Record<string, unknown>): string => {
    try {
      readReportPath(raw);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  it('absent is null; a file in a writable directory comes back absolute', () => {
    expect(readReportPath({})).toBeNull();
    expect(readReportPath({ report: path.join(dir, 'r.html') })).toBe(path.join(dir, 'r.html'));
    expect(readReportPath({ report: path.relative(process.cwd(), path.join(dir, 'r.html')) })).toBe(path.join(dir, 'r.html'));
  });

  it('a missing directory, a file as directory, a directory as file, an empty path: one line naming --report', () => {
    expect(err({ report: path.join(dir, 'nope', 'r.html') })).toBe(`--report: directory ${path.join(dir, 'nope')} does not exist (allowed: a file path in an existing, writable directory)`);
    writeFileSync(path.join(dir, 'plain'), 'x');
    expect(err({ report: path.join(dir, 'plain', 'r.html') })).toMatch(/^--report: .*plain is not a directory \(allowed: /);
    mkdirSync(path.join(dir, 'sub'));
    expect(err({ report: path.join(dir, 'sub') })).toMatch(/^--report: .*sub is a directory \(allowed: /);
    expect(err({ report: '' })).toMatch(/^--report: empty path/);
  });

  it.skipIf(process.getuid?.() === 0)('a directory without write permission is refused (root bypasses permissions: skipped as root)', () => {
    const ro = path.join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    expect(err({ report: path.join(ro, 'r.html') })).toMatch(/^--report: directory .*ro is not writable/);
    chmodSync(ro, 0o700);
  });
});

describe('--report in the CLI', () => {
  it('loopback writes the page when the run ends and says where on stderr', async () => {
    const file = path.join(dir, 'loopback.html');
    const io = fakeIo();
    expect(await main(['loopback', '--report', file], io, async () => engineWith(loopbackReport(), null))).toBe(0);
    expect(io.err).toContain(`report written: ${file}\n`);
    const html = readFileSync(file, 'utf8');
    expect(chartContainers(html)).toHaveLength(4);
    expect(html).toContain(`mcastbench loopback --report ${file}`);
    expect(io.out).toContain('sender: session ab');
  });

  it('a bad --report is a usage error before the engine loads', async () => {
    const io = fakeIo();
    let loaded = false;
    const code = await main(['receive', '--report', '/nonexistent-mcb-dir/r.html'], io, async () => ((loaded = true), engineWith(null, null)));
    expect(code).toBe(2);
    expect(io.err).toBe('mcastbench: --report: directory /nonexistent-mcb-dir does not exist (allowed: a file path in an existing, writable directory)\n');
    expect(loaded).toBe(false);
  });

  it('receive stopped by Ctrl-C still writes the partial result', async () => {
    const file = path.join(dir, 'receive.html');
    const io = fakeIo();
    let resolve: (r: ReceiverRunReport) => void = () => undefined;
    const stops: StopReason[] = [];
    const handle: RunHandle<ReceiverRunReport> = { result: new Promise((r) => (resolve = r)), stop: (reason) => void stops.push(reason) };
    const done = main(['receive', '--report', file], io, async () => engineWith(null, handle));
    await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(file)).toBe(false);
    io.sigint();
    expect(stops).toEqual(['signal']);
    const partial = receiverReport();
    resolve({ ...partial, end: { ...partial.end, stoppedBy: 'signal' } });
    expect(await done).toBe(0);
    expect(io.err).toContain(`report written: ${file}`);
    expect(readFileSync(file, 'utf8')).toContain('stopped by signal');
  });

  it('--report is offered by receive, loopback and compare, not by send', async () => {
    for (const cmd of ['receive', 'loopback', 'compare']) {
      const io = fakeIo();
      await main([cmd, '--help'], io);
      expect(io.out, cmd).toContain('--report');
    }
    const io = fakeIo();
    expect(await main(['send', '--dest', '127.0.0.1', '--report', path.join(dir, 's.html')], io)).toBe(2);
    expect(io.err).toMatch(/--report: unknown option/);
  });
});

describe('latencyPercentiles', () => {
  it('follows a distribution the test recorded: 1..10000 us once each', () => {
    const h = createHistogram();
    for (let v = 1; v <= 10_000; v++) h.recordValue(v);
    const points = latencyPercentiles(h);
    h.destroy();
    // 10,000 samples: the tail goes to 99.99 (1 sample beyond it), not to 99.995.
    expect(points.map((p) => p.percentile)).toEqual([0, 25, 50, 75, 90, 95, 98, 99, 99.5, 99.8, 99.9, 99.95, 99.98, 99.99, 100]);
    for (const p of points) {
      const exact = Math.max(1, Math.ceil((p.percentile / 100) * 10_000));
      // 3 significant digits: within 0.1 % of the exact order statistic.
      expect(Math.abs(p.valueUs - exact), `p${p.percentile}`).toBeLessThanOrEqual(exact * 0.001 + 1);
    }
    expect(points.at(-1)).toEqual({ percentile: 100, valueUs: 10_000 });
  });

  it('an empty histogram has no curve', () => {
    const h = createHistogram();
    expect(latencyPercentiles(h)).toEqual([]);
    h.destroy();
  });
});
