/**
 * A compare receiver and a repeating sender as two processes on 127.0.0.1 (the two-node mode
 * without a second node): the receiver takes one sender session per --rcvbuf setting, so each
 * row must carry the count that sender run reports and that run's session id.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, runCli, startCli, waitForUdpPort } from '../helpers/cli.js';
import { embeddedCharts } from '../helpers/html-page.js';
import type { CompareReport } from '../../src/compare/model.js';
import type { SenderRepeatReport } from '../../src/report/model.js';

const isRoot = process.getuid?.() === 0;
const COUNT = 3000;

describe('receive --rcvbuf default,1M + send --repeat 2 --gap 1s', () => {
  it('two rows, one per sender run, with the counts and sessions the sender reports', async () => {
    const port = await freePort();
    // --rcvbuf-force needs CAP_NET_ADMIN; 1M is below this host's rmem_max cap either way
    const force = isRoot ? ['--rcvbuf-force'] : [];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mcb-two-node-'));
    const report = path.join(dir, 'compare.html');
    const receiver = startCli(['receive', '--bind', '127.0.0.1', '--port', String(port), '--rcvbuf', 'default,1M', ...force, '--duration', '30', '--json', '--report', report]);
    const killer = setTimeout(() => receiver.child.kill('SIGKILL'), 60_000);
    try {
      await waitForUdpPort(port);
      const s = await runCli(['send', '--dest', '127.0.0.1', '--port', String(port), '--rate', '3000pps', '--size', '500', '--count', String(COUNT), '--repeat', '2', '--gap', '1s', '--json']);
      expect(s.code, s.stderr).toBe(0);
      const sent = JSON.parse(s.stdout) as SenderRepeatReport;
      expect(sent.end.runsCompleted).toBe(2);
      expect(sent.end.sentPackets).toEqual([COUNT, COUNT]);
      expect(new Set(sent.end.sessionIds).size).toBe(2);

      const r = await receiver.done;
      expect([0, 3], r.stderr).toContain(r.code);
      const doc = JSON.parse(r.stdout) as CompareReport;
      expect(doc.start).toMatchObject({ role: 'compare', mode: 'two-node', settings: ['default', '1M'] });
      const rows = doc.end.settings;
      expect(rows.map((x) => x.label)).toEqual(['default', '1M']);
      rows.forEach((row, i) => {
        expect(row.sentPackets).toBe(sent.runs[i]!.end.total.packets);
        expect(row.sessionId).toBe(sent.end.sessionIds[i]);
        expect(row.stoppedBy).toBe('end-of-session');
        expect(row.packets + row.lostPackets).toBe(row.sentPackets);
        // one host: whatever was lost, the socket's buffer dropped it
        expect(row.lostPackets).toBe(row.socketDrops);
        expect(row.otherSessionPackets).toBe(0);
      });
      expect(rows[0]!.rcvbufRequestedBytes).toBeNull();
      expect(rows[1]!.rcvbufRequestedBytes).toBe(1048576);
      expect(rows[1]!.rcvbufForced).toBe(isRoot);
      if (isRoot) expect(rows[1]!.rcvbufGrantedBytes).toBe(2 * 1048576);
      expect(doc.end.verdict.lines.length).toBeGreaterThanOrEqual(2);
      // --report: the compare page of this two-node run (drawn in Chromium by html-report.test.ts).
      expect(r.stderr).toContain(`report written: ${report}`);
      const html = readFileSync(report, 'utf8');
      expect(html).toContain('data-charts-expected="4"');
      expect(embeddedCharts(html).get('received-lost')?.series.map((x) => x.data)).toEqual([rows.map((x) => x.packets), rows.map((x) => x.lostPackets)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      clearTimeout(killer);
      receiver.child.kill('SIGKILL');
    }
  }, 90_000);
});
