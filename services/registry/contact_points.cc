#include "services/registry/contact_points.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "common/text/fold.h"
#include "services/registry/actor_rules.h"
#include "services/registry/record_rules.h"
#include "services/registry/resource_io.h"

namespace brobygger::registry {
namespace {

using Response = v1::ResolveContactResponse;

// How refusals name what this file keeps.
constexpr char kRecords[] = "contact points";
constexpr char kResourceType[] = "brobygger.registry.v1.ContactPoint";
constexpr char kContactPointPattern[] =
    "municipalities/{municipality}/contactPoints/{contact_point}";
constexpr char kActorPattern[] = "municipalities/{municipality}/actors/{actor}";
constexpr int kMaxScannedPerList = 5000;
constexpr int64_t kMaxResponseSeconds = 90LL * 24 * 3600;
// Resolve reads a topic's contact points in batches of this size.
constexpr int kTopicBatch = 200;

const api::FieldMaskRules& UpdateRules() {
  static const auto* rules = new api::FieldMaskRules{
      .output_only = {"name", "etag", "create_time", "update_time"},
      .immutable = {}};
  return *rules;
}

v1::ContactPoint WithEtag(v1::ContactPoint contact_point, int64_t version) {
  contact_point.set_etag(store::EtagOf(version));
  return contact_point;
}

std::string Trimmed(absl::string_view text) {
  return std::string(absl::StripAsciiWhitespace(std::string(text)));
}

// Topics are tags: trimmed and lowercased, like actors' competences.
std::string NormalizeTopic(absl::string_view topic) {
  return absl::AsciiStrToLower(Trimmed(topic));
}

void Normalize(v1::ContactPoint* contact_point) {
  contact_point->set_topic(NormalizeTopic(contact_point->topic()));
  for (std::string& area : *contact_point->mutable_areas()) {
    area = Trimmed(area);
  }
  contact_point->set_contact(Trimmed(contact_point->contact()));
  if (contact_point->has_channel()) {
    v1::ContactChannel* channel = contact_point->mutable_channel();
    channel->set_value(Trimmed(channel->value()));
    // A contact point has exactly one channel, so "preferred" says nothing.
    channel->clear_preferred();
  }
  contact_point->set_note(Trimmed(contact_point->note()));
}

void Validate(const v1::ContactPoint& contact_point,
              absl::string_view municipality_id,
              const v1::Municipality& municipality,
              FieldViolations* violations) {
  CheckText(contact_point.topic(), kMaxTopicLength, true, "contact_point.topic",
            "a topic tag such as \"housing\", \"benefits\", \"school\" or "
            "\"volunteering\"",
            violations);
  ValidateAreas(contact_point.areas(), municipality, "contact_point.areas",
                violations);
  std::set<std::string> folded;
  for (const std::string& area : contact_point.areas()) {
    if (!folded.insert(text::FoldForSearch(area)).second) {
      violations->Add("contact_point.areas",
                      absl::StrCat("lists \"", area,
                                   "\" twice (ignoring case and accents)"));
      break;
    }
  }
  const std::string example = absl::StrCat(
      "\"municipalities/", std::string(municipality_id), "/actors/12\"");
  if (contact_point.contact().empty()) {
    violations->Add("contact_point.contact",
                    absl::StrCat("is required: the municipal employee, "
                                 "department or organisation to contact, "
                                 "e.g. ",
                                 example));
  } else {
    auto parts = api::ParseResourceName(contact_point.contact(), kActorPattern,
                                        "contact_point.contact");
    if (!parts.ok() || (*parts)[0] != municipality_id) {
      violations->Add("contact_point.contact",
                      absl::StrCat("must be an actor of this municipality, "
                                   "e.g. ",
                                   example));
    }
  }
  if (!contact_point.has_channel()) {
    violations->Add("contact_point.channel",
                    "is required: how to reach the contact about this topic, "
                    "e.g. {type: PHONE, value: \"+45 99 31 31 31\"}");
  } else {
    ValidateContactChannel(contact_point.channel(), "contact_point.channel",
                           violations);
  }
  if (contact_point.has_response_time()) {
    const auto& expected = contact_point.response_time().expected();
    if (expected.seconds() < 0 || expected.nanos() < 0 ||
        expected.seconds() > kMaxResponseSeconds) {
      violations->Add("contact_point.response_time.expected",
                      "must be between 0 and 90 days");
    }
    CheckText(contact_point.response_time().note(), 200, false,
              "contact_point.response_time.note", "", violations);
  }
  CheckText(contact_point.note(), kMaxContactPointNote, false,
            "contact_point.note", "", violations);
}

// The sorted sets a contact point is listed in besides the all-index: its
// topic, its areas (folded) and the references of its contact actor.
std::vector<std::string> IndexKeys(const RegistryKeys& keys,
                                   absl::string_view municipality,
                                   const v1::ContactPoint& contact_point) {
  std::vector<std::string> result;
  result.push_back(keys.Index(municipality, kContactPointCollection, "topic",
                              contact_point.topic()));
  std::set<std::string> areas;
  for (const std::string& area : contact_point.areas()) {
    areas.insert(text::FoldForSearch(area));
  }
  for (const std::string& area : areas) {
    result.push_back(
        keys.Index(municipality, kContactPointCollection, "area", area));
  }
  if (!contact_point.contact().empty()) {
    result.push_back(keys.ActorReferences(
        municipality, IdOf(contact_point.contact()), kContactPointCollection));
  }
  return result;
}

bool MayBeContact(v1::ActorKind kind) {
  return kind == v1::ACTOR_KIND_MUNICIPAL_EMPLOYEE || IsOrganisation(kind);
}

// "phone", "e-mail", ... for explanations.
std::string ChannelWord(v1::ContactChannel::Type type) {
  switch (type) {
    case v1::ContactChannel::TYPE_PHONE:
      return "phone";
    case v1::ContactChannel::TYPE_EMAIL:
      return "e-mail";
    case v1::ContactChannel::TYPE_SMS:
      return "SMS";
    case v1::ContactChannel::TYPE_IN_PERSON:
      return "in person";
    case v1::ContactChannel::TYPE_WEBSITE:
      return "website";
    case v1::ContactChannel::TYPE_MESSENGER:
      return "messenger";
    default:
      return "";
  }
}

std::string Plural(int64_t count, absl::string_view unit) {
  return absl::StrCat(count, " ", std::string(unit), count == 1 ? "" : "s");
}

// "answers within 2 days", or the promise in words, or "".
std::string ResponseWords(const v1::ResponseTime& response_time) {
  const int64_t seconds = response_time.expected().seconds();
  if (seconds > 0) {
    constexpr int64_t kDay = 24 * 3600;
    if (seconds % kDay == 0) {
      return absl::StrCat("answers within ", Plural(seconds / kDay, "day"));
    }
    if (seconds >= 3600) {
      return absl::StrCat("answers within ",
                          Plural((seconds + 3599) / 3600, "hour"));
    }
    return absl::StrCat("answers within ",
                        Plural((seconds + 59) / 60, "minute"));
  }
  if (!response_time.note().empty()) {
    return absl::StrCat("answers ", response_time.note());
  }
  return "";
}

// " (phone, answers within 2 days)" or "".
std::string Details(const v1::ContactChannel& channel,
                    const v1::ResponseTime& response_time) {
  std::vector<std::string> parts;
  const std::string channel_word = ChannelWord(channel.type());
  if (!channel_word.empty()) parts.push_back(channel_word);
  const std::string response = ResponseWords(response_time);
  if (!response.empty()) parts.push_back(response);
  if (parts.empty()) return "";
  return absl::StrCat(" (", absl::StrJoin(parts, ", "), ")");
}

std::string Capitalized(std::string text) {
  if (!text.empty()) text[0] = absl::ascii_toupper(text[0]);
  return text;
}

// What a resolution says to people.
struct Explanation {
  std::string topic;
  std::string area;  // as the municipality spells it; "" when not asked
  std::string municipality;
  // Areas with their own contact point for the topic, when the question
  // named no area and none covers the whole municipality.
  std::vector<std::string> areas_with_contact_points;
};

std::string Explain(const Explanation& about,
                    const v1::ResolveContactResponse& response) {
  const std::string details =
      Details(response.channel(), response.response_time());
  const std::string& who = response.contact_display_name();
  switch (response.resolution()) {
    case Response::RESOLUTION_TOPIC_AND_AREA:
      return absl::StrCat(Capitalized(about.topic), " questions in ",
                          about.area, " go to ", who, details, ".");
    case Response::RESOLUTION_TOPIC:
      if (about.area.empty()) {
        return absl::StrCat(Capitalized(about.topic), " questions in ",
                            about.municipality, " go to ", who, details, ".");
      }
      return absl::StrCat("There is no ", about.topic, " contact point for ",
                          about.area, " in particular; ", about.topic,
                          " questions anywhere in ", about.municipality,
                          " go to ", who, details, ".");
    case Response::RESOLUTION_COORDINATOR: {
      std::string text = absl::StrCat(
          about.municipality, " has no contact point for ", about.topic,
          about.area.empty() ? "" : absl::StrCat(" in ", about.area),
          "; its coordinator ", who,
          " takes the questions that have no contact point", details, ".");
      if (!about.areas_with_contact_points.empty()) {
        absl::StrAppend(&text, " There are ", about.topic,
                        " contact points for ",
                        absl::StrJoin(about.areas_with_contact_points, ", "),
                        ": name the area to reach them.");
      }
      return text;
    }
    default:
      return "";
  }
}

// The channel an actor prefers, else its first, else none.
v1::ContactChannel PreferredChannel(const v1::Actor& actor) {
  for (const v1::ContactChannel& channel : actor.contact_channels()) {
    if (channel.preferred()) return channel;
  }
  if (actor.contact_channels_size() > 0) return actor.contact_channels(0);
  return v1::ContactChannel();
}

struct ContactPointFilter {
  std::optional<std::string> topic;    // normalised
  std::optional<std::string> area;     // folded
  std::optional<std::string> contact;  // actor name

