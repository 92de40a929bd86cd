// Receiver: uv_poll on the calling thread's loop (so it works in worker_threads) + recvmmsg
// batches written into JS-owned buffers, then ONE JS callback per batch (never per datagram).
// uv_poll beat a recv thread + threadsafe function on 2 vCPUs (docs/native.md §3.3).
//
// Truncating mode (UDP receivers): only the first slotBytes of each datagram are copied and
// meta[0] is the full length (MSG_TRUNC). The kernel still verifies the UDP checksum over the
// whole datagram before delivering a truncated read (udp_recvmsg), and the rest of the payload
// is never copied: at 1470 B that copy, of data the receiver never looks at, cost more than the
// rest of the receive path.
//
// Record layout, per slot i (the JS side reads these after each callback(count)):
//   payload  slab[i*slotBytes .. +min(len, slotBytes))
//   meta     Float64 x 8 at meta[i*8]: len, msg_flags, ss_family, port (ifindex for AF_PACKET),
//            tv_sec, tv_nsec (SCM_TIMESTAMPNS, CLOCK_REALTIME; NaN when absent),
//            rxq_ovfl (cumulative sk_drops from SO_RXQ_OVFL; -1 when absent), IPv6 scope id
//   address  addrs[i*16 .. +16): 4 bytes for IPv4, 16 for IPv6, sll_addr for AF_PACKET
#ifdef __linux__
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <uv.h>

#include <cerrno>
#include <cmath>
#include <memory>
#include <vector>

#include "exports.h"
#include "util.h"

