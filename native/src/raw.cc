// Raw sockets for IGMP observation (docs/native.md §3.4). Both need CAP_NET_RAW (EPERM
// otherwise). Read them with the same uv_poll Receiver as UDP sockets: recvmmsg works on raw
// and packet sockets, and the record's address / port fields carry the link address / ifindex.
//  - openRaw('igmp'): AF_INET, SOCK_RAW, IPPROTO_IGMP. Sees queries and reports addressed to
//    groups this host has joined (224.0.0.1 always), i.e. enough to detect a querier.
//  - openPacket(ifname, promisc, 'ipv4' | 'ipv6'): AF_PACKET, SOCK_DGRAM, ETH_P_IP or ETH_P_IPV6
//    bound to one interface; sees every IPv4 (IPv6) packet it receives, including other hosts'
//    IGMPv3 reports to 224.0.0.22 and MLD reports to ff02::16 (RFC 3810 §5.2.14). A socket bound
//    to one protocol is not a ptype_all tap, so the host's own outgoing packets are not seen
//    (packet(7); net/core/dev.c dev_queue_xmit_nit).
#ifdef __linux__
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "exports.h"
#include "util.h"

namespace mcb {

static Napi::Value OpenRaw(const Napi::CallbackInfo& info) {
  std::string proto = ArgString(info, 0, "openRaw", "protocol");
  if (proto != "igmp") ThrowType(info.Env(), "openRaw: argument 0 (protocol) must be 'igmp'");
  int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_IGMP);
  if (fd < 0) ThrowErrno(info.Env(), errno, "socket", "AF_INET SOCK_RAW IPPROTO_IGMP");
  State(info.Env())->fds.insert(fd);
  return Napi::Number::New(info.Env(), fd);
}

static Napi::Value OpenPacket(const Napi::CallbackInfo& info) {
  std::string ifname = ArgString(info, 0, "openPacket", "ifname");
  bool promisc = ArgBool(info, 1, "openPacket", "promisc");
  std::string family = ArgString(info, 2, "openPacket", "protocol");
  if (family != "ipv4" && family != "ipv6") ThrowType(info.Env(), "openPacket: argument 2 (protocol) must be 'ipv4' or 'ipv6'");
  const uint16_t proto = htons(family == "ipv6" ? ETH_P_IPV6 : ETH_P_IP);
  unsigned idx = if_nametoindex(ifname.c_str());
  if (idx == 0) ThrowErrno(info.Env(), ENODEV, "if_nametoindex", "interface '" + ifname + "'");
  int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0) ThrowErrno(info.Env(), errno, "socket", "AF_PACKET SOCK_DGRAM " + family);
  sockaddr_ll ll{};
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = proto;
  ll.sll_ifindex = static_cast<int>(idx);
  if (bind(fd, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)) != 0) {
    int err = errno;
    ::close(fd);
    ThrowErrno(info.Env(), err, "bind", "AF_PACKET " + ifname);
  }
  if (promisc) {
    packet_mreq m{};
    m.mr_ifindex = static_cast<int>(idx);
    m.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &m, sizeof(m)) != 0) {
      int err = errno;
      ::close(fd);
      ThrowErrno(info.Env(), err, "setsockopt", "PACKET_MR_PROMISC " + ifname);
    }
  }
  State(info.Env())->fds.insert(fd);
  return Napi::Number::New(info.Env(), fd);
}

void RegisterRaw(Napi::Env env, Napi::Object exports) {
  exports.Set("openRaw", Napi::Function::New(env, OpenRaw, "openRaw"));
  exports.Set("openPacket", Napi::Function::New(env, OpenPacket, "openPacket"));
}

}  // namespace mcb
#endif
