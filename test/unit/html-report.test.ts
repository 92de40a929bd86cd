import { describe, expect, it } from 'vitest';
import { renderCompareHtml, renderFindRateHtml, renderLoopbackHtml, renderReceiveHtml, type ReportContext } from '../../src/report/html/index.js';
import { escapeHtml, jsonForScript } from '../../src/report/html/escape.js';
import { shellLine } from '../../src/report/html/page.js';
import { compareReport, findRateReport, HOSTILE, INTERVALS, loopbackReport, PERCENTILES, receiverReport } from '../helpers/html-models.js';
import { chartContainers, embeddedCharts, externalReferences } from '../helpers/html-page.js';

const context: ReportContext = { host: 'testhost', args: ['loopback', '--rate', '10kpps', '--report', 'my report.html'], generatedAtMs: Date.UTC(2026, 0, 2, 3, 4, 5) };

const pages = (): [string, string][] => [
  ['receive', renderReceiveHtml(receiverReport(), context)],
  ['loopback', renderLoopbackHtml(loopbackReport(), context)],
  ['compare', renderCompareHtml(compareReport(), context)],
  ['find-rate', renderFindRateHtml(findRateReport(), context)],
];

function series(html: string, chart: string, label: string): unknown[] {
  const c = embeddedCharts(html).get(chart);
  const s = c?.series.find((x) => x.label === label);
  if (!s) throw new Error(`no series "${label}" in chart ${chart}`);
  return s.data;
}

describe('HTML report renderers', () => {
  it('receive: one container per chart, and each chart carries the model\'s numbers', () => {
    const html = renderReceiveHtml(receiverReport(), context);
    expect(chartContainers(html)).toEqual(['throughput', 'loss', 'latency', 'queue']);
    expect(html).toContain('data-charts-expected="4" data-charts-rendered="0"');
    expect(series(html, 'loss', 'lost (sequence gaps)')).toEqual(INTERVALS.map((r) => r[1]));
    expect(series(html, 'loss', 'socket drops (kernel)')).toEqual(INTERVALS.map((r) => r[2]));
    expect(series(html, 'throughput', 'received')).toEqual(INTERVALS.map((r, i) => ({ x: i + 1, y: (r[0] * 1000 * 8) / 1e6 })));
    expect(series(html, 'queue', 'peak queue')).toEqual(INTERVALS.map((r) => Math.round((r[3] / 212_992) * 1000) / 10));
    expect(series(html, 'latency', 'latency')).toEqual(PERCENTILES.map((p) => p.valueUs));
    expect(embeddedCharts(html).get('latency')?.x.labels).toEqual(['min', 'p25', 'p50', 'p75', 'p90', 'p99', 'p99.9', 'max']);
  });

  it('loopback: the throughput chart has the sender next to the receiver', () => {
    const html = renderLoopbackHtml(loopbackReport(), context);
    expect(chartContainers(html)).toEqual(['throughput', 'loss', 'latency', 'queue']);
    expect(series(html, 'throughput', 'sent')).toEqual([1, 2, 3].map((x) => ({ x, y: 80 })));
    expect(html).toContain('10,000 datagrams/s, 80.0 Mbit/s, 1 stream, 1,000 B datagrams');
  });

  it('compare: bars per setting, the verdict and the fix commands', () => {
    const r = compareReport();
    const html = renderCompareHtml(r, context);
    expect(chartContainers(html)).toEqual(['received-lost', 'drops', 'peak-queue', 'latency-p99']);
    expect(series(html, 'received-lost', 'received')).toEqual(r.end.settings.map((s) => s.packets));
    expect(series(html, 'received-lost', 'lost')).toEqual(r.end.settings.map((s) => s.lostPackets));
    expect(series(html, 'drops', 'RcvbufErrors')).toEqual(r.end.settings.map((s) => s.rcvbufErrors));
    expect(series(html, 'peak-queue', 'peak queue')).toEqual([100, 100, 31]);
    expect(series(html, 'latency-p99', 'latency p99')).toEqual(r.end.settings.map((s) => s.latencyP99Us));
    for (const line of [...r.end.verdict.lines, ...r.end.verdict.fix]) expect(html).toContain(escapeHtml(line));
  });

  it('find-rate: the answers and one search path per setting, pass and fail apart', () => {
    const r = findRateReport('default');
    const html = renderFindRateHtml(r, context);
    expect(chartContainers(html)).toEqual(['answers', 'search-1', 'search-2']);
    const trials = r.end.results[0]!.trials;
    expect(series(html, 'search-1', 'passed')).toEqual(trials.map((t) => (t.passed ? t.packetsPerSec : null)));
    expect(series(html, 'search-1', 'failed')).toEqual(trials.map((t) => (t.passed ? null : t.packetsPerSec)));
    expect(series(html, 'search-1', 'loss %')).toEqual(trials.map((t) => t.lossPercent));
    expect(series(html, 'answers', 'highest passing')).toEqual([32_000, 160_000]);
    for (const x of r.end.results) expect(html).toContain(escapeHtml(x.summary));
  });

  it('labels that contain </script> stay data: escaped in HTML, intact after JSON.parse', () => {
    const html = renderFindRateHtml(findRateReport(HOSTILE), context);
    expect(html).not.toContain(HOSTILE);
    // Only the page's own script elements close: 3 JSON blocks, Chart.js, the page script.
    expect(html.match(/<\/script>/g)).toHaveLength(5);
    expect(embeddedCharts(html).get('answers')?.x.labels?.[0]).toEqual([HOSTILE, 'granted 212,992 B']);
    const recv = renderReceiveHtml(receiverReport(HOSTILE), context);
    expect(recv).not.toContain(HOSTILE);
    expect(recv).toContain(escapeHtml(`1 from ${HOSTILE}`));
  });

  it('no page refers to anything outside itself, and each forbids fetching', () => {
    for (const [kind, html] of pages()) {
      expect(externalReferences(html), kind).toEqual([]);
      expect(html, kind).not.toMatch(/(?:src|href)="http/i);
      expect(html, kind).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
      expect(html, kind).not.toContain('sourceMappingURL');
      expect(html, kind).toContain('Chart.js v4');
    }
  });

  it('the header names date, host and the command line as typed', () => {
    const html = renderLoopbackHtml(loopbackReport(), context);
    expect(html).toContain('2026-01-02 03:04:05 UTC');
    expect(html).toContain('testhost');
    expect(html).toContain(escapeHtml("mcastbench loopback --rate 10kpps --report 'my report.html'"));
    expect(shellLine(["it's"])).toBe(`mcastbench 'it'\\''s'`);
  });

  it('the helpers the test itself relies on catch what they claim to', () => {
    expect(externalReferences('<img src="http://x/y.png"><a href=//cdn.example/x>')).toHaveLength(2);
    expect(externalReferences('<p>&lt;script src="http://x/y.js"&gt;</p>')).toEqual([]);
    expect(externalReferences('<img src="data:image/png;base64,AAAA">')).toEqual([]);
    const json = jsonForScript({ a: '</script><!-- & \u2028' });
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual({ a: '</script><!-- & \u2028' });
  });
});
