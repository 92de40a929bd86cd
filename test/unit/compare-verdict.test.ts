import { describe, expect, it } from 'vitest';
import { compareVerdict } from '../../src/compare/verdict.js';
import { renderCompare } from '../../src/compare/render.js';
import type { CompareSetting } from '../../src/compare/model.js';

const row = (over: Partial<CompareSetting>): CompareSetting => ({
  label: 'default', rcvbufRequestedBytes: null, rcvbufGrantedBytes: 212992, rcvbufForced: false, sentPackets: 100000,
  packets: 90088, lostPackets: 9912, lossPercent: 9.912, rcvbufErrors: 9912, socketDrops: 9912, latencyP99Us: 900, peakQueueFraction: 1, backend: 'dgram',
  sessionId: '00000000000000aa', otherSessionPackets: 0, stoppedBy: 'end-of-session', ...over,
});

describe('compare verdict', () => {
  const settings = [row({}), row({ label: '26214400', rcvbufRequestedBytes: 26214400, rcvbufGrantedBytes: 52428800, rcvbufForced: true, packets: 100000, lostPackets: 0, lossPercent: 0, rcvbufErrors: 0, socketDrops: 0, peakQueueFraction: 0.4 })];

  it('says where each setting lost, picks the smallest loss-free one and prints the fix', () => {
    const v = compareVerdict(settings, 0, 4194304, 212992);
    expect(v.lines[0]).toBe('default 212992: 9.9 % lost (9,912 of 100,000), all of it receive-buffer overflow on this host');
    expect(v.lines[1]).toBe('26214400: 0 lost');
    expect(v.winner).toBe('26214400');
    expect(v.fix).toEqual([
      'sysctl -w net.core.rmem_max=26214400',
      'sysctl -w net.core.rmem_default=26214400',
      "printf 'net.core.rmem_max = 26214400\\nnet.core.rmem_default = 26214400\\n' > /etc/sysctl.d/90-mcastbench.conf",
    ]);
    expect(v.lines.join('\n')).toContain('without raising it, an application asking for 26,214,400 gets 8,388,608');
  });

  it('loss before the socket is not blamed on the buffer', () => {
    const v = compareVerdict([row({ socketDrops: 0, rcvbufErrors: 0 })], 0, 4194304, 212992);
    expect(v.lines[0]).toContain("none of it at this host's socket");
    expect(v.winner).toBeNull();
    expect(v.lines.at(-1)).toContain('a bigger buffer alone will not fix it');
  });

  it('a default that suffices needs no change', () => {
    const v = compareVerdict([row({ lostPackets: 0, lossPercent: 0, socketDrops: 0, rcvbufErrors: 0 })], 0, 4194304, 212992);
    expect(v.fix).toEqual([]);
    expect(v.lines.at(-1)).toContain('nothing to change');
  });

  it('renders one row per setting with the verdict below', () => {
    const text = renderCompare({
      schemaVersion: 1,
      start: { role: 'compare', mode: 'two-node', settings: ['default', '26214400'], rmemMaxBytes: 4194304, rmemDefaultBytes: 212992 },
      end: { role: 'compare', settings, verdict: compareVerdict(settings, 0, 4194304, 212992), maxLossPercent: 0 },
    });
    expect(text).toMatch(/default 212992 .*9,912/);
    expect(text).toMatch(/26214400 \(forced\)/);
    expect(text).toContain('sysctl -w net.core.rmem_max=26214400');
  });

  it('a setting that saw no traffic is said so and never wins', () => {
    const idle = row({ label: '1048576', rcvbufRequestedBytes: 1048576, rcvbufGrantedBytes: 2097152, sentPackets: 0, packets: 0, lostPackets: 0, lossPercent: 0, rcvbufErrors: 0, socketDrops: 0, sessionId: null, stoppedBy: 'duration' });
    const v = compareVerdict([row({}), idle], 0, 4194304, 212992);
    expect(v.lines[1]).toBe('1048576: no traffic measured (stopped by duration)');
    expect(v.winner).toBeNull();
    expect(compareVerdict([idle], 0, 4194304, 212992).lines.at(-1)).toBe('no setting saw any traffic: nothing to compare');
  });

  it('names datagrams of other sessions, and RcvbufErrors that are not this socket\'s', () => {
    const v = compareVerdict([row({ otherSessionPackets: 120, rcvbufErrors: 10000 })], 0, 4194304, 212992);
    expect(v.lines).toContain('default 212992: 120 datagrams of other sender sessions arrived while it ran and were not counted (another sender, or a sender --gap too short for this receiver to reopen between settings)');
    expect(v.lines.join('\n')).toContain('RcvbufErrors counts every UDP socket in this network namespace');
    expect(compareVerdict(settings, 0, 4194304, 212992).lines.join('\n')).not.toContain('RcvbufErrors counts');
  });
});
