// CPU affinity helpers. All calls use pid 0 / the gettid syscall, which on
// Linux means "the calling thread", not the process: a worker_thread that
// calls setAffinity pins only itself.
#include <errno.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmath>
#include <string>
#include <vector>

#include "util.h"

namespace tradecore {
namespace {

std::string FormatCpus(const std::vector<int>& cpus) {
  std::string out = "[";
  for (size_t i = 0; i < cpus.size(); ++i) {
    if (i != 0) out += ", ";
    out += std::to_string(cpus[i]);
  }
  return out + "]";
}

// setAffinity(cpus: number[]): void
Napi::Value SetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value arg = info[0];
  if (!arg.IsArray()) {
    throw Napi::TypeError::New(
        env, "setAffinity: cpus must be an array of CPU numbers, got " +
                 Describe(arg));
  }
  Napi::Array arr = arg.As<Napi::Array>();
  const uint32_t n = arr.Length();
  if (n == 0) {
    throw Napi::RangeError::New(
        env, "setAffinity: cpus must be a non-empty array, got []");
  }

  std::vector<int> cpus;
  cpus.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Napi::Value v = arr.Get(i);
    const std::string where = "setAffinity: cpus[" + std::to_string(i) + "]";
    if (!v.IsNumber()) {
      throw Napi::TypeError::New(
          env, where + " must be an integer CPU number, got " + Describe(v));
    }
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(d) || std::trunc(d) != d) {
      // Node's convention (ERR_OUT_OF_RANGE): a number that is not an
      // acceptable integer is a RangeError; a non-number is a TypeError.
      throw Napi::RangeError::New(
          env, where + " must be an integer CPU number, got " + Describe(v));
    }
    if (d < 0 || d >= CPU_SETSIZE) {
      throw Napi::RangeError::New(
          env, where + " = " + Describe(v) + " is out of range [0, " +
                   std::to_string(CPU_SETSIZE) + ")");
    }
    cpus.push_back(static_cast<int>(d));
  }

  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    const int err = errno;
    throw Napi::Error::New(
        env, "setAffinity(" + FormatCpus(cpus) + "): " + ErrnoText(err));
  }
  return env.Undefined();
}

// getAffinity(): number[]  (sorted ascending)
Napi::Value GetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) {
    const int err = errno;
    throw Napi::Error::New(env, "getAffinity(): " + ErrnoText(err));
  }
  Napi::Array out = Napi::Array::New(env, CPU_COUNT(&set));
  uint32_t k = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) out.Set(k++, Napi::Number::New(env, cpu));
  }
  return out;
}

// getCpu(): number — the CPU the calling thread is running on right now.
Napi::Value GetCpu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int cpu = sched_getcpu();
  if (cpu < 0) {
    const int err = errno;
    throw Napi::Error::New(env, "getCpu(): " + ErrnoText(err));
  }
  return Napi::Number::New(env, cpu);
}

// gettid(): number — kernel thread id of the calling thread.
Napi::Value GetTid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(),
                           static_cast<double>(syscall(SYS_gettid)));
}

}  // namespace

void InitAffinity(Napi::Env env, Napi::Object exports) {
  exports.Set("setAffinity", Napi::Function::New(env, SetAffinity, "setAffinity"));
  exports.Set("getAffinity", Napi::Function::New(env, GetAffinity, "getAffinity"));
  exports.Set("getCpu", Napi::Function::New(env, GetCpu, "getCpu"));
  exports.Set("gettid", Napi::Function::New(env, GetTid, "gettid"));
}

}  // namespace tradecore
