// Multicast membership (ASM and SSM, IPv4 and IPv6) and multicast send options.
// IPv4 with an interface address uses ip_mreqn / ip_mreq_source (RFC 3678 "basic" API);
// interfaces given by index or name, and all IPv6, use the protocol-independent
// MCAST_JOIN_GROUP / MCAST_JOIN_SOURCE_GROUP with group_req / group_source_req (RFC 3678 §5).
#ifdef __linux__
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <cerrno>

#include "exports.h"
#include "util.h"

namespace mcb {

static void ParseOrThrow(const Napi::CallbackInfo& info, const char* fn, const std::string& text, const char* what,
                         sockaddr_storage* ss) {
  socklen_t len = 0;
  if (!ParseAddress(text, 0, ss, &len)) {
    ThrowType(info.Env(), std::string(fn) + ": " + what + " must be a numeric IPv4 or IPv6 address, got '" + text + "'");
  }
}

// join / leave for both ASM and SSM: (fd, group, [source,] iface) with the source at index 2
// for SSM; ifArg says where the interface argument is.
static void Membership(const Napi::CallbackInfo& info, const char* fn, bool join, bool ssm, size_t ifArg) {
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, fn);
  std::string groupText = ArgString(info, 1, fn, "group");
  std::string sourceText;
  if (ssm) sourceText = ArgString(info, 2, fn, "source");
  IfaceRef iface = ArgIface(info, ifArg, fn);
  sockaddr_storage group, source;
  ParseOrThrow(info, fn, groupText, "group", &group);
  if (ssm) ParseOrThrow(info, fn, sourceText, "source", &source);
  if (ssm && source.ss_family != group.ss_family) ThrowType(env, std::string(fn) + ": source and group families differ");
  int rc;
  const char* opt;
  if (group.ss_family == AF_INET && (iface.hasV4Addr || iface.index == 0)) {
    in_addr g = reinterpret_cast<sockaddr_in*>(&group)->sin_addr;
    if (!ssm) {
      ip_mreqn m{};
      m.imr_multiaddr = g;
      m.imr_address = iface.v4addr;  // INADDR_ANY when none: the kernel picks by route
      opt = join ? "IP_ADD_MEMBERSHIP" : "IP_DROP_MEMBERSHIP";
      rc = setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof(m));
    } else {
      ip_mreq_source m{};
      m.imr_multiaddr = g;
      m.imr_sourceaddr = reinterpret_cast<sockaddr_in*>(&source)->sin_addr;
      m.imr_interface = iface.v4addr;
      opt = join ? "IP_ADD_SOURCE_MEMBERSHIP" : "IP_DROP_SOURCE_MEMBERSHIP";
      rc = setsockopt(fd, IPPROTO_IP, join ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, &m, sizeof(m));
    }
  } else {
    if (iface.hasV4Addr) ThrowType(env, std::string(fn) + ": an IPv6 group needs an interface name or index, not an IPv4 address");
    int level = group.ss_family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    if (!ssm) {
      group_req r{};
      r.gr_interface = iface.index;
      memcpy(&r.gr_group, &group, sizeof(group));
      opt = join ? "MCAST_JOIN_GROUP" : "MCAST_LEAVE_GROUP";
      rc = setsockopt(fd, level, join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP, &r, sizeof(r));
    } else {
      group_source_req r{};
      r.gsr_interface = iface.index;
      memcpy(&r.gsr_group, &group, sizeof(group));
      memcpy(&r.gsr_source, &source, sizeof(source));
      opt = join ? "MCAST_JOIN_SOURCE_GROUP" : "MCAST_LEAVE_SOURCE_GROUP";
      rc = setsockopt(fd, level, join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP, &r, sizeof(r));
    }
  }
  if (rc != 0) ThrowErrno(env, errno, "setsockopt", std::string(opt) + " " + groupText + (ssm ? " source " + sourceText : ""));
}

