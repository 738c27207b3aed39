#include "common/events/event_bus.h"

#include <cstdint>
#include <ctime>
#include <string>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/redis/lua_script.h"

namespace brobygger::events {

const char kLuaPublishEvent[] = R"lua(
local function publish_event(stream, event_id, event_type, event_bytes, maxlen)
  return redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*',
                    'id', event_id, 'type', event_type, 'event', event_bytes)
end
)lua";

std::string NewUuid() {
  // One generator per thread: absl::BitGen is not thread-safe and is seeded
  // from the OS entropy source, so ids of different threads and processes
  // do not collide in practice (122 random bits).
  thread_local absl::BitGen gen;
  uint64_t hi = absl::Uniform<uint64_t>(gen);
  uint64_t lo = absl::Uniform<uint64_t>(gen);
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32,
                         (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                         lo & 0xffffffffffffULL);
}

brobygger::events::v1::Event MakeEvent(const EventContext& context,
                                       absl::string_view municipality,
                                       absl::string_view resource,
                                       const google::protobuf::Message& payload,
                                       absl::Time now) {
  brobygger::events::v1::Event event;
  event.set_id(NewUuid());
  event.set_type(payload.GetDescriptor()->full_name());
  event.set_municipality(std::string(municipality));
  // timespec keeps nanos in [0, 1e9), as google.protobuf.Timestamp wants,
  // also for times before 1970.
  const timespec ts = absl::ToTimespec(now);
  event.mutable_time()->set_seconds(ts.tv_sec);
  event.mutable_time()->set_nanos(static_cast<int32_t>(ts.tv_nsec));
  event.set_caused_by(context.caused_by);
  event.set_resource(std::string(resource));
  event.mutable_payload()->PackFrom(payload);
  event.set_request_id(context.request_id);
  event.set_source(context.source);
  return event;
}

absl::Status Publish(redis::RedisPool& pool, absl::string_view stream,
                     const brobygger::events::v1::Event& event,
                     StreamRetention retention) {
  if (stream.empty()) {
    return absl::InvalidArgumentError("stream: the event stream key is empty");
  }
  if (event.id().empty() || event.type().empty()) {
    return absl::InvalidArgumentError(
        "event: id and type are required; build the event with MakeEvent()");
  }
  if (retention.max_len <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event_stream_maxlen must be positive, got ", retention.max_len));
  }
  // The same Lua function the stores use, so every entry has one format.
  static const redis::LuaScript* const kScript = new redis::LuaScript(
      absl::StrCat(kLuaPublishEvent,
                   "return publish_event(KEYS[1], ARGV[1], ARGV[2], ARGV[3], "
                   "ARGV[4])\n"));
  absl::StatusOr<redis::Reply> reply =
      kScript->Run(pool, {std::string(stream)},
                   {event.id(), event.type(), event.SerializeAsString(),
                    absl::StrCat(retention.max_len)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::InternalError(absl::StrCat("publishing event ", event.id(),
                                            " to ", std::string(stream),
                                            " failed: ", reply->str));
  }
  return absl::OkStatus();
}

}  // namespace brobygger::events
