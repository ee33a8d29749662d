// Shared helpers for the tradecore native addon.
#ifndef TRADECORE_NATIVE_UTIL_H_
#define TRADECORE_NATIVE_UTIL_H_

#include <napi.h>

#include <string>

namespace tradecore {

// strerror() is not thread-safe; the GNU strerror_r variant is.
std::string ErrnoText(int err);

// Short human-readable rendering of an arbitrary JS value for error messages,
// e.g. `"x"`, `1.5`, `undefined`, `object`. Never throws.
std::string Describe(const Napi::Value& value);

void InitAffinity(Napi::Env env, Napi::Object exports);
void InitSharedMapping(Napi::Env env, Napi::Object exports);
void InitSocketIo(Napi::Env env, Napi::Object exports);
void InitFutex(Napi::Env env, Napi::Object exports);

}  // namespace tradecore

#endif  // TRADECORE_NATIVE_UTIL_H_
