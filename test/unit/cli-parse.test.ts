import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeError, main, parseCommandLine, UsageError } from '../../src/cli/main.js';
import type { Engine } from '../../src/cli/context.js';
import type { ReceiverConfig, SenderConfig } from '../../src/config/types.js';
import type { RunHandle, RunHooks } from '../../src/engine/api.js';
import { ConfigError, SocketError } from '../../src/errors.js';
import type { LoopbackRunReport, ReceiverRunReport, SenderRunReport, StopReason } from '../../src/report/model.js';
import { fakeIo } from '../helpers/fake-io.js';

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Parses and expects a one-line usage error; returns the message. */
async function usageError(args: string[]): Promise<string> {
  const err = await parseCommandLine(args).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  const msg = (err as Error).message;
  expect(msg).not.toContain('\n');
  return msg;
}

describe('parseCommandLine', () => {
  it('parses send with iperf-style aliases into raw options', async () => {
    const r = await parseCommandLine(['send', '-c', '239.1.1.1', '-p', '6000', '-b', '100m', '-l', '1200', '-t', '30s', '-i', '2', '-T', '4', '-w', '4M', '-P', '2', '-n', '5', '-J']);
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.command.command).toBe('send');
    expect(r.argv).toMatchObject({ dest: '239.1.1.1', port: '6000', rate: '100m', size: '1200', duration: '30s', interval: '2', ttl: '4', sndbuf: '4M', streams: '2', count: '5', json: true });
  });

  it('parses receive flags scripts rely on', async () => {
    const r = await parseCommandLine(['receive', '--group', '232.1.1.1', '--source', '10.0.0.1', '--port', '5001', '--interface', 'eth0', '--rcvbuf', '25M', '--rcvbuf-force', '--duration', '10', '--idle-exit', '3', '--max-loss', '1', '--json-stream', '--backend', 'dgram', '-B', '0.0.0.0', '-w', '1M']);
    expect(r.kind === 'run' && r.command.command).toBe('receive');
    if (r.kind !== 'run') return;
    expect(r.argv).toMatchObject({ group: '232.1.1.1', source: '10.0.0.1', 'rcvbuf-force': true, 'idle-exit': '3', 'max-loss': '1', 'json-stream': true, backend: 'dgram', bind: '0.0.0.0', rcvbuf: '1M' });
  });

  it('a flag given twice counts once (the last)', async () => {
    const r = await parseCommandLine(['send', '--dest', '10.0.0.1', '--rate', '1m', '--rate', '2m']);
    expect(r.kind === 'run' && r.argv.rate).toBe('2m');
  });

  it('help and version come back as text', async () => {
    const v = await parseCommandLine(['--version']);
    expect(v).toEqual({ kind: 'print', text: '0.1.0' });
    const h = await parseCommandLine(['send', '--help']);
    expect(h.kind).toBe('print');
    const text = h.kind === 'print' ? h.text : '';
    for (const flag of ['--dest', '--port', '--rate', '--size', '--count', '--duration', '--burst', '--burst-interval', '--ttl', '--loop', '--interface', '--sndbuf', '--streams', '--interval', '--json', '--json-stream', '--backend']) {
      expect(text).toContain(flag);
    }
    expect(text).toContain('DECIMAL');
    expect(text).toContain('100,000,000 bit/s');
    expect(text).toContain('BINARY');
    expect(text).toMatch(/Exit codes: 0 ok, 1 run failure, 2 bad usage, 3 --max-loss exceeded/);
    const rh = await parseCommandLine(['receive', '--help']);
    for (const flag of ['--group', '--source', '--bind', '--rcvbuf', '--rcvbuf-force', '--idle-exit', '--max-loss']) {
      expect(rh.kind === 'print' && rh.text).toContain(flag);
    }
  });

  it('unknown flags, missing values, stray words and commands are one line naming the culprit', async () => {
    expect(await usageError(['send', '--bogus'])).toBe('--bogus: unknown option (see mcastbench send --help)');
    expect(await usageError(['send', '-x'])).toMatch(/^-x: unknown option/);
    expect(await usageError(['receive', '--rate', '1m'])).toMatch(/^--rate: unknown option/);
    expect(await usageError(['loopback', '--group', '239.1.1.1'])).toMatch(/^--group: unknown option/);
    expect(await usageError(['send', '--rate'])).toBe('--rate: needs a value (see --help)');
    expect(await usageError(['send', '--dest', '10.0.0.1', 'extra'])).toMatch(/^unexpected argument 'extra'/);
    expect(await usageError(['sned'])).toBe("unknown command 'sned' (allowed: send, receive, loopback, compare, doctor, igmp, snoop-check, find-rate)");
    expect(await usageError([])).toMatch(/^a command is required/);
  });
});

