#include "services/notifications/subscriptions.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/api/field_mask.h"
#include "common/api/filter.h"
#include "common/api/pagination.h"
#include "common/api/request_id.h"
#include "common/api/resource_name.h"
#include "common/events/event_bus.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/subscription_access.h"
#include "services/notifications/subscription_rules.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

// A List call examines at most this many subscriptions (then returns a
// shorter page with a token to go on).
constexpr int kMaxScannedPerPage = 5000;

struct SubscriptionFilter {
  std::string subscriber;
  std::string webhook;
  v1::Topic topic = v1::TOPIC_UNSPECIFIED;
};

absl::StatusOr<SubscriptionFilter> CompileFilter(
    absl::string_view text, absl::string_view municipality) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(text));
  SubscriptionFilter filter;
  for (const api::Restriction& r : restrictions) {
    if (r.op != "=") {
      return InvalidFieldError("filter", "supports only `field = value`");
    }
    if (r.field == "subscriber") {
      RETURN_IF_ERROR(ParseActorId(r.value, municipality, "filter").status());
      filter.subscriber = r.value;
    } else if (r.field == "webhook") {
      auto parsed = ParseWebhookName(r.value, "filter");
      if (!parsed.ok() || parsed->municipality != municipality) {
        return InvalidFieldError(
            "filter", absl::StrCat("webhook must name an endpoint of this "
                                   "municipality, e.g. \"municipalities/",
                                   municipality, "/webhooks/3\""));
      }
      filter.webhook = r.value;
    } else if (r.field == "topic") {
      const std::string name = absl::StartsWith(r.value, "TOPIC_")
                                   ? r.value
                                   : absl::StrCat("TOPIC_", r.value);
      if (!v1::Topic_Parse(name, &filter.topic) ||
          filter.topic == v1::TOPIC_UNSPECIFIED) {
        return InvalidFieldError(
            "filter",
            "topic must be ACTIVITIES, NEWCOMER_PLACED, MATCHES, FORUMS, "
            "BROADCASTS or CONCERNS");
      }
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("cannot filter on `", r.field,
                                 "`; use subscriber, webhook or topic"));
    }
  }
  return filter;
}

bool Matches(const SubscriptionFilter& filter,
             const v1::Subscription& subscription) {
  return (filter.subscriber.empty() ||
          subscription.subscriber() == filter.subscriber) &&
         (filter.webhook.empty() || subscription.webhook() == filter.webhook) &&
         (filter.topic == v1::TOPIC_UNSPECIFIED ||
          HasTopic(subscription, filter.topic));
}

// Adds violations for a target that is missing or not of this
// municipality.
void CheckTargetName(const v1::Subscription& subscription,
                     absl::string_view municipality,
                     FieldViolations* violations) {
  switch (subscription.target_case()) {
    case v1::Subscription::kSubscriber: {
      auto id = ParseActorId(subscription.subscriber(), municipality,
                             "subscription.subscriber");
      if (!id.ok()) {
        for (const FieldViolation& v : FieldViolationsOf(id.status())) {
          violations->Add(v.field, v.description);
        }
      }
      break;
    }
    case v1::Subscription::kWebhook: {
      auto parsed =
          ParseWebhookName(subscription.webhook(), "subscription.webhook");
      if (!parsed.ok() || parsed->municipality != municipality) {
        violations->Add("subscription.webhook",
                        absl::StrCat("must name an endpoint of this "
                                     "municipality, e.g. \"municipalities/",
                                     municipality, "/webhooks/3\""));
      }
      break;
    }
    case v1::Subscription::TARGET_NOT_SET:
      violations->Add("subscription.subscriber",
                      "set exactly one of subscriber (an actor, whose inbox "
                      "receives the notifications) or webhook (an endpoint "
                      "events are POSTed to)");
      break;
  }
}

absl::Status NewcomerTopicError() {
  return PermissionDeniedError(
      "NEWCOMER_TOPIC",
      "TOPIC_NEWCOMER_PLACED announces newcomers to local welcome contacts; "
      "only caseworkers and coordinators may subscribe someone to it");
}

std::string TargetOf(const v1::Subscription& subscription) {
  return subscription.has_webhook() ? subscription.webhook()
                                    : subscription.subscriber();
}

}  // namespace

v1::Subscription WithEtag(const StoredSubscription& stored) {
  v1::Subscription out = stored.resource;
  out.set_etag(store::EtagOf(stored.version));
  return out;
}

