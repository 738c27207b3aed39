#include "services/notifications/router.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "brobygger/notifications/v1/webhook.pb.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "services/notifications/notification_names.h"
#include "services/notifications/routed_event.h"
#include "services/notifications/routing.h"

namespace brobygger::notifications {
namespace {

namespace rv1 = ::brobygger::registry::v1;

// The facts routing asks for, looked up once per event.
class ProjectionFacts : public RoutingFacts {
 public:
  ProjectionFacts(NotificationsContext& ctx, RegistryProjection& projection,
                  std::string municipality)
      : ctx_(ctx),
        projection_(projection),
        municipality_(std::move(municipality)) {}

  rv1::ActorKind KindOf(const std::string& actor) override {
    auto [it, inserted] =
        kinds_.try_emplace(actor, rv1::ACTOR_KIND_UNSPECIFIED);
    if (inserted) {
      auto found = projection_.FindActor(municipality_, store::IdOf(actor));
      if (found.ok() && found->has_value()) it->second = (*found)->kind();
      if (!found.ok()) status_ = found.status();
    }
    return it->second;
  }

  std::string WebhookOwner(const std::string& webhook) override {
    auto [it, inserted] = owners_.try_emplace(webhook, "");
    if (inserted) {
      auto document = ctx_.store.Get(municipality_, kWebhookCollection,
                                     store::IdOf(webhook));
      v1::WebhookEndpoint endpoint;
      if (!document.ok()) {
        status_ = document.status();
      } else if (document->has_value() &&
                 endpoint.ParseFromString((*document)->data)) {
        // A paused endpoint still gets its deliveries queued: they wait.
        it->second = endpoint.owner();
      }
    }
    return it->second;
  }

  // A lookup that failed: routing would have been wrong, so the event is
  // retried rather than half-delivered.
  const absl::Status& status() const { return status_; }

 private:
  NotificationsContext& ctx_;
  RegistryProjection& projection_;
  std::string municipality_;
  std::map<std::string, rv1::ActorKind> kinds_;
  std::map<std::string, std::string> owners_;
  absl::Status status_;
};

bool FromProjectedService(const events::v1::Event& event) {
  return event.source() == "registry" || event.source() == "matching";
}

}  // namespace

absl::Status Router::Handle(const events::v1::Event& event) {
  const std::string& m = event.municipality();
  if (m.empty()) return absl::OkStatus();

  ProjectionChange change;
  if (FromProjectedService(event)) {
    ASSIGN_OR_RETURN(change, projection_.Apply(event));
  }
  const std::string actor_id = store::IdOf(change.actor);
  switch (change.kind) {
    case ProjectionChange::Kind::kNewcomerErased:
      return erasure_.EraseNewcomer(m, actor_id);
    case ProjectionChange::Kind::kActorRemoved:
      RETURN_IF_ERROR(erasure_.ForgetActor(m, actor_id));
      break;
    default:
      break;
  }
  std::optional<rv1::Actor> placed;
  if (change.kind == ProjectionChange::Kind::kNewcomerPlaced) {
    ASSIGN_OR_RETURN(placed, projection_.FindActor(m, actor_id));
  }

  // The people of a concern are told whether or not anyone subscribed;
  // this is the late (or second) telling concern_notifier.h promises.
  if (event.source() == kServiceName) {
    ASSIGN_OR_RETURN(std::optional<ConcernNotice> notice,
                     concerns_.NoticeForEvent(event));
    if (notice.has_value()) RETURN_IF_ERROR(concern_notifier_.Notify(*notice));
  }

  std::optional<RoutedEvent> routed = ClassifyEvent(event, placed);
  if (!routed.has_value()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::shared_ptr<const MunicipalitySubscriptions> subs,
                   subscriptions_.Get(m));
  const std::vector<v1::Subscription>& of_topic = subs->OfTopic(routed->topic);
  if (of_topic.empty()) return absl::OkStatus();
  std::vector<const v1::Subscription*> pointers;
  pointers.reserve(of_topic.size());
  for (const v1::Subscription& s : of_topic) pointers.push_back(&s);
  ProjectionFacts facts(ctx_, projection_, m);
  const std::vector<Recipient> recipients = Route(*routed, pointers, facts);
  RETURN_IF_ERROR(facts.status());

  // People in one batch (one atomic inbox write per 200 of them, not one
  // per person), each message naming the subscription that asked for it.
  // Actors the registry no longer knows receive nothing.
  PersonMessage message;
  std::vector<std::string> candidates;
  for (const Recipient& recipient : recipients) {
    if (recipient.kind == Recipient::Kind::kWebhook) {
      RETURN_IF_ERROR(webhooks_(m, store::IdOf(recipient.target), event,
                                routed->about_newcomer));
      continue;
    }
    const std::string id = store::IdOf(recipient.target);
    candidates.push_back(id);
    message.subscription_of[id] = recipient.subscription;
  }
  if (candidates.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<rv1::Actor> known,
                   projection_.FindActors(m, candidates));
  std::vector<std::string> actor_ids;
  actor_ids.reserve(known.size());
  for (const rv1::Actor& actor : known) {
    actor_ids.push_back(store::IdOf(actor.name()));
  }
  v1::Notification& n = message.notification;
  n.set_topic(routed->topic);
  n.set_urgency(routed->urgency);
  n.set_title(routed->title);
  n.set_body(routed->body);
  n.set_resource(routed->resource);
  n.set_event_type(event.type());
  n.set_event_id(event.id());
  message.about_newcomer = routed->about_newcomer;
  message.dedupe_key =
      routed->dedupe_key.empty() ? event.id() : routed->dedupe_key;
  RETURN_IF_ERROR(people_.Notify(m, actor_ids, message));
  return absl::OkStatus();
}

}  // namespace brobygger::notifications
