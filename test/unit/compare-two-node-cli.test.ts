/**
 * send --repeat / --gap and receive --rcvbuf lists at the validation boundary (one line naming
 * the flag and the range, exit 2, no engine loaded), and send --repeat's output with a fake
 * engine: one document holding every run, Ctrl-C during a gap ends the series at once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Engine } from '../../src/cli/context.js';
import { readRepeat } from '../../src/config/repeat.js';
import { readRcvbufSettings, settingOptions } from '../../src/config/rcvbuf-list.js';
import type { RunHandle } from '../../src/engine/api.js';
import type { SenderRepeatReport, SenderRunReport } from '../../src/report/model.js';
import { fakeIo } from '../helpers/fake-io.js';

const senderReport = JSON.parse(readFileSync(new URL('../fixtures/sender-report.json', import.meta.url), 'utf8')) as SenderRunReport;


/** Runs main and expects exit 2 with exactly one line naming `flag`, before any engine loads. */
async function usage(args: string[], flag: string): Promise<string> {
  const io = fakeIo();
  let loaded = false;
  const code = await main(args, io, async () => ((loaded = true), {} as Engine));
  expect(code).toBe(2);
  expect(loaded).toBe(false);
  expect(io.out).toBe('');
  expect(io.err.trimEnd().split('\n')).toHaveLength(1);
  expect(io.err.startsWith(`mcastbench: ${flag}:`)).toBe(true);
  expect(io.err).toContain('(allowed: ');
  return io.err.trimEnd();
}

describe('send --repeat / --gap validation', () => {
  const send = ['send', '--dest', '127.0.0.1'];
  it('--repeat is 1..1000 runs', async () => {
    expect(await usage([...send, '--repeat', '0'], '--repeat')).toBe('mcastbench: --repeat: 0 is out of range (allowed: 1..1000 runs)');
    expect(await usage([...send, '--repeat', '1001'], '--repeat')).toBe('mcastbench: --repeat: 1001 is out of range (allowed: 1..1000 runs)');
    await usage([...send, '--repeat', 'two'], '--repeat');
    await usage([...send, '--repeat', '2.5'], '--repeat');
  });

  it('--gap is 0..3600 s and needs --repeat 2 or more', async () => {
    expect(await usage([...send, '--repeat', '2', '--gap', '3601'], '--gap')).toBe('mcastbench: --gap: 3601 is out of range (allowed: 0..3600 s)');
    await usage([...send, '--repeat', '2', '--gap', 'soon'], '--gap');
    expect(await usage([...send, '--gap', '2s'], '--gap')).toBe('mcastbench: --gap: needs --repeat 2 or more (it is the silence between runs) (allowed: --repeat 2..1000 --gap 0..3600 s)');
    await usage([...send, '--repeat', '1', '--gap', '2s'], '--gap');
  });

  it('defaults to a 2 s gap; warns below 1 s, never adjusts', () => {
    expect(readRepeat({})).toBeNull();
    expect(readRepeat({ repeat: '3' })).toEqual({ runs: 3, gapSec: 2, warnings: [] });
    expect(readRepeat({ repeat: '1' })).toEqual({ runs: 1, gapSec: 2, warnings: [] });
    const short = readRepeat({ repeat: '2', gap: '500ms' })!;
    expect(short.gapSec).toBe(0.5);
    expect(short.warnings).toHaveLength(1);
    expect(short.warnings[0]).toMatch(/^--gap 0.5 s: a compare receiver .* needs about 1 s between runs/);
    expect(readRepeat({ repeat: '2', gap: '1s' })!.warnings).toEqual([]);
  });
});

