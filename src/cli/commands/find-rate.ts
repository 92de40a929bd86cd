/**
 * `mcastbench find-rate`: per receive-buffer setting, the highest rate (or largest burst) that
 * loopback traffic sustains with loss at or below --max-loss: climbing by doubling, then
 * bisecting; prints every trial of the search and the answer.
 */
import type { Argv } from 'yargs';
import { FIND_RATE_DEFAULTS, FIND_RATE_LIMITS, validateFindRate } from '../../config/find-rate.js';
import { readReportPath } from '../../config/report-path.js';
import type { RawOptions } from '../../config/validate.js';
import type { CommandContext } from '../context.js';
import { writeHtmlReport } from '../html-report.js';
import { addOptions, type OptionGroups } from '../options.js';

export const command = 'find-rate';
export const describe = 'Search the highest loopback rate (or burst size) with loss at or below --max-loss, per receive-buffer setting';

export const options = {
  'Search:': ['search', 'start', 'ceiling', 'resolution', 'trial', 'max-loss'],
  'Settings:': ['rcvbuf', 'rcvbuf-force'],
  'Traffic:': ['size', 'burst', 'burst-interval', 'ipv6'],
  'Slow receiver:': ['receiver-pause', 'pause-every', 'receiver-work-us'],
  'Output:': ['json', 'backend', 'report'],
} as const satisfies OptionGroups;

const overrides = {
  search: { defaultDescription: FIND_RATE_DEFAULTS.search },
  start: { defaultDescription: `${FIND_RATE_DEFAULTS.startRate} (--search burst: ${FIND_RATE_DEFAULTS.startBurst})` },
  ceiling: { defaultDescription: `${FIND_RATE_DEFAULTS.ceilingRate} (--search burst: ${FIND_RATE_DEFAULTS.ceilingBurst})` },
  resolution: { defaultDescription: `${FIND_RATE_DEFAULTS.resolutionPercent}` },
  trial: { defaultDescription: `${FIND_RATE_DEFAULTS.trialSec}s, or --pause-every if longer (${FIND_RATE_LIMITS.trialSec.min}-${FIND_RATE_LIMITS.trialSec.max} s)` },
  rcvbuf: { alias: undefined, describe: 'Comma-separated receive-buffer settings, one search each: "default" and/or sizes', defaultDescription: FIND_RATE_DEFAULTS.rcvbuf },
  'rcvbuf-force': { describe: 'Use SO_RCVBUFFORCE for every sized setting (root or CAP_NET_ADMIN), so sizes above net.core.rmem_max are granted' },
  'max-loss': { describe: 'Loss percentage a trial may have and still pass (0-100)', defaultDescription: '0' },
  'burst-interval': { describe: 'With --search burst: the fixed time between burst starts (e.g. 10ms)' },
};

export function builder(y: Argv): Argv {
  return addOptions(y, options, overrides)
    .example('$0 find-rate --rcvbuf default,26214400 --rcvbuf-force --size 1470', 'the highest loss-free rate at the kernel default and at 25 MiB')
    .example('$0 find-rate --search burst --burst-interval 10ms --size 1470', 'the largest loss-free burst every 10 ms (Totem-shaped)');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const cfg = validateFindRate(argv);
  const reportPath = readReportPath(argv);
  for (const w of cfg.warnings) ctx.io.stderr.write(`mcastbench: warning: ${w}\n`);
  const [{ runFindRate }, { renderFindRate, renderTrialLine }] = await Promise.all([import('../../findrate/run.js'), import('../../findrate/render.js')]);
  const handle = runFindRate(cfg, {
    onTrial: (label, t, index) => {
      if (!cfg.json) ctx.io.stderr.write(renderTrialLine(label, t, index));
    },
    onWarning: (w) => ctx.io.stderr.write(`mcastbench: warning: ${w}\n`),
  });
  ctx.setActiveRun((reason) => handle.stop(reason));
  try {
    const report = await handle.result;
    ctx.io.stdout.write(cfg.json ? `${JSON.stringify(report, null, 2)}\n` : renderFindRate(report));
    if (reportPath !== null) {
      const { renderFindRateHtml } = await import('../../report/html/index.js');
      writeHtmlReport(ctx, reportPath, (c) => renderFindRateHtml(report, c));
    }
    // 3 when a setting has no answer: even its lowest trial lost more than --max-loss.
    return report.end.results.some((r) => r.bestPacketsPerSec === null) ? 3 : 0;
  } finally {
    ctx.setActiveRun(null);
  }
}
