// Shared helpers for the mcastbench addon: argument checks (TypeError), errno errors (Error
// with .code = errno name, .errno = -errno like Node's own system errors, .syscall), address
// parsing, and the per-environment state that closes fds and stops polls when a worker exits.
#pragma once
#ifdef __linux__
#include <napi.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <set>
#include <string>

namespace mcb {

class Poller;

// One per napi_env (main thread and every worker): fds opened through the addon and the
// uv_poll-driven objects, so the env cleanup hook can stop and close them.
struct EnvState {
  std::set<int> fds;
  std::set<Poller*> pollers;
  bool tornDown = false;
};

EnvState* State(Napi::Env env);
void InitState(Napi::Env env);

// Objects driven by uv_poll implement this so teardown can stop them without JS.
class Poller {
 public:
  virtual ~Poller() = default;
  virtual void StopForTeardown() = 0;
};

// Throws Error(code = errno name, errno = -err, syscall). Never returns.
[[noreturn]] void ThrowErrno(Napi::Env env, int err, const char* syscall, const std::string& detail = "");
std::string ErrnoName(int err);

// Argument checks: each throws TypeError("<fn>: argument <i> (<what>) must be ...").
int ArgFd(const Napi::CallbackInfo& info, size_t i, const char* fn);
int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what, int64_t min, int64_t max);
double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what);
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what);
std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what);
Napi::Uint8Array ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what);
Napi::Function ArgFunction(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what);
[[noreturn]] void ThrowType(Napi::Env env, const std::string& msg);

// Numeric IPv4 / IPv6 (optionally "addr%ifname" or "addr%index") into a sockaddr. Returns false
// when the text is not a numeric address of either family.
bool ParseAddress(const std::string& text, uint16_t port, sockaddr_storage* out, socklen_t* len);
// Inverse for sockaddr_in / sockaddr_in6; fills address and port.
void FormatAddress(const sockaddr_storage* sa, std::string* address, int* port);
// The socket's address family (AF_INET / AF_INET6 / ...), via SO_DOMAIN.
int SocketFamily(Napi::Env env, int fd);
// An interface given as a number (index), an interface name, or an address: to an ifindex
// (0 when it was an IPv4 address, which is then stored in *v4addr).
struct IfaceRef {
  unsigned index = 0;
  bool hasV4Addr = false;
  in_addr v4addr{};
};
IfaceRef ArgIface(const Napi::CallbackInfo& info, size_t i, const char* fn);

}  // namespace mcb
#endif
