/**
 * The probe and member roles of snoop-check (impure: sockets and timers; the verdicts are in
 * verdict.ts). Each role decides on its own from what the datagrams carry (seq + 1 = packets the
 * sender has sent so far, src/wire/header.ts), without a control channel. IPv4 groups are
 * watched with IGMP, IPv6 groups with MLD.
 */
import dgram from 'node:dgram';
import { decodeHeader, DecodeStatus, FLAG_END_OF_STREAM, newHeaderFields } from '../wire/header.js';
import { nowSec } from './capture.js';
import { macOverlaps, type GroupFamily } from './group-mac.js';
import { localJoinState, type LocalJoinState } from './local.js';
import type { SnoopCheckVerdicts } from './render.js';
import { tap } from './tap.js';
import { leaveVerdict, membershipVerdict, querierVerdict, snoopingVerdict, type StreamGap } from './verdict.js';
import type { McastProtocol, Observation } from './watch.js';

export interface SnoopConfig {
  /** Canonical text (RFC 5952 for IPv6). */
  group: string;
  family: GroupFamily;
  port: number;
  interface: string;
  /** The interface as node:dgram's addMembership takes it: its IPv4 address, or "::%name". */
  ifaddr: string;
  durationSec: number;
  leaveAfterSec: number | null;
}

/** Live output for --json-stream; the roles never print. */
export interface SnoopHooks {
  /** Each IGMP / MLD message the tap decoded (queries, reports, leaves). */
  onObservation?(o: Observation): void;
  /** The counts so far (the same keys as SnoopResult.counts, plus atSec), once a second. */
  onCounts?(counts: Record<string, number | null>): void;
}

const COUNTS_EVERY_MS = 1000;

export interface SnoopResult {
  verdicts: SnoopCheckVerdicts;
  counts: Record<string, number | null>;
  capture: string;
  local: LocalJoinState;
}

const UNKNOWN = { verdict: 'unknown' as const, explanation: 'not measured by this role' };
const CONFIRM_SEC = 2;

/** seq + 1 from a datagram of ours (for end of stream: the count itself), or null. */
function sentSoFar(payload: Uint8Array, h = newHeaderFields()): { sent: number; end: boolean } | null {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (decodeHeader(view, 0, payload.byteLength, h) !== DecodeStatus.Ok) return null;
  const end = (h.flags & FLAG_END_OF_STREAM) !== 0;
  return { sent: end ? h.seq : h.seq + 1, end };
}

function sleep(ms: number, stop: { cancel?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    stop.cancel = () => {
      clearTimeout(t);
      resolve();
    };
  });
}

export function protocolOf(family: GroupFamily): McastProtocol {
  return family === 6 ? 'mld' : 'igmp';
}

/** Calls hooks.onCounts once a second with counts() until the returned stop is called. */
function tickCounts(hooks: SnoopHooks, t0: number, counts: () => Record<string, number | null>): () => void {
  if (hooks.onCounts === undefined) return () => {};
  const timer = setInterval(() => hooks.onCounts?.({ atSec: Math.round((nowSec() - t0) * 10) / 10, ...counts() }), COUNTS_EVERY_MS);
  return () => clearInterval(timer);
}

/**
 * Asked of the member's socket so that a few seconds of this process not reading (a busy
 * machine) queue up instead of being dropped and misread as the switch stopping the stream. The
 * kernel caps it at 2 x net.core.rmem_max (socket(7)); at the default 100 pps even 212992 bytes
 * hold about a second.
 */
const MEMBER_RCVBUF_BYTES = 4 * 1024 * 1024;

function openMember(cfg: SnoopConfig, onDatagram: (msg: Buffer, at: number) => void): Promise<dgram.Socket> {
  const s = dgram.createSocket({ type: cfg.family === 6 ? 'udp6' : 'udp4', reuseAddr: true, recvBufferSize: MEMBER_RCVBUF_BYTES });
  s.on('message', (m) => onDatagram(m, nowSec()));
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind(cfg.port, () => {
      try {
        s.addMembership(cfg.group, cfg.ifaddr);
        resolve(s);
      } catch (e) {
        reject(e);
      }
    });
  });
}

export async function runProbe(cfg: SnoopConfig, stop: { cancel?: () => void }, hooks: SnoopHooks = {}): Promise<SnoopResult> {
  const t0 = nowSec();
  let phase: 'probe' | 'confirm' = 'probe';
  let groupFrames = 0;
  let sentSeen: number | null = null;
  let sameMacOtherFrames = 0;
  const sameMac = new Set<string>();
  const h = newHeaderFields();
  const t = tap(cfg, t0, hooks, (dst, payload) => {
    if (phase !== 'probe') return;
    if (dst !== cfg.group) {
      sameMacOtherFrames += 1;
      sameMac.add(dst);
      return;
    }
    groupFrames += 1;
    const s = sentSoFar(payload, h);
    if (s !== null) sentSeen = Math.max(sentSeen ?? 0, s.sent);
  });
  const stopCounts = tickCounts(hooks, t0, () => ({ groupFrames, senderSentSoFar: sentSeen, sameMacOtherFrames }));
  if (t.capture !== null) await sleep(cfg.durationSec * 1000, stop);
  stopCounts();
  const watchedSec = Math.round((nowSec() - t0) * 10) / 10;
  phase = 'confirm';
  // Confirm the stream exists: join briefly and read how many the sender has sent by now.
  const seen: Array<{ sent: number; at: number }> = [];
  let sentInWindow: number | null = null;
  if (t.capture !== null && groupFrames === 0) {
    const sock = await openMember(cfg, (m, at) => {
      const s = sentSoFar(m, h);
      if (s !== null && !s.end) seen.push({ sent: s.sent, at });
    });
    const until = nowSec() + CONFIRM_SEC;
    while (nowSec() < until && seen.length < 20) await sleep(50, {});
    sock.close();
    const a = seen[0];
    const b = seen[seen.length - 1];
    if (a !== undefined && b !== undefined) {
      const rate = b.at > a.at ? (b.sent - a.sent) / (b.at - a.at) : null;
      sentInWindow = rate !== null ? Math.round(Math.min(a.sent, rate * watchedSec)) : a.sent;
    }
  }
  t.capture?.close();
  const local = localJoinState(cfg.interface, cfg.family);
  const sameMacGroups = [...new Set([...sameMac, ...macOverlaps(cfg.group, local.groups)])];
  const snooping = snoopingVerdict(
    { groupFrames, senderSentSoFar: sentSeen, senderSentInWindow: sentInWindow, sameMacOtherFrames, sameMacGroups, watchedSec },
    cfg.group,
    t.reason,
  );
  const querier = querierVerdict(t.capture ? t.watcher.summary() : null, watchedSec, t.reason, protocolOf(cfg.family));
  return {
    verdicts: { snooping, querier, membership: UNKNOWN, leaveLatencyMs: null },
    counts: { groupFrames, senderSentSoFar: sentSeen, senderSentInWindow: sentInWindow, sameMacOtherFrames },
    capture: t.capture?.source ?? `none (${t.reason})`,
    local,
  };
}