describe('describeError', () => {
  it('maps errors to one line and an exit code', () => {
    expect(describeError(new ConfigError('--size', '70000 is out of range', '40..65507 bytes'), {})).toEqual({ text: 'mcastbench: --size: 70000 is out of range (allowed: 40..65507 bytes)\n', code: 2 });
    expect(describeError(new UsageError('--bogus: unknown option'), {}).code).toBe(2);
    expect(describeError(new SocketError('ERR_JOIN_FAILED', 'join 239.1.1.1 on eth0 failed:\nENODEV'), {})).toEqual({ text: 'mcastbench: join 239.1.1.1 on eth0 failed: ENODEV\n', code: 1 });
    expect(describeError(new TypeError('x is undefined'), {})).toEqual({ text: 'mcastbench: internal error: x is undefined\n', code: 1 });
    const debug = describeError(new TypeError('boom'), { MCASTBENCH_DEBUG: '1' });
    expect(debug.text).toMatch(/^mcastbench: internal error: boom\nTypeError: boom\n\s+at /);
  });
});



interface Controlled<R> {
  handle: RunHandle<R>;
  hooks: RunHooks | null;
  stops: StopReason[];
  resolve(r: R): void;
  reject(e: unknown): void;
}

function controlled<R>(): Controlled<R> {
  const c = { hooks: null, stops: [] } as unknown as Controlled<R>;
  const result = new Promise<R>((res, rej) => {
    c.resolve = res;
    c.reject = rej;
  });
  c.handle = { result, stop: (reason) => void c.stops.push(reason) };
  return c;
}

function fakeEngine(reports: { sender?: SenderRunReport; receiver?: ReceiverRunReport; loopback?: LoopbackRunReport }): Engine & { calls: unknown[] } {
  const calls: unknown[] = [];
  const immediate = <R>(r: R | undefined, hooks: RunHooks): RunHandle<R> => {
    const start = (r as { start: { role: string; sender?: unknown; receiver?: unknown } } | undefined)?.start;
    if (start && start.role !== 'loopback') hooks.onStart?.(start as never);
    for (const i of (r as { intervals?: never[] } | undefined)?.intervals ?? []) hooks.onInterval?.(i);
    return { result: r ? Promise.resolve(r) : Promise.reject(new SocketError('ERR_BIND', 'bind failed: EADDRINUSE')), stop: () => undefined };
  };
  return {
    calls,
    runSender: (cfg: SenderConfig, hooks) => (calls.push(cfg), immediate(reports.sender, hooks)),
    runReceiver: (cfg: ReceiverConfig, hooks) => (calls.push(cfg), immediate(reports.receiver, hooks)),
    runLoopback: (s: SenderConfig, r: ReceiverConfig, hooks) => (calls.push([s, r]), immediate(reports.loopback, hooks)),
  };
}

const receiverReport = fixture<ReceiverRunReport>('receiver-report.json');
const senderReport = fixture<SenderRunReport>('sender-report.json');
const loopbackReport = fixture<LoopbackRunReport>('loopback-report.json');

