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

// The cpu_set_t for a JS array of CPU numbers (argument `at` of `fn`); throws a
// TypeError/RangeError naming the argument and the value.
cpu_set_t ParseCpus(const Napi::CallbackInfo& info, size_t at, const std::string& fn, std::vector<int>* cpus) {
  Napi::Env env = info.Env();
  Napi::Value arg = info[at];
  if (!arg.IsArray()) {
    throw Napi::TypeError::New(
        env, fn + ": cpus must be an array of CPU numbers, got " + Describe(arg));
  }
  Napi::Array arr = arg.As<Napi::Array>();
  const uint32_t n = arr.Length();
  if (n == 0) {
    throw Napi::RangeError::New(env, fn + ": cpus must be a non-empty array, got []");
  }
  cpus->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Napi::Value v = arr.Get(i);
    const std::string where = fn + ": cpus[" + std::to_string(i) + "]";
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
    cpus->push_back(static_cast<int>(d));
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : *cpus) CPU_SET(cpu, &set);
  return set;
}

// setAffinity(cpus: number[]): void
Napi::Value SetAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<int> cpus;
  const cpu_set_t set = ParseCpus(info, 0, "setAffinity", &cpus);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    const int err = errno;
    throw Napi::Error::New(
        env, "setAffinity(" + FormatCpus(cpus) + "): " + ErrnoText(err));
  }
  return env.Undefined();
}

// setThreadAffinity(tid: number, cpus: number[]): boolean — pins another
// thread of this process (V8's and libuv's helpers have no JS of their own to
// pin themselves); false when no such thread of this process exists (it has
// exited meanwhile, or the tid is another process's).
Napi::Value SetThreadAffinity(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double d = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
  if (!std::isfinite(d) || std::trunc(d) != d || d < 1 || d > 0x7fffffff) {
    throw Napi::RangeError::New(
        env, "setThreadAffinity: tid must be a thread id in [1, 2147483647], got " + Describe(info[0]));
  }
  const pid_t tid = static_cast<pid_t>(d);
  std::vector<int> cpus;
  const cpu_set_t set = ParseCpus(info, 1, "setThreadAffinity", &cpus);
  // sched_setaffinity takes any tid the caller may touch: keep it to ours.
  const std::string task = "/proc/self/task/" + std::to_string(tid);
  if (access(task.c_str(), F_OK) != 0) return Napi::Boolean::New(env, false);
  if (sched_setaffinity(tid, sizeof set, &set) != 0) {
    const int err = errno;
    if (err == ESRCH) return Napi::Boolean::New(env, false);
    throw Napi::Error::New(
        env, "setThreadAffinity(" + std::to_string(tid) + ", " + FormatCpus(cpus) + "): " + ErrnoText(err));
  }
  return Napi::Boolean::New(env, true);
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
  exports.Set("setThreadAffinity", Napi::Function::New(env, SetThreadAffinity, "setThreadAffinity"));
  exports.Set("getAffinity", Napi::Function::New(env, GetAffinity, "getAffinity"));
  exports.Set("getCpu", Napi::Function::New(env, GetCpu, "getCpu"));
  exports.Set("gettid", Napi::Function::New(env, GetTid, "gettid"));
}

}  // namespace tradecore