export async function runMember(cfg: SnoopConfig, stop: { cancel?: () => void }, hooks: SnoopHooks = {}): Promise<SnoopResult> {
  const t0 = nowSec();
  let received = 0;
  let lastAt: number | null = null;
  let lastSent: number | null = null;
  let ewma = 0.01;
  let endSeen = false;
  const gaps: StreamGap[] = [];
  const threshold = (): number => Math.max(1, 5 * ewma);
  let leaveAt: number | null = null;
  let framesAfterLeave = 0;
  let lastFrameAfterLeave: number | null = null;
  const h = newHeaderFields();
  const t = tap(cfg, t0, hooks, (dst, _p, at) => {
    if (dst !== cfg.group || leaveAt === null || at < leaveAt) return;
    framesAfterLeave += 1;
    lastFrameAfterLeave = at;
  });
  const sock = await openMember(cfg, (m, at) => {
    if (leaveAt !== null) return;
    const s = sentSoFar(m, h);
    if (s === null) return;
    if (s.end) {
      endSeen = true;
      return;
    }
    if (lastAt !== null) {
      const d = at - lastAt;
      const missing = lastSent !== null ? s.sent - lastSent - 1 : null;
      // A silence after which nothing is missing was this process pausing while the kernel
      // queued the datagrams (a busy machine), not the network: no gap.
      const paused = missing !== null && missing <= 0;
      if (d > threshold() && !paused) gaps.push({ lostAtSec: round1(lastAt - joinAt), resumedAtSec: round1(at - joinAt), missing });
      else if (d <= threshold()) ewma = 0.9 * ewma + 0.1 * d;
    }
    received += 1;
    lastAt = at;
    lastSent = Math.max(lastSent ?? 0, s.sent);
  });
  const joinAt = nowSec();
  const endAt = joinAt + cfg.durationSec;
  const stopCounts = tickCounts(hooks, t0, () => ({ received, senderSentSoFar: lastSent, gaps: gaps.length, framesAfterLeave: leaveAt !== null ? framesAfterLeave : null }));
  if (cfg.leaveAfterSec !== null && cfg.leaveAfterSec < cfg.durationSec) {
    await sleep(cfg.leaveAfterSec * 1000, stop);
    leaveAt = nowSec();
    try {
      sock.dropMembership(cfg.group, cfg.ifaddr);
    } catch {
      /* already gone */
    }
  }
  const remaining = endAt - nowSec();
  if (remaining > 0 && stop.cancel !== undefined) await sleep(remaining * 1000, stop);
  else if (remaining > 0) await sleep(remaining * 1000, stop);
  const finishedAt = nowSec();
  stopCounts();
  sock.close();
  t.capture?.close();
  const windowEnd = leaveAt ?? finishedAt;
  if (!endSeen && lastAt !== null && windowEnd - lastAt > threshold()) gaps.push({ lostAtSec: round1(lastAt - joinAt), resumedAtSec: null, missing: null });
  const watchedSec = round1(finishedAt - t0);
  const querier = querierVerdict(t.capture ? t.watcher.summary() : null, watchedSec, t.reason, protocolOf(cfg.family));
  const membership = membershipVerdict(
    { received, senderSentSoFar: lastSent, gaps, endOfStreamSeen: endSeen, windowSec: round1(windowEnd - joinAt) },
    cfg.group,
    querier.verdict,
  );
  let leave;
  if (leaveAt !== null) {
    if (t.capture === null) leave = undefined;
    else
      leave = leaveVerdict({
        framesAfterLeave,
        lastFrameAfterLeaveMs: lastFrameAfterLeave !== null ? (lastFrameAfterLeave - leaveAt) * 1000 : null,
        observedAfterLeaveMs: (finishedAt - leaveAt) * 1000,
      });
  }
  return {
    verdicts: { snooping: UNKNOWN, querier, membership, leaveLatencyMs: leave?.leaveLatencyMs ?? null, ...(leave ? { leave } : {}) },
    counts: { received, senderSentSoFar: lastSent, gaps: gaps.length, framesAfterLeave: leaveAt !== null ? framesAfterLeave : null },
    capture: t.capture?.source ?? `none (${t.reason})`,
    local: localJoinState(cfg.interface, cfg.family),
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
