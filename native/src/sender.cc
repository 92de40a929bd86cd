// Send path: single send, sendmmsg of a JS-filled slab, and sendmmsg / UDP GSO of N copies of
// one template whose mcastbench header (src/wire/header.ts) is patched here per copy: seq,
// CLOCK_REALTIME send time, burst index and the check word, byte-identical to encodeHeader().
//
// Return convention (hot path, no exception objects): count of datagrams (or bytes for send)
// the kernel took, or -errno for a transient refusal (EAGAIN, ENOBUFS, ECONNREFUSED, ...) when
// nothing was taken. Any other error throws (EBADF, EINVAL, EMSGSIZE, ...).
#ifdef __linux__
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cerrno>
#include <vector>

#include "exports.h"
#include "util.h"

namespace mcb {

static constexpr size_t kHeaderBytes = 40;
static constexpr unsigned kMaxBatch = 1024;
static constexpr unsigned kMaxGsoSegments = 64;

static bool Transient(int err) {
  return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS || err == ECONNREFUSED || err == EHOSTUNREACH ||
         err == ENETUNREACH || err == ENETDOWN || err == EINTR;
}

static Napi::Value Fail(Napi::Env env, int err, const char* syscall) {
  if (Transient(err)) return Napi::Number::New(env, -err);
  ThrowErrno(env, err, syscall);
}

static inline void PutBe32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
static inline uint32_t GetBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// header.ts mix(): FNV-1a-style over the nine big-endian words before the check.
static void PatchHeader(uint8_t* h, double seq, uint64_t timeNs, uint32_t burst) {
  uint64_t s = static_cast<uint64_t>(seq);
  PutBe32(h + 16, static_cast<uint32_t>(s >> 32));
  PutBe32(h + 20, static_cast<uint32_t>(s));
  PutBe32(h + 24, static_cast<uint32_t>(timeNs >> 32));
  PutBe32(h + 28, static_cast<uint32_t>(timeNs));
  PutBe32(h + 32, burst);
  uint32_t x = 0x811c9dc5u;
  for (int i = 0; i < 36; i += 4) x = (x ^ GetBe32(h + i)) * 0x01000193u;
  PutBe32(h + 36, x);
}

static uint64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// send(fd, buf, length) -> bytes | -errno
static Napi::Value Send(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "send");
  Napi::Uint8Array buf = ArgBytes(info, 1, "send", "buf");
  size_t len = static_cast<size_t>(ArgInt(info, 2, "send", "length", 0, 65535));
  if (len > buf.ByteLength()) ThrowType(info.Env(), "send: argument 2 (length) exceeds the buffer");
  ssize_t n = ::send(fd, buf.Data(), len, MSG_DONTWAIT);
  if (n < 0) return Fail(info.Env(), errno, "send");
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// Runs sendmmsg until all are sent or one call fails; returns the count sent or -errno.
static Napi::Value SendAll(Napi::Env env, int fd, std::vector<mmsghdr>& msgs, unsigned count) {
  unsigned done = 0;
  while (done < count) {
    int n = sendmmsg(fd, msgs.data() + done, count - done, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (done > 0 && Transient(errno)) break;
      return Fail(env, errno, "sendmmsg");
    }
    if (n == 0) break;
    done += static_cast<unsigned>(n);
  }
  return Napi::Number::New(env, done);
}

// sendBatch(fd, slab, stride, length, count): datagram k is slab[k*stride .. +length).
static Napi::Value SendBatch(const Napi::CallbackInfo& info) {
  const char* fn = "sendBatch";
  int fd = ArgFd(info, 0, fn);
  Napi::Uint8Array slab = ArgBytes(info, 1, fn, "slab");
  size_t stride = static_cast<size_t>(ArgInt(info, 2, fn, "stride", 1, 1 << 20));
  size_t len = static_cast<size_t>(ArgInt(info, 3, fn, "length", 0, 65535));
  unsigned count = static_cast<unsigned>(ArgInt(info, 4, fn, "count", 0, kMaxBatch));
  if (len > stride) ThrowType(info.Env(), "sendBatch: length exceeds stride");
  if (count > 0 && (count - 1) * stride + len > slab.ByteLength()) ThrowType(info.Env(), "sendBatch: slab too small for count");
  thread_local std::vector<mmsghdr> msgs;
  thread_local std::vector<iovec> iov;
  msgs.assign(count, mmsghdr{});
  iov.resize(count);
  for (unsigned k = 0; k < count; k++) {
    iov[k] = {slab.Data() + k * stride, len};
    msgs[k].msg_hdr.msg_iov = &iov[k];
    msgs[k].msg_hdr.msg_iovlen = 1;
  }
  return SendAll(info.Env(), fd, msgs, count);
}

// sendTemplate(fd, template, length, count, seqStart, burstIndex, gso)
static Napi::Value SendTemplate(const Napi::CallbackInfo& info) {
  const char* fn = "sendTemplate";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, fn);
  Napi::Uint8Array tpl = ArgBytes(info, 1, fn, "template");
  size_t len = static_cast<size_t>(ArgInt(info, 2, fn, "length", kHeaderBytes, 65507));
  unsigned count = static_cast<unsigned>(ArgInt(info, 3, fn, "count", 0, kMaxBatch));
  double seq = static_cast<double>(ArgInt(info, 4, fn, "seqStart", 0, (int64_t{1} << 53) - 1 - kMaxBatch));
  uint32_t burst = static_cast<uint32_t>(ArgInt(info, 5, fn, "burstIndex", 0, 0xffffffffll));
  bool gso = ArgBool(info, 6, fn, "gso");
  if (len > tpl.ByteLength()) ThrowType(env, "sendTemplate: length exceeds the template");
  if (count == 0) return Napi::Number::New(env, 0);
  const uint8_t* t = tpl.Data();
  if (gso) {
    if (count > kMaxGsoSegments || count * len > 65507) {
      ThrowType(env, "sendTemplate: with gso, count must be <= 64 and count*length <= 65507");
    }
    thread_local std::vector<uint8_t> big;
    big.resize(count * len);
    for (unsigned k = 0; k < count; k++) {
      memcpy(big.data() + k * len, t, len);
      PatchHeader(big.data() + k * len, seq + k, RealtimeNs(), burst);
    }
    iovec v{big.data(), count * len};
    alignas(cmsghdr) char ctrl[CMSG_SPACE(sizeof(uint16_t))] = {};
    msghdr h{};
    h.msg_iov = &v;
    h.msg_iovlen = 1;
    if (count > 1) {
      h.msg_control = ctrl;
      h.msg_controllen = sizeof(ctrl);
      cmsghdr* c = CMSG_FIRSTHDR(&h);
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_SEGMENT;
      c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
      uint16_t seg = static_cast<uint16_t>(len);
      memcpy(CMSG_DATA(c), &seg, sizeof(seg));
    }
    ssize_t n = sendmsg(fd, &h, MSG_DONTWAIT);
    if (n < 0) return Fail(env, errno, "sendmsg(UDP_SEGMENT)");
    return Napi::Number::New(env, count);
  }
  // Two iovecs per datagram: a patched 40-byte header copy + the template's shared payload.
  thread_local std::vector<uint8_t> hdrs;
  thread_local std::vector<iovec> iov;
  thread_local std::vector<mmsghdr> msgs;
  hdrs.resize(count * kHeaderBytes);
  iov.resize(count * 2);
  msgs.assign(count, mmsghdr{});
  for (unsigned k = 0; k < count; k++) {
    uint8_t* h = hdrs.data() + k * kHeaderBytes;
    memcpy(h, t, kHeaderBytes);
    PatchHeader(h, seq + k, RealtimeNs(), burst);
    iov[2 * k] = {h, kHeaderBytes};
    iov[2 * k + 1] = {const_cast<uint8_t*>(t) + kHeaderBytes, len - kHeaderBytes};
    msgs[k].msg_hdr.msg_iov = &iov[2 * k];
    msgs[k].msg_hdr.msg_iovlen = len > kHeaderBytes ? 2 : 1;
  }
  return SendAll(env, fd, msgs, count);
}

