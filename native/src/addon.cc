// Module entry point for tradecore_native (node-addon-api, C++ exceptions on).
// Every exported function acts on the calling thread, so the addon is used
// from worker_threads as well as the main thread; it keeps no per-module state
// and is therefore safe to load into several isolates at once.
#include <string.h>

#include "util.h"

namespace tradecore {

std::string ErrnoText(int err) {
  char buf[256];
  // GNU strerror_r: returns a pointer that may or may not be `buf`.
  const char* text = strerror_r(err, buf, sizeof buf);
  return text != nullptr ? std::string(text) : "errno " + std::to_string(err);
}

std::string Describe(const Napi::Value& value) {
  switch (value.Type()) {
    case napi_undefined:
      return "undefined";
    case napi_null:
      return "null";
    case napi_boolean:
      return value.As<Napi::Boolean>().Value() ? "true" : "false";
    case napi_number:
      // Number -> string conversion cannot throw and uses JS formatting
      // (1.5, NaN, Infinity, -0 -> "0").
      return value.ToString().Utf8Value();
    case napi_string: {
      std::string s = value.As<Napi::String>().Utf8Value();
      if (s.size() > 64) s = s.substr(0, 64) + "...";
      return "\"" + s + "\"";
    }
    case napi_symbol:
      return "symbol";
    case napi_bigint:
      return "bigint";
    case napi_function:
      return "function";
    default:
      return value.IsArray() ? "array" : "object";
  }
}

void* TypedArrayArg(const Napi::CallbackInfo& info, size_t at, napi_typedarray_type want, const char* type_name,
                    const char* fn, const char* what, size_t* length) {
  Napi::Env env = info.Env();
  napi_value arr = info[at];
  bool is_typed = false;
  napi_is_typedarray(env, arr, &is_typed);
  napi_typedarray_type type = napi_int8_array;
  void* data = nullptr;
  *length = 0;
  if (is_typed) napi_get_typedarray_info(env, arr, &type, length, &data, nullptr, nullptr);
  if (!is_typed || type != want) {
    throw Napi::TypeError::New(env, std::string(fn) + ": " + what + " must be " + type_name + ", got " + Describe(info[at]));
  }
  return data;
}

}  // namespace tradecore

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tradecore::InitAffinity(env, exports);
  tradecore::InitSharedMapping(env, exports);
  tradecore::InitSocketIo(env, exports);
  tradecore::InitFutex(env, exports);
  tradecore::InitPriority(env, exports);
  return exports;
}

NODE_API_MODULE(tradecore_native, Init)
