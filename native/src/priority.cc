// Real-time scheduling for the calling thread. The engine's kill watcher sleeps on a futex and must run the
// moment it is rung: as an ordinary (SCHED_OTHER) thread on this 2-vCPU VM a wake took up to 10 ms at the
// tail while other threads ran on its core; as SCHED_FIFO it preempts them at once (p99 ~0.1-0.4 ms, the rest
// being the hypervisor waking an idle vCPU). Only a thread that sleeps almost always may have this: a FIFO
// thread that spins starves its core (the kernel's RT throttling leaves others 5 %).
#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include <cmath>
#include <string>

#include "util.h"

namespace tradecore {
namespace {

// setRealtimePriority(priority: number): boolean
//   1..99: SCHED_FIFO at that priority; 0: back to SCHED_OTHER. false when the kernel refuses for lack of
//   privilege (EPERM: no CAP_SYS_NICE and no RLIMIT_RTPRIO), so the caller can go on as an ordinary thread.
Napi::Value SetRealtimePriority(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Value arg = info[0];
  if (!arg.IsNumber()) {
    throw Napi::TypeError::New(env, "setRealtimePriority: priority must be an integer in [0, 99], got " + Describe(arg));
  }
  const double d = arg.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::trunc(d) != d || d < 0 || d > 99) {
    throw Napi::RangeError::New(env, "setRealtimePriority: priority must be an integer in [0, 99], got " + Describe(arg));
  }
  const int priority = static_cast<int>(d);
  sched_param param{};
  param.sched_priority = priority;
  const int rc = pthread_setschedparam(pthread_self(), priority == 0 ? SCHED_OTHER : SCHED_FIFO, &param);
  if (rc == EPERM) return Napi::Boolean::New(env, false);
  if (rc != 0) throw Napi::Error::New(env, "setRealtimePriority(" + std::to_string(priority) + "): " + ErrnoText(rc));
  return Napi::Boolean::New(env, true);
}

}  // namespace

void InitPriority(Napi::Env env, Napi::Object exports) {
  exports.Set("setRealtimePriority", Napi::Function::New(env, SetRealtimePriority, "setRealtimePriority"));
}

}  // namespace tradecore
