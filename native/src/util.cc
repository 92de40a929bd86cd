#ifdef __linux__
#include "util.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace mcb {

namespace {
// Env cleanup hook: runs when the environment (main thread or a worker) shuts down, before the
// napi_env and its objects are finalized. Stops every poll, then closes every fd still open.
void Teardown(void* arg) {
  auto* st = static_cast<EnvState*>(arg);
  st->tornDown = true;
  auto pollers = st->pollers;  // StopForTeardown unregisters itself
  for (Poller* p : pollers) p->StopForTeardown();
  st->pollers.clear();
  for (int fd : st->fds) ::close(fd);
  st->fds.clear();
}
}  // namespace

void InitState(Napi::Env env) {
  auto* st = new EnvState();
  env.SetInstanceData<EnvState>(st);  // deleted by node-addon-api when the env goes away
  napi_add_env_cleanup_hook(env, Teardown, st);
}

EnvState* State(Napi::Env env) { return env.GetInstanceData<EnvState>(); }

std::string ErrnoName(int err) {
  const char* name = strerrorname_np(err);
  if (name != nullptr) return name;
  return "E" + std::to_string(err);
}

void ThrowErrno(Napi::Env env, int err, const char* syscall, const std::string& detail) {
  std::string code = ErrnoName(err);
  std::string msg = std::string(syscall) + " " + code + " (" + strerror(err) + ")";
  if (!detail.empty()) msg += " " + detail;
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, code));
  e.Set("errno", Napi::Number::New(env, -err));
  e.Set("syscall", Napi::String::New(env, syscall));
  throw e;
}

void ThrowType(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

static std::string Where(const char* fn, size_t i, const char* what) {
  return std::string(fn) + ": argument " + std::to_string(i) + " (" + what + ")";
}

int ArgFd(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  return static_cast<int>(ArgInt(info, i, fn, "fd", 0, 0x7fffffff));
}

int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what, int64_t min, int64_t max) {
  if (info.Length() <= i || !info[i].IsNumber()) ThrowType(info.Env(), Where(fn, i, what) + " must be a number");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!(d == static_cast<double>(static_cast<int64_t>(d))) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
    ThrowType(info.Env(), Where(fn, i, what) + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<int64_t>(d);
}

double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) ThrowType(info.Env(), Where(fn, i, what) + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsBoolean()) ThrowType(info.Env(), Where(fn, i, what) + " must be a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsString()) ThrowType(info.Env(), Where(fn, i, what) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

Napi::Uint8Array ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    ThrowType(info.Env(), Where(fn, i, what) + " must be a Uint8Array or Buffer");
  }
  return info[i].As<Napi::Uint8Array>();
}

Napi::Function ArgFunction(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsFunction()) ThrowType(info.Env(), Where(fn, i, what) + " must be a function");
  return info[i].As<Napi::Function>();
}

static unsigned ScopeIndex(const std::string& scope) {
  if (scope.empty()) return 0;
  char* end = nullptr;
  unsigned long n = strtoul(scope.c_str(), &end, 10);
  if (end != nullptr && *end == '\0') return static_cast<unsigned>(n);
  return if_nametoindex(scope.c_str());
}

bool ParseAddress(const std::string& text, uint16_t port, sockaddr_storage* out, socklen_t* len) {
  memset(out, 0, sizeof(*out));
  auto* v4 = reinterpret_cast<sockaddr_in*>(out);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(out);
  std::string host = text;
  std::string scope;
  size_t pct = text.find('%');
  if (pct != std::string::npos) {
    host = text.substr(0, pct);
    scope = text.substr(pct + 1);
  }
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    v6->sin6_scope_id = ScopeIndex(scope);
    if (!scope.empty() && v6->sin6_scope_id == 0) return false;
    *len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

void FormatAddress(const sockaddr_storage* sa, std::string* address, int* port) {
  char buf[INET6_ADDRSTRLEN + 1] = {0};
  if (sa->ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<const sockaddr_in*>(sa);
    inet_ntop(AF_INET, &v4->sin_addr, buf, sizeof(buf));
    *port = ntohs(v4->sin_port);
  } else if (sa->ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<const sockaddr_in6*>(sa);
    inet_ntop(AF_INET6, &v6->sin6_addr, buf, sizeof(buf));
    *port = ntohs(v6->sin6_port);
  } else {
    *port = 0;
  }
  *address = buf;
}

int SocketFamily(Napi::Env env, int fd) {
  int domain = 0;
  socklen_t len = sizeof(domain);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0) ThrowErrno(env, errno, "getsockopt", "SO_DOMAIN");
  return domain;
}

IfaceRef ArgIface(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  IfaceRef r;
  if (info.Length() <= i || info[i].IsNull() || info[i].IsUndefined()) return r;
  if (info[i].IsNumber()) {
    r.index = static_cast<unsigned>(ArgInt(info, i, fn, "interface index", 0, 0x7fffffff));
    return r;
  }
  std::string s = ArgString(info, i, fn, "interface (address, name or index)");
  if (inet_pton(AF_INET, s.c_str(), &r.v4addr) == 1) {
    r.hasV4Addr = true;
    return r;
  }
  // "::%eth0" (the InterfaceSpec form for IPv6), a bare IPv6 with scope, or a plain name.
  size_t pct = s.find('%');
  std::string name = pct == std::string::npos ? s : s.substr(pct + 1);
  r.index = ScopeIndex(name);
  if (r.index == 0) ThrowErrno(info.Env(), ENODEV, "if_nametoindex", "interface '" + s + "'");
  return r;
}

}  // namespace mcb
#endif