  bool Matches(const v1::ContactPoint& contact_point) const {
    if (topic && contact_point.topic() != *topic) return false;
    if (area &&
        std::none_of(contact_point.areas().begin(), contact_point.areas().end(),
                     [&](const std::string& candidate) {
                       return text::FoldForSearch(candidate) == *area;
                     })) {
      return false;
    }
    if (contact && contact_point.contact() != *contact) return false;
    return true;
  }
};

absl::StatusOr<ContactPointFilter> ParseContactPointFilter(
    absl::string_view text, absl::string_view municipality) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(std::string(text)));
  ContactPointFilter filter;
  for (const api::Restriction& restriction : restrictions) {
    std::optional<std::string>* slot = nullptr;
    std::string value;
    if (restriction.field == "topic") {
      slot = &filter.topic;
      value = NormalizeTopic(restriction.value);
    } else if (restriction.field == "area") {
      slot = &filter.area;
      value = text::FoldForSearch(restriction.value);
    } else if (restriction.field == "contact") {
      slot = &filter.contact;
      value = Trimmed(restriction.value);
      auto parts = api::ParseResourceName(value, kActorPattern, "filter");
      if (!parts.ok() || (*parts)[0] != municipality) {
        return InvalidFieldError(
            "filter", absl::StrCat("contact: must be an actor of this "
                                   "municipality, e.g. \"municipalities/",
                                   std::string(municipality), "/actors/12\""));
      }
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("unknown field \"", restriction.field,
                                 "\"; contact points are filtered by topic, "
                                 "area and contact"));
    }
    if (value.empty()) {
      return InvalidFieldError(
          "filter", absl::StrCat(restriction.field, ": needs a value"));
    }
    if (slot->has_value() && **slot != value) {
      return InvalidFieldError(
          "filter", absl::StrCat(restriction.field,
                                 " is restricted twice with different "
                                 "values; nothing can match"));
    }
    *slot = value;
  }
  return filter;
}

}  // namespace

