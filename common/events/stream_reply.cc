#include "common/events/stream_reply.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace brobygger::events::internal {
namespace {

absl::Status Unexpected(absl::string_view command, absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("unexpected ", command, " reply from Redis: ", what));
}

// One entry: [id, [field, value, field, value, ...] | nil].
absl::StatusOr<StreamEntry> ParseEntry(absl::string_view command,
                                       absl::string_view stream,
                                       const redis::Reply& reply) {
  if (!reply.is_array() || reply.elements.size() != 2 ||
      !reply.elements[0].is_string()) {
    return Unexpected(command, "an entry is not [id, fields]");
  }
  StreamEntry entry;
  entry.stream = std::string(stream);
  entry.id = reply.elements[0].str;
  const redis::Reply& fields = reply.elements[1];
  if (fields.is_nil()) {
    entry.deleted = true;
    return entry;
  }
  if (!fields.is_array()) return Unexpected(command, "fields are not an array");
  for (size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    if (fields.elements[i].str == "event" &&
        fields.elements[i + 1].is_string()) {
      entry.event_bytes = fields.elements[i + 1].str;
    }
  }
  return entry;
}

absl::Status AppendEntries(absl::string_view command, absl::string_view stream,
                           const redis::Reply& list,
                           std::vector<StreamEntry>& out) {
  if (!list.is_array()) return Unexpected(command, "entries are not an array");
  for (const redis::Reply& element : list.elements) {
    // XAUTOCLAIM of Redis 6.2 reported deleted entries as nil elements.
    if (element.is_nil()) continue;
    absl::StatusOr<StreamEntry> entry = ParseEntry(command, stream, element);
    if (!entry.ok()) return entry.status();
    out.push_back(*std::move(entry));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<StreamEntry>> ParseReadGroupReply(
    const redis::Reply& reply) {
  std::vector<StreamEntry> entries;
  if (reply.is_nil()) return entries;
  if (!reply.is_array()) return Unexpected("XREADGROUP", "not an array");
  for (const redis::Reply& per_stream : reply.elements) {
    if (!per_stream.is_array() || per_stream.elements.size() != 2 ||
        !per_stream.elements[0].is_string()) {
      return Unexpected("XREADGROUP", "a stream is not [name, entries]");
    }
    absl::Status status =
        AppendEntries("XREADGROUP", per_stream.elements[0].str,
                      per_stream.elements[1], entries);
    if (!status.ok()) return status;
  }
  return entries;
}

absl::StatusOr<AutoClaimResult> ParseAutoClaimReply(absl::string_view stream,
                                                    const redis::Reply& reply) {
  if (!reply.is_array() || reply.elements.size() < 2 ||
      !reply.elements[0].is_string()) {
    return Unexpected("XAUTOCLAIM", "not [cursor, entries, deleted]");
  }
  AutoClaimResult result;
  result.next_cursor = reply.elements[0].str;
  absl::Status status =
      AppendEntries("XAUTOCLAIM", stream, reply.elements[1], result.entries);
  if (!status.ok()) return status;
  return result;
}

}  // namespace brobygger::events::internal