static Napi::Value JoinAsm(const Napi::CallbackInfo& info) {
  Membership(info, "joinAsm", true, false, 2);
  return info.Env().Undefined();
}
static Napi::Value JoinSsm(const Napi::CallbackInfo& info) {
  Membership(info, "joinSsm", true, true, 3);
  return info.Env().Undefined();
}
// leave(fd, group, source | null, iface)
static Napi::Value Leave(const Napi::CallbackInfo& info) {
  bool ssm = info.Length() > 2 && info[2].IsString();
  if (!ssm && info.Length() > 2 && !info[2].IsNull() && !info[2].IsUndefined()) {
    ThrowType(info.Env(), "leave: argument 2 (source) must be a string or null");
  }
  Membership(info, "leave", false, ssm, 3);
  return info.Env().Undefined();
}

static void SetFamilyInt(const Napi::CallbackInfo& info, const char* fn, int v4name, int v6name, int value) {
  int fd = ArgFd(info, 0, fn);
  bool v6 = SocketFamily(info.Env(), fd) == AF_INET6;
  if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? v6name : v4name, &value, sizeof(value)) != 0) {
    ThrowErrno(info.Env(), errno, "setsockopt", fn);
  }
}

static Napi::Value SetMulticastTtl(const Napi::CallbackInfo& info) {
  int ttl = static_cast<int>(ArgInt(info, 1, "setMulticastTtl", "ttl", 0, 255));
  SetFamilyInt(info, "setMulticastTtl", IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS, ttl);
  return info.Env().Undefined();
}
static Napi::Value SetTtl(const Napi::CallbackInfo& info) {
  int ttl = static_cast<int>(ArgInt(info, 1, "setTtl", "ttl", 1, 255));
  SetFamilyInt(info, "setTtl", IP_TTL, IPV6_UNICAST_HOPS, ttl);
  return info.Env().Undefined();
}
static Napi::Value SetMulticastLoop(const Napi::CallbackInfo& info) {
  bool on = ArgBool(info, 1, "setMulticastLoop", "loop");
  SetFamilyInt(info, "setMulticastLoop", IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP, on ? 1 : 0);
  return info.Env().Undefined();
}

// IPv4: ip_mreqn (address or index). IPv6: the interface index.
static Napi::Value SetMulticastIf(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "setMulticastIf");
  if (info.Length() < 2 || info[1].IsNull() || info[1].IsUndefined()) ThrowType(info.Env(), "setMulticastIf: argument 1 (interface) is required");
  IfaceRef iface = ArgIface(info, 1, "setMulticastIf");
  int rc;
  if (SocketFamily(info.Env(), fd) == AF_INET6) {
    if (iface.hasV4Addr) ThrowType(info.Env(), "setMulticastIf: an IPv6 socket needs an interface name or index");
    int idx = static_cast<int>(iface.index);
    rc = setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx));
  } else {
    ip_mreqn m{};
    m.imr_address = iface.v4addr;
    m.imr_ifindex = static_cast<int>(iface.index);
    rc = setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m));
  }
  if (rc != 0) ThrowErrno(info.Env(), errno, "setsockopt", "IP_MULTICAST_IF");
  return info.Env().Undefined();
}

void RegisterMulticast(Napi::Env env, Napi::Object exports) {
  exports.Set("joinAsm", Napi::Function::New(env, JoinAsm, "joinAsm"));
  exports.Set("joinSsm", Napi::Function::New(env, JoinSsm, "joinSsm"));
  exports.Set("leave", Napi::Function::New(env, Leave, "leave"));
  exports.Set("setMulticastTtl", Napi::Function::New(env, SetMulticastTtl, "setMulticastTtl"));
  exports.Set("setMulticastLoop", Napi::Function::New(env, SetMulticastLoop, "setMulticastLoop"));
  exports.Set("setMulticastIf", Napi::Function::New(env, SetMulticastIf, "setMulticastIf"));
  exports.Set("setTtl", Napi::Function::New(env, SetTtl, "setTtl"));
}

}  // namespace mcb
#endif
