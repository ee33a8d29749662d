// POSIX shared memory (/dev/shm) exposed to JS as a real SharedArrayBuffer.
//
// The engine and the monitor map the same segment in different processes;
// because the result is a genuine SharedArrayBuffer (not an ArrayBuffer) it can
// also be handed to worker_threads via postMessage/workerData and used with
// Atomics. node-addon-api / Node-API has no way to create a SharedArrayBuffer
// over external memory, so mapShared talks to V8 directly.
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <memory>
#include <string>

#include <v8.h>

#include "util.h"

namespace tradecore {
namespace {

constexpr double kMaxBytes = 1099511627776.0;  // 2^40

static_assert(
    sizeof(v8::Local<v8::Value>) == sizeof(napi_value),
    "v8::Local<v8::Value> and napi_value must have the same representation");

// In Node 20 (V8 11.3) a napi_value IS a v8::Local<v8::Value>: Node's own
// js_native_api_v8.h converts with
//   reinterpret_cast<napi_value>(*local)   /  memcpy(&local, &v, sizeof v)
// i.e. both are a single pointer to a slot in the current HandleScope. The
// Local created here lives in the HandleScope V8 opens for every native
// function callback, which is the same scope Node-API uses for the
// callback's return value, so the handle stays valid until Node-API has
// turned the returned napi_value back into a Local and set it as the
// function's return value. (The static_assert above guards the layout; if a
// future Node switches to "direct handles" this must be revisited.)
napi_value ToNapiValue(v8::Local<v8::Value> local) {
  napi_value out;
  memcpy(&out, &local, sizeof out);
  return out;
}

// Called by V8 when the last SharedArrayBuffer referring to the backing
// store (in any isolate / worker) has been collected. May run on any thread.
void UnmapDeleter(void* data, size_t length, void* /*deleter_data*/) {
  munmap(data, length);
}

// Name rule shared by mapShared and unlinkShared: "/" followed by at least
// one character, no other "/" and no NUL.
std::string ValidateName(const Napi::Env& env, const char* fn,
                         const Napi::Value& value) {
  if (!value.IsString()) {
    throw Napi::TypeError::New(
        env, std::string(fn) + ": name must be a string, got " +
                 Describe(value));
  }
  std::string name = value.As<Napi::String>().Utf8Value();
  if (name.size() < 2 || name[0] != '/' ||
      name.find('/', 1) != std::string::npos ||
      name.find('\0') != std::string::npos) {
    throw Napi::TypeError::New(
        env, std::string(fn) + ": name must start with \"/\" and contain no "
                               "other \"/\" (e.g. \"/tradecore\"), got " +
                 Describe(value));
  }
  return name;
}

// mapShared(name: string, bytes: number): SharedArrayBuffer
Napi::Value MapShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = ValidateName(env, "mapShared", info[0]);

  Napi::Value bytesArg = info[1];
  if (!bytesArg.IsNumber()) {
    throw Napi::TypeError::New(
        env, "mapShared: bytes must be a number, got " + Describe(bytesArg));
  }
  const double d = bytesArg.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::trunc(d) != d || d < 1 || d > kMaxBytes) {
    throw Napi::RangeError::New(
        env, "mapShared: bytes must be an integer in [1, 2^40], got " +
                 Describe(bytesArg));
  }
  const size_t bytes = static_cast<size_t>(d);
  const std::string ctx =
      "mapShared(" + name + ", " + std::to_string(bytes) + "): ";

  const int fd = shm_open(name.c_str(), O_RDWR | O_CREAT, 0600);
  if (fd < 0) {
    const int err = errno;
    throw Napi::Error::New(env, ctx + "shm_open: " + ErrnoText(err));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    throw Napi::Error::New(env, ctx + "fstat: " + ErrnoText(err));
  }
  // Grow only: never shrink a segment another process may have mapped larger
  // (touching pages past the new end would SIGBUS there).
  if (static_cast<uint64_t>(st.st_size) < bytes &&
      ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    const int err = errno;
    close(fd);
    throw Napi::Error::New(env, ctx + "ftruncate: " + ErrnoText(err));
  }
  void* data = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int mmapErr = errno;
  close(fd);  // the mapping keeps its own reference to the file
  if (data == MAP_FAILED) {
    throw Napi::Error::New(env, ctx + "mmap: " + ErrnoText(mmapErr));
  }

  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store =
      v8::SharedArrayBuffer::NewBackingStore(data, bytes, UnmapDeleter,
                                             nullptr);
  // From here on the backing store owns the mapping (munmap via deleter).
  v8::Local<v8::SharedArrayBuffer> sab =
      v8::SharedArrayBuffer::New(isolate, std::move(store));
  return Napi::Value(env, ToNapiValue(sab.As<v8::Value>()));
}

// unlinkShared(name: string): boolean — false if it did not exist.
Napi::Value UnlinkShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = ValidateName(env, "unlinkShared", info[0]);
  if (shm_unlink(name.c_str()) != 0) {
    const int err = errno;
    if (err == ENOENT) return Napi::Boolean::New(env, false);
    throw Napi::Error::New(
        env, "unlinkShared(" + name + "): shm_unlink: " + ErrnoText(err));
  }
  return Napi::Boolean::New(env, true);
}

}  // namespace

void InitSharedMapping(Napi::Env env, Napi::Object exports) {
  exports.Set("mapShared", Napi::Function::New(env, MapShared, "mapShared"));
  exports.Set("unlinkShared",
              Napi::Function::New(env, UnlinkShared, "unlinkShared"));
}

}  // namespace tradecore