// Destinations on 127.0.0.1 keep the host's real MTU (lo: 65536) out of the stderr assertions.
describe('main', () => {
  it('bad usage: one line on stderr, exit 2, engine never loaded', async () => {
    const io = fakeIo();
    let loaded = false;
    const code = await main(['send', '--dest', '10.0.0.1', '--size', '70000'], io, async () => ((loaded = true), fakeEngine({})));
    expect(code).toBe(2);
    expect(io.err).toBe('mcastbench: --size: 70000 is out of range (allowed: 40..65507 bytes)\n');
    expect(io.out).toBe('');
    expect(loaded).toBe(false);
  });

  it('send: table on stdout, live lines on stderr, exit 0', async () => {
    const io = fakeIo();
    const engine = fakeEngine({ sender: senderReport });
    expect(await main(['send', '--dest', '239.1.1.1', '-P', '2'], io, async () => engine)).toBe(0);
    expect(io.out).toContain('sender: session 9f2c4e1a7b3d5f60');
    expect(io.err).toContain('[SUM] 0.00-1.00 sec');
    expect(engine.calls[0]).toMatchObject({ dest: '239.1.1.1', streams: 2, ttl: 1 });
  });

  it('receive: --max-loss exceeded exits 3; --json prints only the document', async () => {
    const io = fakeIo();
    expect(await main(['receive', '--group', '232.1.1.1', '--source', '192.0.2.10', '--max-loss', '0.05', '--json'], io, async () => fakeEngine({ receiver: receiverReport }))).toBe(3);
    expect(JSON.parse(io.out)).toEqual(receiverReport);
    expect(io.err).toBe('');
  });

  it('--json-stream: one event per line; loopback ends with sender then receiver', async () => {
    const io = fakeIo();
    expect(await main(['loopback', '--json-stream'], io, async () => fakeEngine({ loopback: loopbackReport }))).toBe(0);
    const events = io.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { event: string; data: { role?: string } });
    expect(events.map((e) => e.event)).toEqual(['interval', 'interval', 'end', 'end']);
    expect(events[2]?.data.role).toBe('sender');
    expect(events[3]?.data.role).toBe('receiver');
    expect(events[3]?.data).not.toHaveProperty('sender');
  });

  it('warnings: stderr in text mode, events in --json-stream, nowhere but the document in --json', async () => {
    const text = fakeIo();
    await main(['send', '--dest', '127.0.0.1', '--loop'], text, async () => fakeEngine({ sender: senderReport }));
    expect(text.err).toMatch(/^mcastbench: warning: --loop only affects multicast/m);
    const stream = fakeIo();
    await main(['send', '--dest', '127.0.0.1', '--loop', '--json-stream'], stream, async () => fakeEngine({ sender: senderReport }));
    expect(stream.out.split('\n')[0]).toMatch(/^\{"event":"warning","data":\{"message":"--loop only/);
    const json = fakeIo();
    await main(['send', '--dest', '127.0.0.1', '--loop', '--json'], json, async () => fakeEngine({ sender: senderReport }));
    expect(json.err).toBe('');
  });

  it('--interval 0 prints no live lines', async () => {
    const io = fakeIo();
    await main(['send', '--dest', '127.0.0.1', '-i', '0'], io, async () => fakeEngine({ sender: senderReport }));
    expect(io.err).toBe('');
  });

  it('run failure: one line, exit 1; in --json the error is inside the document', async () => {
    const io = fakeIo();
    expect(await main(['receive'], io, async () => fakeEngine({}))).toBe(1);
    expect(io.err).toBe('mcastbench: bind failed: EADDRINUSE\n');
    const j = fakeIo();
    expect(await main(['receive', '--json'], j, async () => fakeEngine({}))).toBe(1);
    expect(JSON.parse(j.out)).toEqual({ schemaVersion: 1, error: { code: 'ERR_BIND', message: 'bind failed: EADDRINUSE' } });
  });

  it('first Ctrl-C stops the run and still prints the partial result; the second exits 130', async () => {
    const io = fakeIo();
    const run = controlled<ReceiverRunReport>();
    const engine: Engine = { ...fakeEngine({}), runReceiver: (_c, hooks) => ((run.hooks = hooks), run.handle) };
    const done = main(['receive'], io, async () => engine);
    await new Promise((r) => setTimeout(r, 10));
    io.sigint();
    expect(run.stops).toEqual(['signal']);
    expect(io.exits).toEqual([]);
    expect(io.err).toMatch(/interrupted/);
    io.sigint();
    expect(io.exits).toEqual([130]);
    run.resolve({ ...receiverReport, end: { ...receiverReport.end, stoppedBy: 'signal', maxLossExceeded: false } });
    expect(await done).toBe(0);
    expect(io.out).toContain('stopped by signal');
  });

  it('Ctrl-C before a run has started exits 130 at once', async () => {
    const io = fakeIo();
    const done = main(['receive'], io, () => new Promise<Engine>((res) => setTimeout(() => res(fakeEngine({ receiver: receiverReport })), 20)));
    io.sigint();
    expect(io.exits).toEqual([130]);
    await done;
  });

  it('an unexpected error is one line without a stack', async () => {
    const io = fakeIo();
    const engine: Engine = { ...fakeEngine({}), runSender: () => { throw new TypeError('cannot read x'); } };
    expect(await main(['send', '--dest', '127.0.0.1'], io, async () => engine)).toBe(1);
    expect(io.err).toBe('mcastbench: internal error: cannot read x\n');
  });
});
