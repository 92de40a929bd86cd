/**
 * receive --rcvbuf a,b,...: a compare receiver for two nodes. One setting per sender session
 * (send --repeat N on the other node), then the compare table, verdict and fix commands, as
 * `compare` prints them. Text: each setting's interval lines and a line per setting on stderr;
 * --json: one compare document.
 */
import { ConfigError } from '../errors.js';
import { LIMITS } from '../config/defaults.js';
import { readNumber } from '../config/raw-options.js';
import { readRcvbufSettings, settingOptions } from '../config/rcvbuf-list.js';
import { readReportPath } from '../config/report-path.js';
import { validateReceiver, type RawOptions } from '../config/validate.js';
import { renderJsonDocument } from '../report/json.js';
import type { ReceiverSetting } from '../compare/two-node-steps.js';
import type { CommandContext } from './context.js';
import { writeHtmlReport } from './html-report.js';
import { createRunOutput } from './output.js';

export async function receiveCompare(argv: RawOptions, ctx: CommandContext): Promise<number> {
  // Every setting is validated before the first socket opens.
  const settings: ReceiverSetting[] = readRcvbufSettings(argv, 'default').map((label) => ({ label, receiver: validateReceiver(settingOptions(argv, label)) }));
  const maxLoss = readNumber(argv, 'max-loss', LIMITS.maxLossPercent, '%') ?? 0;
  const reportPath = readReportPath(argv);
  const first = settings[0]!.receiver;
  if (first.output.jsonStream) {
    throw new ConfigError('--json-stream', 'has no event form for several --rcvbuf settings', '--json (one compare document) or text', 'ERR_OPTION_CONFLICT');
  }
  const json = first.output.json;
  const out = createRunOutput(first.output, 'receiver', ctx.io);
  const say = (line: string): void => void (json || ctx.io.stderr.write(`receive: ${line}\n`));
  const n = settings.length;
  const [{ runCompare }, { twoNodeSteps }, { renderCompare }] = await Promise.all([
    import('../compare/run.js'),
    import('../compare/two-node-steps.js'),
    import('../compare/render.js'),
  ]);
  const steps = twoNodeSteps(settings, out.hooks, (i, r) => {
    const where = first.group === null ? `${r.localAddress}:${r.localPort}` : `group ${first.group}${first.source === null ? '' : ` source ${first.source}`} port ${r.localPort}`;
    say(`setting ${i + 1} of ${n}, --rcvbuf ${settings[i]!.label} (granted ${r.rcvbufGrantedBytes} bytes): listening on ${where}, waiting for a sender session`);
  });
  const handle = runCompare('two-node', steps, maxLoss, (s) =>
    say(`setting ${s.label}: session ${s.sessionId ?? 'none'}, sent ${s.sentPackets}, received ${s.packets}, lost ${s.lostPackets} (socket drops ${s.socketDrops}), stopped by ${s.stoppedBy}`),
  );
  ctx.setActiveRun((reason) => handle.stop(reason));
  try {
    const report = await handle.result;
    ctx.io.stdout.write(json ? renderJsonDocument(report) : renderCompare(report));
    if (reportPath !== null) {
      const { renderCompareHtml } = await import('../report/html/index.js');
      writeHtmlReport(ctx, reportPath, (c) => renderCompareHtml(report, c));
    }
    return report.end.verdict.winner === null ? 3 : 0;
  } catch (e) {
    out.fail(e);
    throw e;
  } finally {
    ctx.setActiveRun(null);
  }
}