std::string ContactPointName(absl::string_view municipality,
                             absl::string_view id) {
  return absl::StrCat("municipalities/", std::string(municipality),
                      "/contactPoints/", std::string(id));
}

absl::StatusOr<ContactPoints::Loaded> ContactPoints::Load(
    absl::string_view municipality, absl::string_view id,
    absl::string_view name) {
  ASSIGN_OR_RETURN(Versioned<v1::ContactPoint> loaded,
                   LoadResource<v1::ContactPoint>(
                       ctx_.store, municipality, kContactPointCollection, id,
                       name, kResourceType, "contact point"));
  return Loaded{std::move(loaded.resource), loaded.version};
}

absl::StatusOr<v1::Actor> ContactPoints::CheckContact(
    absl::string_view municipality, const std::string& contact,
    const std::string& field) {
  ASSIGN_OR_RETURN(std::vector<v1::Actor> found,
                   actors_.LoadMany(municipality, {IdOf(contact)}));
  if (found.empty()) {
    return InvalidFieldError(field,
                             absl::StrCat(contact,
                                          " does not exist; create the actor "
                                          "first or choose another contact"));
  }
  if (!MayBeContact(found.front().kind())) {
    return InvalidFieldError(
        field, absl::StrCat(contact, " is a ",
                            std::string(KindFilterName(found.front().kind())),
                            "; a contact point names a municipal employee, a "
                            "municipal department or an organisation"));
  }
  return std::move(found.front());
}