absl::Status Subscriptions::CheckTarget(absl::string_view municipality,
                                        const v1::Subscription& subscription) {
  if (subscription.has_webhook()) {
    return store_.LoadWebhook(municipality, store::IdOf(subscription.webhook()))
        .status();
  }
  ASSIGN_OR_RETURN(std::optional<rv1::Actor> actor,
                   projection_.FindActor(
                       municipality, store::IdOf(subscription.subscriber())));
  if (!actor.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "actor \"", subscription.subscriber(),
        "\" is unknown to the notification service: check the name; if the "
        "registry created it moments ago, retry in a few seconds"));
  }
  if (actor->kind() == rv1::ACTOR_KIND_NEWCOMER) {
    return InvalidFieldError(
        "subscription.subscriber",
        "names a newcomer; newcomers are not subscribers (their caseworker "
        "keeps them informed): name a volunteer, an organisation or an "
        "employee");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Subscription> Subscriptions::Replay(
    const auth::Principal& principal, absl::string_view municipality,
    const std::string& id) {
  ASSIGN_OR_RETURN(StoredSubscription stored,
                   store_.LoadSubscription(municipality, id));
  ASSIGN_OR_RETURN(ManagedScope scope, ManagedScope::Of(principal, municipality,
                                                        projection_, store_));
  if (!scope.Covers(stored.resource)) return NotYoursError(principal);
  return WithEtag(stored);
}

absl::StatusOr<v1::Subscription> Subscriptions::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::Subscription subscription, absl::string_view request_id) {
  RETURN_IF_ERROR(RequireSubscriptionRole(principal, municipality));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  NormalizeSubscription(&subscription);
  FieldViolations violations;
  CheckTargetName(subscription, municipality, &violations);
  CheckSubscriptionFilters(subscription, municipality, "subscription",
                           &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string idempotency_key =
      request_id.empty()
          ? ""
          : ctx_.keys.Request(municipality, kSubscriptionCollection,
                              request_id);
  if (!idempotency_key.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                     store_.Replayed(idempotency_key));
    if (replayed.has_value()) return Replay(principal, municipality, *replayed);
  }
  ASSIGN_OR_RETURN(ManagedScope scope, ManagedScope::Of(principal, municipality,
                                                        projection_, store_));
  if (!scope.Covers(subscription)) return NotYoursError(principal);
  if (HasTopic(subscription, v1::TOPIC_NEWCOMER_PLACED) &&
      !IsStaff(principal)) {
    return NewcomerTopicError();
  }
  RETURN_IF_ERROR(CheckTarget(municipality, subscription));

  ASSIGN_OR_RETURN(std::string id, store_.NextSubscriptionId(municipality));
  const auto now = store::ToTimestamp(absl::Now());
  subscription.set_name(SubscriptionName(municipality, id));
  subscription.set_creator(principal.subject);
  subscription.clear_etag();
  *subscription.mutable_create_time() = now;
  *subscription.mutable_update_time() = now;

  SubscriptionWrite write = store_.Write(municipality);
  write.CreateSubscription(id, subscription, kMaxSubscriptionsPerSubscriber);
  v1::SubscriptionCreated payload;
  *payload.mutable_subscription() = subscription;
  write.Publish(events::MakeEvent(EventContextFor(principal, request_id),
                                  municipality, subscription.name(), payload));
  if (!idempotency_key.empty()) write.Idempotent(idempotency_key, id);
  ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
  if (outcome.applied) return WithEtag(StoredSubscription{subscription, 1});
  if (write.Replayed(outcome)) {
    return Replay(principal, municipality, outcome.refusal.current);
  }
  if (write.LimitReached(outcome)) {
    return PreconditionError(
        "SUBSCRIPTION_LIMIT", TargetOf(subscription),
        absl::StrCat(TargetOf(subscription), " already has ",
                     kMaxSubscriptionsPerSubscriber,
                     " subscriptions, the most allowed: add topics or "
                     "filters to one of them, or delete one first"));
  }
  if (write.TargetGone(outcome)) {
    return ResourceNotFoundError(kWebhookType, subscription.webhook());
  }
  return absl::AbortedError(
      "the subscription id was taken concurrently; retry");
}

absl::StatusOr<v1::Subscription> Subscriptions::Get(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseSubscriptionName(name, "name"));
  RETURN_IF_ERROR(RequireSubscriptionRole(principal, parsed.municipality));
  ASSIGN_OR_RETURN(StoredSubscription stored,
                   store_.LoadSubscription(parsed.municipality, parsed.id));
  ASSIGN_OR_RETURN(
      ManagedScope scope,
      ManagedScope::Of(principal, parsed.municipality, projection_, store_));
  if (!scope.Covers(stored.resource)) return NotYoursError(principal);
  return WithEtag(stored);
}

