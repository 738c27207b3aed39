// The notification service's Redis keys beyond the documents themselves
// (which DocumentStore names). All carry the municipality as hash tag
// (common/redis/keys.h), so one Lua script may touch a tenant's keys
// together; the few global keys use the "{_global}" tag.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_KEYS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_KEYS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/store/collection_keys.h"

namespace brobygger::notifications {

inline constexpr char kServiceName[] = "notifications";

// Collections of DocumentStore.
inline constexpr char kSubscriptionCollection[] = "subscription";
inline constexpr char kWebhookCollection[] = "webhook";
inline constexpr char kBroadcastCollection[] = "broadcast";
inline constexpr char kConcernCollection[] = "concern";
inline constexpr char kPreferencesCollection[] = "preferences";

class NotificationsKeys : public store::CollectionKeys {
 public:
  NotificationsKeys() : CollectionKeys(kServiceName) {}

  // --- Following the other services -------------------------------------
  // Set of the municipalities whose streams are followed (SADD by
  // events::TenantFollower; read with FollowedMunicipalities()).
  std::string Municipalities() const {
    return keys_.GlobalKey({"municipalities"});
  }
  // The one stream of dead letters: events the router gave up on
  // (written by EventConsumer: fields stream, entry_id, error, event) and
  // deliveries the delivery worker gave up on (field "kind" = "webhook" or
  // "email", and the delivery's fields).
  std::string DeadLetters() const { return keys_.GlobalKey({"deadletter"}); }

  // --- Projection of the registry and of matching ------------------------
  // Hash per actor: "d" = the serialized trimmed registry Actor, "u" = its
  // update time (Unix ms).
  std::string Actor(absl::string_view m, absl::string_view id) const {
    return keys_.Key(m, {"registry", "actor", id});
  }
  // Set of actor ids the registry deleted or erased (ids are never reused).
  std::string ActorTombstones(absl::string_view m) const {
    return keys_.Key(m, {"registry", "deleted"});
  }
  // Set of the ids of the actors of a kind (registry ActorKind number).
  std::string ActorsOfKind(absl::string_view m, int kind) const {
    return keys_.Key(m, {"registry", "kind", std::to_string(kind)});
  }
  // Set of the volunteer ids active in an area (folded name).
  std::string VolunteersInArea(absl::string_view m,
                               absl::string_view folded_area) const {
    return keys_.Key(m, {"registry", "area", folded_area});
  }
  // Set of the volunteer ids of an organisation (their parent actor id).
  std::string Members(absl::string_view m,
                      absl::string_view organisation_id) const {
    return keys_.Key(m, {"registry", "members", organisation_id});
  }
  // Hash per contact point: "d" = serialized ContactPoint, "u".
  std::string ContactPoint(absl::string_view m, absl::string_view id) const {
    return keys_.Key(m, {"registry", "contactpoint", id});
  }
  // Set of contact point ids of a topic.
  std::string ContactPointsOfTopic(absl::string_view m,
                                   absl::string_view topic) const {
    return keys_.Key(m, {"registry", "contactpoints", topic});
  }
  // Hash per forum: "d" = serialized Forum, "u".
  std::string Forum(absl::string_view m, absl::string_view id) const {
    return keys_.Key(m, {"registry", "forum", id});
  }
  // Hash: the municipality's "d" = serialized Municipality, "u".
  std::string Municipality(absl::string_view m) const {
    return keys_.Key(m, {"registry", "municipality"});
  }
  // Hash per newcomer id: match id -> the volunteer (actor name) matching
  // lets see the newcomer (an accepted or active match), or "-" once the
  // match ended (so a redelivered acceptance cannot grant it again).
  std::string Grants(absl::string_view m, absl::string_view newcomer) const {
    return keys_.Key(m, {"matching", "grants", newcomer});
  }

  // --- Subscriptions ----------------------------------------------------
  // Counter bumped by every subscription change, so routers know when to
  // reload their cached subscriptions.
  std::string SubscriptionsVersion(absl::string_view m) const {
    return keys_.Key(m, {kSubscriptionCollection, "version"});
  }
  // Sorted set (score = id) of the subscriptions of an actor (its id).
  std::string SubscriptionsOfActor(absl::string_view m,
                                   absl::string_view actor_id) const {
    return Index(m, kSubscriptionCollection, "subscriber", actor_id);
  }
  // Sorted set (score = id) of the subscriptions of a webhook endpoint.
  std::string SubscriptionsOfWebhook(absl::string_view m,
                                     absl::string_view webhook_id) const {
    return Index(m, kSubscriptionCollection, "webhook", webhook_id);
  }

