/**
 * The compare verdict, pure: which buffer setting was loss-free, where each setting's loss
 * happened (this socket's full buffer, per the kernel, or before it), and the commands that
 * make the winner the host's setting.
 */
import type { CompareSetting, CompareVerdict } from './model.js';

const fmt = (n: number): string => n.toLocaleString('en-US');

export function settingName(s: CompareSetting, rmemDefault: number | null): string {
  return s.rcvbufRequestedBytes === null ? `default ${rmemDefault ?? s.rcvbufGrantedBytes / 2}` : String(s.rcvbufRequestedBytes);
}

function where(s: CompareSetting): string {
  if (s.socketDrops >= s.lostPackets) return 'all of it receive-buffer overflow on this host';
  if (s.socketDrops === 0) return 'none of it at this host\'s socket: lost before reaching it';
  return `${fmt(s.socketDrops)} of it receive-buffer overflow on this host, ${fmt(s.lostPackets - s.socketDrops)} lost before reaching it`;
}

/** A setting that saw no traffic at all (its run ended before a sender came) proves nothing. */
const measured = (s: CompareSetting): boolean => s.sentPackets > 0 || s.packets > 0;

function settingLine(s: CompareSetting, rmemDefault: number | null): string {
  const name = settingName(s, rmemDefault);
  if (!measured(s)) return `${name}: no traffic measured (stopped by ${s.stoppedBy})`;
  return s.lostPackets === 0 ? `${name}: 0 lost` : `${name}: ${Math.round(s.lossPercent * 10) / 10} % lost (${fmt(s.lostPackets)} of ${fmt(s.sentPackets)}), ${where(s)}`;
}

/** Plain notes on what the rows alone do not say. */
function notes(settings: CompareSetting[], rmemDefault: number | null): string[] {
  const out: string[] = [];
  for (const s of settings) {
    if (s.otherSessionPackets > 0) {
      out.push(
        `${settingName(s, rmemDefault)}: ${fmt(s.otherSessionPackets)} datagrams of other sender sessions arrived while it ran and were not counted ` +
          '(another sender, or a sender --gap too short for this receiver to reopen between settings)',
      );
    }
  }
  if (settings.some((s) => s.rcvbufErrors !== s.socketDrops)) {
    out.push('RcvbufErrors counts every UDP socket in this network namespace, socket drops only this run\'s socket: where they differ, other sockets overflowed too');
  }
  return out;
}

/** `notRun`: labels of settings that never started (the compare was stopped first). */
export function compareVerdict(settings: CompareSetting[], maxLossPercent: number, rmemMax: number | null, rmemDefault: number | null, notRun: string[] = []): CompareVerdict {
  const lines = [...settings.map((s) => settingLine(s, rmemDefault)), ...notes(settings, rmemDefault)];
  if (notRun.length > 0) lines.push(`not run (stopped before): ${notRun.join(', ')}`);
  const ok = settings.filter((s) => measured(s) && s.lossPercent <= maxLossPercent).sort((a, b) => a.rcvbufGrantedBytes - b.rcvbufGrantedBytes);
  const best = ok[0] ?? null;
  if (best === null) {
    const anyBeforeSocket = settings.some((s) => s.lostPackets > s.socketDrops);
    lines.push(
      !settings.some(measured)
        ? 'no setting saw any traffic: nothing to compare'
        : anyBeforeSocket
        ? 'no setting kept the loss within --max-loss, and some loss happened before this socket: a bigger buffer alone will not fix it'
        : 'no setting kept the loss within --max-loss: try larger buffers (with --rcvbuf-force if they exceed net.core.rmem_max)',
    );
    return { winner: null, lines, fix: [] };
  }
  const winner = settingName(best, rmemDefault);
  if (best.rcvbufRequestedBytes === null) {
    lines.push(`the kernel default (${winner.replace('default ', '')} bytes) is enough for this traffic: nothing to change`);
    return { winner, lines, fix: [] };
  }
  const bytes = best.rcvbufRequestedBytes;
  lines.push(`smallest loss-free setting: ${fmt(bytes)} bytes requested (${fmt(best.rcvbufGrantedBytes)} granted)`);
  if (rmemMax !== null && bytes > rmemMax) {
    lines.push(`net.core.rmem_max is ${fmt(rmemMax)}: without raising it, an application asking for ${fmt(bytes)} gets ${fmt(rmemMax * 2)}`);
  }
  const fix = [
    `sysctl -w net.core.rmem_max=${bytes}`,
    `sysctl -w net.core.rmem_default=${bytes}`,
    `printf 'net.core.rmem_max = ${bytes}\\nnet.core.rmem_default = ${bytes}\\n' > /etc/sysctl.d/90-mcastbench.conf`,
  ];
  return { winner, lines, fix };
}
