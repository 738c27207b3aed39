// broctl notifications webhooks ... and dead-letters ...: the systems that
// receive events as signed HTTP POSTs, and what the pipeline gave up on.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
using NotificationStub = v1::NotificationService::Stub;

// Writes the secret for a receiver's --secret-file: readable by the owner
// only, since whoever holds it can sign deliveries.
absl::Status WriteSecretFile(const std::string& path,
                             absl::string_view secret) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                      S_IRUSR | S_IWUSR);
  if (fd < 0 || fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    const std::string error = std::strerror(errno);
    if (fd >= 0) close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the secret to ", path, ": ", error,
                     " (the endpoint exists; rotate its secret to get a new "
                     "one)"));
  }
  const std::string line = absl::StrCat(secret, "\n");
  const bool written =
      write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const bool closed = close(fd) == 0;
  if (!written || !closed) {
    return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  }
  return absl::OkStatus();
}

// Prints an endpoint whose answer carries its secret, and what to do with
// the secret: it is never shown again. With --secret-out it goes into that
// file instead of stdout (and so not into terminal logs), unless writing
// the file fails: then it is printed rather than lost.
absl::Status PrintWithSecret(const Invocation& inv,
                             const v1::WebhookEndpoint& endpoint) {
  const std::optional<std::string> out = inv.args.Get("secret-out");
  if (endpoint.secret().empty()) {
    RETURN_IF_ERROR(PrintJson(endpoint));
    std::cerr << "broctl: the answer holds no secret: this --request-id was "
                 "used before and a secret is shown only once; run `broctl "
                 "notifications webhooks rotate-secret "
              << endpoint.name() << "` for a new one\n";
    return absl::OkStatus();
  }
  if (out.has_value()) {
    const absl::Status written = WriteSecretFile(*out, endpoint.secret());
    if (!written.ok()) {
      RETURN_IF_ERROR(PrintJson(endpoint));
      return written;
    }
    v1::WebhookEndpoint without_secret = endpoint;
    without_secret.clear_secret();
    RETURN_IF_ERROR(PrintJson(without_secret));
    std::cerr << "broctl: the signing secret is in " << *out
              << " (mode 600); it is not shown again\n";
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(PrintJson(endpoint));
  std::cerr << "broctl: store the signing secret (\"secret\") now, e.g. for "
               "`broctl webhook-receiver --secret-file`: it is not shown "
               "again (--secret-out FILE writes it to a file instead)\n";
  return absl::OkStatus();
}

absl::Status CreateWebhook(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string owner, inv.args.Require("owner"));
  v1::CreateWebhookEndpointRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_request_id(inv.args.GetOr("request-id", ""));
  v1::WebhookEndpoint* endpoint = request.mutable_webhook_endpoint();
  endpoint->set_owner(ChildName(request.parent(), "actors", owner));
  ASSIGN_OR_RETURN(*endpoint->mutable_display_name(),
                   inv.args.Require("display-name"));
  ASSIGN_OR_RETURN(*endpoint->mutable_url(), inv.args.Require("url"));
  ASSIGN_OR_RETURN(
      const v1::WebhookEndpoint created,
      CallService(inv, &NotificationStub::CreateWebhookEndpoint, request));
  return PrintWithSecret(inv, created);
}

absl::Status ListWebhooks(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::NotificationService::NewStub(inv.Channel());
  v1::ListWebhookEndpointsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListWebhookEndpointsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListWebhookEndpointsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListWebhookEndpoints(inv.NewContext().get(), request, out);
      },
      [](v1::ListWebhookEndpointsResponse* all,
         v1::ListWebhookEndpointsResponse* page) {
        for (auto& item : *page->mutable_webhook_endpoints()) {
          *all->add_webhook_endpoints() = std::move(item);
        }
        return all->webhook_endpoints_size();
      });
}

absl::Status GetWebhook(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("webhook name"));
  v1::GetWebhookEndpointRequest request;
  request.set_name(name);
  return CallServiceAndPrint(inv, &NotificationStub::GetWebhookEndpoint,
                             request);
}

