/**
 * send --repeat: the writer's side of a series of runs. Text: each run's interval lines
 * (stderr) and summary (stdout) in turn; --json-stream: each run's start/interval/end events;
 * --json: one document holding every run's report.
 */
import { runSenderRepeat } from '../engine/sender-repeat.js';
import { renderJsonDocument } from '../report/json.js';
import type { SenderConfig } from '../config/types.js';
import type { RepeatSpec } from '../config/repeat.js';
import type { CommandContext, Engine } from './context.js';
import { createRunOutput } from './output.js';

export async function sendRepeated(ctx: CommandContext, engine: Engine, cfg: SenderConfig, repeat: RepeatSpec): Promise<number> {
  const out = createRunOutput(cfg.output, 'sender', ctx.io);
  const text = !cfg.output.json && !cfg.output.jsonStream;
  const say = (line: string): void => void (text && ctx.io.stderr.write(`send: ${line}\n`));
  for (const w of [...cfg.warnings, ...repeat.warnings]) out.warn(w);
  const handle = runSenderRepeat(() => engine.runSender(cfg, out.hooks), repeat.runs, repeat.gapSec, {
    onRunStart: (i) => say(`run ${i + 1} of ${repeat.runs}`),
    onRunEnd: (i, report) => {
      if (text) ctx.io.stdout.write(`run ${i + 1} of ${repeat.runs}:\n`);
      if (!cfg.output.json) out.finish(report);
    },
    onGap: (_i, gapSec) => say(`${gapSec} s of silence before the next run`),
  });
  ctx.setActiveRun((reason) => handle.stop(reason));
  try {
    const report = await handle.result;
    if (cfg.output.json) ctx.io.stdout.write(renderJsonDocument(report));
    return 0;
  } catch (e) {
    out.fail(e);
    throw e;
  } finally {
    ctx.setActiveRun(null);
  }
}
