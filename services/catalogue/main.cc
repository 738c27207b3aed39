// The catalogue service binary: the gRPC API, the plain-HTTP calendar
// feeds, and the follower of the registry's events.
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/config/flags.h"
#include "common/http/http_server.h"
#include "common/log/log.h"
#include "common/redis/redis_pool.h"
#include "common/server/bootstrap.h"
#include "common/server/service_host.h"
#include "common/time/copenhagen_time.h"
#include "services/catalogue/catalogue.h"
#include "services/catalogue/catalogue_service.h"
#include "services/catalogue/method_policies.h"

ABSL_FLAG(std::string, feed_listen, "127.0.0.1:8090",
          "host:port of the plain-HTTP calendar feeds; empty disables them "
          "(env BROBYGGER_FEED_LISTEN).");
ABSL_FLAG(std::string, feed_base_url, "http://127.0.0.1:8090",
          "Public base URL of the feeds, put before their paths in "
          "CalendarFeed.url (env BROBYGGER_FEED_BASE_URL).");
ABSL_FLAG(int, feed_threads, 4,
          "Threads serving calendar feeds "
          "(env BROBYGGER_FEED_THREADS).");

namespace {

using namespace brobygger;  // NOLINT: a main() wiring everything together.

http::HttpResponse ServeFeed(catalogue::CalendarFeeds& feeds,
                             const http::HttpRequest& request) {
  http::HttpResponse response;
  auto rendered = feeds.Serve(request.path);
  if (absl::IsNotFound(rendered.status())) {
    response.status = 404;
    response.body = "no such calendar feed (it may have been revoked)\n";
    return response;
  }
  if (!rendered.ok()) {
    log::Warning("serving a calendar feed failed",
                 {{"error", rendered.status().ToString()}});
    response.status = 503;
    response.body = "the catalogue is temporarily unavailable\n";
    response.headers.push_back({"Retry-After", "30"});
    return response;
  }
  response.content_type = "text/calendar; charset=utf-8";
  response.etag = rendered->etag;
  response.body = std::move(rendered->body);
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  server::InitService(argc, argv, "catalogue");
  if (absl::Status tz = time::CheckCopenhagenTimeZone(); !tz.ok()) {
    return server::FailStart("no time zone data (install tzdata)", tz);
  }
  redis::RedisPool pool(server::RedisOptionsFromFlags());
  auto authorizer = server::AuthorizerFromFlags(
      catalogue::v1::CatalogueService::service_full_name(),
      catalogue::CatalogueMethodPolicies());
  if (!authorizer.ok()) {
    return server::FailStart("cannot set up auth", authorizer.status());
  }

  catalogue::CatalogueOptions options;
  options.retention.max_len = absl::GetFlag(FLAGS_event_stream_maxlen);
  options.feed_base_url = absl::GetFlag(FLAGS_feed_base_url);
  options.follower.consumer = server::ReplicaName();
  catalogue::Catalogue catalogue(pool, options);
  catalogue::CatalogueService service(catalogue, *authorizer);

  server::HostOptions host_options = server::HostOptionsFromFlags(
      "catalogue", "127.0.0.1:50052", "127.0.0.1:9102");
  host_options.readiness_probe = [&pool] { return pool.Ping(); };
  server::InstallSignalHandlers();
  server::ServiceHost host(host_options);
  host.AddService(&service);

  std::unique_ptr<http::HttpServer> feeds;
  if (!absl::GetFlag(FLAGS_feed_listen).empty()) {
    http::HttpServerOptions feed_options;
    feed_options.address = absl::GetFlag(FLAGS_feed_listen);
    feed_options.threads = absl::GetFlag(FLAGS_feed_threads);
    auto started = http::HttpServer::Start(
        feed_options, [&catalogue](const http::HttpRequest& request) {
          return ServeFeed(catalogue.feeds(), request);
        });
    if (!started.ok()) {
      return server::FailStart("cannot serve feeds", started.status());
    }
    feeds = std::move(*started);
    log::Info("serving calendar feeds", {{"address", feed_options.address}});
  }
  catalogue.follower().Start();
  if (absl::Status status = host.Start(); !status.ok()) {
    return server::FailStart("cannot start", status);
  }
  host.Wait();
  catalogue.follower().Stop();
  if (feeds != nullptr) feeds->Stop();
  return EXIT_SUCCESS;
}
