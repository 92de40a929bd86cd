/**
 * Headless Chromium (Debian's `chromium`) for the HTML report tests: every call bounded in time,
 * in its own process group and with its own throw-away profile, so a hung browser is killed by
 * the id of the group this helper started, and nothing is left behind.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The chromium binary on PATH, or null. */
export function findChromium(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const file = path.join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export interface ChromiumResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const BASE_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-extensions', '--no-first-run', '--virtual-time-budget=5000',
  // Chromium's own services still call out (network time, component updates); these cut most.
  '--disable-component-update', '--disable-features=NetworkTimeServiceQuerying',
];

/**
 * Requests Chromium's browser process makes on its own, whatever the page (seen with Debian's
 * chromium 156 on an empty page: the component updater's on-demand check). A page can only
 * cause one of these if its text names the host, which the tests rule out separately.
 */
export const BROWSER_SERVICE_HOSTS = ['update.googleapis.com', 'clients2.google.com'];

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs chromium with the base flags plus `args`; kills its process group after timeoutMs.
 * Host names resolve per `hostRules` (Chromium's --host-resolver-rules): by default to nothing,
 * so neither the page nor the browser reaches any network.
 */
export function runChromium(binary: string, args: string[], timeoutMs = 60_000, hostRules = 'MAP * ~NOTFOUND'): Promise<ChromiumResult> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'mcb-chromium-'));
  const flags = [...BASE_FLAGS, `--user-data-dir=${profile}`, `--host-resolver-rules=${hostRules}`, ...args];
  const child = spawn(binary, flags, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) killGroup(child.pid);
  }, timeoutMs);
  return new Promise<ChromiumResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      // Renderer or zygote processes of this run that outlived the browser process.
      if (child.pid !== undefined) killGroup(child.pid);
      rmSync(profile, { recursive: true, force: true });
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** What the page's script reported, read from a --dump-dom of the page. */
export interface DomCharts {
  kind: string | null;
  expected: number | null;
  rendered: number | null;
  errors: string | null;
  /** Figures marked data-rendered="true". */
  markedFigures: number;
}

export function chartsInDom(dom: string): DomCharts {
  const body = /<body\b([^>]*)>/.exec(dom)?.[1] ?? '';
  const attr = (name: string): string | null => new RegExp(`\\b${name}="([^"]*)"`).exec(body)?.[1] ?? null;
  const int = (v: string | null): number | null => (v === null ? null : Number(v));
  return {
    kind: attr('data-report'),
    expected: int(attr('data-charts-expected')),
    rendered: int(attr('data-charts-rendered')),
    errors: attr('data-chart-errors'),
    markedFigures: (dom.match(/<figure class="chart[^"]*"[^>]*data-rendered="true"/g) ?? []).length,
  };
}

/** PNG signature and the IHDR size (RFC 2083 / PNG spec, section 11.2.2). */
export function pngSize(png: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
