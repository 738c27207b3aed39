#include "services/notifications/webhook_endpoints.h"

#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/events.pb.h"
#include "brobygger/registry/v1/actor.pb.h"
#include "common/api/field_checks.h"
#include "common/api/field_mask.h"
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
#include "services/notifications/webhook_circuits.h"
#include "services/notifications/webhook_signature.h"
#include "services/notifications/webhook_url.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

constexpr int kMaxScannedPerPage = 5000;

// Persons cannot own a system.
bool IsOrganisation(rv1::ActorKind kind) {
  return kind != rv1::ACTOR_KIND_UNSPECIFIED &&
         kind != rv1::ACTOR_KIND_VOLUNTEER &&
         kind != rv1::ACTOR_KIND_NEWCOMER &&
         kind != rv1::ACTOR_KIND_MUNICIPAL_EMPLOYEE;
}

// What neither the document nor an event may hold: the secret, and the
// delivery worker's fields (kept under their own keys).
void ClearOutputOnly(v1::WebhookEndpoint* endpoint) {
  endpoint->clear_secret();
  endpoint->clear_etag();
  endpoint->clear_circuit_state();
  endpoint->clear_circuit_retry_time();
  endpoint->clear_last_error();
  endpoint->clear_last_success_time();
}

void CheckEndpointFields(const v1::WebhookEndpoint& endpoint,
                         FieldViolations* violations) {
  api::CheckText(endpoint.display_name(), kMaxWebhookDisplayName,
                 /*required=*/true, "webhook_endpoint.display_name",
                 "a name people recognise, e.g. \"Red Cross volunteer app\"",
                 violations);
  const absl::Status url = PrefixFieldViolations(
      CheckWebhookUrl(endpoint.url()), "webhook_endpoint");
  for (const FieldViolation& v : FieldViolationsOf(url)) {
    violations->Add(v.field, v.description);
  }
}

absl::Status NotYourWebhookError(const auth::Principal& principal) {
  return PermissionDeniedError(
      "OTHER_ORGANISATION",
      absl::StrCat("an NGO app manages only its own organisation's (",
                   principal.organisation.empty() ? "none in its token"
                                                  : principal.organisation,
                   ") webhook endpoints"));
}

}  // namespace

absl::Status WebhookEndpoints::CheckOwner(absl::string_view municipality,
                                          absl::string_view owner) {
  ASSIGN_OR_RETURN(std::optional<rv1::Actor> actor,
                   projection_.FindActor(municipality, store::IdOf(owner)));
  if (!actor.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "actor \"", owner,
        "\" is unknown to the notification service: check the name; if the "
        "registry created it moments ago, retry in a few seconds"));
  }
  if (!IsOrganisation(actor->kind())) {
    return InvalidFieldError(
        "webhook_endpoint.owner",
        "must be an organisation or municipal department, not a person: "
        "name the association, NGO or department whose system it is");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::Present(
    absl::string_view municipality, const StoredWebhook& stored) {
  v1::WebhookEndpoint out = stored.resource;
  ClearOutputOnly(&out);
  out.set_etag(store::EtagOf(stored.version));
  ASSIGN_OR_RETURN(std::vector<WebhookHealth> health,
                   circuits_.Health(municipality, {store::IdOf(out.name())}));
  PresentHealth(health.empty() ? WebhookHealth() : health.front(), &out);
  return out;
}

absl::StatusOr<StoredWebhook> WebhookEndpoints::LoadManaged(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view id) {
  ASSIGN_OR_RETURN(StoredWebhook stored, store_.LoadWebhook(municipality, id));
  if (!MayManageWebhooksOf(principal, stored.resource.owner())) {
    return NotYourWebhookError(principal);
  }
  return stored;
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::WebhookEndpoint endpoint, absl::string_view request_id) {
  RETURN_IF_ERROR(RequireWebhookRole(principal, municipality));
  RETURN_IF_ERROR(api::ValidateRequestId(request_id));
  FieldViolations violations;
  auto owner_id =
      ParseActorId(endpoint.owner(), municipality, "webhook_endpoint.owner");
  for (const FieldViolation& v : FieldViolationsOf(owner_id.status())) {
    violations.Add(v.field, v.description);
  }
  CheckEndpointFields(endpoint, &violations);
  RETURN_IF_ERROR(violations.ToStatus());

  const std::string idempotency_key =
      request_id.empty()
          ? ""
          : ctx_.keys.Request(municipality, kWebhookCollection, request_id);
  if (!idempotency_key.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> replayed,
                     store_.Replayed(idempotency_key));
    if (replayed.has_value()) {
      ASSIGN_OR_RETURN(StoredWebhook stored,
                       LoadManaged(principal, municipality, *replayed));
      return Present(municipality, stored);
    }
  }
  if (!MayManageWebhooksOf(principal, endpoint.owner())) {
    return NotYourWebhookError(principal);
  }
  RETURN_IF_ERROR(CheckOwner(municipality, endpoint.owner()));

  std::string secret = NewWebhookSecret();
  ASSIGN_OR_RETURN(std::string id, store_.NextWebhookId(municipality));
  const auto now = store::ToTimestamp(absl::Now());
  ClearOutputOnly(&endpoint);
  endpoint.set_name(WebhookName(municipality, id));
  *endpoint.mutable_create_time() = now;
  *endpoint.mutable_update_time() = now;

  SubscriptionWrite write = store_.Write(municipality);
  write.CreateWebhook(id, endpoint, secret, kMaxWebhooksPerOwner);
  v1::WebhookEndpointCreated payload;
  *payload.mutable_webhook_endpoint() = endpoint;
  write.Publish(events::MakeEvent(EventContextFor(principal, request_id),
                                  municipality, endpoint.name(), payload));
  if (!idempotency_key.empty()) write.Idempotent(idempotency_key, id);
  ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
  if (write.Replayed(outcome)) {
    ASSIGN_OR_RETURN(
        StoredWebhook stored,
        LoadManaged(principal, municipality, outcome.refusal.current));
    return Present(municipality, stored);
  }
  if (write.LimitReached(outcome)) {
    return PreconditionError(
        "WEBHOOK_LIMIT", endpoint.owner(),
        absl::StrCat(endpoint.owner(), " already has ", kMaxWebhooksPerOwner,
                     " webhook endpoints, the most allowed: reuse one (a "
                     "subscription per topic can share an endpoint) or "
                     "delete one first"));
  }
  if (!outcome.applied) {
    return absl::AbortedError("the endpoint id was taken concurrently; retry");
  }
  v1::WebhookEndpoint out = endpoint;
  out.set_etag(store::EtagOf(1));
  out.set_circuit_state(v1::WebhookEndpoint::CIRCUIT_STATE_CLOSED);
  out.set_secret(secret);
  return out;
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::Get(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseWebhookName(name, "name"));
  RETURN_IF_ERROR(RequireWebhookRole(principal, parsed.municipality));
  ASSIGN_OR_RETURN(StoredWebhook stored,
                   LoadManaged(principal, parsed.municipality, parsed.id));
  return Present(parsed.municipality, stored);
}

