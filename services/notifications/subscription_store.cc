#include "services/notifications/subscription_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

absl::Status UnexpectedReply(const redis::Reply& reply) {
  return absl::UnavailableError(absl::StrCat(
      "unexpected reply from Redis: ", reply.is_error() ? reply.str : "shape"));
}

}  // namespace

SubscriptionWrite::SubscriptionWrite(NotificationsContext& ctx,
                                     std::string municipality)
    : ctx_(ctx), m_(std::move(municipality)) {}

std::string SubscriptionWrite::SubscriptionKey(const std::string& id) const {
  return ctx_.store.DocumentKey(m_, kSubscriptionCollection, id);
}

std::string SubscriptionWrite::WebhookKey(const std::string& id) const {
  return ctx_.store.DocumentKey(m_, kWebhookCollection, id);
}

void SubscriptionWrite::IndexSubscription(const std::string& id,
                                          const v1::Subscription& subscription,
                                          bool add) {
  const NotificationsKeys& keys = ctx_.keys;
  std::vector<std::string> indexes = {
      keys.AllIndex(m_, kSubscriptionCollection)};
  if (subscription.has_subscriber()) {
    indexes.push_back(
        keys.SubscriptionsOfActor(m_, store::IdOf(subscription.subscriber())));
  } else {
    indexes.push_back(
        keys.SubscriptionsOfWebhook(m_, store::IdOf(subscription.webhook())));
  }
  for (std::string& index : indexes) {
    if (add) {
      batch_.SortedSetAdd(std::move(index), store::IdScore(id), id);
    } else {
      batch_.SortedSetRemove(std::move(index), id);
    }
  }
  subscriptions_changed_ = true;
}

void SubscriptionWrite::CreateSubscription(const std::string& id,
                                           const v1::Subscription& subscription,
                                           int limit) {
  const NotificationsKeys& keys = ctx_.keys;
  batch_.RequireVersion(SubscriptionKey(id), 0);
  if (subscription.has_webhook()) {
    const std::string webhook_id = store::IdOf(subscription.webhook());
    target_check_ = batch_.RequireExists(WebhookKey(webhook_id));
    limit_check_ = batch_.RequireFewerMembers(
        keys.SubscriptionsOfWebhook(m_, webhook_id), limit);
  } else {
    limit_check_ = batch_.RequireFewerMembers(
        keys.SubscriptionsOfActor(m_, store::IdOf(subscription.subscriber())),
        limit);
  }
  batch_.PutDocument(SubscriptionKey(id), subscription.SerializeAsString(), 1);
  IndexSubscription(id, subscription, /*add=*/true);
}

void SubscriptionWrite::UpdateSubscription(const std::string& id,
                                           const StoredSubscription& before,
                                           const v1::Subscription& after) {
  batch_.RequireVersion(SubscriptionKey(id), before.version);
  batch_.PutDocument(SubscriptionKey(id), after.SerializeAsString(),
                     before.version + 1);
  subscriptions_changed_ = true;
}

void SubscriptionWrite::DeleteSubscription(const std::string& id,
                                           const StoredSubscription& before) {
  batch_.RequireVersion(SubscriptionKey(id), before.version);
  batch_.Delete(SubscriptionKey(id));
  IndexSubscription(id, before.resource, /*add=*/false);
}

void SubscriptionWrite::CreateWebhook(const std::string& id,
                                      const v1::WebhookEndpoint& endpoint,
                                      const std::string& secret, int limit) {
  const NotificationsKeys& keys = ctx_.keys;
  const std::string owner_index =
      keys.WebhooksOfOwner(m_, store::IdOf(endpoint.owner()));
  webhook_check_ = batch_.RequireVersion(WebhookKey(id), 0);
  limit_check_ = batch_.RequireFewerMembers(owner_index, limit);
  batch_.PutDocument(WebhookKey(id), endpoint.SerializeAsString(), 1);
  batch_.Set(keys.WebhookSecret(m_, id), secret);
  batch_.SortedSetAdd(keys.AllIndex(m_, kWebhookCollection), store::IdScore(id),
                      id);
  batch_.SortedSetAdd(owner_index, store::IdScore(id), id);
}

void SubscriptionWrite::UpdateWebhook(const std::string& id,
                                      const StoredWebhook& before,
                                      const v1::WebhookEndpoint& after,
                                      const std::string& secret) {
  webhook_check_ = batch_.RequireVersion(WebhookKey(id), before.version);
  batch_.PutDocument(WebhookKey(id), after.SerializeAsString(),
                     before.version + 1);
  if (!secret.empty()) batch_.Set(ctx_.keys.WebhookSecret(m_, id), secret);
}

void SubscriptionWrite::DeleteWebhook(
    const std::string& id, const StoredWebhook& before,
    const std::vector<StoredSubscription>& subscriptions) {
  const NotificationsKeys& keys = ctx_.keys;
  webhook_check_ = batch_.RequireVersion(WebhookKey(id), before.version);
  // Every listed subscription is unchanged and none was added: each
  // existing subscription document is in the index (they are written
  // together), so a count below n + 1 means exactly these n.
  for (const StoredSubscription& subscription : subscriptions) {
    batch_.RequireVersion(
        SubscriptionKey(store::IdOf(subscription.resource.name())),
        subscription.version);
  }
  batch_.RequireFewerMembers(keys.SubscriptionsOfWebhook(m_, id),
                             static_cast<int64_t>(subscriptions.size()) + 1);
  for (const StoredSubscription& subscription : subscriptions) {
    const std::string sub_id = store::IdOf(subscription.resource.name());
    batch_.Delete(SubscriptionKey(sub_id));
    IndexSubscription(sub_id, subscription.resource, /*add=*/false);
  }
  batch_.Delete(WebhookKey(id));
  batch_.Delete(keys.WebhookSecret(m_, id));
  batch_.Delete(keys.WebhookCircuit(m_, id));
  batch_.SortedSetRemove(keys.AllIndex(m_, kWebhookCollection), id);
  batch_.SortedSetRemove(
      keys.WebhooksOfOwner(m_, store::IdOf(before.resource.owner())), id);
}

