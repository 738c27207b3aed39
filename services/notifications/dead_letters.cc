#include "services/notifications/dead_letters.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/pagination.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

// Entries read per page at most, so that a filter on a rare municipality
// cannot make one call scan the whole stream.
constexpr int kMaxScan = 2000;
// Entries read per round trip when purging a newcomer.
constexpr int kPurgeBatch = 500;

bool IsDelivery(const events::StreamEntry& entry) {
  return !entry.Field("kind").empty();
}

std::optional<events::v1::Event> EventOf(const events::StreamEntry& entry) {
  events::v1::Event event;
  if (IsDelivery(entry) ||
      !event.ParseFromString(std::string(entry.Field("event")))) {
    return std::nullopt;
  }
  return event;
}

std::string MunicipalityOf(const events::StreamEntry& entry) {
  if (IsDelivery(entry)) return std::string(entry.Field("m"));
  std::optional<events::v1::Event> event = EventOf(entry);
  return event.has_value() ? event->municipality() : "";
}

absl::Time StreamIdTime(absl::string_view id) {
  int64_t millis = 0;
  (void)absl::SimpleAtoi(id.substr(0, id.find('-')), &millis);
  return absl::FromUnixMillis(millis);
}

absl::StatusOr<std::vector<events::StreamEntry>> Range(
    redis::RedisPool& pool, const std::string& stream, const std::string& from,
    const std::string& to, int count) {
  ASSIGN_OR_RETURN(
      redis::Reply reply,
      pool.Run({"XRANGE", stream, from, to, "COUNT", absl::StrCat(count)}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  std::vector<events::StreamEntry> entries;
  for (const redis::Reply& element : reply.elements) {
    entries.push_back(events::ParseStreamEntry(element));
  }
  return entries;
}

}  // namespace

v1::DeadLetter DeadLetters::ToDeadLetter(const events::StreamEntry& entry) {
  v1::DeadLetter out;
  out.set_name(DeadLetterName(entry.id));
  *out.mutable_create_time() = store::ToTimestamp(StreamIdTime(entry.id));
  out.set_error(std::string(entry.Field("error")));
  if (IsDelivery(entry)) {
    const absl::string_view kind = entry.Field("kind");
    out.set_kind(kind == "email" ? v1::DeadLetter::KIND_EMAIL_DELIVERY
                                 : v1::DeadLetter::KIND_WEBHOOK_DELIVERY);
    out.set_municipality(std::string(entry.Field("m")));
    out.set_target(std::string(entry.Field("target")));
    out.set_event_id(std::string(entry.Field("event_id")));
    out.set_event_type(std::string(entry.Field("event_type")));
    out.set_resource(std::string(entry.Field("resource")));
    int attempts = 0;
    (void)absl::SimpleAtoi(entry.Field("attempts"), &attempts);
    out.set_attempts(attempts);
    return out;
  }
  out.set_kind(v1::DeadLetter::KIND_EVENT);
  if (std::optional<events::v1::Event> event = EventOf(entry)) {
    out.set_municipality(event->municipality());
    out.set_event_id(event->id());
    out.set_event_type(event->type());
    out.set_resource(event->resource());
  }
  return out;
}

absl::StatusOr<v1::ListDeadLettersResponse> DeadLetters::List(
    const v1::ListDeadLettersRequest& request) {
  ASSIGN_OR_RETURN(const int page_size,
                   api::ResolvePageSize(request.page_size()));
  const std::string fingerprint =
      absl::StrCat("deadLetters|", request.municipality());
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(request.page_token(), fingerprint));
  if (!cursor.empty() && !IsStreamId(cursor)) {
    return absl::InvalidArgumentError("page_token: does not decode");
  }
  const std::string stream = ctx_.keys.DeadLetters();
  v1::ListDeadLettersResponse response;
  std::string last = cursor;
  bool stream_ended = false;
  int scanned = 0;
  while (response.dead_letters_size() < page_size && scanned < kMaxScan) {
    const int want = std::min(kMaxScan - scanned, page_size);
    ASSIGN_OR_RETURN(
        std::vector<events::StreamEntry> entries,
        Range(ctx_.pool, stream,
              last.empty() ? std::string("-") : absl::StrCat("(", last), "+",
              want));
    for (const events::StreamEntry& entry : entries) {
      if (response.dead_letters_size() == page_size) break;
      ++scanned;
      last = entry.id;
      if (request.municipality().empty() ||
          MunicipalityOf(entry) == request.municipality()) {
        *response.add_dead_letters() = ToDeadLetter(entry);
      }
    }
    if (static_cast<int>(entries.size()) < want) {
      stream_ended = true;
      break;
    }
  }
  if (!stream_ended && !last.empty()) {
    // Something may follow: look, so that the last page has no token.
    ASSIGN_OR_RETURN(std::vector<events::StreamEntry> more,
                     Range(ctx_.pool, stream, absl::StrCat("(", last), "+", 1));
    if (!more.empty()) {
      response.set_next_page_token(api::EncodePageToken(last, fingerprint));
    }
  }
  return response;
}