absl::StatusOr<WebhookPage> WebhookEndpoints::List(
    const auth::Principal& principal, absl::string_view municipality,
    int32_t page_size, absl::string_view page_token) {
  RETURN_IF_ERROR(RequireWebhookRole(principal, municipality));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  const std::string fingerprint = absl::StrCat("webhooks\n", municipality);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }
  WebhookPage out;
  std::string index = ctx_.keys.AllIndex(municipality, kWebhookCollection);
  if (!IsStaff(principal)) {
    auto organisation_id =
        ParseActorId(principal.organisation, municipality, "org");
    if (!organisation_id.ok()) return out;  // owns nothing here
    index = ctx_.keys.WebhooksOfOwner(municipality, *organisation_id);
  }
  ASSIGN_OR_RETURN(
      auto page,
      store::ScanIndexPage<v1::WebhookEndpoint>(
          ctx_.store, municipality, kWebhookCollection, index, size, cursor,
          kMaxScannedPerPage, [&](const v1::WebhookEndpoint& endpoint) {
            return MayManageWebhooksOf(principal, endpoint.owner());
          }));
  std::vector<std::string> ids;
  for (const v1::WebhookEndpoint& endpoint : page.items) {
    ids.push_back(store::IdOf(endpoint.name()));
  }
  ASSIGN_OR_RETURN(std::vector<WebhookHealth> health,
                   circuits_.Health(municipality, ids));
  for (size_t i = 0; i < page.items.size(); ++i) {
    v1::WebhookEndpoint& endpoint = page.items[i];
    endpoint.clear_secret();
    PresentHealth(i < health.size() ? health[i] : WebhookHealth(), &endpoint);
  }
  out.webhook_endpoints = std::move(page.items);
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::Update(
    const auth::Principal& principal, const v1::WebhookEndpoint& patch,
    const google::protobuf::FieldMask& mask) {
  ASSIGN_OR_RETURN(ParsedName parsed,
                   ParseWebhookName(patch.name(), "webhook_endpoint.name"));
  const std::string& municipality = parsed.municipality;
  RETURN_IF_ERROR(RequireWebhookRole(principal, municipality));
  static const api::FieldMaskRules* rules = new api::FieldMaskRules{
      {"name", "secret", "circuit_state", "circuit_retry_time", "last_error",
       "last_success_time", "etag", "create_time", "update_time"},
      {"owner"}};
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredWebhook stored,
                     LoadManaged(principal, municipality, parsed.id));
    RETURN_IF_ERROR(store::CheckEtag(patch.etag(), stored.version, patch.name(),
                                     "webhook_endpoint.etag"));
    v1::WebhookEndpoint updated = stored.resource;
    RETURN_IF_ERROR(api::ApplyFieldMask(mask, patch, *rules, &updated));
    FieldViolations violations;
    CheckEndpointFields(updated, &violations);
    RETURN_IF_ERROR(violations.ToStatus());
    ClearOutputOnly(&updated);
    *updated.mutable_update_time() = store::ToTimestamp(absl::Now());

    SubscriptionWrite write = store_.Write(municipality);
    write.UpdateWebhook(parsed.id, stored, updated);
    v1::WebhookEndpointUpdated payload;
    *payload.mutable_webhook_endpoint() = updated;
    write.Publish(events::MakeEvent(EventContextFor(principal), municipality,
                                    updated.name(), payload));
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied) {
      return Present(municipality, StoredWebhook{updated, stored.version + 1});
    }
    if (!patch.etag().empty()) return EtagMismatchError(patch.name());
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          "the webhook endpoint kept changing concurrently; retry");
    }
  }
}

