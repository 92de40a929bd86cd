/**
 * `mcastbench compare`: the same loopback traffic once per receive-buffer setting, side by
 * side, each loss attributed by the kernel's counters, and the commands for the winner.
 */
import type { Argv } from 'yargs';
import { DEFAULTS, LIMITS } from '../../config/defaults.js';
import { validateLoopback, type RawOptions } from '../../config/validate.js';
import { readNumber } from '../../config/raw-options.js';
import { readRcvbufSettings, settingOptions } from '../../config/rcvbuf-list.js';
import { readReportPath } from '../../config/report-path.js';
import type { CommandContext } from '../context.js';
import { writeHtmlReport } from '../html-report.js';
import { addOptions, type OptionGroups } from '../options.js';
import type { CompareRun } from '../../compare/loopback-steps.js';

export const command = 'compare';
export const describe = 'Run the same loopback traffic once per receive-buffer setting and compare the loss, side by side';

export const options = {
  'Settings:': ['rcvbuf', 'rcvbuf-force', 'max-loss'],
  'Traffic:': ['rate', 'size', 'burst', 'burst-interval', 'count', 'duration', 'ipv6'],
  'Totem profile:': ['profile', 'window-size', 'netmtu', 'token-rotation'],
  'Slow receiver:': ['receiver-pause', 'pause-every', 'receiver-work-us'],
  'Output:': ['json', 'backend', 'report'],
} as const satisfies OptionGroups;

const overrides = {
  rcvbuf: { alias: undefined, describe: 'Comma-separated receive-buffer settings to compare: "default" and/or sizes (default,1M,26214400)', defaultDescription: 'default,26214400' },
  'rcvbuf-force': { describe: 'Use SO_RCVBUFFORCE for every sized setting (root or CAP_NET_ADMIN), so sizes above net.core.rmem_max are granted' },
  'max-loss': { describe: 'Loss percentage a setting may have and still win (0-100)', defaultDescription: '0' },
  rate: { defaultDescription: DEFAULTS.loopback.rate },
  duration: { defaultDescription: `${DEFAULTS.loopback.durationSec}s` },
};

export function builder(y: Argv): Argv {
  return addOptions(y, options, overrides).example('$0 compare --rcvbuf default,26214400 --rate 10kpps --size 1000 --receiver-pause 1s --pause-every 5s --rcvbuf-force', 'a receiver that stalls 1 s in 5, at the kernel default and at 25 MiB');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  const maxLoss = readNumber(argv, 'max-loss', LIMITS.maxLossPercent, '%') ?? 0;
  const reportPath = readReportPath(argv);
  // Validate every setting before the first run starts.
  const runs: CompareRun[] = readRcvbufSettings(argv, 'default,26214400').map((label) => {
    const raw = { ...settingOptions(argv, label), 'max-loss': undefined, maxLoss: undefined, interval: '0' };
    const { sender, receiver } = validateLoopback(raw);
    return { label, sender, receiver };
  });
  const json = argv['json'] === true;
  for (const w of runs[0]!.sender.warnings) ctx.io.stderr.write(`mcastbench: warning: ${w}\n`);
  const [{ runCompare }, { loopbackSteps }, { renderCompare }] = await Promise.all([
    import('../../compare/run.js'),
    import('../../compare/loopback-steps.js'),
    import('../../compare/render.js'),
  ]);
  const handle = runCompare(
    'loopback',
    loopbackSteps(runs),
    maxLoss,
    (s) => {
      if (!json) ctx.io.stderr.write(`compare: ${s.label}: sent ${s.sentPackets}, received ${s.packets}, lost ${s.lostPackets} (socket drops ${s.socketDrops})\n`);
    },
    runs[0]!.sender.profile ?? null,
  );
  ctx.setActiveRun((reason) => handle.stop(reason));
  try {
    const report = await handle.result;
    ctx.io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : renderCompare(report));
    if (reportPath !== null) {
      const { renderCompareHtml } = await import('../../report/html/index.js');
      writeHtmlReport(ctx, reportPath, (c) => renderCompareHtml(report, c));
    }
    return report.end.verdict.winner === null ? 3 : 0;
  } finally {
    ctx.setActiveRun(null);
  }
}
