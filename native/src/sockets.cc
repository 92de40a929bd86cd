// Socket creation and plain socket options. All functions take raw fds, so the helpers
// (setRcvbufForce, meminfo, inq) work on node:dgram's own fd as well as on addon sockets.
#ifdef __linux__
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "exports.h"
#include "util.h"

namespace mcb {

static Napi::Value OpenUdp(const Napi::CallbackInfo& info) {
  int family = static_cast<int>(ArgInt(info, 0, "openUdp", "family (4 or 6)", 4, 6));
  if (family == 5) ThrowType(info.Env(), "openUdp: argument 0 (family) must be 4 or 6");
  int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) ThrowErrno(info.Env(), errno, "socket");
  State(info.Env())->fds.insert(fd);
  return Napi::Number::New(info.Env(), fd);
}

static Napi::Value Close(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "close");
  auto* st = State(info.Env());
  if (st->fds.erase(fd) == 0) ThrowErrno(info.Env(), EBADF, "close", "fd " + std::to_string(fd) + " was not opened by this addon in this thread");
  if (::close(fd) != 0 && errno != EINTR) ThrowErrno(info.Env(), errno, "close");
  return info.Env().Undefined();
}

static Napi::Value AddrCall(const Napi::CallbackInfo& info, const char* fn, bool isBind) {
  int fd = ArgFd(info, 0, fn);
  std::string addr = ArgString(info, 1, fn, "address");
  int port = static_cast<int>(ArgInt(info, 2, fn, "port", 0, 65535));
  sockaddr_storage ss;
  socklen_t len = 0;
  if (!ParseAddress(addr, static_cast<uint16_t>(port), &ss, &len)) {
    ThrowType(info.Env(), std::string(fn) + ": argument 1 (address) must be a numeric IPv4 or IPv6 address, got '" + addr + "'");
  }
  int rc = isBind ? ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) : ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
  if (rc != 0) ThrowErrno(info.Env(), errno, fn, addr + ":" + std::to_string(port));
  return info.Env().Undefined();
}
static Napi::Value Bind(const Napi::CallbackInfo& info) { return AddrCall(info, "bind", true); }
static Napi::Value Connect(const Napi::CallbackInfo& info) { return AddrCall(info, "connect", false); }

static Napi::Value LocalAddress(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "localAddress");
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) ThrowErrno(info.Env(), errno, "getsockname");
  std::string address;
  int port = 0;
  FormatAddress(&ss, &address, &port);
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("address", address);
  o.Set("port", port);
  o.Set("family", ss.ss_family == AF_INET6 ? 6 : ss.ss_family == AF_INET ? 4 : 0);
  return o;
}

static void SetInt(Napi::Env env, int fd, int level, int name, int value, const char* what) {
  if (setsockopt(fd, level, name, &value, sizeof(value)) != 0) ThrowErrno(env, errno, "setsockopt", what);
}
static int GetInt(Napi::Env env, int fd, int level, int name, const char* what) {
  int value = 0;
  socklen_t len = sizeof(value);
  if (getsockopt(fd, level, name, &value, &len) != 0) ThrowErrno(env, errno, "getsockopt", what);
  return value;
}

static Napi::Value SetsockoptInt(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "setsockoptInt");
  int level = static_cast<int>(ArgInt(info, 1, "setsockoptInt", "level", 0, 0xffff));
  int name = static_cast<int>(ArgInt(info, 2, "setsockoptInt", "name", 0, 0xffff));
  int value = static_cast<int>(ArgInt(info, 3, "setsockoptInt", "value", INT32_MIN, INT32_MAX));
  SetInt(info.Env(), fd, level, name, value, "");
  return info.Env().Undefined();
}

static Napi::Value GetsockoptInt(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "getsockoptInt");
  int level = static_cast<int>(ArgInt(info, 1, "getsockoptInt", "level", 0, 0xffff));
  int name = static_cast<int>(ArgInt(info, 2, "getsockoptInt", "name", 0, 0xffff));
  return Napi::Number::New(info.Env(), GetInt(info.Env(), fd, level, name, ""));
}

