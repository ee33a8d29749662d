// A doorbell between processes: futex wait and wake on a 32-bit word of a shared mapping (mapShared).
// Atomics.wait/notify only reach threads of the same process; a futex on a MAP_SHARED page is keyed by the
// file and offset, so the monitor or `npm run kill` can wake the engine's sleeping control watcher at once
// instead of the watcher polling the kill word (every poll is a wake of a core the venue may need).
// Non-private futex ops (no FUTEX_PRIVATE_FLAG) for that reason.
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>

#include "util.h"

namespace tradecore {
namespace {

// The address of element `index` (argument 1) of the Int32Array argument 0.
int32_t* WordArg(const Napi::CallbackInfo& info, const char* fn) {
  Napi::Env env = info.Env();
  size_t length = 0;
  void* data = TypedArrayArg(info, 0, napi_int32_array, "an Int32Array", fn, "words", &length);
  Napi::Value v = info[1];
  const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
  if (!std::isfinite(d) || std::trunc(d) != d || d < 0 || d >= static_cast<double>(length)) {
    throw Napi::RangeError::New(env, std::string(fn) + ": index must be an integer in [0, " + std::to_string(length) +
                                         "), got " + Describe(v));
  }
  return static_cast<int32_t*>(data) + static_cast<size_t>(d);
}

double NumberArg(const Napi::CallbackInfo& info, size_t at, const char* fn, const char* name, double lo, double hi) {
  Napi::Value v = info[at];
  const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
  if (!std::isfinite(d) || std::trunc(d) != d || d < lo || d > hi) {
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": " + name + " must be an integer in [" +
                                                std::to_string(static_cast<long long>(lo)) + ", " +
                                                std::to_string(static_cast<long long>(hi)) + "], got " + Describe(v));
  }
  return d;
}

// futexWait(words, index, expected, timeoutNs): sleeps while words[index] === expected, at most timeoutNs.
// Answers 0 woken (or a spurious wake: the caller re-reads the word), 1 timed out, 2 the word was not
// `expected` already. Blocks the calling thread, like Atomics.wait.
Napi::Value FutexWait(const Napi::CallbackInfo& info) {
  int32_t* word = WordArg(info, "futexWait");
  const int32_t expected = static_cast<int32_t>(NumberArg(info, 2, "futexWait", "expected", -2147483648.0, 2147483647.0));
  const double ns = NumberArg(info, 3, "futexWait", "timeoutNs", 0, 3.6e12);
  struct timespec ts;
  ts.tv_sec = static_cast<time_t>(ns / 1e9);
  ts.tv_nsec = static_cast<long>(ns - static_cast<double>(ts.tv_sec) * 1e9);
  long r = syscall(SYS_futex, word, FUTEX_WAIT, expected, &ts, nullptr, 0);
  int out = 0;
  if (r != 0) {
    if (errno == ETIMEDOUT) {
      out = 1;
    } else if (errno == EAGAIN) {
      out = 2;
    } else if (errno == EINTR) {
      out = 0;
    } else {
      throw Napi::Error::New(info.Env(), "futexWait: " + ErrnoText(errno));
    }
  }
  return Napi::Number::New(info.Env(), out);
}

// futexWake(words, index, count): wakes up to `count` threads (of any process) sleeping on words[index];
// answers how many woke.
Napi::Value FutexWake(const Napi::CallbackInfo& info) {
  int32_t* word = WordArg(info, "futexWake");
  const int count = static_cast<int>(NumberArg(info, 2, "futexWake", "count", 1, 2147483647.0));
  long r = syscall(SYS_futex, word, FUTEX_WAKE, count, nullptr, nullptr, 0);
  if (r < 0) throw Napi::Error::New(info.Env(), "futexWake: " + ErrnoText(errno));
  return Napi::Number::New(info.Env(), static_cast<double>(r));
}

}  // namespace

void InitFutex(Napi::Env env, Napi::Object exports) {
  exports.Set("futexWait", Napi::Function::New(env, FutexWait, "futexWait"));
  exports.Set("futexWake", Napi::Function::New(env, FutexWake, "futexWake"));
}

}  // namespace tradecore