absl::StatusOr<std::vector<v1::ContactPoint>> ContactPoints::OfTopic(
    absl::string_view municipality, const std::string& topic) {
  const std::string index =
      ctx_.keys.Index(municipality, kContactPointCollection, "topic", topic);
  std::vector<v1::ContactPoint> result;
  double after = 0;
  // The per-topic limit is checked before each create, so a topic rarely
  // exceeds it; reading a few batches more keeps concurrent creates that
  // slipped past it resolvable.
  for (int read = 0; read < 5 * kMaxContactPointsPerTopic;) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(index, after, kTopicBatch));
    if (ids.empty()) break;
    read += static_cast<int>(ids.size());
    after = IdScore(ids.back());
    ASSIGN_OR_RETURN(
        std::vector<store::Document> documents,
        ctx_.store.GetMany(municipality, kContactPointCollection, ids));
    for (const store::Document& document : documents) {
      v1::ContactPoint contact_point;
      if (!contact_point.ParseFromString(document.data)) {
        return absl::DataLossError(absl::StrCat(
            "stored contact point ", document.id, " does not parse"));
      }
      result.push_back(WithEtag(std::move(contact_point), document.version));
    }
    if (static_cast<int>(ids.size()) < kTopicBatch) break;
  }
  return result;
}

absl::StatusOr<v1::ContactPoint> ContactPoints::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::ContactPoint contact_point, const std::string& request_id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));
  ASSIGN_OR_RETURN(v1::Municipality tenant, municipalities_.Load(municipality));
  contact_point.clear_name();
  contact_point.clear_etag();
  contact_point.clear_create_time();
  contact_point.clear_update_time();
  Normalize(&contact_point);
  FieldViolations violations;
  Validate(contact_point, municipality, tenant, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  std::string request_key;
  ASSIGN_OR_RETURN(std::optional<std::string> previous,
                   EarlierCreate(ctx_, municipality, kContactPointCollection,
                                 request_id, &request_key));
  if (previous.has_value()) {
    return Get(principal, ContactPointName(municipality, *previous));
  }
  RETURN_IF_ERROR(CheckContact(municipality, contact_point.contact(),
                               "contact_point.contact")
                      .status());
  const std::string topic_index = ctx_.keys.Index(
      municipality, kContactPointCollection, "topic", contact_point.topic());
  ASSIGN_OR_RETURN(int64_t of_topic, ctx_.store.IndexSize(topic_index));
  if (of_topic >= kMaxContactPointsPerTopic) {
    return PreconditionError(
        "LIMIT", contact_point.topic(),
        absl::StrCat("the topic \"", contact_point.topic(), "\" already has ",
                     of_topic,
                     " contact points (the limit); update or "
                     "delete one instead"));
  }

  const absl::Time now = absl::Now();
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(municipality, kContactPointCollection));
  const std::string id = absl::StrCat(numeric_id);
  contact_point.set_name(ContactPointName(municipality, id));
  *contact_point.mutable_create_time() = ToTimestamp(now);
  *contact_point.mutable_update_time() = contact_point.create_time();

  const double score = static_cast<double>(numeric_id);
  store::WriteSpec spec =
      ListedCreateSpec(ctx_, municipality, kContactPointCollection, id,
                       contact_point.SerializeAsString(), request_key, score);
  for (std::string& key : IndexKeys(ctx_.keys, municipality, contact_point)) {
    spec.add_to_indexes.push_back({std::move(key), score});
  }
  spec.must_exist.push_back(ctx_.store.DocumentKey(
      municipality, kActorCollection, IdOf(contact_point.contact())));
  v1::ContactPointCreated payload;
  *payload.mutable_contact_point() = WithEtag(contact_point, 1);
  spec.event =
      events::MakeEvent(EventContextFor(principal, request_id), municipality,
                        contact_point.name(), payload, now);

  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  using Outcome = store::WriteResult::Outcome;
  switch (result.outcome) {
    case Outcome::kOk:
      return WithEtag(contact_point, result.version);
    case Outcome::kRequestReplayed:
      return Get(principal, ContactPointName(municipality, result.id));
    case Outcome::kMissing:
      return PreconditionError(
          "REFERENCE", contact_point.contact(),
          absl::StrCat(contact_point.contact(),
                       " was deleted meanwhile; choose another "
                       "contact_point.contact and retry"));
    default:
      return StoreOutcomeToStatus(result, kResourceType, contact_point.name());
  }
}