absl::Status UpdateWebhook(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("webhook name"));
  v1::UpdateWebhookEndpointRequest request;
  v1::WebhookEndpoint* endpoint = request.mutable_webhook_endpoint();
  endpoint->set_name(name);
  endpoint->set_etag(inv.args.GetOr("etag", ""));
  if (inv.args.Has("display-name")) {
    ASSIGN_OR_RETURN(*endpoint->mutable_display_name(),
                     inv.args.Require("display-name"));
    request.mutable_update_mask()->add_paths("display_name");
  }
  if (inv.args.Has("url")) {
    ASSIGN_OR_RETURN(*endpoint->mutable_url(), inv.args.Require("url"));
    request.mutable_update_mask()->add_paths("url");
  }
  if (request.update_mask().paths().empty()) {
    return absl::InvalidArgumentError(
        "nothing to change: give --display-name and/or --url (pause and "
        "resume have their own commands)");
  }
  return CallServiceAndPrint(inv, &NotificationStub::UpdateWebhookEndpoint,
                             request);
}

absl::Status SetPaused(const Invocation& inv, bool paused) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("webhook name"));
  v1::UpdateWebhookEndpointRequest request;
  v1::WebhookEndpoint* endpoint = request.mutable_webhook_endpoint();
  endpoint->set_name(name);
  endpoint->set_etag(inv.args.GetOr("etag", ""));
  endpoint->set_paused(paused);
  request.mutable_update_mask()->add_paths("paused");
  // With defaults: "paused": false is the point of resuming.
  return CallServiceAndPrint(inv, &NotificationStub::UpdateWebhookEndpoint,
                             request, /*with_defaults=*/true);
}

absl::Status PauseWebhook(const Invocation& inv) {
  return SetPaused(inv, true);
}

absl::Status ResumeWebhook(const Invocation& inv) {
  return SetPaused(inv, false);
}

absl::Status DeleteWebhook(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("webhook name"));
  v1::DeleteWebhookEndpointRequest request;
  request.set_name(name);
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &NotificationStub::DeleteWebhookEndpoint,
                             request);
}

absl::Status RotateSecret(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("webhook name"));
  v1::RotateWebhookSecretRequest request;
  request.set_name(name);
  ASSIGN_OR_RETURN(
      const v1::WebhookEndpoint rotated,
      CallService(inv, &NotificationStub::RotateWebhookSecret, request));
  return PrintWithSecret(inv, rotated);
}

// "deadLetters/1732450000000-0" or its id alone.
std::string DeadLetterName(absl::string_view id_or_name) {
  if (absl::StartsWith(id_or_name, "deadLetters/")) {
    return std::string(id_or_name);
  }
  return absl::StrCat("deadLetters/", id_or_name);
}

absl::Status ListDeadLetters(const Invocation& inv) {
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::NotificationService::NewStub(inv.Channel());
  v1::ListDeadLettersRequest request;
  // The service filters by the municipality's id ("aalborg").
  request.set_municipality(std::string(absl::StripPrefix(
      inv.args.GetOr("municipality", ""), "municipalities/")));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListDeadLettersResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListDeadLettersResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListDeadLetters(inv.NewContext().get(), request, out);
      },
      [](v1::ListDeadLettersResponse* all, v1::ListDeadLettersResponse* page) {
        for (auto& item : *page->mutable_dead_letters()) {
          *all->add_dead_letters() = std::move(item);
        }
        return all->dead_letters_size();
      });
}

absl::Status ReplayDeadLetter(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name,
                   inv.OnePositional("dead letter name"));
  v1::ReplayDeadLetterRequest request;
  request.set_name(DeadLetterName(name));
  return CallServiceAndPrint(inv, &NotificationStub::ReplayDeadLetter, request);
}

