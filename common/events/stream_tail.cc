#include "common/events/stream_tail.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace brobygger::events {
namespace {

// The fields of XINFO STREAM a tail needs.
struct StreamInfo {
  std::string last_generated_id = "0-0";
  int64_t length = 0;
  std::optional<int64_t> entries_added;  // Redis 7 and later
};

// XINFO STREAM; a missing stream is an empty one that never had entries.
absl::StatusOr<StreamInfo> ReadStreamInfo(redis::RedisPool& pool,
                                          const std::string& stream) {
  ASSIGN_OR_RETURN(redis::Reply reply, pool.Run({"XINFO", "STREAM", stream}));
  StreamInfo info;
  if (reply.is_error()) {
    if (absl::StrContains(reply.str, "no such key")) return info;
    return absl::InternalError(reply.str);
  }
  const auto& fields = reply.elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& field = fields[i].str;
    if (field == "last-generated-id") {
      info.last_generated_id = fields[i + 1].str;
    } else if (field == "length") {
      info.length = fields[i + 1].integer;
    } else if (field == "entries-added") {
      info.entries_added = fields[i + 1].integer;
    }
  }
  return info;
}

}  // namespace

// An XRANGE entry: [id, [field, value, ...]].
StreamEntry ParseStreamEntry(const redis::Reply& reply) {
  StreamEntry entry;
  if (reply.elements.empty()) return entry;
  entry.id = reply.elements[0].str;
  if (reply.elements.size() < 2) return entry;
  const auto& fields = reply.elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    entry.fields.emplace_back(fields[i].str, fields[i + 1].str);
  }
  return entry;
}

bool StreamIdLess(absl::string_view a, absl::string_view b) {
  const auto split = [](absl::string_view id) {
    std::pair<uint64_t, uint64_t> out{0, 0};
    const size_t dash = id.find('-');
    (void)absl::SimpleAtoi(id.substr(0, dash), &out.first);
    if (dash != absl::string_view::npos) {
      (void)absl::SimpleAtoi(id.substr(dash + 1), &out.second);
    }
    return out;
  };
  return split(a) < split(b);
}

absl::string_view StreamEntry::Field(absl::string_view field) const {
  for (const auto& [name, value] : fields) {
    if (name == field) return value;
  }
  return "";
}

absl::Status StreamTail::StartAtEnd() {
  ASSIGN_OR_RETURN(StreamInfo info, ReadStreamInfo(pool_, stream_));
  position_ = std::move(info.last_generated_id);
  return absl::OkStatus();
}

absl::StatusOr<StreamTail::Batch> StreamTail::Next(int count) {
  ASSIGN_OR_RETURN(
      std::vector<redis::Reply> replies,
      pool_.Pipeline({{"XRANGE", stream_, "(" + position_, "+", "COUNT",
                       absl::StrCat(count)},
                      {"XRANGE", stream_, "-", "+", "COUNT", "1"}}));
  if (replies.size() != 2 || replies[0].is_error() || replies[1].is_error()) {
    return absl::InternalError(
        absl::StrCat("cannot read the stream ", stream_));
  }
  Batch batch;
  const redis::Reply& first = replies[1];
  // Trimming removes the oldest entries, so entries after the position can
  // only be gone if the stream now starts after it (or is empty).
  if (first.elements.empty() ||
      StreamIdLess(position_, first.elements[0].elements[0].str)) {
    ASSIGN_OR_RETURN(batch.gap, EntriesLost());
    if (batch.gap) return batch;
  }
  batch.entries.reserve(replies[0].elements.size());
  for (const redis::Reply& entry : replies[0].elements) {
    batch.entries.push_back(ParseStreamEntry(entry));
  }
  if (!batch.entries.empty()) position_ = batch.entries.back().id;
  return batch;
}

absl::StatusOr<bool> StreamTail::EntriesLost() {
  ASSIGN_OR_RETURN(StreamInfo info, ReadStreamInfo(pool_, stream_));
  if (position_ == "0-0") {
    // Never read an entry: lost if any entry was ever removed; without
    // that count (Redis < 7), if the stream ever had one.
    return info.entries_added.has_value() ? *info.entries_added > info.length
                                          : info.last_generated_id != "0-0";
  }
  // The last-read entry was removed: whatever was added after it may have
  // been removed too (with MAXLEN trimming it was, as the stream had grown
  // by its length since).
  return StreamIdLess(position_, info.last_generated_id);
}

}  // namespace brobygger::events
