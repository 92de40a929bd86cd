/**
 * The HTML reports in a real browser: real `loopback --report` and `compare --report` runs on
 * 127.0.0.1, plus a find-rate page from a hand-built model, each opened in headless Chromium.
 * The page's script counts the charts Chart.js drew (body[data-charts-rendered]); a page that
 * fails to draw any chart fails here. Chromium resolves every host name to a local trap server,
 * which must see no request: the pages fetch nothing. Screenshots go to test-artifacts/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../src/compare/model.js';
import type { FindRateReport } from '../../src/findrate/model.js';
import { renderFindRateHtml } from '../../src/report/html/index.js';
import type { LoopbackRunReport, ReceiverInterval, ReceiverRunReport, SenderRunReport } from '../../src/report/model.js';
import { BROWSER_SERVICE_HOSTS, chartsInDom, findChromium, pngSize, runChromium } from '../helpers/chromium.js';
import { freePort, runCli, startCli, waitForUdpPort } from '../helpers/cli.js';
import { findRateReport, HOSTILE } from '../helpers/html-models.js';
import { embeddedCharts, externalReferences } from '../helpers/html-page.js';

const chromium = findChromium();
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CHROMIUM_TIMEOUT_MS = 60_000;
if (chromium === null) console.warn('html-report.test.ts: skipped: no chromium on PATH (Debian: apt-get install chromium)');

describe.skipIf(chromium === null)(`HTML reports in headless Chromium${chromium === null ? ' (skipped: no chromium on PATH; apt-get install chromium)' : ''}`, () => {
  const requests: string[] = [];
  const trap = http.createServer((req, res) => {
    requests.push(`${req.method ?? '?'} ${req.headers.host ?? '?'}${req.url ?? ''}`);
    res.writeHead(404).end();
  });
  let trapPort = 0;
  let work = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    work = mkdtempSync(path.join(os.tmpdir(), 'mcb-html-it-'));
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    trapPort = (trap.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => trap.close(() => r()));
    rmSync(work, { recursive: true, force: true });
  });

  /**
   * Opens the page (DOM dump) and checks every chart was drawn, offline; then, if asked, takes
   * a 1200 x 2400 screenshot into test-artifacts/ for a person to look at.
   */
  async function checkInBrowser(file: string, kind: string, charts: number, screenshot: string | null): Promise<void> {
    const url = pathToFileURL(file).href;
    const html = readFileSync(file, 'utf8');
    for (const host of BROWSER_SERVICE_HOSTS) expect(html).not.toContain(host);
    // Every host name resolves to the trap: any fetch the page tried would be recorded there.
    const toTrap = `MAP * 127.0.0.1:${trapPort}`;
    const dump = await runChromium(chromium!, ['--dump-dom', url], CHROMIUM_TIMEOUT_MS, toTrap);
    expect(dump.timedOut, 'chromium --dump-dom timed out').toBe(false);
    expect(chartsInDom(dump.stdout)).toEqual({ kind, expected: charts, rendered: charts, errors: null, markedFigures: charts });
    expect(externalReferences(dump.stdout)).toEqual([]);
    if (screenshot !== null) await takeScreenshot(url, screenshot, toTrap);
    expect(requests.filter((r) => !BROWSER_SERVICE_HOSTS.some((h) => r.split(' ')[1]?.startsWith(`${h}/`)))).toEqual([]);
  }

  async function takeScreenshot(url: string, name: string, toTrap: string): Promise<void> {
    const png = path.join(ARTIFACTS, `${name}.png`);
    rmSync(png, { force: true });
    const shot = await runChromium(chromium!, ['--hide-scrollbars', '--window-size=1200,2400', `--screenshot=${png}`, url], CHROMIUM_TIMEOUT_MS, toTrap);
    expect(shot.timedOut, 'chromium --screenshot timed out').toBe(false);
    expect(pngSize(readFileSync(png))).toEqual({ width: 1200, height: 2400 });
    console.log(`report: ${fileURLToPath(url)}\nscreenshot: ${png}`);
  }

  it('loopback --report: four charts drawn, and the page shows the same numbers as --json', async () => {
    const file = path.join(ARTIFACTS, 'loopback-report.html');
    rmSync(file, { force: true });
    // 4200 datagrams at 3 kpps (1.4 s) into a 128 KiB buffer, the receiver stalling 250 ms each
    // second: the stall at 1.0 s overflows the buffer (so the charts show loss and a full queue),
    // and the end of the stream, with its end-of-stream datagrams, comes 0.6 s before the next.
    const count = 4200;
    const slow = ['--rcvbuf', '64K', '--receiver-pause', '250ms', '--pause-every', '1s'];
    const r = await runCli(['loopback', '--count', String(count), '--rate', '3kpps', '--size', '1000', ...slow, '--json', '--report', file], 60_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`report written: ${file}`);
    const json = JSON.parse(r.stdout) as LoopbackRunReport;
    // The truth the test controls: --count datagrams sent, every one received or counted lost.
    expect(json.end.sender.total.packets).toBe(count);
    expect(json.end.total.packets - json.end.total.duplicatePackets + json.end.total.lostPackets).toBe(count);
    const html = readFileSync(file, 'utf8');
    const data = embeddedCharts(html);
    const recv = json.intervals.filter((i): i is ReceiverInterval => i.role === 'receiver');
    expect(data.get('loss')?.series[0]?.data).toEqual(recv.map((i) => i.sum.lostPackets));
    expect(data.get('latency')?.series[0]?.data).toEqual(json.end.total.latencyPercentilesUs.map((p) => p.valueUs));
    expect(json.end.total.latencyPercentilesUs.at(-1)?.valueUs).toBe(json.end.total.latencyUs.max);
    await checkInBrowser(file, 'loopback', 4, 'loopback-report');
  }, 180_000);

  it('receive --report stopped by Ctrl-C: the partial result is written and drawn', async () => {
    const file = path.join(ARTIFACTS, 'receive-report.html');
    rmSync(file, { force: true });
    const port = await freePort();
    const rx = startCli(['receive', '--bind', '127.0.0.1', '--port', String(port), '--duration', '60', '--json', '--report', file]);
    const guard = setTimeout(() => rx.child.kill('SIGKILL'), 90_000);
    try {
      await waitForUdpPort(port);
      const tx = await runCli(['send', '--dest', '127.0.0.1', '--port', String(port), '--count', '3000', '--rate', '3kpps', '--size', '1000', '--json'], 60_000);
      expect(tx.code, tx.stderr).toBe(0);
      const sent = JSON.parse(tx.stdout) as SenderRunReport;
      expect(sent.end.total.packets).toBe(3000);
      await new Promise((r) => setTimeout(r, 300));
      rx.child.kill('SIGINT');
      const r = await rx.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`report written: ${file}`);
      const json = JSON.parse(r.stdout) as ReceiverRunReport;
      expect(json.end.stoppedBy).toBe('signal');
      expect(json.end.total.packets - json.end.total.duplicatePackets + json.end.total.lostPackets).toBe(3000);
      const data = embeddedCharts(readFileSync(file, 'utf8'));
      expect(data.get('latency')?.series[0]?.data).toEqual(json.end.total.latencyPercentilesUs.map((p) => p.valueUs));
      await checkInBrowser(file, 'receive', 4, 'receive-report');
    } finally {
      clearTimeout(guard);
    }
  }, 180_000);

  it('compare --report: four charts drawn, one bar per setting from the run', async () => {
    const file = path.join(ARTIFACTS, 'compare-report.html');
    rmSync(file, { force: true });
    // A receiver that stalls 400 ms in every 800: the small buffer should overflow and the
    // large one (4 MiB asked, within rmem_max) hold, so the page has something to show.
    // Nothing below depends on that: the checks compare the page with the run's own JSON.
    const traffic = ['--count', '4000', '--rate', '4kpps', '--size', '1000', '--receiver-pause', '400ms', '--pause-every', '800ms'];
    const r = await runCli(['compare', '--rcvbuf', '64K,4M', ...traffic, '--json', '--report', file], 90_000);
    // 0: a setting won; 3: none kept the loss at 0 on a busy machine. Either way the page is written.
    expect([0, 3], r.stderr).toContain(r.code);
    expect(r.stderr).toContain(`report written: ${file}`);
    const json = JSON.parse(r.stdout) as CompareReport;
    expect(json.end.settings.map((s) => s.sentPackets)).toEqual([4000, 4000]);
    const data = embeddedCharts(readFileSync(file, 'utf8'));
    expect(data.get('received-lost')?.series.map((s) => s.data)).toEqual([json.end.settings.map((s) => s.packets), json.end.settings.map((s) => s.lostPackets)]);
    expect(data.get('drops')?.series.map((s) => s.data)).toEqual([
      json.end.settings.map((s) => s.lostPackets),
      json.end.settings.map((s) => s.socketDrops),
      json.end.settings.map((s) => s.rcvbufErrors),
    ]);
    await checkInBrowser(file, 'compare', 4, 'compare-report');
  }, 180_000);

  it('find-rate --report: the search path of a real run, every chart drawn, nothing fetched', async () => {
    const file = path.join(ARTIFACTS, 'find-rate-report.html');
    rmSync(file, { force: true });
    // A receiver that burns 2 ms per datagram cannot take more than 500/s: a short search.
    const r = await runCli(
      ['find-rate', '--rcvbuf', 'default', '--start', '300pps', '--ceiling', '2400pps', '--trial', '0.5s', '--resolution', '20', '--size', '1000', '--receiver-work-us', '2000', '--json', '--report', file],
      120_000,
    );
    expect([0, 3], r.stderr).toContain(r.code);
    expect(r.stderr).toContain(`report written: ${file}`);
    const json = JSON.parse(r.stdout) as FindRateReport;
    const data = embeddedCharts(readFileSync(file, 'utf8'));
    // One search-path chart per setting, with one point per trial of the run.
    const path0 = [...data.values()].find((c) => c.series.some((s) => s.data.length === json.end.results[0]!.trials.length));
    expect(path0, 'a chart with one point per trial').toBeDefined();
    await checkInBrowser(file, 'find-rate', 2, 'find-rate-report');
  }, 180_000);

  it('a label that closes </script> and loads a script stays text in the browser', async () => {
    const file = path.join(work, 'hostile.html');
    writeFileSync(file, renderFindRateHtml(findRateReport(HOSTILE), { host: 'h', args: null, generatedAtMs: 0 }));
    await checkInBrowser(file, 'find-rate', 3, null);
  }, 120_000);

  it('the trap sees a page that does fetch (control for the offline check)', async () => {
    const before = requests.length;
    const file = path.join(work, 'fetching.html');
    writeFileSync(file, '<!doctype html><body><img src="http://mcb-trap.invalid/pixel.png"></body>');
    await runChromium(chromium!, ['--dump-dom', pathToFileURL(file).href], CHROMIUM_TIMEOUT_MS, `MAP * 127.0.0.1:${trapPort}`);
    expect(requests.slice(before)).toContain('GET mcb-trap.invalid/pixel.png');
    requests.splice(before);
  }, 120_000);

  it('the chart count catches a page whose script breaks (control for the checks above)', async () => {
    const good = renderFindRateHtml(findRateReport('default'), { host: 'h', args: null, generatedAtMs: 0 });
    const broken = good.replace('new Chart(box', 'new NoSuchChart(box');
    expect(broken).not.toBe(good);
    const file = path.join(work, 'broken.html');
    writeFileSync(file, broken);
    const dump = await runChromium(chromium!, ['--dump-dom', pathToFileURL(file).href], CHROMIUM_TIMEOUT_MS);
    const c = chartsInDom(dump.stdout);
    expect(c.rendered).toBe(0);
    expect(c.markedFigures).toBe(0);
    expect(c.errors).toMatch(/NoSuchChart is not defined/);
  }, 120_000);
});
