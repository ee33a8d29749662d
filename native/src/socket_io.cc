// Non-blocking socket reads and writes straight between a file descriptor and a JS typed array, for a
// worker that polls its own sockets (host/adapters/polled-socket.ts) instead of waiting in libuv.
// Each call works in the caller's Uint8Array backing store (no Buffer, no copy, nothing allocated on
// the JS heap: the result is a small integer, a V8 Smi) and never blocks (MSG_DONTWAIT), whatever the
// descriptor's own O_NONBLOCK flag says.
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cmath>

#include "util.h"

namespace tradecore {
namespace {

// recvInto's answer when the peer closed the connection (recv returned 0): below every −errno.
constexpr int kClosed = -65536;

int FdArg(const Napi::CallbackInfo& info, const char* fn) {
  Napi::Value v = info[0];
  if (!v.IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string(fn) + ": fd must be an integer, got " + Describe(v));
  }
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || std::trunc(d) != d || d < 0 || d > 0x7fffffff) {
    throw Napi::RangeError::New(info.Env(), std::string(fn) + ": fd must be an integer in [0, 2147483647], got " + Describe(v));
  }
  return static_cast<int>(d);
}

// The byte range [offset, offset + length) of the Uint8Array argument 1, checked against its length.
uint8_t* RangeArg(const Napi::CallbackInfo& info, const char* fn, size_t* length) {
  Napi::Env env = info.Env();
  size_t size = 0;
  void* data = TypedArrayArg(info, 1, napi_uint8_array, "a Uint8Array", fn, "bytes", &size);
  double range[2];
  const char* names[2] = {"offset", "length"};
  for (int k = 0; k < 2; ++k) {
    Napi::Value v = info[2 + k];
    const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : NAN;
    if (!std::isfinite(d) || std::trunc(d) != d || d < 0) {
      throw Napi::RangeError::New(env, std::string(fn) + ": " + names[k] + " must be a non-negative integer, got " + Describe(v));
    }
    range[k] = d;
  }
  if (range[0] + range[1] > static_cast<double>(size)) {
    throw Napi::RangeError::New(env, std::string(fn) + ": offset " + std::to_string(static_cast<long long>(range[0])) +
                                         " + length " + std::to_string(static_cast<long long>(range[1])) +
                                         " is past the array's " + std::to_string(size) + " bytes");
  }
  *length = static_cast<size_t>(range[1]);
  return static_cast<uint8_t*>(data) + static_cast<size_t>(range[0]);
}

// recvInto(fd, bytes, offset, length): bytes read (> 0), 0 when nothing is there (EAGAIN), kClosed when
// the peer closed the stream, −errno on a failure.
Napi::Value RecvInto(const Napi::CallbackInfo& info) {
  const int fd = FdArg(info, "recvInto");
  size_t length = 0;
  uint8_t* at = RangeArg(info, "recvInto", &length);
  if (length == 0) return Napi::Number::New(info.Env(), 0);
  ssize_t n;
  do {
    n = recv(fd, at, length, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  int out;
  if (n > 0) {
    out = static_cast<int>(n);
  } else if (n == 0) {
    out = kClosed;
  } else {
    out = (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
  }
  return Napi::Number::New(info.Env(), out);
}

// sendFrom(fd, bytes, offset, length): bytes the kernel took (maybe fewer than `length`: the caller keeps
// the rest), 0 when the socket's buffer is full (EAGAIN), −errno on a failure (EPIPE, ECONNRESET...).
// MSG_NOSIGNAL: a closed peer is an EPIPE answer, never a SIGPIPE.
Napi::Value SendFrom(const Napi::CallbackInfo& info) {
  const int fd = FdArg(info, "sendFrom");
  size_t length = 0;
  const uint8_t* at = RangeArg(info, "sendFrom", &length);
  if (length == 0) return Napi::Number::New(info.Env(), 0);
  ssize_t n;
  do {
    n = send(fd, at, length, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  int out;
  if (n >= 0) {
    out = static_cast<int>(n);
  } else {
    out = (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
  }
  return Napi::Number::New(info.Env(), out);
}

}  // namespace

void InitSocketIo(Napi::Env env, Napi::Object exports) {
  exports.Set("recvInto", Napi::Function::New(env, RecvInto, "recvInto"));
  exports.Set("sendFrom", Napi::Function::New(env, SendFrom, "sendFrom"));
  exports.Set("RECV_CLOSED", Napi::Number::New(env, kClosed));
}

}  // namespace tradecore