absl::StatusOr<v1::ContactPoint> ContactPoints::Get(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kContactPointPattern, "name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, parts[0]));
  ASSIGN_OR_RETURN(Loaded loaded, Load(parts[0], parts[1], name));
  return WithEtag(std::move(loaded.contact_point), loaded.version);
}

absl::StatusOr<ContactPointPage> ContactPoints::List(
    const auth::Principal& principal, absl::string_view municipality,
    int page_size, absl::string_view cursor, absl::string_view filter_text) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(ContactPointFilter filter,
                   ParseContactPointFilter(filter_text, municipality));
  std::vector<std::string> candidates;
  if (filter.topic) {
    candidates.push_back(ctx_.keys.Index(municipality, kContactPointCollection,
                                         "topic", *filter.topic));
  }
  if (filter.area) {
    candidates.push_back(ctx_.keys.Index(municipality, kContactPointCollection,
                                         "area", *filter.area));
  }
  if (filter.contact) {
    candidates.push_back(ctx_.keys.ActorReferences(
        municipality, IdOf(*filter.contact), kContactPointCollection));
  }
  ASSIGN_OR_RETURN(
      std::string index,
      store::SmallestIndex(ctx_.pool,
                    ctx_.keys.AllIndex(municipality, kContactPointCollection),
                    candidates));
  ASSIGN_OR_RETURN(store::IndexPage<v1::ContactPoint> page,
                   store::ScanIndexPage<v1::ContactPoint>(
                       ctx_.store, municipality, kContactPointCollection, index,
                       page_size, cursor, kMaxScannedPerList,
                       [&](const v1::ContactPoint& contact_point) {
                         return filter.Matches(contact_point);
                       }));
  return ContactPointPage{std::move(page.items), std::move(page.next_cursor)};
}

