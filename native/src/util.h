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

// The backing store of argument `at` if it is a typed array of type `want` (its element count in *length);
// otherwise throws a TypeError "<fn>: <what> must be <type_name>, got ..." (type_name with its article).
void* TypedArrayArg(const Napi::CallbackInfo& info, size_t at, napi_typedarray_type want, const char* type_name,
                    const char* fn, const char* what, size_t* length);

void InitAffinity(Napi::Env env, Napi::Object exports);
void InitSharedMapping(Napi::Env env, Napi::Object exports);
void InitSocketIo(Napi::Env env, Napi::Object exports);
void InitFutex(Napi::Env env, Napi::Object exports);
void InitPriority(Napi::Env env, Napi::Object exports);

}  // namespace tradecore

#endif  // TRADECORE_NATIVE_UTIL_H_
