/**
 * `mcastbench receive`: count, time and reconcile what arrives (unicast, ASM or SSM). With a
 * list of --rcvbuf settings it is a compare receiver: one setting per sender session.
 */
import type { Argv } from 'yargs';
import { readReportPath } from '../../config/report-path.js';
import { validateReceiver, type RawOptions } from '../../config/validate.js';
import { isRcvbufList } from '../../config/rcvbuf-list.js';
import type { CommandContext } from '../context.js';
import { writeHtmlReport } from '../html-report.js';
import { addOptions, OUTPUT_GROUP, type OptionGroups } from '../options.js';
import { createRunOutput } from '../output.js';
import { receiveCompare } from '../receive-compare.js';
import { exitCodeOf, runWithOutput } from '../run.js';

export const command = 'receive';
export const describe = 'Receive and measure: loss, duplicates, reordering, jitter, latency, kernel drops';

export const options = {
  'Listen:': ['group', 'source', 'port', 'bind', 'interface'],
  'Socket:': ['rcvbuf', 'rcvbuf-force'],
  'Run:': ['duration', 'idle-exit', 'max-loss', 'count-from', 'clocks-synced'],
  'Slow receiver:': ['receiver-pause', 'pause-every', 'receiver-work-us'],
  'Output:': [...OUTPUT_GROUP, 'report'],
} as const satisfies OptionGroups;

export function builder(y: Argv): Argv {
  return addOptions(y, options, {
    duration: { defaultDescription: 'until Ctrl-C or --idle-exit; with several --rcvbuf settings, per setting' },
    rcvbuf: {
      describe:
        'Socket receive buffer size (SO_RCVBUF), binary suffixes (25M), or "default". A comma-separated list (default,26214400) ' +
        'compares them: one setting per sender session (send --repeat N), then one table',
    },
    'idle-exit': { describe: 'Stop after this long without datagrams once every stream ended (e.g. 3s); with several --rcvbuf settings, end a setting whose session fell silent without its end of stream' },
    'max-loss': { describe: 'Exit with code 3 if the loss exceeds this percentage (0-100); with several --rcvbuf settings, the loss a setting may have and still win (default 0)' },
  })
    .example('$0 receive --group 232.1.1.1 --source 10.0.0.1 --idle-exit 3s', 'SSM receive until 3 s of silence')
    .example('$0 receive --port 5001 --max-loss 0.1', 'unicast; exit 3 above 0.1% loss')
    .example('$0 receive --group 239.1.1.1 --rcvbuf default,26214400 --rcvbuf-force', 'compare two buffers; the sender runs send --repeat 2 --gap 2s');
}

export async function handler(argv: RawOptions, ctx: CommandContext): Promise<number> {
  if (isRcvbufList(argv)) return receiveCompare(argv, ctx);
  const cfg = validateReceiver(argv);
  const reportPath = readReportPath(argv);
  const out = createRunOutput(cfg.output, 'receiver', ctx.io);
  const engine = await ctx.loadEngine();
  const report = await runWithOutput(ctx, out, cfg.warnings, (hooks) => engine.runReceiver(cfg, hooks));
  if (reportPath !== null) {
    const { renderReceiveHtml } = await import('../../report/html/index.js');
    writeHtmlReport(ctx, reportPath, (c) => renderReceiveHtml(report, c));
  }
  return exitCodeOf(report);
}