absl::Status DeleteDeadLetter(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name,
                   inv.OnePositional("dead letter name"));
  v1::DeleteDeadLetterRequest request;
  request.set_name(DeadLetterName(name));
  return CallServiceAndPrint(inv, &NotificationStub::DeleteDeadLetter, request);
}

}  // namespace

std::vector<Command> NotificationWebhookCommands() {
  const absl::string_view kAddress = kDefaultNotificationsAddress;
  return {
      {.name = "notifications webhooks create",
       .synopsis = "--parent municipalities/ID --owner ACTOR --display-name T "
                   "--url https://... [--secret-out FILE] "
                   "[--request-id UUID]",
       .summary = "Registers a system that receives events as signed POSTs "
                  "(http:// only on loopback). Prints its signing secret "
                  "once (--secret-out: into a mode-600 file instead of "
                  "stdout).",
       .options = {"parent", "owner", "display-name", "url", "secret-out",
                   "request-id"},
       .run = CreateWebhook,
       .default_address = kAddress},
      {.name = "notifications webhooks list",
       .synopsis = "--parent municipalities/ID [--page-size N] "
                   "[--page-token T]",
       .summary = "Lists webhook endpoints with their circuit state and last "
                  "error (never their secrets).",
       .options = {"parent", "page-size", "page-token"},
       .run = ListWebhooks,
       .default_address = kAddress},
      {.name = "notifications webhooks get",
       .synopsis = "municipalities/ID/webhooks/N",
       .summary = "Prints a webhook endpoint.",
       .min_positional = 1,
       .max_positional = 1,
       .run = GetWebhook,
       .default_address = kAddress},
      {.name = "notifications webhooks update",
       .synopsis = "municipalities/ID/webhooks/N [--display-name T] "
                   "[--url U] [--etag E]",
       .summary = "Changes an endpoint's name or URL.",
       .options = {"display-name", "url", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = UpdateWebhook,
       .default_address = kAddress},
      {.name = "notifications webhooks pause",
       .synopsis = "municipalities/ID/webhooks/N [--etag E]",
       .summary = "Stops deliveries to the endpoint; they wait until it is "
                  "resumed.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = PauseWebhook,
       .default_address = kAddress},
      {.name = "notifications webhooks resume",
       .synopsis = "municipalities/ID/webhooks/N [--etag E]",
       .summary = "Delivers again, the waiting deliveries first.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = ResumeWebhook,
       .default_address = kAddress},
      {.name = "notifications webhooks rotate-secret",
       .synopsis = "municipalities/ID/webhooks/N [--secret-out FILE]",
       .summary = "A new signing secret, printed once; the old one stops at "
                  "once.",
       .options = {"secret-out"},
       .min_positional = 1,
       .max_positional = 1,
       .run = RotateSecret,
       .default_address = kAddress},
      {.name = "notifications webhooks delete",
       .synopsis = "municipalities/ID/webhooks/N [--etag E]",
       .summary = "Deletes the endpoint, its subscriptions and its waiting "
                  "deliveries.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = DeleteWebhook,
       .default_address = kAddress},
      {.name = "notifications dead-letters list",
       .synopsis = "[--municipality ID] [--page-size N] [--page-token T]",
       .summary = "What the pipeline gave up on, oldest first: ids, types, "
                  "resources and the last error, never the content "
                  "(operators).",
       .options = {"municipality", "page-size", "page-token"},
       .run = ListDeadLetters,
       .default_address = kAddress},
      {.name = "notifications dead-letters replay",
       .synopsis = "deadLetters/ID",
       .summary = "Sends a dead letter through the pipeline again and "
                  "removes it (operators).",
       .min_positional = 1,
       .max_positional = 1,
       .run = ReplayDeadLetter,
       .default_address = kAddress},
      {.name = "notifications dead-letters delete",
       .synopsis = "deadLetters/ID",
       .summary = "Removes a dead letter without replaying it (operators).",
       .min_positional = 1,
       .max_positional = 1,
       .run = DeleteDeadLetter,
       .default_address = kAddress},
  };
}

}  // namespace brobygger::broctl