absl::Status WebhookEndpoints::Delete(const auth::Principal& principal,
                                      absl::string_view name,
                                      absl::string_view etag) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseWebhookName(name, "name"));
  const std::string& municipality = parsed.municipality;
  RETURN_IF_ERROR(RequireWebhookRole(principal, municipality));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredWebhook stored,
                     LoadManaged(principal, municipality, parsed.id));
    RETURN_IF_ERROR(store::CheckEtag(etag, stored.version, name, "etag"));
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     store_.SubscriptionIdsOfWebhook(municipality, parsed.id));
    ASSIGN_OR_RETURN(std::vector<StoredSubscription> subscriptions,
                     store_.LoadSubscriptions(municipality, ids));

    SubscriptionWrite write = store_.Write(municipality);
    write.DeleteWebhook(parsed.id, stored, subscriptions);
    const events::EventContext context = EventContextFor(principal);
    for (const StoredSubscription& subscription : subscriptions) {
      v1::SubscriptionDeleted payload;
      payload.set_name(subscription.resource.name());
      write.Publish(
          events::MakeEvent(context, municipality, payload.name(), payload));
    }
    v1::WebhookEndpointDeleted payload;
    payload.set_name(stored.resource.name());
    write.Publish(
        events::MakeEvent(context, municipality, payload.name(), payload));
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied) return absl::OkStatus();
    // A subscription added or changed meanwhile is no reason to refuse:
    // redo with the current ones. A changed endpoint is, when the caller
    // sent the etag it meant.
    if (write.WebhookChanged(outcome) && !etag.empty()) {
      return EtagMismatchError(name);
    }
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          "the webhook endpoint or its subscriptions kept changing "
          "concurrently; retry");
    }
  }
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::RotateSecret(
    const auth::Principal& principal, absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseWebhookName(name, "name"));
  const std::string& municipality = parsed.municipality;
  RETURN_IF_ERROR(RequireWebhookRole(principal, municipality));
  for (int attempt = 1;; ++attempt) {
    ASSIGN_OR_RETURN(StoredWebhook stored,
                     LoadManaged(principal, municipality, parsed.id));
    std::string secret = NewWebhookSecret();
    v1::WebhookEndpoint updated = stored.resource;
    *updated.mutable_update_time() = store::ToTimestamp(absl::Now());

    SubscriptionWrite write = store_.Write(municipality);
    write.UpdateWebhook(parsed.id, stored, updated, secret);
    v1::WebhookEndpointUpdated payload;
    *payload.mutable_webhook_endpoint() = updated;
    write.Publish(events::MakeEvent(EventContextFor(principal), municipality,
                                    updated.name(), payload));
    ASSIGN_OR_RETURN(store::BatchOutcome outcome, write.Run());
    if (outcome.applied) {
      ASSIGN_OR_RETURN(
          v1::WebhookEndpoint out,
          Present(municipality, StoredWebhook{updated, stored.version + 1}));
      out.set_secret(secret);
      return out;
    }
    if (attempt >= store::kMaxWriteAttempts) {
      return absl::AbortedError(
          "the webhook endpoint kept changing concurrently; retry");
    }
  }
}

absl::StatusOr<std::string> WebhookEndpoints::SecretOf(
    absl::string_view municipality, absl::string_view webhook_id) {
  return store_.Secret(municipality, webhook_id);
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::ForDelivery(
    absl::string_view municipality, absl::string_view webhook_id) {
  ASSIGN_OR_RETURN(StoredWebhook stored,
                   store_.LoadWebhook(municipality, webhook_id));
  ClearOutputOnly(&stored.resource);
  return std::move(stored.resource);
}

}  // namespace brobygger::notifications