absl::StatusOr<SubscriptionPage> Subscriptions::List(
    const auth::Principal& principal, absl::string_view municipality,
    int32_t page_size, absl::string_view page_token, absl::string_view filter) {
  RETURN_IF_ERROR(RequireSubscriptionRole(principal, municipality));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(SubscriptionFilter compiled,
                   CompileFilter(filter, municipality));
  const std::string fingerprint =
      absl::StrCat("subscriptions\n", municipality, "\n", filter);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }
  ASSIGN_OR_RETURN(ManagedScope scope, ManagedScope::Of(principal, municipality,
                                                        projection_, store_));
  // The narrowest index that holds every subscription the caller may see
  // and the filter accepts.
  std::string index = ctx_.keys.AllIndex(municipality, kSubscriptionCollection);
  if (!compiled.subscriber.empty()) {
    index = ctx_.keys.SubscriptionsOfActor(municipality,
                                           store::IdOf(compiled.subscriber));
  } else if (!compiled.webhook.empty()) {
    index = ctx_.keys.SubscriptionsOfWebhook(municipality,
                                             store::IdOf(compiled.webhook));
  } else if (principal.role == auth::Role::kVolunteer) {
    index = ctx_.keys.SubscriptionsOfActor(municipality,
                                           store::IdOf(principal.subject));
  }
  ASSIGN_OR_RETURN(auto page,
                   store::ScanIndexPage<v1::Subscription>(
                       ctx_.store, municipality, kSubscriptionCollection, index,
                       size, cursor, kMaxScannedPerPage,
                       [&](const v1::Subscription& subscription) {
                         return scope.Covers(subscription) &&
                                Matches(compiled, subscription);
                       }));
  SubscriptionPage out;
  out.subscriptions = std::move(page.items);
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

absl::StatusOr<v1::Subscription> Subscriptions::Update(
    const auth::Principal& principal, const v1::Subscription& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(ParsedName parsed,
                   ParseSubscriptionName(patch.name(), "subscription.name"));
  const std::string& municipality = parsed.municipality;
  RETURN_IF_ERROR(RequireSubscriptionRole(principal, municipality));
  static const api::FieldMaskRules* rules = new api::FieldMaskRules{
      {"name", "creator", "etag", "create_time", "update_time"},
      {"subscriber", "webhook"}};
  ASSIGN_OR_RETURN(ManagedScope scope, ManagedScope::Of(principal, municipality,
                                                        projection_, store_));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredSubscription stored,
                     store_.LoadSubscription(municipality, parsed.id));
    if (!scope.Covers(stored.resource)) return NotYoursError(principal);
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), stored.version, patch.name(),
                                     "subscription.etag"));
    v1::Subscription updated = stored.resource;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, *rules, &updated));
    NormalizeSubscription(&updated);
    FieldViolations violations;
    CheckSubscriptionFilters(updated, municipality, "subscription",
                             &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    if (!IsStaff(principal) && HasTopic(updated, v1::TOPIC_NEWCOMER_PLACED) &&
        !HasTopic(stored.resource, v1::TOPIC_NEWCOMER_PLACED)) {
      return NewcomerTopicError();
    }
    updated.clear_etag();
    *updated.mutable_update_time() = store::ToTimestamp(absl::Now());

    SubscriptionWrite write = store_.Write(municipality);
    write.UpdateSubscription(parsed.id, stored, updated);
    v1::SubscriptionUpdated payload;
    *payload.mutable_subscription() = updated;
    write.Publish(events::MakeEvent(EventContextFor(principal), municipality,
                                    updated.name(), payload));
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied) {
      return WithEtag(StoredSubscription{updated, stored.version + 1});
    }
    if (!patch.etag().empty()) return EtagMismatchError(patch.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          "the subscription kept changing concurrently; retry");
    }
  }
}

absl::Status Subscriptions::Delete(const auth::Principal& principal,
                                   absl::string_view name,
                                   absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseSubscriptionName(name, "name"));
  const std::string& municipality = parsed.municipality;
  RETURN_IF_ERROR(RequireSubscriptionRole(principal, municipality));
  ASSIGN_OR_RETURN(ManagedScope scope, ManagedScope::Of(principal, municipality,
                                                        projection_, store_));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredSubscription stored,
                     store_.LoadSubscription(municipality, parsed.id));
    if (!scope.Covers(stored.resource)) return NotYoursError(principal);
    RETURN_IF_ERROR(store::CheckEtag(etag, stored.version, name, "etag"));
    SubscriptionWrite write = store_.Write(municipality);
    write.DeleteSubscription(parsed.id, stored);
    v1::SubscriptionDeleted payload;
    payload.set_name(stored.resource.name());
    write.Publish(events::MakeEvent(EventContextFor(principal), municipality,
                                    stored.resource.name(), payload));
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied) return absl::OkStatus();
    if (!etag.empty()) return EtagMismatchError(name);
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          "the subscription kept changing concurrently; retry");
    }
  }
}

}  // namespace brobygger::notifications