void SubscriptionWrite::Publish(const events::v1::Event& event) {
  batch_.Publish(ctx_.keys.space().EventStream(m_), event, ctx_.retention);
}

void SubscriptionWrite::Idempotent(const std::string& key,
                                   const std::string& value,
                                   absl::Duration ttl) {
  replay_check_ = batch_.RequireUnused(key);
  batch_.SetWithExpiry(key, value, ttl);
}

absl::StatusOr<store::BatchOutcome> SubscriptionWrite::Run() {
  if (subscriptions_changed_) {
    batch_.IncrementCounter(ctx_.keys.SubscriptionsVersion(m_));
    subscriptions_changed_ = false;
  }
  return batch_.Run(ctx_.pool);
}

bool SubscriptionWrite::Refused(const store::BatchOutcome& outcome, int check) {
  return !outcome.applied && check >= 0 && outcome.refusal.check == check;
}

bool SubscriptionWrite::LimitReached(const store::BatchOutcome& outcome) const {
  return Refused(outcome, limit_check_);
}

bool SubscriptionWrite::TargetGone(const store::BatchOutcome& outcome) const {
  return Refused(outcome, target_check_);
}

bool SubscriptionWrite::Replayed(const store::BatchOutcome& outcome) const {
  return Refused(outcome, replay_check_);
}

bool SubscriptionWrite::WebhookChanged(
    const store::BatchOutcome& outcome) const {
  return Refused(outcome, webhook_check_);
}

absl::StatusOr<std::string> SubscriptionStore::NextSubscriptionId(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(int64_t id,
                   ctx_.store.NextId(municipality, kSubscriptionCollection));
  return absl::StrCat(id);
}

absl::StatusOr<std::string> SubscriptionStore::NextWebhookId(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(int64_t id,
                   ctx_.store.NextId(municipality, kWebhookCollection));
  return absl::StrCat(id);
}

absl::StatusOr<StoredSubscription> SubscriptionStore::LoadSubscription(
    absl::string_view municipality, absl::string_view id) {
  return store::LoadResource<v1::Subscription>(
      ctx_.store, municipality, kSubscriptionCollection, id,
      SubscriptionName(municipality, id), kSubscriptionType, "subscription");
}

absl::StatusOr<StoredWebhook> SubscriptionStore::LoadWebhook(
    absl::string_view municipality, absl::string_view id) {
  return store::LoadResource<v1::WebhookEndpoint>(
      ctx_.store, municipality, kWebhookCollection, id,
      WebhookName(municipality, id), kWebhookType, "webhook endpoint");
}

absl::StatusOr<std::vector<StoredSubscription>>
SubscriptionStore::LoadSubscriptions(absl::string_view municipality,
                                     const std::vector<std::string>& ids) {
  ASSIGN_OR_RETURN(
      std::vector<store::Document> documents,
      ctx_.store.GetMany(municipality, kSubscriptionCollection, ids));
  std::vector<StoredSubscription> out;
  out.reserve(documents.size());
  for (const store::Document& document : documents) {
    StoredSubscription loaded;
    if (!loaded.resource.ParseFromString(document.data)) {
      return absl::DataLossError(
          absl::StrCat("stored subscription ", document.id, " does not parse"));
    }
    loaded.version = document.version;
    out.push_back(std::move(loaded));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> SubscriptionStore::IdsIn(
    const std::string& index) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"ZRANGE", index, "0", "-1"}));
  if (!reply.is_array()) return UnexpectedReply(reply);
  std::vector<std::string> ids;
  ids.reserve(reply.elements.size());
  for (const redis::Reply& element : reply.elements) ids.push_back(element.str);
  return ids;
}

absl::StatusOr<std::vector<std::string>> SubscriptionStore::WebhookIdsOfOwner(
    absl::string_view municipality, absl::string_view owner_id) {
  return IdsIn(ctx_.keys.WebhooksOfOwner(municipality, owner_id));
}

absl::StatusOr<std::vector<std::string>>
SubscriptionStore::SubscriptionIdsOfWebhook(absl::string_view municipality,
                                            absl::string_view webhook_id) {
  return IdsIn(ctx_.keys.SubscriptionsOfWebhook(municipality, webhook_id));
}

absl::StatusOr<std::optional<std::string>> SubscriptionStore::Replayed(
    const std::string& key) {
  return ctx_.store.LookupRequest(key);
}

absl::StatusOr<std::string> SubscriptionStore::Secret(
    absl::string_view municipality, absl::string_view webhook_id) {
  ASSIGN_OR_RETURN(redis::Reply reply,
                   ctx_.pool.Run({"GET", ctx_.keys.WebhookSecret(municipality,
                                                                 webhook_id)}));
  if (reply.is_nil()) {
    return ResourceNotFoundError(kWebhookType,
                                 WebhookName(municipality, webhook_id));
  }
  if (!reply.is_string()) return UnexpectedReply(reply);
  return reply.str;
}

}  // namespace brobygger::notifications