namespace mcb {

static constexpr size_t kMetaFields = 8;
static constexpr size_t kAddrBytes = 16;
static constexpr size_t kCtrlBytes = 128;  // SCM_TIMESTAMPNS (16) + SO_RXQ_OVFL (4) with headers
static constexpr int kMaxRoundsPerWakeup = 16;

class Receiver : public Napi::ObjectWrap<Receiver>, public Poller {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Receiver",
                       {InstanceMethod("start", &Receiver::Start), InstanceMethod("pause", &Receiver::Pause),
                        InstanceMethod("close", &Receiver::Close), InstanceMethod("stats", &Receiver::Stats)});
  }

  explicit Receiver(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Receiver>(info) {
    const char* fn = "Receiver";
    fd_ = ArgFd(info, 0, fn);
    Napi::Uint8Array slab = ArgBytes(info, 1, fn, "slab");
    slotBytes_ = static_cast<size_t>(ArgInt(info, 2, fn, "slotBytes", 1, 1 << 20));
    if (info.Length() <= 3 || !info[3].IsTypedArray() || info[3].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      ThrowType(info.Env(), "Receiver: argument 3 (meta) must be a Float64Array");
    }
    Napi::Float64Array meta = info[3].As<Napi::Float64Array>();
    Napi::Uint8Array addrs = ArgBytes(info, 4, fn, "addrs");
    Napi::Function cb = ArgFunction(info, 5, fn, "callback");
    // Optional: truncate each datagram to slotBytes and report its full length (MSG_TRUNC).
    if (info.Length() > 6 && !info[6].IsUndefined()) truncate_ = ArgBool(info, 6, fn, "truncate");
    slots_ = slab.ByteLength() / slotBytes_;
    if (slots_ < 1 || slots_ > 1024) ThrowType(info.Env(), "Receiver: slab must hold 1..1024 slots of slotBytes");
    if (meta.ElementLength() < slots_ * kMetaFields) ThrowType(info.Env(), "Receiver: meta must hold 8 doubles per slot");
    if (addrs.ByteLength() < slots_ * kAddrBytes) ThrowType(info.Env(), "Receiver: addrs must hold 16 bytes per slot");
    slab_ = slab.Data();
    meta_ = meta.Data();
    addrs_ = addrs.Data();
    slabRef_ = Napi::Persistent(slab);
    metaRef_ = Napi::Persistent(meta);
    addrsRef_ = Napi::Persistent(addrs);
    cb_ = Napi::Persistent(cb);
    ctx_ = std::make_unique<Napi::AsyncContext>(info.Env(), "mcastbench:Receiver");
    st_ = State(info.Env());
    msgs_.resize(slots_);
    iov_.resize(slots_);
    names_.resize(slots_);
    ctrl_.resize(slots_ * kCtrlBytes);
    for (size_t i = 0; i < slots_; i++) {
      iov_[i].iov_base = slab_ + i * slotBytes_;
      iov_[i].iov_len = slotBytes_;
      msghdr& h = msgs_[i].msg_hdr;
      h.msg_iov = &iov_[i];
      h.msg_iovlen = 1;
      h.msg_name = &names_[i];
      h.msg_control = &ctrl_[i * kCtrlBytes];
    }
  }

  ~Receiver() override { ClosePoll(); }

  void StopForTeardown() override {
    closed_ = true;
    running_ = false;
    ClosePoll();
  }

 private:
  struct PollBox {
    uv_poll_t handle;
    Receiver* owner;
  };

  Napi::Value Start(const Napi::CallbackInfo& info) {
    if (closed_) ThrowErrno(info.Env(), EBADF, "Receiver.start", "receiver is closed");
    if (poll_ == nullptr) {
      uv_loop_t* loop = nullptr;
      if (napi_get_uv_event_loop(info.Env(), &loop) != napi_ok) ThrowErrno(info.Env(), EINVAL, "napi_get_uv_event_loop");
      auto* box = new PollBox{};
      box->owner = this;
      int rc = uv_poll_init(loop, &box->handle, fd_);
      if (rc != 0) {
        delete box;
        ThrowErrno(info.Env(), -rc, "uv_poll_init");
      }
      box->handle.data = box;
      poll_ = box;
      st_->pollers.insert(this);
    }
    int rc = uv_poll_start(&poll_->handle, UV_READABLE, OnPoll);
    if (rc != 0) ThrowErrno(info.Env(), -rc, "uv_poll_start");
    running_ = true;
    return info.Env().Undefined();
  }

  Napi::Value Pause(const Napi::CallbackInfo& info) {
    running_ = false;
    if (poll_ != nullptr) uv_poll_stop(&poll_->handle);
    return info.Env().Undefined();
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    closed_ = true;
    running_ = false;
    ClosePoll();
    return info.Env().Undefined();
  }

  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("batches", static_cast<double>(batches_));
    o.Set("datagrams", static_cast<double>(datagrams_));
    o.Set("syscalls", static_cast<double>(syscalls_));
    o.Set("errors", static_cast<double>(errors_));
    o.Set("lastError", lastErrno_ == 0 ? info.Env().Null() : Napi::String::New(info.Env(), ErrnoName(lastErrno_)));
    return o;
  }

  // Stops the poll; the handle memory is freed by libuv's close callback, never touching JS.
  void ClosePoll() {
    if (poll_ == nullptr) return;
    if (!st_->tornDown) st_->pollers.erase(this);
    poll_->owner = nullptr;
    uv_poll_stop(&poll_->handle);
    uv_close(reinterpret_cast<uv_handle_t*>(&poll_->handle),
             [](uv_handle_t* h) { delete static_cast<PollBox*>(h->data); });
    poll_ = nullptr;
  }

  static void OnPoll(uv_poll_t* handle, int status, int events) {
    auto* box = static_cast<PollBox*>(handle->data);
    if (box->owner != nullptr) box->owner->Drain(status);
  }

  void FillRecord(size_t i) {
    const mmsghdr& m = msgs_[i];
    double* r = meta_ + i * kMetaFields;
    uint8_t* a = addrs_ + i * kAddrBytes;
    const sockaddr_storage& ss = names_[i];
    // With MSG_TRUNC, msg_len is the datagram's real length (udp(7)); only slotBytes were copied.
    r[0] = static_cast<double>(truncate_ || m.msg_len <= slotBytes_ ? m.msg_len : slotBytes_);
    r[1] = static_cast<double>(m.msg_hdr.msg_flags);
    r[2] = static_cast<double>(m.msg_hdr.msg_namelen > 0 ? ss.ss_family : 0);
    r[3] = 0;
    r[4] = NAN;
    r[5] = NAN;
    r[6] = -1;
    r[7] = 0;
    memset(a, 0, kAddrBytes);
    if (ss.ss_family == AF_INET) {
      auto* v4 = reinterpret_cast<const sockaddr_in*>(&ss);
      memcpy(a, &v4->sin_addr, 4);
      r[3] = ntohs(v4->sin_port);
    } else if (ss.ss_family == AF_INET6) {
      auto* v6 = reinterpret_cast<const sockaddr_in6*>(&ss);
      memcpy(a, &v6->sin6_addr, 16);
      r[3] = ntohs(v6->sin6_port);
      r[7] = v6->sin6_scope_id;
    } else if (ss.ss_family == AF_PACKET) {
      auto* ll = reinterpret_cast<const sockaddr_ll*>(&ss);
      memcpy(a, ll->sll_addr, ll->sll_halen < 8 ? ll->sll_halen : 8);
      r[3] = ll->sll_ifindex;
    }
    msghdr* h = const_cast<msghdr*>(&m.msg_hdr);
    for (cmsghdr* c = CMSG_FIRSTHDR(h); c != nullptr; c = CMSG_NXTHDR(h, c)) {
      if (c->cmsg_level != SOL_SOCKET) continue;
      if (c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        memcpy(&ts, CMSG_DATA(c), sizeof(ts));
        r[4] = static_cast<double>(ts.tv_sec);
        r[5] = static_cast<double>(ts.tv_nsec);
      } else if (c->cmsg_type == SO_RXQ_OVFL) {
        uint32_t drops;
        memcpy(&drops, CMSG_DATA(c), sizeof(drops));
        r[6] = drops;
      }
    }
  }

  void Drain(int status) {
    if (!running_ || closed_) return;
    Napi::Env env = Env();
    for (int round = 0; round < kMaxRoundsPerWakeup && running_ && !closed_; round++) {
      for (size_t i = 0; i < slots_; i++) {
        msghdr& h = msgs_[i].msg_hdr;
        h.msg_namelen = sizeof(sockaddr_storage);
        h.msg_controllen = kCtrlBytes;
        h.msg_flags = 0;
      }
      int n = recvmmsg(fd_, msgs_.data(), static_cast<unsigned>(slots_), truncate_ ? MSG_DONTWAIT | MSG_TRUNC : MSG_DONTWAIT, nullptr);
      syscalls_++;
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
        // e.g. ECONNREFUSED from an ICMP error on a connected socket: counted, not fatal.
        errors_++;
        lastErrno_ = errno;
        continue;
      }
      if (n == 0) return;
      for (int i = 0; i < n; i++) FillRecord(static_cast<size_t>(i));
      batches_++;
      datagrams_ += static_cast<uint64_t>(n);
      Napi::HandleScope scope(env);
      try {
        cb_.MakeCallback(Value(), {Napi::Number::New(env, n)}, *ctx_);
      } catch (const Napi::Error& e) {
        napi_fatal_exception(env, e.Value());
        return;
      }
      if (static_cast<size_t>(n) < slots_) return;  // queue drained
    }
  }

  int fd_ = -1;
  uint8_t* slab_ = nullptr;
  double* meta_ = nullptr;
  uint8_t* addrs_ = nullptr;
  size_t slotBytes_ = 0;
  bool truncate_ = false;
  size_t slots_ = 0;
  Napi::Reference<Napi::Uint8Array> slabRef_, addrsRef_;
  Napi::Reference<Napi::Float64Array> metaRef_;
  Napi::FunctionReference cb_;
  std::unique_ptr<Napi::AsyncContext> ctx_;
  EnvState* st_ = nullptr;
  PollBox* poll_ = nullptr;
  bool running_ = false;
  bool closed_ = false;
  std::vector<mmsghdr> msgs_;
  std::vector<iovec> iov_;
  std::vector<sockaddr_storage> names_;
  std::vector<char> ctrl_;
  uint64_t batches_ = 0, datagrams_ = 0, syscalls_ = 0, errors_ = 0;
  int lastErrno_ = 0;
};

void RegisterReceiver(Napi::Env env, Napi::Object exports) { exports.Set("Receiver", Receiver::Define(env)); }

}  // namespace mcb
#endif
