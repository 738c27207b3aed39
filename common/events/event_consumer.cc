#include "common/events/event_consumer.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/events/stream_reply.h"
#include "common/log/log.h"
#include "common/status/macros.h"

namespace brobygger::events {
namespace {

using internal::StreamEntry;
using redis::Command;
using redis::Reply;

// A blocking read must come back before the pool's command timeout fires,
// or the pool would drop a healthy connection every idle period.
constexpr absl::Duration kBlockMargin = absl::Milliseconds(100);
constexpr int kMaxBatchSize = 10'000;
constexpr size_t kMaxStreams = 1'000;
constexpr absl::Duration kMinBackoff = absl::Milliseconds(100);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);

std::string Millis(absl::Duration d) {
  return absl::StrCat(absl::ToInt64Milliseconds(d));
}

absl::Status Validate(const ConsumerOptions& o,
                      const redis::RedisOptions& redis) {
  auto invalid = [](absl::string_view field, absl::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat("consumer option ", field, ": ", what));
  };
  if (o.group.empty()) return invalid("group", "must be set");
  if (o.consumer.empty()) return invalid("consumer", "must be set");
  if (o.streams.empty() || o.streams.size() > kMaxStreams) {
    return invalid("streams", absl::StrCat("give 1 to ", kMaxStreams));
  }
  if (o.batch_size < 1 || o.batch_size > kMaxBatchSize) {
    return invalid("batch_size", absl::StrCat("must be 1..", kMaxBatchSize));
  }
  const absl::Duration command_timeout =
      absl::FromChrono(redis.command_timeout);
  if (o.block < absl::ZeroDuration() ||
      o.block + kBlockMargin > command_timeout) {
    return invalid(
        "block",
        absl::StrCat("must be between 0 and the Redis command timeout (",
                     absl::FormatDuration(command_timeout), ") minus ",
                     absl::FormatDuration(kBlockMargin)));
  }
  if (o.claim_idle < absl::Milliseconds(1)) {
    return invalid("claim_idle", "must be at least 1ms");
  }
  if (o.max_deliveries < 1) return invalid("max_deliveries", "must be >= 1");
  if (o.processed_ttl < absl::Seconds(1)) {
    return invalid("processed_ttl", "must be at least 1s");
  }
  if (o.dead_letter_stream.empty()) {
    return invalid("dead_letter_stream", "must be set");
  }
  if (o.dead_letter_max_len < 1) {
    return invalid("dead_letter_max_len", "must be positive");
  }
  return absl::OkStatus();
}

// Turns a Redis error reply into a status; NOGROUP (the stream or group
// was deleted) is FAILED_PRECONDITION so that callers re-create the group.
absl::Status CheckReply(absl::string_view what, const Reply& reply) {
  if (!reply.is_error()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, " failed: ", reply.str);
  if (absl::StartsWith(reply.str, "NOGROUP")) {
    return absl::FailedPreconditionError(
        absl::StrCat(message, "; call EnsureGroups()"));
  }
  return absl::InternalError(message);
}

// The delivery count of each entry in this consumer's pending list, or
// nullopt for entries that are no longer pending for this consumer (another
// consumer acknowledged or claimed them meanwhile).
absl::StatusOr<std::vector<std::optional<int64_t>>> DeliveryCounts(
    redis::RedisPool& pool, const ConsumerOptions& options,
    const std::vector<StreamEntry>& entries) {
  std::vector<Command> commands;
  commands.reserve(entries.size());
  for (const StreamEntry& entry : entries) {
    commands.push_back(
        {"XPENDING", entry.stream, options.group, entry.id, entry.id, "1"});
  }
  ASSIGN_OR_RETURN(std::vector<Reply> replies, pool.Pipeline(commands));
  std::vector<std::optional<int64_t>> counts;
  for (const Reply& reply : replies) {
    RETURN_IF_ERROR(CheckReply("XPENDING", reply));
    // [[id, consumer, idle ms, delivery count]]
    if (reply.is_array() && reply.elements.size() == 1 &&
        reply.elements[0].elements.size() == 4 &&
        reply.elements[0].elements[1].str == options.consumer) {
      counts.push_back(reply.elements[0].elements[3].integer);
    } else {
      counts.push_back(std::nullopt);
    }
  }
  return counts;
}

