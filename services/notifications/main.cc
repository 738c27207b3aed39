// The notification service binary: the gRPC API, the followers of the
// other services' event streams, the delivery worker (webhooks, e-mail),
// the digest sender, the broadcast scheduler and the watched inboxes.
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/config/flags.h"
#include "common/log/log.h"
#include "common/redis/redis_pool.h"
#include "common/server/bootstrap.h"
#include "common/server/service_host.h"
#include "common/status/macros.h"
#include "services/notifications/curl_support.h"
#include "services/notifications/method_policies.h"
#include "services/notifications/notification_service.h"
#include "services/notifications/notifications.h"

ABSL_FLAG(std::string, follow_municipalities, "",
          "Comma-separated municipality ids whose events are followed from "
          "the start (others from the first call about them). "
          "Env BROBYGGER_FOLLOW_MUNICIPALITIES.");
ABSL_FLAG(std::string, smtp_url, "",
          "The e-mail relay, \"smtp://host:587\" (STARTTLS) or "
          "\"smtps://host:465\". Empty: e-mails wait in the queue until a "
          "relay is configured. Env BROBYGGER_SMTP_URL.");
ABSL_FLAG(std::string, smtp_from, "",
          "The sender address of e-mails, e.g. \"brobygger@aalborg.dk\". "
          "Env BROBYGGER_SMTP_FROM.");
ABSL_FLAG(std::string, smtp_from_name, "Brobygger",
          "The sender's display name. Env BROBYGGER_SMTP_FROM_NAME.");
ABSL_FLAG(std::string, smtp_username, "",
          "Relay login; empty for none. Env BROBYGGER_SMTP_USERNAME.");
ABSL_FLAG(std::string, smtp_password_file, "",
          "File holding the relay password. "
          "Env BROBYGGER_SMTP_PASSWORD_FILE.");
ABSL_FLAG(bool, smtp_starttls_optional, false,
          "Send in clear when the relay offers no STARTTLS: only for a relay "
          "on the same host or a trusted network. "
          "Env BROBYGGER_SMTP_STARTTLS_OPTIONAL.");
ABSL_FLAG(int, delivery_threads, 2,
          "Threads delivering webhooks and e-mails. "
          "Env BROBYGGER_DELIVERY_THREADS.");
ABSL_FLAG(absl::Duration, digest_interval, absl::Seconds(30),
          "How often due digests are looked for. "
          "Env BROBYGGER_DIGEST_INTERVAL.");
ABSL_FLAG(absl::Duration, broadcast_interval, absl::Seconds(5),
          "How often due broadcasts are looked for. "
          "Env BROBYGGER_BROADCAST_INTERVAL.");
ABSL_FLAG(absl::Duration, watch_poll_interval, absl::Milliseconds(100),
          "How often watched inboxes are polled for new messages. "
          "Env BROBYGGER_WATCH_POLL_INTERVAL.");

namespace {

using namespace brobygger;  // NOLINT: a main() wiring everything together.

absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(text.str()));
}

absl::StatusOr<std::optional<notifications::SmtpRelay>> RelayFromFlags() {
  const std::string url = absl::GetFlag(FLAGS_smtp_url);
  if (url.empty()) return std::nullopt;
  notifications::SmtpRelay relay;
  relay.url = url;
  relay.from_address = absl::GetFlag(FLAGS_smtp_from);
  relay.from_name = absl::GetFlag(FLAGS_smtp_from_name);
  relay.username = absl::GetFlag(FLAGS_smtp_username);
  if (relay.from_address.empty()) {
    return absl::InvalidArgumentError(
        "--smtp_from is required with --smtp_url");
  }
  if (!absl::GetFlag(FLAGS_smtp_password_file).empty()) {
    ASSIGN_OR_RETURN(relay.password,
                     ReadSecretFile(absl::GetFlag(FLAGS_smtp_password_file)));
  }
  if (absl::GetFlag(FLAGS_smtp_starttls_optional)) {
    relay.tls = notifications::SmtpTls::kOpportunistic;
  }
  return relay;
}

}  // namespace

int main(int argc, char** argv) {
  server::InitService(argc, argv, "notifications");
  notifications::InitCurlOnce();
  redis::RedisPool pool(server::RedisOptionsFromFlags());
  auto authorizer = server::AuthorizerFromFlags(
      notifications::v1::NotificationService::service_full_name(),
      notifications::NotificationsMethodPolicies());
  if (!authorizer.ok()) {
    return server::FailStart("cannot set up auth", authorizer.status());
  }
  auto relay = RelayFromFlags();
  if (!relay.ok()) return server::FailStart("bad e-mail relay", relay.status());

  server::HostOptions host_options = server::HostOptionsFromFlags(
      "notifications", "127.0.0.1:50054", "127.0.0.1:9104");
  host_options.readiness_probe = [&pool] { return pool.Ping(); };
  // Open watches end at once (clients reconnect elsewhere with their
  // cursor) instead of holding the drain until its deadline.
  notifications::Notifications* watched = nullptr;
  host_options.on_drain = [&watched] {
    if (watched != nullptr) watched->watch_hub().Stop();
  };
  server::InstallSignalHandlers();
  server::ServiceHost host(host_options);

  notifications::NotificationsOptions options;
  options.retention.max_len = absl::GetFlag(FLAGS_event_stream_maxlen);
  options.follower.consumer = server::ReplicaName();
  options.delivery.threads = absl::GetFlag(FLAGS_delivery_threads);
  options.delivery.smtp_relay = *relay;
  options.delivery.metrics = host.metrics_registry();
  options.digests.interval = absl::GetFlag(FLAGS_digest_interval);
  options.broadcasts.interval = absl::GetFlag(FLAGS_broadcast_interval);
  options.watch.poll_interval = absl::GetFlag(FLAGS_watch_poll_interval);
  notifications::Notifications notifications(pool, options);
  watched = &notifications;
  notifications::NotificationService service(notifications, *authorizer);
  host.AddService(&service);

  for (absl::string_view m :
       absl::StrSplit(absl::GetFlag(FLAGS_follow_municipalities), ',',
                      absl::SkipWhitespace())) {
    m = absl::StripAsciiWhitespace(m);
    if (absl::Status status = notifications.Follow(m); !status.ok()) {
      // Redis may not be up yet; the first call about it follows it then.
      log::Warning("cannot follow municipality yet",
                   {{"municipality", m}, {"error", status.ToString()}});
    }
  }

  notifications.Start();
  if (absl::Status status = host.Start(); !status.ok()) {
    notifications.Stop();
    return server::FailStart("cannot start", status);
  }
  host.Wait();
  notifications.Stop();
  return EXIT_SUCCESS;
}
