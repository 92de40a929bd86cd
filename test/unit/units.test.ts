import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseDuration, parseInteger, parseNumber, parseRate, parseSize } from '../../src/config/units.js';

describe('parseSize (binary)', () => {
  it.each([
    ['26214400', 26214400],
    ['4M', 4 * 1048576],
    ['512K', 512 * 1024],
    ['512k', 512 * 1024],
    ['1G', 1073741824],
    ['1.5K', 1536],
    ['4MB', 4 * 1048576],
    ['4MiB', 4 * 1048576],
    [1470, 1470],
  ])('%s -> %d bytes', (input, bytes) => {
    expect(parseSize(input, '--size')).toBe(bytes);
  });

  it.each(['', 'abc', '4T', '-1', '1.3K', '4 M B', '0x10', '1e3'])('rejects %j naming the flag', (input) => {
    expect(() => parseSize(input, '--sndbuf')).toThrow(ConfigError);
    expect(() => parseSize(input, '--sndbuf')).toThrow(/^--sndbuf: .* \(allowed: /);
  });
});

describe('parseRate (decimal bits/s, or pps)', () => {
  it.each([
    ['100m', { kind: 'bitsPerSec', bitsPerSec: 100e6 }],
    ['100M', { kind: 'bitsPerSec', bitsPerSec: 100e6 }],
    ['1.5g', { kind: 'bitsPerSec', bitsPerSec: 1.5e9 }],
    ['10k', { kind: 'bitsPerSec', bitsPerSec: 10e3 }],
    ['500', { kind: 'bitsPerSec', bitsPerSec: 500 }],
    ['20kpps', { kind: 'packetsPerSec', packetsPerSec: 20e3 }],
    ['1mpps', { kind: 'packetsPerSec', packetsPerSec: 1e6 }],
    ['8503pps', { kind: 'packetsPerSec', packetsPerSec: 8503 }],
    ['max', { kind: 'max' }],
    ['MAX', { kind: 'max' }],
  ])('%s', (input, expected) => {
    expect(parseRate(input, '--rate')).toEqual(expected);
  });

  it.each(['0', '0pps', 'fast', '10mbps', '-5m', '', '10 x'])('rejects %j', (input) => {
    expect(() => parseRate(input, '--rate')).toThrow(/^--rate: .* is not a rate \(allowed: /);
  });
});

describe('parseDuration (seconds)', () => {
  it.each([
    ['30s', 30],
    ['500ms', 0.5],
    ['2m', 120],
    ['1h', 3600],
    ['10', 10],
    ['0.5', 0.5],
    ['250us', 0.00025],
    [3, 3],
  ])('%s -> %d s', (input, sec) => {
    expect(parseDuration(input, '--duration')).toBeCloseTo(sec, 12);
  });

  it.each(['', '10x', '1d', '-1s', 's', 'ms'])('rejects %j', (input) => {
    expect(() => parseDuration(input, '-t')).toThrow(/^-t: .* is not a duration/);
  });
});

describe('parseInteger / parseNumber', () => {
  it('accepts strict forms only', () => {
    expect(parseInteger('5001', '--port', '1..65535')).toBe(5001);
    expect(parseInteger(7, '--port', '1..65535')).toBe(7);
    expect(() => parseInteger('5001x', '--port', '1..65535')).toThrow('--port: \'5001x\' is not an integer (allowed: 1..65535)');
    expect(() => parseInteger('1.5', '--port', '1..65535')).toThrow(ConfigError);
    expect(parseNumber('0.5', '--max-loss', '0..100')).toBe(0.5);
    expect(() => parseNumber('x', '--max-loss', '0..100')).toThrow(ConfigError);
  });
});
