#include "services/notifications/preferences_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/resource_io.h"
#include "services/notifications/inbox_access.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/preference_rules.h"

namespace brobygger::notifications {
namespace {

constexpr char kPreferencesType[] =
    "brobygger.notifications.v1.NotificationPreferences";
// Preferences read per round trip.
constexpr size_t kReadBatch = 500;

bool ChoosesEmail(const v1::NotificationPreferences& prefs) {
  const auto has = [](const auto& channels) {
    return std::find(channels.begin(), channels.end(), v1::CHANNEL_EMAIL) !=
           channels.end();
  };
  return has(prefs.channels()) || has(prefs.urgent_channels());
}

absl::StatusOr<v1::NotificationPreferences> Parse(
    const store::Document& document) {
  v1::NotificationPreferences prefs;
  if (!prefs.ParseFromString(document.data)) {
    return absl::DataLossError(absl::StrCat("stored preferences of actor ",
                                            document.id, " do not parse"));
  }
  return prefs;
}

}  // namespace

std::string PreferencesStore::EmailIndex(absl::string_view municipality) const {
  return ctx_.keys.Index(municipality, kPreferencesCollection, "channel",
                         "email");
}

absl::StatusOr<v1::NotificationPreferences> PreferencesStore::Get(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParsePreferencesName(name, "name"));
  RETURN_IF_ERROR(
      CheckInboxAccess(principal, projection_, parsed.municipality, parsed.id));
  ASSIGN_OR_RETURN(
      std::optional<store::Document> document,
      ctx_.store.Get(parsed.municipality, kPreferencesCollection, parsed.id));
  v1::NotificationPreferences prefs;
  if (document.has_value()) {
    ASSIGN_OR_RETURN(prefs, Parse(*document));
    prefs.set_etag(store::EtagOf(document->version));
  }
  v1::NotificationPreferences out = EffectivePreferences(prefs);
  out.set_name(PreferencesName(parsed.municipality, parsed.id));
  return out;
}

absl::StatusOr<v1::NotificationPreferences> PreferencesStore::Update(
    const auth::Principal& principal, const v1::NotificationPreferences& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(
      ParsedName parsed,
      ParsePreferencesName(patch.name(), "notification_preferences.name"));
  const std::string& m = parsed.municipality;
  RETURN_IF_ERROR(CheckInboxAccess(principal, projection_, m, parsed.id));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(std::optional<store::Document> document,
                     ctx_.store.Get(m, kPreferencesCollection, parsed.id));
    v1::NotificationPreferences current;
    int64_t version = 0;
    if (document.has_value()) {
      ASSIGN_OR_RETURN(current, Parse(*document));
      version = document->version;
    }
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), version, patch.name(),
                                     "notification_preferences.etag"));
    ASSIGN_OR_RETURN(v1::NotificationPreferences updated,
                     ApplyPreferencesUpdate(current, patch, mask));
    updated.clear_name();
    updated.clear_etag();
    *updated.mutable_update_time() = store::ToTimestamp(absl::Now());

    store::WriteSpec spec = store::VersionedWriteSpec(m, kPreferencesCollection,
                                                      parsed.id, version);
    spec.data = updated.SerializeAsString();
    if (ChoosesEmail(updated)) {
      spec.add_to_indexes.push_back({EmailIndex(m), store::IdScore(parsed.id)});
    } else {
      spec.remove_from_indexes.push_back(EmailIndex(m));
    }
    ASSIGN_OR_RETURN(store::WriteResult result, version == 0
                                                    ? ctx_.store.Create(spec)
                                                    : ctx_.store.Update(spec));
    if (result.outcome == store::WriteResult::Outcome::kOk) {
      v1::NotificationPreferences out = EffectivePreferences(updated);
      out.set_name(PreferencesName(m, parsed.id));
      out.set_etag(store::EtagOf(result.version));
      return out;
    }
    const bool lost_race =
        result.outcome == store::WriteResult::Outcome::kConflict ||
        result.outcome == store::WriteResult::Outcome::kAlreadyExists;
    if (!lost_race) {
      return store::StoreOutcomeToStatus(result, kPreferencesType,
                                         patch.name());
    }
    if (!patch.etag().empty()) return EtagMismatchError(patch.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError("the preferences kept changing; retry");
    }
  }
}

absl::StatusOr<std::map<std::string, v1::NotificationPreferences>>
PreferencesStore::EmailRecipients(absl::string_view municipality,
                                  const std::vector<std::string>& actor_ids) {
  std::map<std::string, v1::NotificationPreferences> out;
  if (actor_ids.empty()) return out;
  ASSIGN_OR_RETURN(
      redis::Reply index,
      ctx_.pool.Run({"ZRANGE", EmailIndex(municipality), "0", "-1"}));
  if (index.is_error()) return absl::UnavailableError(index.str);
  if (index.elements.empty()) return out;
  std::vector<std::string> wanted;
  {
    std::vector<std::string> emailers;
    for (const redis::Reply& e : index.elements) emailers.push_back(e.str);
    std::sort(emailers.begin(), emailers.end());
    for (const std::string& id : actor_ids) {
      if (std::binary_search(emailers.begin(), emailers.end(), id)) {
        wanted.push_back(id);
      }
    }
  }
  for (size_t i = 0; i < wanted.size(); i += kReadBatch) {
    std::vector<std::string> batch(
        wanted.begin() + i,
        wanted.begin() + std::min(wanted.size(), i + kReadBatch));
    ASSIGN_OR_RETURN(
        std::vector<store::Document> documents,
        ctx_.store.GetMany(municipality, kPreferencesCollection, batch));
    for (const store::Document& document : documents) {
      ASSIGN_OR_RETURN(v1::NotificationPreferences prefs, Parse(document));
      if (ChoosesEmail(prefs)) out[document.id] = EffectivePreferences(prefs);
    }
  }
  return out;
}

absl::StatusOr<v1::NotificationPreferences> PreferencesStore::Effective(
    absl::string_view municipality, absl::string_view actor_id) {
  ASSIGN_OR_RETURN(
      std::optional<store::Document> document,
      ctx_.store.Get(municipality, kPreferencesCollection, actor_id));
  v1::NotificationPreferences prefs;
  if (document.has_value()) {
    ASSIGN_OR_RETURN(prefs, Parse(*document));
  }
  return EffectivePreferences(prefs);
}

absl::Status PreferencesStore::Remove(absl::string_view municipality,
                                      absl::string_view actor_id) {
  ASSIGN_OR_RETURN(
      std::optional<store::Document> document,
      ctx_.store.Get(municipality, kPreferencesCollection, actor_id));
  if (!document.has_value()) return absl::OkStatus();
  store::WriteSpec spec = store::VersionedWriteSpec(
      municipality, kPreferencesCollection, actor_id, document->version);
  spec.remove_from_indexes.push_back(EmailIndex(municipality));
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
  if (result.outcome != store::WriteResult::Outcome::kOk &&
      result.outcome != store::WriteResult::Outcome::kNotFound) {
    return absl::AbortedError("the preferences changed while being removed");
  }
  return absl::OkStatus();
}

}  // namespace brobygger::notifications
