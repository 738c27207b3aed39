#include "common/store/document_store.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/redis/lua_script.h"
#include "common/store/document_store_lua.h"

namespace brobygger::store {
namespace {

const redis::LuaScript& WriteScript() {
  static const auto* script = new redis::LuaScript(
      absl::StrCat(events::kLuaPublishEvent, "\n", kDocumentWriteLua));
  return *script;
}

absl::Status UnexpectedReply(const redis::Reply& reply) {
  return absl::InternalError(
      absl::StrCat("unexpected reply from Redis: ",
                   reply.is_error() ? reply.str : "wrong shape"));
}

absl::StatusOr<WriteResult> ParseWriteReply(const redis::Reply& reply) {
  if (!reply.is_array() || reply.elements.size() < 2) {
    return UnexpectedReply(reply);
  }
  const std::string& tag = reply.elements[0].str;
  WriteResult result;
  const std::string& second = reply.elements[1].str;
  if (tag == "OK") {
    result.outcome = WriteResult::Outcome::kOk;
    result.id = second;
    if (reply.elements.size() > 2 &&
        !absl::SimpleAtoi(reply.elements[2].str, &result.version)) {
      return UnexpectedReply(reply);
    }
  } else if (tag == "REQUEST") {
    result.outcome = WriteResult::Outcome::kRequestReplayed;
    result.id = second;
  } else if (tag == "DUPLICATE") {
    result.outcome = WriteResult::Outcome::kDuplicate;
    result.id = second;
  } else if (tag == "MISSING") {
    result.outcome = WriteResult::Outcome::kMissing;
    result.key = second;
  } else if (tag == "NOT_EMPTY") {
    result.outcome = WriteResult::Outcome::kNotEmpty;
    result.key = second;
  } else if (tag == "CONFLICT") {
    result.outcome = WriteResult::Outcome::kConflict;
    result.id = second;
    if (reply.elements.size() > 2) {
      (void)absl::SimpleAtoi(reply.elements[2].str, &result.version);
    }
  } else if (tag == "NOTFOUND") {
    result.outcome = WriteResult::Outcome::kNotFound;
    result.id = second;
  } else if (tag == "EXISTS") {
    result.outcome = WriteResult::Outcome::kAlreadyExists;
    result.id = second;
  } else {
    return UnexpectedReply(reply);
  }
  return result;
}

}  // namespace

std::string FormatScore(double score) {
  // Integral scores (ids) exactly; others with full precision.
  // (Below 2^53 every integer is exact; beyond, the cast would overflow.)
  if (std::fabs(score) < 9.0e15 &&
      score == static_cast<double>(static_cast<int64_t>(score))) {
    return absl::StrCat(static_cast<int64_t>(score));
  }
  return absl::StrFormat("%.17g", score);
}

DocumentStore::DocumentStore(redis::RedisPool& pool, redis::KeySpace keys,
                             events::StreamRetention retention)
    : pool_(pool), keys_(std::move(keys)), retention_(retention) {}

std::string DocumentStore::DocumentKey(absl::string_view municipality,
                                       absl::string_view collection,
                                       absl::string_view id) const {
  return keys_.Key(municipality, {collection, id});
}

absl::StatusOr<int64_t> DocumentStore::NextId(absl::string_view municipality,
                                              absl::string_view collection) {
  auto reply =
      pool_.Run({"INCR", keys_.Key(municipality, {"seq", collection})});
  if (!reply.ok()) return reply.status();
  if (!reply->is_integer()) return UnexpectedReply(*reply);
  return reply->integer;
}

absl::StatusOr<std::optional<std::string>> DocumentStore::LookupRequest(
    const std::string& request_key) {
  auto reply = pool_.Run({"GET", request_key});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return std::nullopt;
  if (!reply->is_string()) return UnexpectedReply(*reply);
  return reply->str;
}

absl::StatusOr<WriteResult> DocumentStore::Create(const WriteSpec& spec) {
  return Write("create", spec);
}
absl::StatusOr<WriteResult> DocumentStore::Update(const WriteSpec& spec) {
  return Write("update", spec);
}
absl::StatusOr<WriteResult> DocumentStore::Delete(const WriteSpec& spec) {
  return Write("delete", spec);
}

absl::StatusOr<WriteResult> DocumentStore::Write(absl::string_view op,
                                                 const WriteSpec& spec) {
  const std::string doc =
      DocumentKey(spec.municipality, spec.collection, spec.id);
  const bool has_request = !spec.request_key.empty();
  const std::string stream = keys_.EventStream(spec.municipality);

  const bool has_trail = !spec.event_trail.empty();
  std::vector<std::string> keys = {doc, has_request ? spec.request_key : doc,
                                   stream, has_trail ? spec.event_trail : doc};
  for (const auto& key : spec.must_exist) keys.push_back(key);
  for (const auto& key : spec.must_be_empty) keys.push_back(key);
  for (const auto& claim : spec.take_claims) keys.push_back(claim.key);
  for (const auto& claim : spec.release_claims) keys.push_back(claim.key);
  for (const auto& entry : spec.add_to_indexes) keys.push_back(entry.key);
  for (const auto& key : spec.remove_from_indexes) keys.push_back(key);
  for (const auto& key : spec.also_delete) keys.push_back(key);

  std::string event_bytes;
  if (spec.event.has_value()) event_bytes = spec.event->SerializeAsString();
  std::vector<std::string> args = {
      std::string(op),
      spec.id,
      absl::StrCat(spec.expected_version),
      spec.data,
      absl::StrCat(has_request ? std::max<int64_t>(
                                     1, absl::ToInt64Seconds(spec.request_ttl))
                               : 0),
      spec.claims_advisory ? "1" : "0",
      spec.event.has_value() ? "1" : "0",
      spec.event.has_value() ? spec.event->id() : "",
      spec.event.has_value() ? spec.event->type() : "",
      event_bytes,
      absl::StrCat(retention_.max_len),
      absl::StrCat(spec.must_exist.size()),
      absl::StrCat(spec.must_be_empty.size()),
      absl::StrCat(spec.take_claims.size()),
      absl::StrCat(spec.release_claims.size()),
      absl::StrCat(spec.add_to_indexes.size()),
      absl::StrCat(spec.remove_from_indexes.size()),
      absl::StrCat(spec.also_delete.size()),
  };
  for (const auto& claim : spec.take_claims) args.push_back(claim.field);
  for (const auto& claim : spec.release_claims) args.push_back(claim.field);
  for (const auto& entry : spec.add_to_indexes) {
    args.push_back(FormatScore(entry.score));
  }
  args.push_back(has_trail ? "1" : "0");
  args.push_back(spec.erase_event_trail ? "1" : "0");
  args.push_back(absl::StrCat(kMaxEventTrail));

  auto reply = WriteScript().Run(pool_, keys, args);
  if (!reply.ok()) return reply.status();
  return ParseWriteReply(*reply);
}

absl::StatusOr<std::optional<Document>> DocumentStore::Get(
    absl::string_view municipality, absl::string_view collection,
    absl::string_view id) {
  auto documents = GetMany(municipality, collection, {std::string(id)});
  if (!documents.ok()) return documents.status();
  if (documents->empty()) return std::nullopt;
  return std::move(documents->front());
}

absl::StatusOr<std::vector<Document>> DocumentStore::GetMany(
    absl::string_view municipality, absl::string_view collection,
    const std::vector<std::string>& ids) {
  std::vector<redis::Command> commands;
  commands.reserve(ids.size());
  for (const auto& id : ids) {
    commands.push_back(
        {"HMGET", DocumentKey(municipality, collection, id), "d", "v"});
  }
  std::vector<Document> documents;
  if (commands.empty()) return documents;
  auto replies = pool_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    const redis::Reply& reply = (*replies)[i];
    if (!reply.is_array() || reply.elements.size() != 2) {
      return UnexpectedReply(reply);
    }
    if (reply.elements[0].is_nil()) continue;  // deleted meanwhile
    Document document;
    document.id = ids[i];
    document.data = reply.elements[0].str;
    if (!absl::SimpleAtoi(reply.elements[1].str, &document.version)) {
      return UnexpectedReply(reply);
    }
    documents.push_back(std::move(document));
  }
  return documents;
}

absl::StatusOr<std::vector<std::string>> DocumentStore::Scan(
    const std::string& index, double after, int limit, bool descending) {
  const std::string bound = absl::StrCat("(", FormatScore(after));
  redis::Command command =
      descending ? redis::Command{"ZREVRANGEBYSCORE",
                                  index,
                                  bound,
                                  "-inf",
                                  "LIMIT",
                                  "0",
                                  absl::StrCat(limit)}
                 : redis::Command{
                       "ZRANGEBYSCORE",    index, bound, "+inf", "LIMIT", "0",
                       absl::StrCat(limit)};
  auto reply = pool_.Run(command);
  if (!reply.ok()) return reply.status();
  if (!reply->is_array()) return UnexpectedReply(*reply);
  std::vector<std::string> ids;
  ids.reserve(reply->elements.size());
  for (const auto& element : reply->elements) ids.push_back(element.str);
  return ids;
}

absl::StatusOr<int64_t> DocumentStore::IndexSize(const std::string& index) {
  auto reply = pool_.Run({"ZCARD", index});
  if (!reply.ok()) return reply.status();
  if (!reply->is_integer()) return UnexpectedReply(*reply);
  return reply->integer;
}

}  // namespace brobygger::store
