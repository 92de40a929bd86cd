// mcastbench_native: optional Linux fast path (recvmmsg/sendmmsg, kernel timestamps,
// SO_RXQ_OVFL, forced buffers, joins, pacing, raw sockets). Node-API only, so one build loads
// in every Node >= 20 and in every worker thread (Node-API modules are context-aware).
#include <napi.h>

#ifdef __linux__
#include "exports.h"
#include "util.h"
#endif

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
#ifdef __linux__
  mcb::InitState(env);
  mcb::RegisterSockets(env, exports);
  mcb::RegisterMulticast(env, exports);
  mcb::RegisterReceiver(env, exports);
  mcb::RegisterSender(env, exports);
  mcb::RegisterPacer(env, exports);
  mcb::RegisterRaw(env, exports);
  exports.Set("platformSupported", Napi::Boolean::New(env, true));
#else
  exports.Set("platformSupported", Napi::Boolean::New(env, false));
#endif
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  return exports;
}

NODE_API_MODULE(mcastbench_native, Init)
