// The outbound queue: webhook POSTs and e-mails waiting to be sent, kept
// in Redis so that every replica's delivery worker shares it and nothing
// is lost when one dies. Delivery is at least once.
//
// Per municipality (every key carries its hash tag):
//   NotificationsKeys::Delivery(m, id)       hash: what to send, where,
//                                            attempts, first attempt time,
//                                            last error, state "s" = "w"
//   NotificationsKeys::DeliveriesDue(m)      sorted set: id -> due (Unix ms)
//   NotificationsKeys::DeliveriesAbout(m, n) set: ids about newcomer n
//
// Idempotent enqueueing: a delivery's id is derived from what makes it
// the same delivery (the event and the webhook; the dedupe key, the actor
// and the channel for e-mail), so enqueueing it again is a no-op. When a
// delivery ends (delivered, dead-lettered, dropped, erased) its hash is
// cut down to a "done" marker ("s" = "d") that expires after
// `done_ttl` (7 days), so an event routed again within that time (a
// redelivered stream entry) is not sent twice either.
//
// Leases: Claim moves the due deliveries' scores to now + lease in the
// same script that reads them, so no two workers hold one at once. A
// worker that dies holding a lease simply lets it expire: the delivery is
// due again and another worker sends it (at least once: a receiver may
// see it twice, with the same Brobygger-Delivery id / Message-ID).
//
// What waits how long: nothing is bounded by count. A delivery is retried
// with backoff (retry_backoff.h) and dead-lettered once it has been tried
// for `give_up_after` (24 h); one that waits without being tried (paused
// endpoint, open circuit, no SMTP relay) is dead-lettered once it waited
// that long since it was enqueued (delivery_worker.h). So a receiver that
// is down for a day holds at most a day of its events here; then they
// move to the dead-letter stream, which is trimmed by its own retention.
// Bodies are bounded (kMaxWebhookBodyBytes, the e-mail limits of
// smtp_mail.h).
//
// Dead letters (GiveUp) go to the one global stream
// NotificationsKeys::DeadLetters in the format dead_letters.h reads. That
// stream has another hash tag than the tenant's keys, so it cannot be
// written in the same script: the dead letter is added first and the
// delivery removed afterwards. A crash in between leaves both, the
// delivery is retried when its lease ends and may be dead-lettered a
// second time: a duplicate, never a loss.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_OUTBOUND_QUEUE_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_OUTBOUND_QUEUE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "common/events/stream_tail.h"
#include "services/notifications/delivery_record.h"
#include "services/notifications/notifications_context.h"
#include "services/notifications/smtp_mail.h"

namespace brobygger::notifications {

// An e-mail for the queue.
struct OutboundEmail {
  // The recipient actor (their inbox), an id in the municipality.
  std::string actor_id;
  // To, subject and text (message_id_domain too, if set).
  MailMessage message;
  // Not sent before this (e.g. after quiet hours); InfinitePast: now.
  absl::Time due = absl::InfinitePast();
  // What makes two e-mails to the actor the same: the event id, or the
  // broadcast and its sending. Required, at most kMaxDedupeKeyBytes.
  std::string dedupe_key;
  // The newcomer's actor id when it is about one (erased with them).
  std::string about_newcomer;
  // For dead letters: what it was about (may be empty).
  std::string event_type;
  std::string resource;
};

struct OutboundQueueOptions {
  // How long an ended delivery is remembered, so the same event is not
  // enqueued again.
  absl::Duration done_ttl = absl::Hours(24 * 7);
  // Retention of the dead-letter stream (approximate MAXLEN), as the event
  // consumer's.
  int64_t dead_letter_max_len = 100'000;
};

class OutboundQueue {
 public:
  using Clock = std::function<absl::Time()>;

  explicit OutboundQueue(NotificationsContext& ctx, Clock clock = absl::Now,
                         OutboundQueueOptions options = {});

  // Queues the POST of `event` (its proto3 JSON) to webhook `webhook_id`,
  // due now. Once per (event id, webhook). INVALID_ARGUMENT for a bad
  // municipality or id, an event without id, a payload that cannot be
  // written as JSON or a body over kMaxWebhookBodyBytes.
  absl::Status EnqueueWebhook(absl::string_view m, absl::string_view webhook_id,
                              const events::v1::Event& event,
                              absl::string_view about_newcomer);

  // Queues an e-mail. Once per (dedupe key, actor). INVALID_ARGUMENT
  // naming the field for what could never be sent (bad address, header
  // text with line breaks, text over its limit).
  absl::Status EnqueueEmail(absl::string_view m, const OutboundEmail& email);

  // Leases up to `limit` (at most 500) deliveries due at `now` for `lease`,
  // exclusively, earliest due first.
  absl::StatusOr<std::vector<QueuedDelivery>> Claim(absl::string_view m,
                                                    absl::Time now, int limit,
                                                    absl::Duration lease);

  // The delivery is done (sent, or dropped because its target is gone).
  absl::Status Complete(absl::string_view m, absl::string_view id);
  // An attempt failed: counts it, keeps `error` and makes the delivery
  // due at `next_due`. The first failure's time (the queue's clock)
  // becomes the delivery's first attempt time.
  absl::Status Retry(absl::string_view m, absl::string_view id,
                     absl::Time next_due, absl::string_view error);
  // Due again at `due` without counting an attempt (paused endpoint, open
  // circuit, a lease handed back).
  absl::Status Postpone(absl::string_view m, absl::string_view id,
                        absl::Time due);
  // Moves the delivery to the dead-letter stream (see above). `attempted`:
  // whether an attempt just failed (counted in the dead letter's
  // attempts) or the delivery gives up without trying again.
  absl::Status GiveUp(absl::string_view m, absl::string_view id,
                      absl::string_view error, bool attempted = true);

  // Deletes the waiting deliveries about a newcomer (not the ones of
  // other people); returns how many.
  absl::StatusOr<int> EraseAbout(absl::string_view m,
                                 absl::string_view newcomer_id);

  // DeadLetters' replayer for deliveries: the dead letter's delivery,
  // queued again as a fresh first attempt due now, with the same id (so
  // receivers recognise it). A no-op when that delivery is still waiting.
  // INVALID_ARGUMENT when the entry holds no readable delivery.
  absl::Status Requeue(const events::StreamEntry& dead_letter);

  // The ids, derived from what makes a delivery the same one.
  static std::string WebhookDeliveryId(absl::string_view event_id,
                                       absl::string_view webhook_id);
  static std::string EmailDeliveryId(absl::string_view dedupe_key,
                                     absl::string_view actor_id);

 private:
  // Reads, then removes, an ended delivery; false when it was no longer
  // waiting.
  absl::StatusOr<bool> Finish(absl::string_view m, absl::string_view id);
  std::string DeliveryPrefix(absl::string_view m) const;
  std::string AboutPrefix(absl::string_view m) const;

  NotificationsContext& ctx_;
  Clock clock_;
  OutboundQueueOptions options_;
};

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_OUTBOUND_QUEUE_H_
