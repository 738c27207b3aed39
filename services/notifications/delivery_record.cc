#include "services/notifications/delivery_record.h"

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/resource_name.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxDeliveryIdBytes = 64;
// A replay JSON holds at most one body or e-mail text, escaped.
constexpr size_t kMaxReplayJsonBytes = 8 * 1024 * 1024;

constexpr char kWaiting[] = "w";

bool IsDeliveryId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxDeliveryIdBytes) return false;
  for (char c : id) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) &&
        !absl::ascii_islower(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

absl::Status CheckText(absl::string_view field, absl::string_view text,
                       size_t max, bool required) {
  if (required && text.empty()) {
    return InvalidFieldError(field, "is required");
  }
  if (text.size() > max) {
    return InvalidFieldError(field,
                             absl::StrCat("is longer than ", max, " bytes"));
  }
  return absl::OkStatus();
}

bool ParseChannel(absl::string_view name, DeliveryChannel* channel) {
  for (DeliveryChannel c :
       {DeliveryChannel::kWebhook, DeliveryChannel::kEmail}) {
    if (name == ChannelName(c)) {
      *channel = c;
      return true;
    }
  }
  return false;
}

std::string Millis(absl::Time time) {
  return absl::StrCat(absl::ToUnixMillis(time));
}

// The fields both the hash and the replay JSON hold: what to send, where
// and what about.
std::vector<std::pair<std::string, std::string>> ContentFields(
    const QueuedDelivery& d) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"kind", std::string(ChannelName(d.channel))},
      {"target", d.target},
      {"event_id", d.event_id},
      {"event_type", d.event_type},
      {"resource", d.resource},
      {"about", d.about_newcomer},
  };
  if (d.channel == DeliveryChannel::kWebhook) {
    fields.emplace_back("body", d.body);
  } else {
    fields.emplace_back("to", d.email.to_address);
    fields.emplace_back("to_name", d.email.to_name);
    fields.emplace_back("subject", d.email.subject);
    fields.emplace_back("text", d.email.text_body);
    fields.emplace_back("domain", d.email.message_id_domain);
  }
  return fields;
}

// The inverse of ContentFields; "kind" must be present and known.
absl::Status SetContent(
    const absl::flat_hash_map<std::string, std::string>& fields,
    QueuedDelivery* d) {
  auto get = [&](const char* name) -> std::string {
    auto it = fields.find(name);
    return it == fields.end() ? "" : it->second;
  };
  if (!ParseChannel(get("kind"), &d->channel)) {
    return InvalidFieldError("kind", "must be \"webhook\" or \"email\"");
  }
  d->target = get("target");
  d->event_id = get("event_id");
  d->event_type = get("event_type");
  d->resource = get("resource");
  d->about_newcomer = get("about");
  if (d->channel == DeliveryChannel::kWebhook) {
    d->body = get("body");
  } else {
    d->email.to_address = get("to");
    d->email.to_name = get("to_name");
    d->email.subject = get("subject");
    d->email.text_body = get("text");
    d->email.message_id_domain = get("domain");
  }
  return absl::OkStatus();
}

// A relay that only lets RenderMessage check the message's own fields.
const SmtpRelay& CheckingRelay() {
  static const SmtpRelay* relay = [] {
    auto* r = new SmtpRelay;
    r->from_address = "notifications@example.org";
    return r;
  }();
  return *relay;
}

}  // namespace

absl::string_view ChannelName(DeliveryChannel channel) {
  return channel == DeliveryChannel::kEmail ? "email" : "webhook";
}

absl::Status CheckDelivery(const QueuedDelivery& d) {
  if (!api::IsValidMunicipalityId(d.municipality)) {
    return InvalidFieldError("municipality",
                             "must be a municipality id like \"aalborg\"");
  }
  if (!IsDeliveryId(d.id)) {
    return InvalidFieldError("id",
                             absl::StrCat("must be 1 to ", kMaxDeliveryIdBytes,
                                          " lowercase letters or digits"));
  }
  const bool webhook = d.channel == DeliveryChannel::kWebhook;
  if (!api::IsValidNumericId(d.target)) {
    return InvalidFieldError(webhook ? "webhook_id" : "actor_id",
                             "must be a numeric id");
  }
  if (!d.about_newcomer.empty() && !api::IsValidNumericId(d.about_newcomer)) {
    return InvalidFieldError(
        "about_newcomer", "must be the newcomer's numeric actor id or empty");
  }
  RETURN_IF_ERROR(CheckText(webhook ? "event.id" : "dedupe_key", d.event_id,
                            kMaxDedupeKeyBytes, /*required=*/true));
  RETURN_IF_ERROR(CheckText("event_type", d.event_type, kMaxDedupeKeyBytes,
                            /*required=*/false));
  RETURN_IF_ERROR(CheckText("resource", d.resource, kMaxDeliveryResourceBytes,
                            /*required=*/false));
  if (webhook) {
    if (d.body.size() > kMaxWebhookBodyBytes) {
      return InvalidFieldError(
          "event", absl::StrCat("is ", d.body.size(),
                                " bytes as JSON, more than a webhook "
                                "delivery may carry (",
                                kMaxWebhookBodyBytes,
                                "): an event that large is a bug upstream"));
    }
    return CheckText("body", d.body, kMaxWebhookBodyBytes, /*required=*/true);
  }
  return RenderMessage(d.email, CheckingRelay(), absl::UnixEpoch(), d.id)
      .status();
}