absl::StatusOr<v1::ContactPoint> ContactPoints::Update(
    const auth::Principal& principal, const v1::ContactPoint& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(patch.name(), kContactPointPattern,
                                          "contact_point.name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));
  ASSIGN_OR_RETURN(v1::Municipality tenant, municipalities_.Load(municipality));

  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, patch.name()));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), current.version,
                                     patch.name(), "contact_point.etag"));
    v1::ContactPoint updated = current.contact_point;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, UpdateRules(), &updated));
    Normalize(&updated);
    FieldViolations violations;
    Validate(updated, municipality, tenant, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    if (updated.contact() != current.contact_point.contact()) {
      RETURN_IF_ERROR(
          CheckContact(municipality, updated.contact(), "contact_point.contact")
              .status());
    }
    if (updated.topic() != current.contact_point.topic()) {
      ASSIGN_OR_RETURN(int64_t of_topic,
                       ctx_.store.IndexSize(ctx_.keys.Index(
                           municipality, kContactPointCollection, "topic",
                           updated.topic())));
      if (of_topic >= kMaxContactPointsPerTopic) {
        return PreconditionError(
            "LIMIT", updated.topic(),
            absl::StrCat("the topic \"", updated.topic(), "\" already has ",
                         of_topic, " contact points (the limit)"));
      }
    }

    const absl::Time now = absl::Now();
    *updated.mutable_update_time() = ToTimestamp(now);
    updated.clear_etag();

    store::WriteSpec spec = VersionedWriteSpec(
        municipality, kContactPointCollection, id, current.version);
    spec.data = updated.SerializeAsString();
    // The script removes before it adds, so keys in both lists stay.
    spec.remove_from_indexes =
        IndexKeys(ctx_.keys, municipality, current.contact_point);
    const double score = IdScore(id);
    for (std::string& key : IndexKeys(ctx_.keys, municipality, updated)) {
      spec.add_to_indexes.push_back({std::move(key), score});
    }
    spec.must_exist.push_back(ctx_.store.DocumentKey(
        municipality, kActorCollection, IdOf(updated.contact())));
    v1::ContactPointUpdated payload;
    *payload.mutable_contact_point() = WithEtag(updated, current.version + 1);
    *payload.mutable_update_mask() = mask;
    spec.event = events::MakeEvent(EventContextFor(principal), municipality,
                                   updated.name(), payload, now);

    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Update(spec));
    if (ShouldRetryWrite(result, patch.etag(), attempt)) {
      continue;  // someone else wrote in between; redo on the new version
    }
    if (result.outcome == store::WriteResult::Outcome::kMissing) {
      return PreconditionError(
          "REFERENCE", updated.contact(),
          absl::StrCat(updated.contact(),
                       " was deleted meanwhile; choose another "
                       "contact_point.contact and retry"));
    }
    RETURN_IF_ERROR(StoreOutcomeToStatus(result, kResourceType, patch.name()));
    return WithEtag(updated, result.version);
  }
}

absl::Status ContactPoints::Delete(const auth::Principal& principal,
                                   absl::string_view name,
                                   absl::string_view etag) {
  ASSIGN_OR_RETURN(auto parts,
                   api::ParseResourceName(name, kContactPointPattern, "name"));
  const std::string& municipality = parts[0];
  const std::string& id = parts[1];
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireEditor(principal, kRecords));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(Loaded current, Load(municipality, id, name));
    RETURN_IF_ERROR(store::CheckEtag(etag, current.version, name, "etag"));
    store::WriteSpec spec = ListedDeleteSpec<v1::ContactPointDeleted>(
        ctx_, principal, municipality, kContactPointCollection, id, name,
        current.version,
        IndexKeys(ctx_.keys, municipality, current.contact_point));
    ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
    if (ShouldRetryWrite(result, etag, attempt)) {
      continue;  // changed meanwhile; delete the new version
    }
    return StoreOutcomeToStatus(result, kResourceType, name);
  }
}

