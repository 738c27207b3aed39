#include "services/notifications/digest_sender.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/macros.h"
#include "services/notifications/digest_text.h"
#include "services/notifications/followed_municipalities.h"

namespace brobygger::notifications {
namespace {

bool Emails(const v1::NotificationPreferences& prefs) {
  return std::find(prefs.channels().begin(), prefs.channels().end(),
                   v1::CHANNEL_EMAIL) != prefs.channels().end() &&
         !prefs.email_address().empty();
}

}  // namespace

DigestSender::DigestSender(NotificationsContext& ctx, DigestQueue& digests,
                           PreferencesStore& preferences,
                           RegistryProjection& projection, EmailSender email,
                           DigestSenderOptions options, Clock clock)
    : ctx_(ctx),
      digests_(digests),
      preferences_(preferences),
      projection_(projection),
      email_(std::move(email)),
      options_(options),
      clock_(std::move(clock)),
      worker_(options.interval, [this] { RunOnce(); }) {}

absl::StatusOr<int> DigestSender::SendDue(absl::string_view municipality) {
  const absl::Time now = clock_();
  ASSIGN_OR_RETURN(
      std::vector<ClaimedDigest> claimed,
      digests_.Claim(municipality, now, options_.batch, options_.lease));
  int sent = 0;
  for (const ClaimedDigest& digest : claimed) {
    ASSIGN_OR_RETURN(v1::NotificationPreferences prefs,
                     preferences_.Effective(municipality, digest.actor_id));
    if (Emails(prefs) && !digest.items.empty()) {
      ASSIGN_OR_RETURN(std::optional<registry::v1::Actor> actor,
                       projection_.FindActor(municipality, digest.actor_id));
      const std::string name = actor.has_value() ? actor->display_name() : "";
      const DigestText text =
          RenderDigest(name, digest.items, prefs.digest_frequency(), now,
                       digest.older_dropped);
      OutgoingEmail email;
      email.to_address = prefs.email_address();
      email.to_name = name;
      email.subject = text.subject;
      email.text_body = text.text_body;
      // The lines a digest carries are named by their last sequence
      // number: a retry after a crash queues the same e-mail, not another.
      email.dedupe_key = absl::StrCat("digest/", digest.actor_id, "/",
                                      digest.through_sequence);
      RETURN_IF_ERROR(email_(municipality, digest.actor_id, email));
      ++sent;
    }
    RETURN_IF_ERROR(digests_.Complete(municipality, digest));
  }
  return sent;
}

void DigestSender::RunOnce() {
  absl::StatusOr<std::vector<std::string>> municipalities =
      FollowedMunicipalities(ctx_);
  if (!municipalities.ok()) {
    log::Warning("reading the followed municipalities failed; retried later",
                 {{"error", municipalities.status().ToString()}});
    return;
  }
  for (const std::string& municipality : *municipalities) {
    if (worker_.stopping()) return;
    absl::StatusOr<int> sent = SendDue(municipality);
    if (!sent.ok()) {
      log::Warning("sending digests failed; retried later",
                   {{"municipality", municipality},
                    {"error", sent.status().ToString()}});
    }
  }
}

}  // namespace brobygger::notifications