// patchHeader(buf, seq, timeNsHi, timeNsLo, burstIndex): the same patch sendTemplate applies,
// with an explicit time, so tests can compare it byte for byte with encodeHeader().
static Napi::Value PatchHeaderJs(const Napi::CallbackInfo& info) {
  const char* fn = "patchHeader";
  Napi::Uint8Array buf = ArgBytes(info, 0, fn, "buf");
  double seq = static_cast<double>(ArgInt(info, 1, fn, "seq", 0, (int64_t{1} << 53) - 1));
  uint64_t hi = static_cast<uint64_t>(ArgInt(info, 2, fn, "timeNsHi", 0, 0xffffffffll));
  uint64_t lo = static_cast<uint64_t>(ArgInt(info, 3, fn, "timeNsLo", 0, 0xffffffffll));
  uint32_t burst = static_cast<uint32_t>(ArgInt(info, 4, fn, "burstIndex", 0, 0xffffffffll));
  if (buf.ByteLength() < kHeaderBytes) ThrowType(info.Env(), "patchHeader: buf must be at least 40 bytes");
  PatchHeader(buf.Data(), seq, (hi << 32) | lo, burst);
  return info.Env().Undefined();
}

void RegisterSender(Napi::Env env, Napi::Object exports) {
  exports.Set("send", Napi::Function::New(env, Send, "send"));
  exports.Set("sendBatch", Napi::Function::New(env, SendBatch, "sendBatch"));
  exports.Set("sendTemplate", Napi::Function::New(env, SendTemplate, "sendTemplate"));
  exports.Set("patchHeader", Napi::Function::New(env, PatchHeaderJs, "patchHeader"));
}

}  // namespace mcb
#endif