absl::StatusOr<v1::ResolveContactResponse> ContactPoints::Resolve(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view topic_text, absl::string_view area_text) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  const std::string topic = NormalizeTopic(topic_text);
  const std::string area = Trimmed(area_text);
  FieldViolations violations;
  CheckText(topic, kMaxTopicLength, true, "topic",
            "the topic tag, e.g. \"housing\"", &violations);
  CheckText(area, kMaxAreaLength, false, "area", "", &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(v1::Municipality tenant, municipalities_.Load(municipality));

  Explanation about;
  about.topic = topic;
  about.municipality = tenant.display_name();
  const std::string folded_area = text::FoldForSearch(area);
  if (!area.empty()) {
    about.area = area;
    bool known = tenant.areas().empty();
    for (const std::string& candidate : tenant.areas()) {
      if (text::FoldForSearch(candidate) == folded_area) {
        about.area = candidate;  // the municipality's spelling
        known = true;
      }
    }
    if (!known) {
      std::vector<std::string> some(
          tenant.areas().begin(),
          tenant.areas().begin() + std::min(tenant.areas_size(), 20));
      return InvalidFieldError(
          "area", absl::StrCat("\"", area, "\" is not an area of ",
                               tenant.display_name(), "; its areas are ",
                               absl::StrJoin(some, ", "),
                               tenant.areas_size() > 20 ? ", ..." : ""));
    }
  }

  ASSIGN_OR_RETURN(std::vector<v1::ContactPoint> of_topic,
                   OfTopic(municipality, topic));
  // Candidates in order of preference; ids ascend within each kind.
  std::vector<std::pair<Response::Resolution, const v1::ContactPoint*>>
      candidates;
  std::vector<const v1::ContactPoint*> whole_municipality;
  std::set<std::string> other_areas;
  for (const v1::ContactPoint& contact_point : of_topic) {
    if (contact_point.areas().empty()) {
      whole_municipality.push_back(&contact_point);
      continue;
    }
    const bool covers =
        !folded_area.empty() &&
        std::any_of(contact_point.areas().begin(), contact_point.areas().end(),
                    [&](const std::string& candidate) {
                      return text::FoldForSearch(candidate) == folded_area;
                    });
    if (covers) {
      candidates.emplace_back(Response::RESOLUTION_TOPIC_AND_AREA,
                              &contact_point);
    } else {
      other_areas.insert(contact_point.areas().begin(),
                         contact_point.areas().end());
    }
  }
  for (const v1::ContactPoint* contact_point : whole_municipality) {
    candidates.emplace_back(Response::RESOLUTION_TOPIC, contact_point);
  }

  // One read for every actor the answer may name.
  std::vector<std::string> actor_ids;
  for (const auto& [resolution, contact_point] : candidates) {
    actor_ids.push_back(IdOf(contact_point->contact()));
  }
  if (!tenant.coordinator().empty()) {
    actor_ids.push_back(IdOf(tenant.coordinator()));
  }
  ASSIGN_OR_RETURN(std::vector<v1::Actor> actors,
                   actors_.LoadMany(municipality, actor_ids));
  auto find_actor = [&](const std::string& name) -> const v1::Actor* {
    for (const v1::Actor& actor : actors) {
      if (actor.name() == name) return &actor;
    }
    return nullptr;
  };

  v1::ResolveContactResponse response;
  for (const auto& [resolution, contact_point] : candidates) {
    // References keep contacts from being deleted; a missing one (data
    // from before that rule) is passed over rather than named.
    const v1::Actor* actor = find_actor(contact_point->contact());
    if (actor == nullptr) continue;
    response.set_resolution(resolution);
    *response.mutable_contact_point() = *contact_point;
    response.set_contact(contact_point->contact());
    response.set_contact_display_name(actor->display_name());
    *response.mutable_channel() = contact_point->channel();
    *response.mutable_response_time() = contact_point->has_response_time()
                                            ? contact_point->response_time()
                                            : actor->response_time();
    response.set_explanation(Explain(about, response));
    return response;
  }

  const v1::Actor* coordinator =
      tenant.coordinator().empty() ? nullptr : find_actor(tenant.coordinator());
  if (coordinator == nullptr) {
    return PreconditionError(
        "NO_CONTACT", MunicipalityName(municipality),
        absl::StrCat(tenant.display_name(), " has no contact point for \"",
                     topic, "\"",
                     about.area.empty() ? "" : absl::StrCat(" in ", about.area),
                     " and no coordinator; a caseworker should create a "
                     "contact point for the topic or set the municipality's "
                     "coordinator"));
  }
  if (about.area.empty()) {
    about.areas_with_contact_points.assign(other_areas.begin(),
                                           other_areas.end());
  }
  response.set_resolution(Response::RESOLUTION_COORDINATOR);
  response.set_contact(coordinator->name());
  response.set_contact_display_name(coordinator->display_name());
  *response.mutable_channel() = PreferredChannel(*coordinator);
  *response.mutable_response_time() = coordinator->response_time();
  response.set_explanation(Explain(about, response));
  return response;
}

}  // namespace brobygger::registry
