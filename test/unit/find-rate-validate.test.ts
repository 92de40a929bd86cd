/** find-rate's validation boundary: defaults, units, and one-line errors naming the flag and the allowed range. */
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FIND_RATE_DEFAULTS, validateFindRate } from '../../src/config/find-rate.js';
import { ConfigError } from '../../src/errors.js';
import { fakeIo } from '../helpers/fake-io.js';

function configError(raw: Record<string, unknown>): ConfigError {
  try {
    validateFindRate(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).not.toContain('\n');
    return e as ConfigError;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(raw)}`);
}

describe('validateFindRate', () => {
  it('defaults: rate search from 10m to 10g of 1470-byte datagrams, 5 %, 3 s trials, default and 26214400', () => {
    const c = validateFindRate({});
    expect(c.search).toBe('rate');
    expect(c.sizeBytes).toBe(1470);
    expect(c.start).toBeCloseTo(10e6 / (1470 * 8), 9);
    expect(c.ceiling).toBeCloseTo(10e9 / (1470 * 8), 6);
    expect(c.resolutionPercent).toBe(5);
    expect(c.trialSec).toBe(3);
    expect(c.maxLossPercent).toBe(0);
    expect(c.burst).toBe(1);
    expect(c.burstIntervalNs).toBeNull();
    expect(c.maxTrials).toBe(FIND_RATE_DEFAULTS.maxTrials);
    expect(c.settings.map((s) => s.label)).toEqual(['default', '26214400']);
    expect(c.settings.map((s) => s.receiver.rcvbufBytes)).toEqual([null, 26214400]);
    for (const s of c.settings) {
      expect(s.sender.dest).toBe('127.0.0.1');
      expect(s.sender.durationSec).toBe(3);
      expect(s.sender.count).toBeNull();
      expect(s.sender.output.intervalSec).toBe(0);
      expect(s.receiver.maxLossPercent).toBeNull();
    }
  });

  it('rates in packets/s or bits/s, and the rest of the flags', () => {
    const c = validateFindRate({ start: '1000pps', ceiling: '100m', size: '1000', burst: '4', resolution: '2.5', trial: '1500ms', 'max-loss': '0.1', rcvbuf: '1M', 'rcvbuf-force': true, json: true });
    expect(c.start).toBe(1000);
    expect(c.ceiling).toBe(100e6 / 8000);
    expect(c.burst).toBe(4);
    expect(c.resolutionPercent).toBe(2.5);
    expect(c.trialSec).toBe(1.5);
    expect(c.maxLossPercent).toBe(0.1);
    expect(c.json).toBe(true);
    expect(c.settings[0]!.receiver).toMatchObject({ rcvbufBytes: 1048576, rcvbufForce: true });
  });

  it('--rcvbuf-force applies to sized settings only, like compare', () => {
    const c = validateFindRate({ rcvbuf: 'default,4M', 'rcvbuf-force': true });
    expect(c.settings.map((s) => s.receiver.rcvbufForce)).toEqual([false, true]);
  });

  it('burst search: whole datagrams per burst at the fixed --burst-interval', () => {
    const c = validateFindRate({ search: 'burst', 'burst-interval': '10ms', start: '2', ceiling: '5000' });
    expect(c).toMatchObject({ search: 'burst', start: 2, ceiling: 5000, burst: 2, burstIntervalNs: 10_000_000 });
  });

  it('a slow receiver makes the default trial one whole --pause-every period', () => {
    expect(validateFindRate({ 'receiver-pause': '1s', 'pause-every': '5s' }).trialSec).toBe(5);
    expect(validateFindRate({ 'receiver-pause': '100ms', 'pause-every': '1s' }).trialSec).toBe(3);
  });

  it.each([
    [{ start: '100m', ceiling: '10m' }, '--ceiling', /not above --start/],
    [{ start: '10m', ceiling: '10m' }, '--ceiling', /not above --start/],
    [{ start: '1pps', ceiling: '10000000pps' }, '--ceiling', /2\^20/],
    [{ start: 'max' }, '--start', /max is not a rate/],
    [{ ceiling: '1t' }, '--ceiling', /not a rate/],
    [{ start: '0.5pps' }, '--start', /allowed: a rate from 1 to 10,000,000 datagrams\/s/],
    [{ ceiling: '20000000pps' }, '--ceiling', /allowed: a rate from 1/],
    [{ resolution: '0' }, '--resolution', /allowed: 0\.1\.\.50 %/],
    [{ resolution: '60' }, '--resolution', /allowed: 0\.1\.\.50 %/],
    [{ resolution: 'fine' }, '--resolution', /not a number|allowed/],
    [{ trial: '0.1s' }, '--trial', /allowed: 0\.5\.\.600 s/],
    [{ trial: '1h' }, '--trial', /allowed: 0\.5\.\.600 s/],
    [{ search: 'size' }, '--search', /allowed: rate, burst/],
    [{ search: 'burst' }, '--search', /needs --burst-interval/],
    [{ search: 'burst', 'burst-interval': '10ms', burst: '5' }, '--burst', /is what --search burst varies/],
    [{ 'burst-interval': '10ms' }, '--burst-interval', /only with --search burst/],
    [{ search: 'burst', 'burst-interval': '10ms', start: '0' }, '--start', /allowed: 1\.\.100000 datagrams/],
    [{ search: 'burst', 'burst-interval': '10ms', start: '10', ceiling: '5' }, '--ceiling', /not above --start 10/],
    [{ 'receiver-pause': '1s', 'pause-every': '5s', trial: '2s' }, '--trial', /shorter than --pause-every 5 s.*allowed: at least 5 s/],
    [{ 'max-loss': '101' }, '--max-loss', /allowed: 0\.\.100 %/],
    [{ rcvbuf: ',' }, '--rcvbuf', /allowed: 1 to 16/],
    [{ rcvbuf: '512' }, '--rcvbuf', /allowed: 1024/],
    [{ rcvbuf: 'default,,1M' }, '--rcvbuf', /empty setting/],
    [{ rcvbuf: 'default', 'rcvbuf-force': true }, '--rcvbuf-force', /needs a sized setting/],
    [{ burst: '10', start: '0.002pps' }, '--start', /allowed/],
  ])('%j -> %s', (raw, flag, message) => {
    const e = configError(raw);
    expect(e.flag).toBe(flag);
    expect(e.message.startsWith(`${flag}: `)).toBe(true);
    expect(e.message).toMatch(message);
    expect(e.message).toContain('(allowed: ');
  });
});


describe('mcastbench find-rate: bad input through main', () => {
  it('exits 2 with one line naming the flag, before any socket opens', async () => {
    const io = fakeIo();
    const code = await main(['find-rate', '--start', '100m', '--ceiling', '10m'], io, () => Promise.reject(new Error('no engine in this test')));
    expect(code).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toMatch(/^mcastbench: --ceiling: .* \(allowed: .*\)\n$/);
    expect(io.err.split('\n')).toHaveLength(2);
  });

  it('options of other commands are unknown to find-rate', async () => {
    const io = fakeIo();
    expect(await main(['find-rate', '--rate', '10m'], io)).toBe(2);
    expect(io.err).toBe('mcastbench: --rate: unknown option (see mcastbench find-rate --help)\n');
  });

  it('--help lists the search flags with their defaults', async () => {
    const io = fakeIo();
    expect(await main(['find-rate', '--help'], io)).toBe(0);
    for (const flag of ['--search', '--start', '--ceiling', '--resolution', '--trial', '--max-loss', '--rcvbuf', '--rcvbuf-force', '--size', '--burst-interval', '--receiver-pause', '--json']) {
      expect(io.out).toContain(flag);
    }
    expect(io.out).toContain('[default: 10m (--search burst: 1)]');
  });
});