absl::Status DeadLetter(redis::RedisPool& pool, const ConsumerOptions& options,
                        const std::string& stream, const std::string& entry_id,
                        absl::string_view error, const std::string& event) {
  // Two steps, not one script: the dead-letter stream lives under another
  // hash tag than the event stream. Copy first, then ack, so that a failure
  // in between redelivers the entry rather than losing it.
  ASSIGN_OR_RETURN(Reply added,
                   pool.Run({"XADD", options.dead_letter_stream, "MAXLEN", "~",
                             absl::StrCat(options.dead_letter_max_len), "*",
                             "stream", stream, "entry_id", entry_id, "error",
                             std::string(error), "event", event}));
  RETURN_IF_ERROR(CheckReply("XADD to the dead-letter stream", added));
  ASSIGN_OR_RETURN(Reply acked,
                   pool.Run({"XACK", stream, options.group, entry_id}));
  RETURN_IF_ERROR(CheckReply("XACK", acked));
  log::Warning("event dead-lettered",
               {{"stream", stream},
                {"entry_id", entry_id},
                {"group", options.group},
                {"dead_letter_stream", options.dead_letter_stream},
                {"error", error}});
  return absl::OkStatus();
}

// Why an entry cannot be delivered, or nullopt when `event` holds it.
std::optional<std::string> ParseEvent(const StreamEntry& entry,
                                      brobygger::events::v1::Event& event) {
  if (!entry.event_bytes.has_value()) {
    return "the stream entry has no 'event' field";
  }
  if (!event.ParseFromString(*entry.event_bytes)) {
    return "the 'event' field is not a serialized brobygger.events.v1.Event";
  }
  if (event.id().empty()) return "the event has no id";
  return std::nullopt;
}

// Turns read entries into deliverable events: skips entries already in the
// batch, acks pending entries that were trimmed from the stream, dead-letters
// malformed ones, and looks up delivery counts of redelivered ones.
absl::Status Accept(redis::RedisPool& pool, const ConsumerOptions& options,
                    std::vector<StreamEntry> entries, bool redelivered,
                    std::set<std::pair<std::string, std::string>>& seen,
                    std::vector<ReceivedEvent>& batch) {
  std::vector<StreamEntry> deliverable;
  std::vector<ReceivedEvent> events;
  for (StreamEntry& entry : entries) {
    if (!seen.emplace(entry.stream, entry.id).second) continue;
    if (entry.deleted) {
      ASSIGN_OR_RETURN(Reply acked, pool.Run({"XACK", entry.stream,
                                              options.group, entry.id}));
      RETURN_IF_ERROR(CheckReply("XACK", acked));
      continue;
    }
    ReceivedEvent received;
    if (std::optional<std::string> error = ParseEvent(entry, received.event)) {
      RETURN_IF_ERROR(DeadLetter(pool, options, entry.stream, entry.id, *error,
                                 entry.event_bytes.value_or("")));
      continue;
    }
    received.stream = entry.stream;
    received.entry_id = entry.id;
    events.push_back(std::move(received));
    deliverable.push_back(std::move(entry));
  }
  std::vector<std::optional<int64_t>> counts(events.size(), 1);
  if (redelivered && !deliverable.empty()) {
    ASSIGN_OR_RETURN(counts, DeliveryCounts(pool, options, deliverable));
  }
  for (size_t i = 0; i < events.size(); ++i) {
    if (!counts[i].has_value()) continue;
    events[i].delivery_count = *counts[i];
    batch.push_back(std::move(events[i]));
  }
  return absl::OkStatus();
}

void SleepUnlessStopped(absl::Duration duration,
                        const std::atomic<bool>& stop) {
  const absl::Time until = absl::Now() + duration;
  while (!stop.load() && absl::Now() < until) {
    absl::SleepFor(std::min(absl::Milliseconds(20), until - absl::Now()));
  }
}

}  // namespace

EventConsumer::EventConsumer(redis::RedisPool& pool, redis::KeySpace keys,
                             ConsumerOptions options)
    : pool_(pool), keys_(std::move(keys)), options_(std::move(options)) {}