// SO_RCVBUFFORCE / SO_SNDBUFFORCE ignore rmem_max / wmem_max (CAP_NET_ADMIN, else EPERM).
// Returns the kernel's value afterwards (twice the request, as with SO_RCVBUF).
static Napi::Value BufForce(const Napi::CallbackInfo& info, const char* fn, int force, int plain, const char* what) {
  int fd = ArgFd(info, 0, fn);
  int bytes = static_cast<int>(ArgInt(info, 1, fn, "bytes", 0, INT32_MAX / 2));
  SetInt(info.Env(), fd, SOL_SOCKET, force, bytes, what);
  return Napi::Number::New(info.Env(), GetInt(info.Env(), fd, SOL_SOCKET, plain, what));
}
static Napi::Value SetRcvbufForce(const Napi::CallbackInfo& info) {
  return BufForce(info, "setRcvbufForce", SO_RCVBUFFORCE, SO_RCVBUF, "SO_RCVBUFFORCE");
}
static Napi::Value SetSndbufForce(const Napi::CallbackInfo& info) {
  return BufForce(info, "setSndbufForce", SO_SNDBUFFORCE, SO_SNDBUF, "SO_SNDBUFFORCE");
}

static Napi::Value EnableRxqOvfl(const Napi::CallbackInfo& info) {
  SetInt(info.Env(), ArgFd(info, 0, "enableRxqOvfl"), SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
  return info.Env().Undefined();
}
static Napi::Value EnableTimestampNs(const Napi::CallbackInfo& info) {
  SetInt(info.Env(), ArgFd(info, 0, "enableTimestampNs"), SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  return info.Env().Undefined();
}

// IP_TOS for IPv4 sockets, IPV6_TCLASS for IPv6 ones (DSCP << 2 | ECN).
static Napi::Value SetTos(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "setTos");
  int tos = static_cast<int>(ArgInt(info, 1, "setTos", "tos", 0, 255));
  if (SocketFamily(info.Env(), fd) == AF_INET6) SetInt(info.Env(), fd, IPPROTO_IPV6, IPV6_TCLASS, tos, "IPV6_TCLASS");
  else SetInt(info.Env(), fd, IPPROTO_IP, IP_TOS, tos, "IP_TOS");
  return info.Env().Undefined();
}

// SIOCINQ on a UDP socket is the size of the FIRST queued datagram (0 when empty), not the
// queue total; SIOCOUTQ is the bytes not yet sent. Queue totals are in meminfo().
static Napi::Value Ioctl(const Napi::CallbackInfo& info, const char* fn, unsigned long req) {
  int fd = ArgFd(info, 0, fn);
  int value = 0;
  if (ioctl(fd, req, &value) != 0) ThrowErrno(info.Env(), errno, "ioctl", fn);
  return Napi::Number::New(info.Env(), value);
}
static Napi::Value Inq(const Napi::CallbackInfo& info) { return Ioctl(info, "inq", SIOCINQ); }
static Napi::Value Outq(const Napi::CallbackInfo& info) { return Ioctl(info, "outq", SIOCOUTQ); }

// SO_MEMINFO: rmem_alloc, rcvbuf, wmem_alloc, sndbuf, fwd_alloc, wmem_queued, optmem, backlog, drops.
static Napi::Value Meminfo(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "meminfo");
  uint32_t mem[SK_MEMINFO_VARS] = {0};
  socklen_t len = sizeof(mem);
  if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0) ThrowErrno(info.Env(), errno, "getsockopt", "SO_MEMINFO");
  static const char* names[] = {"rmemAlloc", "rcvbuf", "wmemAlloc", "sndbuf", "fwdAlloc", "wmemQueued", "optmem", "backlog", "drops"};
  Napi::Object o = Napi::Object::New(info.Env());
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && i * sizeof(uint32_t) < len; i++) o.Set(names[i], mem[i]);
  return o;
}

void RegisterSockets(Napi::Env env, Napi::Object exports) {
  exports.Set("openUdp", Napi::Function::New(env, OpenUdp, "openUdp"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("localAddress", Napi::Function::New(env, LocalAddress, "localAddress"));
  exports.Set("setsockoptInt", Napi::Function::New(env, SetsockoptInt, "setsockoptInt"));
  exports.Set("getsockoptInt", Napi::Function::New(env, GetsockoptInt, "getsockoptInt"));
  exports.Set("setRcvbufForce", Napi::Function::New(env, SetRcvbufForce, "setRcvbufForce"));
  exports.Set("setSndbufForce", Napi::Function::New(env, SetSndbufForce, "setSndbufForce"));
  exports.Set("enableRxqOvfl", Napi::Function::New(env, EnableRxqOvfl, "enableRxqOvfl"));
  exports.Set("enableTimestampNs", Napi::Function::New(env, EnableTimestampNs, "enableTimestampNs"));
  exports.Set("setTos", Napi::Function::New(env, SetTos, "setTos"));
  exports.Set("inq", Napi::Function::New(env, Inq, "inq"));
  exports.Set("outq", Napi::Function::New(env, Outq, "outq"));
  exports.Set("meminfo", Napi::Function::New(env, Meminfo, "meminfo"));
}

}  // namespace mcb
#endif
