/**
 * Foreign datagrams mixed into a stream: while h1 streams N datagrams to h2, h3 sends M junk
 * datagrams to the same port (random bytes, a truncated header, wrong magic, wrong version, a bad
 * check, unknown flags). The stream's counts must be untouched and exactly M datagrams counted as
 * foreign.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiverRunReport, SenderRunReport } from '../../src/report/model.js';
import { cliScenarioSkipReason, createLab, startReceiver, startSender, type Lab } from '../helpers/lab.js';

const skip = cliScenarioSkipReason();
if (skip) console.warn(`[lab/foreign] skipped: ${skip}`);

const N = 2000;
const SIZE = 200;
const KINDS = 6;
const PER_KIND = 40;
const M = KINDS * PER_KIND;

/**
 * Sends PER_KIND datagrams of each junk kind, round robin, 2 ms apart (bounded by the count).
 * Headers follow the documented v1 layout (magic "MCBS", version 1, the check over the first 36
 * bytes) so that each kind fails exactly one test.
 */
const JUNK_JS = `
const dgram = require('node:dgram');
const crypto = require('node:crypto');
const [dest, port, perKind] = process.argv.slice(1);
function mix(b) {
  let h = 0x811c9dc5;
  for (let i = 0; i < 36; i += 4) h = Math.imul(h ^ b.readUInt32BE(i), 0x01000193);
  return h >>> 0;
}
function header(size, version, flags, goodCheck) {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(0x4d434253, 0); b.writeUInt8(version, 4); b.writeUInt8(flags, 5);
  b.writeUInt16BE(0, 6); crypto.randomBytes(8).copy(b, 8);
  b.writeUInt32BE(0, 16); b.writeUInt32BE(1, 20);
  const ns = BigInt(Date.now()) * 1000000n;
  b.writeUInt32BE(Number(ns >> 32n), 24); b.writeUInt32BE(Number(ns & 0xffffffffn), 28);
  b.writeUInt32BE(0, 32);
  const c = mix(b);
  b.writeUInt32BE(goodCheck ? c : (c ^ 0x5a5a5a5a) >>> 0, 36);
  return b;
}
const kinds = [
  () => { const b = crypto.randomBytes(1 + crypto.randomInt(300)); b[0] = 0x00; return b; },  // random bytes
  () => header(200, 1, 0, true).subarray(0, 20 + crypto.randomInt(20)),                      // truncated header
  () => { const b = header(200, 1, 0, true); b.write('XXXX', 0, 'latin1'); return b; },     // wrong magic
  () => header(200, 9, 0, true),                                                              // wrong version
  () => header(200, 1, 0, false),                                                             // bad check
  () => header(200, 1, 0x80, true),                                                           // unknown flags
];
const s = dgram.createSocket('udp4');
let i = 0, acked = 0;
const total = kinds.length * Number(perKind);
const t = setInterval(() => {
  if (i >= total) { clearInterval(t); return; }
  s.send(kinds[i % kinds.length](), Number(port), dest, () => { if (++acked === total) { console.log(JSON.stringify({ sent: acked })); s.close(); } });
  i++;
}, 2);
`;

describe.skipIf(skip !== null)('foreign datagrams mixed into a stream (real CLI)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await createLab({ hosts: 3 });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  for (const backend of ['auto', 'dgram']) {
    it(`--backend ${backend}: h1 streams ${N}, h3 sends ${M} junk datagrams to the same port: packets ${N}, foreignPackets ${M}`, async () => {
      const port = backend === 'auto' ? 5206 : 5226;
      const recv = await startReceiver<ReceiverRunReport>(lab, 'h2', { port, args: ['--rcvbuf', '8M', '--rcvbuf-force', '--backend', backend] });
      const sender = startSender(lab, 'h1', { dest: lab.addr('h2'), port, count: N, sizeBytes: SIZE, rate: '2000pps' });
      const junk = lab.exec('h3', process.execPath, ['-e', JUNK_JS, lab.addr('h2'), String(port), String(PER_KIND)], { timeoutMs: 20_000 });
      const [sent, junkOut] = await Promise.all([sender.json<SenderRunReport>(), junk]);
      expect(sent.end.total.packets).toBe(N);
      expect(JSON.parse(junkOut.stdout)).toEqual({ sent: M });

      const rep = await recv.report();
      const t = rep.end.total;
      console.info(
        `[lab/foreign] junk sent ${M}; receiver (${rep.end.socket.backend}) packets ${t.packets}, foreign ${t.foreignPackets}, ` +
          `invalid ${t.invalidPackets}, lost ${t.lostPackets}, dup ${t.duplicatePackets}, ooo ${t.outOfOrderPackets}`,
      );
      expect({
        packets: t.packets,
        lost: t.lostPackets,
        dup: t.duplicatePackets,
        ooo: t.outOfOrderPackets,
        foreign: t.foreignPackets,
        invalid: t.invalidPackets,
      }).toEqual({ packets: N, lost: 0, dup: 0, ooo: 0, foreign: M, invalid: 0 });
      expect(rep.end.streams).toHaveLength(1);
      expect(rep.end.streams[0]!.source.startsWith(`${lab.addr('h1')}:`)).toBe(true);
      expect(rep.end.kernel.socketDrops).toBe(0);
      expect((await recv.run.done).code).toBe(0);
    }, 40_000);
  }
});