std::vector<std::string> ToHashFields(const QueuedDelivery& d) {
  std::vector<std::string> out = {"s", kWaiting};
  for (auto& [field, value] : ContentFields(d)) {
    out.push_back(field);
    out.push_back(std::move(value));
  }
  for (auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"attempts", absl::StrCat(d.attempts)},
           {"first",
            d.first_attempt.has_value() ? Millis(*d.first_attempt) : "0"},
           {"created", Millis(d.enqueued)},
           {"error", d.last_error}}) {
    out.push_back(field);
    out.push_back(std::move(value));
  }
  return out;
}

absl::StatusOr<QueuedDelivery> FromHashFields(
    absl::string_view municipality, absl::string_view id,
    const std::vector<std::pair<std::string, std::string>>& fields) {
  absl::flat_hash_map<std::string, std::string> map(fields.begin(),
                                                    fields.end());
  if (map["s"] != kWaiting) {
    return absl::InvalidArgumentError(
        absl::StrCat("delivery ", id, " is not waiting"));
  }
  QueuedDelivery d;
  d.municipality = std::string(municipality);
  d.id = std::string(id);
  RETURN_IF_ERROR(SetContent(map, &d));
  int64_t first = 0, created = 0;
  if (!absl::SimpleAtoi(map["attempts"], &d.attempts) ||
      !absl::SimpleAtoi(map["first"], &first) ||
      !absl::SimpleAtoi(map["created"], &created)) {
    return absl::InvalidArgumentError(
        absl::StrCat("delivery ", id, " has unreadable counters"));
  }
  if (first > 0) d.first_attempt = absl::FromUnixMillis(first);
  d.enqueued = absl::FromUnixMillis(created);
  d.last_error = map["error"];
  return d;
}

std::vector<std::string> DeadLetterFields(const QueuedDelivery& d,
                                          absl::string_view error,
                                          int attempts) {
  const std::string target = d.channel == DeliveryChannel::kWebhook
                                 ? WebhookName(d.municipality, d.target)
                                 : ActorName(d.municipality, d.target);
  return {"kind",       std::string(ChannelName(d.channel)),
          "m",          d.municipality,
          "target",     target,
          "event_id",   d.event_id,
          "event_type", d.event_type,
          "resource",   d.resource,
          "about",      d.about_newcomer,
          "error",      std::string(error),
          "attempts",   absl::StrCat(attempts),
          "delivery",   ToReplayJson(d)};
}

std::string ToReplayJson(const QueuedDelivery& d) {
  google::protobuf::Struct object;
  auto& fields = *object.mutable_fields();
  fields["id"].set_string_value(d.id);
  fields["m"].set_string_value(d.municipality);
  for (const auto& [field, value] : ContentFields(d)) {
    fields[field].set_string_value(value);
  }
  std::string json;
  // Cannot fail: a Struct of strings always prints.
  (void)google::protobuf::util::MessageToJsonString(object, &json);
  return json;
}

absl::StatusOr<QueuedDelivery> FromReplayJson(absl::string_view json) {
  if (json.size() > kMaxReplayJsonBytes) {
    return InvalidFieldError("delivery", "is too large to be a delivery");
  }
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(json.data(), json.size()), &object)
           .ok()) {
    return InvalidFieldError("delivery", "is not a JSON object");
  }
  absl::flat_hash_map<std::string, std::string> map;
  for (const auto& [field, value] : object.fields()) {
    if (value.kind_case() != google::protobuf::Value::kStringValue) {
      return InvalidFieldError(absl::StrCat("delivery.", field),
                               "must be a string");
    }
    map[field] = value.string_value();
  }
  QueuedDelivery d;
  d.id = map["id"];
  d.municipality = map["m"];
  RETURN_IF_ERROR(PrefixFieldViolations(SetContent(map, &d), "delivery"));
  RETURN_IF_ERROR(PrefixFieldViolations(CheckDelivery(d), "delivery"));
  return d;
}

}  // namespace brobygger::notifications
