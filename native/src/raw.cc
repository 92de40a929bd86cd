// Raw sockets for IGMP observation (docs/native.md §3.4). Both need CAP_NET_RAW (EPERM
// otherwise). Read them with the same uv_poll Receiver as UDP sockets: recvmmsg works on raw
// and packet sockets, and the record's address / port fields carry the link address / ifindex.
//  - openRaw('igmp'): AF_INET, SOCK_RAW, IPPROTO_IGMP. Sees queries and reports addressed to
//    groups this host has joined (224.0.0.1 always), i.e. enough to detect a querier.
//  - openPacket(ifname, promisc): AF_PACKET, SOCK_DGRAM, ETH_P_IP bound to one interface; sees
//    every IPv4 packet on it (including other hosts' IGMPv3 reports to 224.0.0.22).
#ifdef __linux__
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

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
  unsigned idx = if_nametoindex(ifname.c_str());
  if (idx == 0) ThrowErrno(info.Env(), ENODEV, "if_nametoindex", "interface '" + ifname + "'");
  int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IP));
  if (fd < 0) ThrowErrno(info.Env(), errno, "socket", "AF_PACKET SOCK_DGRAM ETH_P_IP");
  sockaddr_ll ll{};
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = htons(ETH_P_IP);
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
