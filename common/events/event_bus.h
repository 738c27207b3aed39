// The Brobygger event bus on Redis Streams.
//
// Publishing: a change and its event are written by the same Lua script.
// Stores build the envelope with MakeEvent(), pass the stream key as one of
// the script's KEYS and the serialized envelope as ARGV, and call the Lua
// function kLuaPublishEvent defines. So an event is never published without
// its write, and a write never commits without its event.
//
// Stream entries have the fields: "id" (event id), "type" (payload type) and
// "event" (the serialized brobygger.events.v1.Event).
#ifndef BROBYGGER_COMMON_EVENTS_EVENT_BUS_H_
#define BROBYGGER_COMMON_EVENTS_EVENT_BUS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/redis/redis_pool.h"
#include "google/protobuf/message.h"

namespace brobygger::events {

// Who and what caused a change; copied into every event it produces.
struct EventContext {
  std::string source;      // the publishing service, e.g. "registry"
  std::string caused_by;   // authenticated subject, or "system"
  std::string request_id;  // of the request, if any
};

// Builds an envelope with a fresh random UUID, the current time and the
// payload packed as google.protobuf.Any; `type` is the payload's full name.
brobygger::events::v1::Event MakeEvent(const EventContext& context,
                                       absl::string_view municipality,
                                       absl::string_view resource,
                                       const google::protobuf::Message& payload,
                                       absl::Time now = absl::Now());

// A random RFC 4122 version 4 UUID.
std::string NewUuid();

// Lua source defining `publish_event(stream, event_id, event_type,
// event_bytes, maxlen)`, which XADDs with approximate MAXLEN trimming.
// Prepend it to any script that publishes.
extern const char kLuaPublishEvent[];

// Retention of every stream: entries beyond this many are trimmed
// (approximately). Set from the `event_stream_maxlen` flag.
struct StreamRetention {
  int64_t max_len = 1'000'000;
};

// Publishes an event on its own (for changes that have no other write).
absl::Status Publish(redis::RedisPool& pool, absl::string_view stream,
                     const brobygger::events::v1::Event& event,
                     StreamRetention retention);

}  // namespace brobygger::events

#endif  // BROBYGGER_COMMON_EVENTS_EVENT_BUS_H_