absl::Status EventConsumer::EnsureGroups() {
  RETURN_IF_ERROR(Validate(options_, pool_.options()));
  for (const std::string& stream : options_.streams) {
    ASSIGN_OR_RETURN(Reply reply, pool_.Run({"XGROUP", "CREATE", stream,
                                             options_.group, "0", "MKSTREAM"}));
    if (reply.is_error() && !absl::StartsWith(reply.str, "BUSYGROUP")) {
      return absl::FailedPreconditionError(
          absl::StrCat("creating consumer group ", options_.group, " on ",
                       stream, " failed: ", reply.str));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ReceivedEvent>> EventConsumer::ReadBatch() {
  RETURN_IF_ERROR(Validate(options_, pool_.options()));
  const size_t limit = static_cast<size_t>(options_.batch_size);
  std::vector<ReceivedEvent> batch;
  std::set<std::pair<std::string, std::string>> seen;

  // 1. Entries idle for claim_idle: left by a dead consumer, or failed here.
  for (const std::string& stream : options_.streams) {
    if (batch.size() >= limit) break;
    std::string& cursor = claim_cursor_[stream];
    if (cursor.empty()) cursor = "0-0";
    ASSIGN_OR_RETURN(
        Reply reply,
        pool_.Run({"XAUTOCLAIM", stream, options_.group, options_.consumer,
                   Millis(options_.claim_idle), cursor, "COUNT",
                   absl::StrCat(limit - batch.size())}));
    RETURN_IF_ERROR(CheckReply("XAUTOCLAIM", reply));
    ASSIGN_OR_RETURN(internal::AutoClaimResult claimed,
                     internal::ParseAutoClaimReply(stream, reply));
    cursor = claimed.next_cursor;
    RETURN_IF_ERROR(Accept(pool_, options_, std::move(claimed.entries),
                           /*redelivered=*/true, seen, batch));
  }

  // 2. This consumer's own pending entries, left by its previous life.
  if (read_own_pending_ && batch.size() < limit) {
    const size_t count = limit - batch.size();
    Command command = {"XREADGROUP",      "GROUP", options_.group,
                       options_.consumer, "COUNT", absl::StrCat(count),
                       "STREAMS"};
    command.insert(command.end(), options_.streams.begin(),
                   options_.streams.end());
    for (const std::string& stream : options_.streams) {
      std::string& cursor = pending_cursor_[stream];
      command.push_back(cursor.empty() ? "0" : cursor);
    }
    ASSIGN_OR_RETURN(Reply reply, pool_.Run(command));
    RETURN_IF_ERROR(CheckReply("XREADGROUP (own pending)", reply));
    ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                     internal::ParseReadGroupReply(reply));
    std::map<std::string, size_t> per_stream;
    for (const StreamEntry& entry : entries) {
      ++per_stream[entry.stream];
      pending_cursor_[entry.stream] = entry.id;
    }
    // Done once no stream filled its COUNT; otherwise continue next batch.
    read_own_pending_ = std::any_of(per_stream.begin(), per_stream.end(),
                                    [count](const auto& stream_count) {
                                      return stream_count.second >= count;
                                    });
    if (!read_own_pending_) pending_cursor_.clear();
    RETURN_IF_ERROR(Accept(pool_, options_, std::move(entries),
                           /*redelivered=*/true, seen, batch));
  }

  // 3. New entries; block only when there is nothing else to hand out.
  if (batch.size() < limit) {
    Command command = {"XREADGROUP",   "GROUP",
                       options_.group, options_.consumer,
                       "COUNT",        absl::StrCat(limit - batch.size())};
    // BLOCK 0 would mean "forever", so a zero block is a plain poll.
    if (batch.empty() && options_.block >= absl::Milliseconds(1)) {
      command.push_back("BLOCK");
      command.push_back(Millis(options_.block));
    }
    command.push_back("STREAMS");
    command.insert(command.end(), options_.streams.begin(),
                   options_.streams.end());
    command.insert(command.end(), options_.streams.size(), ">");
    ASSIGN_OR_RETURN(Reply reply, pool_.Run(command));
    RETURN_IF_ERROR(CheckReply("XREADGROUP", reply));
    ASSIGN_OR_RETURN(std::vector<StreamEntry> entries,
                     internal::ParseReadGroupReply(reply));
    RETURN_IF_ERROR(Accept(pool_, options_, std::move(entries),
                           /*redelivered=*/false, seen, batch));
  }
  return batch;
}

absl::StatusOr<bool> EventConsumer::AlreadyProcessed(
    const ReceivedEvent& received) {
  const std::string& municipality = received.event.municipality();
  ASSIGN_OR_RETURN(
      Reply reply,
      pool_.Run(
          {"EXISTS",
           keys_.Key(municipality.empty() ? redis::kGlobalTenant
                                          : absl::string_view(municipality),
                     {"processed", options_.group, received.event.id()})}));
  RETURN_IF_ERROR(CheckReply("EXISTS", reply));
  return reply.integer == 1;
}

absl::Status EventConsumer::Ack(const ReceivedEvent& received) {
  const std::string& municipality = received.event.municipality();
  const std::string marker =
      keys_.Key(municipality.empty() ? redis::kGlobalTenant
                                     : absl::string_view(municipality),
                {"processed", options_.group, received.event.id()});
  const int64_t ttl_seconds =
      std::max<int64_t>(1, absl::ToInt64Seconds(options_.processed_ttl));
  // The marker is written before the ack: if we die in between, the
  // redelivery finds the marker and skips the handler.
  ASSIGN_OR_RETURN(
      std::vector<Reply> replies,
      pool_.Pipeline(
          {{"SET", marker, "1", "EX", absl::StrCat(ttl_seconds)},
           {"XACK", received.stream, options_.group, received.entry_id}}));
  RETURN_IF_ERROR(CheckReply("SET processed marker", replies[0]));
  return CheckReply("XACK", replies[1]);
}

absl::Status EventConsumer::Fail(const ReceivedEvent& received,
                                 const absl::Status& error) {
  if (received.delivery_count < options_.max_deliveries) {
    // Left pending: XAUTOCLAIM hands it out again after claim_idle.
    log::Warning("event handling failed; it will be retried",
                 {{"stream", received.stream},
                  {"entry_id", received.entry_id},
                  {"event_id", received.event.id()},
                  {"delivery", received.delivery_count},
                  {"error", error.ToString()}});
    return absl::OkStatus();
  }
  return DeadLetter(pool_, options_, received.stream, received.entry_id,
                    error.ToString(), received.event.SerializeAsString());
}

void EventConsumer::Run(const Handler& handler, const std::atomic<bool>& stop) {
  if (absl::Status valid = Validate(options_, pool_.options()); !valid.ok()) {
    log::Error(
        "event consumer not started",
        {{"group", options_.group}, {"error", std::string(valid.message())}});
    return;
  }
  auto handle = [&](const ReceivedEvent& received) -> absl::Status {
    ASSIGN_OR_RETURN(bool processed, AlreadyProcessed(received));
    if (processed) return Ack(received);
    absl::Status result = handler(received);
    if (result.ok()) return Ack(received);
    return Fail(received, result);
  };
  absl::Duration backoff = kMinBackoff;
  bool groups_ready = false;
  while (!stop.load()) {
    absl::Status status = groups_ready ? absl::OkStatus() : EnsureGroups();
    if (status.ok()) {
      groups_ready = true;
      absl::StatusOr<std::vector<ReceivedEvent>> batch = ReadBatch();
      status = batch.status();
      for (size_t i = 0; status.ok() && i < batch->size() && !stop.load();
           ++i) {
        status = handle((*batch)[i]);
      }
    }
    if (status.ok()) {
      backoff = kMinBackoff;
      continue;
    }
    log::Warning("event consumer: Redis error, retrying",
                 {{"group", options_.group},
                  {"consumer", options_.consumer},
                  {"error", std::string(status.message())},
                  {"retry_ms", absl::ToInt64Milliseconds(backoff)}});
    // Entries of the interrupted batch stay pending for this consumer: read
    // them again first. A deleted stream loses its group: re-create it.
    groups_ready = false;
    read_own_pending_ = true;
    pending_cursor_.clear();
    SleepUnlessStopped(backoff, stop);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

}  // namespace brobygger::events