absl::StatusOr<std::optional<events::StreamEntry>> DeadLetters::Find(
    absl::string_view id) {
  ASSIGN_OR_RETURN(std::vector<events::StreamEntry> entries,
                   Range(ctx_.pool, ctx_.keys.DeadLetters(), std::string(id),
                         std::string(id), 1));
  if (entries.empty()) return std::nullopt;
  return entries.front();
}

absl::StatusOr<v1::DeadLetter> DeadLetters::Replay(absl::string_view name) {
  ASSIGN_OR_RETURN(const std::string id, ParseDeadLetterName(name, "name"));
  ASSIGN_OR_RETURN(std::optional<events::StreamEntry> entry, Find(id));
  if (!entry.has_value()) {
    return absl::NotFoundError(
        absl::StrCat(name, " does not exist: it was replayed or deleted"));
  }
  if (IsDelivery(*entry)) {
    RETURN_IF_ERROR(replayers_.delivery(*entry));
  } else {
    std::optional<events::v1::Event> event = EventOf(*entry);
    if (!event.has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat(name, " holds no readable event; delete it instead"));
    }
    RETURN_IF_ERROR(replayers_.event(*event));
  }
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"XDEL", ctx_.keys.DeadLetters(), id}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  return ToDeadLetter(*entry);
}

absl::Status DeadLetters::Delete(absl::string_view name) {
  ASSIGN_OR_RETURN(const std::string id, ParseDeadLetterName(name, "name"));
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"XDEL", ctx_.keys.DeadLetters(), id}));
  if (reply.is_error()) return absl::UnavailableError(reply.str);
  if (reply.integer == 0) {
    return absl::NotFoundError(absl::StrCat(name, " does not exist"));
  }
  return absl::OkStatus();
}

absl::Status DeadLetters::EraseAbout(absl::string_view municipality,
                                     absl::string_view newcomer_id) {
  const std::string stream = ctx_.keys.DeadLetters();
  const std::string newcomer = ActorName(municipality, newcomer_id);
  std::string from = "-";
  while (true) {
    ASSIGN_OR_RETURN(std::vector<events::StreamEntry> entries,
                     Range(ctx_.pool, stream, from, "+", kPurgeBatch));
    std::vector<std::string> doomed = {"XDEL", stream};
    for (const events::StreamEntry& entry : entries) {
      bool about = false;
      if (IsDelivery(entry)) {
        about = entry.Field("m") == municipality &&
                entry.Field("about") == newcomer_id;
      } else if (std::optional<events::v1::Event> event = EventOf(entry)) {
        about = event->municipality() == municipality &&
                event->resource() == newcomer;
      }
      if (about) doomed.push_back(entry.id);
    }
    if (doomed.size() > 2) {
      ASSIGN_OR_RETURN(redis::Reply reply, ctx_.pool.Run(doomed));
      if (reply.is_error()) return absl::UnavailableError(reply.str);
    }
    if (static_cast<int>(entries.size()) < kPurgeBatch) return absl::OkStatus();
    from = absl::StrCat("(", entries.back().id);
  }
}

}  // namespace brobygger::notifications
