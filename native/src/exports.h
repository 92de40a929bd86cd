// One Register* function per source file; addon.cc calls them all.
#pragma once
#ifdef __linux__
#include <napi.h>

namespace mcb {
void RegisterSockets(Napi::Env env, Napi::Object exports);
void RegisterMulticast(Napi::Env env, Napi::Object exports);
void RegisterReceiver(Napi::Env env, Napi::Object exports);
void RegisterSender(Napi::Env env, Napi::Object exports);
void RegisterPacer(Napi::Env env, Napi::Object exports);
void RegisterRaw(Napi::Env env, Napi::Object exports);
}  // namespace mcb
#endif