  // --- Inboxes ----------------------------------------------------------
  // Stream per inbox (actor id): one entry per notification.
  std::string Inbox(absl::string_view m, absl::string_view inbox) const {
    return keys_.Key(m, {"inbox", inbox});
  }
  // String: the id of the newest entry marked read with everything before.
  std::string InboxReadUpTo(absl::string_view m,
                            absl::string_view inbox) const {
    return keys_.Key(m, {"inbox", inbox, "readupto"});
  }
  // Hash: entry id -> read time (Unix ms) of entries read one by one after
  // the read-up-to mark.
  std::string InboxRead(absl::string_view m, absl::string_view inbox) const {
    return keys_.Key(m, {"inbox", inbox, "read"});
  }
  // Set of "<inbox>/<entry id>" of the inbox entries about a newcomer,
  // deleted when the newcomer is erased.
  std::string InboxEntriesAbout(absl::string_view m,
                                absl::string_view newcomer) const {
    return keys_.Key(m, {"inbox", "about", newcomer});
  }
  // Delivered once: "<event id>/<recipient>" markers, with a TTL.
  std::string Delivered(absl::string_view m, absl::string_view event_id,
                        absl::string_view recipient) const {
    return keys_.Key(m, {"delivered", event_id, recipient});
  }
  // Hash of the inbox's bookkeeping, kept by every script that adds,
  // trims, erases or marks entries: "unread" = how many entries are unread
  // (after the read-up-to mark and not in the read hash), so that unread
  // counts are O(1); "removed" = the newest entry id trimmed or erased, for
  // Watch gaps (Redis' own max-deleted-entry-id ignores trimming).
  std::string InboxMeta(absl::string_view m, absl::string_view inbox) const {
    return keys_.Key(m, {"inbox", inbox, "meta"});
  }
  // Hash: read-up-to mark (entry id) -> when it was set (Unix ms). An entry
  // at or before the mark was read when the earliest mark at or after it
  // was set; marks that cover no retained entry are pruned.
  std::string InboxReadMarks(absl::string_view m,
                             absl::string_view inbox) const {
    return keys_.Key(m, {"inbox", inbox, "marks"});
  }

  // --- Outgoing deliveries (e-mail, webhooks) ---------------------------
  // Hash per delivery: what to send, where, attempts so far; once done
  // (delivered, dead-lettered, dropped or erased) only "s" = "d" is left,
  // with a TTL, so that the same event enqueued again is recognised (see
  // outbound_queue.h).
  std::string Delivery(absl::string_view m, absl::string_view id) const {
    return keys_.Key(m, {"delivery", id});
  }
  // Sorted set: delivery id -> when it is due (Unix ms).
  std::string DeliveriesDue(absl::string_view m) const {
    return keys_.Key(m, {"delivery", "due"});
  }
  // Set of delivery ids about a newcomer (erased with them).
  std::string DeliveriesAbout(absl::string_view m,
                              absl::string_view newcomer) const {
    return keys_.Key(m, {"delivery", "about", newcomer});
  }
  // Hash: a webhook endpoint's delivery health, kept by the delivery
  // worker: "b" = the serialised CircuitBreaker, "e" = the last error,
  // "s" = the last successful delivery (Unix ms). See webhook_circuits.h.
  std::string WebhookCircuit(absl::string_view m,
                             absl::string_view webhook) const {
    return keys_.Key(m, {kWebhookCollection, webhook, "circuit"});
  }
  // String: a webhook endpoint's signing secret.
  std::string WebhookSecret(absl::string_view m,
                            absl::string_view webhook) const {
    return keys_.Key(m, {kWebhookCollection, webhook, "secret"});
  }
  // Sorted set (score = id) of the webhook endpoints of an owner (its
  // actor id).
  std::string WebhooksOfOwner(absl::string_view m,
                              absl::string_view owner_id) const {
    return Index(m, kWebhookCollection, "owner", owner_id);
  }

  // --- Broadcasts ------------------------------------------------------
  // Sorted set: broadcast id -> next sending (Unix ms), or the end of the
  // lease of the replica making that sending (broadcast_due_queue.h).
  std::string BroadcastsDue(absl::string_view m) const {
    return keys_.Key(m, {kBroadcastCollection, "due"});
  }

  // --- Concerns --------------------------------------------------------
  // Hash of claims "<newcomer id>/<topic>" -> the open concern's id.
  std::string OpenConcernClaims(absl::string_view m) const {
    return keys_.Key(m, {kConcernCollection, "open"});
  }
  // List of the stream ids of the concern events about a newcomer (a
  // DocumentStore event trail), erased with the newcomer.
  std::string ConcernEventTrail(absl::string_view m,
                                absl::string_view newcomer) const {
    return keys_.Key(m, {kConcernCollection, "events", newcomer});
  }
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_NOTIFICATIONS_KEYS_H_