describe('receive --rcvbuf lists', () => {
  const recv = ['receive', '--port', '5001'];
  it('each setting is "default" or a size in range; up to 16; no empty ones', async () => {
    expect(await usage([...recv, '--rcvbuf', 'default,,1M'], '--rcvbuf')).toMatch(/'default,,1M' has an empty setting \(allowed: 1 to 16 comma-separated settings/);
    expect(await usage([...recv, '--rcvbuf', 'default,100'], '--rcvbuf')).toBe('mcastbench: --rcvbuf: 100 is out of range (allowed: 1024..2147483647 bytes)');
    await usage([...recv, '--rcvbuf', 'default,lots'], '--rcvbuf');
    await usage([...recv, '--rcvbuf', Array.from({ length: 17 }, (_, i) => String((i + 1) * 65536)).join(',')], '--rcvbuf');
    expect(readRcvbufSettings({ rcvbuf: ' default , 1M,26214400' }, 'default')).toEqual(['default', '1M', '26214400']);
  });

  it('--rcvbuf-force needs a sized setting and is applied only to sized ones', async () => {
    await usage([...recv, '--rcvbuf', 'default,DEFAULT', '--rcvbuf-force'], '--rcvbuf-force');
    expect(settingOptions({ rcvbuf: 'default,1M', 'rcvbuf-force': true }, 'default')).toMatchObject({ rcvbuf: 'default', 'rcvbuf-force': false });
    expect(settingOptions({ rcvbuf: 'default,1M', 'rcvbuf-force': true }, '1M')).toMatchObject({ rcvbuf: '1M', 'rcvbuf-force': true });
  });

  it('--json-stream has no form for a compare receiver; other receive flags are checked per setting', async () => {
    await usage([...recv, '--rcvbuf', 'default,1M', '--json-stream'], '--json-stream');
    await usage([...recv, '--rcvbuf', 'default,1M', '--idle-exit', '0'], '--idle-exit');
    await usage([...recv, '--rcvbuf', 'default,1M', '--max-loss', '101'], '--max-loss');
  });
});

describe('send --repeat output (fake engine)', () => {
  /** Each run resolves at once with the fixture under a session id of its own. */
  function repeatingEngine(): Engine & { runs: number } {
    const e = {
      runs: 0,
      runSender: (): RunHandle<SenderRunReport> => {
        e.runs += 1;
        const sessionId = `00000000000000${String(e.runs).padStart(2, '0')}`;
        const r = { ...senderReport, end: { ...senderReport.end, sessionId } };
        return { result: Promise.resolve(r), stop: () => undefined };
      },
    } as unknown as Engine & { runs: number };
    return e;
  }

  it('--json: one document with each run report, its session id and count', async () => {
    const io = fakeIo();
    const engine = repeatingEngine();
    expect(await main(['send', '--dest', '127.0.0.1', '--repeat', '3', '--gap', '0', '--json'], io, async () => engine)).toBe(0);
    const doc = JSON.parse(io.out) as SenderRepeatReport;
    expect(engine.runs).toBe(3);
    expect(doc.start).toEqual({ role: 'sender-repeat', repeat: 3, gapSec: 0 });
    expect(doc.runs).toHaveLength(3);
    expect(doc.runs[1]!.end.total.packets).toBe(senderReport.end.total.packets);
    expect(doc.end).toEqual({
      role: 'sender-repeat',
      stoppedBy: senderReport.end.stoppedBy,
      runsCompleted: 3,
      sessionIds: ['0000000000000001', '0000000000000002', '0000000000000003'],
      sentPackets: [1, 2, 3].map(() => senderReport.end.total.packets),
    });
    expect(io.err).toBe('');
  });

  it('text: a summary per run on stdout, run and gap lines on stderr, the short-gap warning first', async () => {
    const io = fakeIo();
    expect(await main(['send', '--dest', '127.0.0.1', '--repeat', '2', '--gap', '10ms', '-i', '0'], io, async () => repeatingEngine())).toBe(0);
    expect(io.out.match(/^run \d of 2:$/gm)).toEqual(['run 1 of 2:', 'run 2 of 2:']);
    expect(io.out.match(/^sender: session /gm)).toHaveLength(2);
    expect(io.err.split('\n')[0]).toMatch(/^mcastbench: warning: --gap 0.01 s: a compare receiver/);
    expect(io.err).toContain('send: run 2 of 2');
  });

  it('Ctrl-C during a gap ends the series at once with the runs so far', async () => {
    const io = fakeIo();
    const engine = repeatingEngine();
    const t0 = Date.now();
    const done = main(['send', '--dest', '127.0.0.1', '--repeat', '5', '--gap', '1h', '--json'], io, async () => engine);
    await new Promise((r) => setTimeout(r, 50));
    io.sigint();
    expect(await done).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    const doc = JSON.parse(io.out) as SenderRepeatReport;
    expect(engine.runs).toBe(1);
    expect(doc.end).toMatchObject({ stoppedBy: 'signal', runsCompleted: 1 });
  });
});
