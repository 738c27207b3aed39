// broctl notifications ...: subscriptions, inboxes (listed, marked read or
// watched live) and how a person wants to be told.
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "common/status/macros.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/inbox_watch.h"
#include "tools/broctl/notification_options.h"
#include "tools/broctl/notification_requests.h"
#include "tools/broctl/paging.h"
#include "tools/broctl/stop_signals.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
using NotificationStub = v1::NotificationService::Stub;

// The most messages ListNotifications and MarkNotificationsRead take at
// once.
constexpr int kMaxInboxPage = 500;
// Reconnecting to a restarted service should not wait for gRPC's default
// backoff of up to two minutes.
constexpr int kWatchMaxReconnectBackoffMs = 10'000;

absl::Status Subscribe(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  v1::CreateSubscriptionRequest request;
  request.set_parent(MunicipalityName(parent));
  ASSIGN_OR_RETURN(*request.mutable_subscription(),
                   SubscriptionFrom(inv.args, parent));
  request.set_request_id(inv.args.GetOr("request-id", ""));
  return CallServiceAndPrint(inv, &NotificationStub::CreateSubscription,
                             request);
}

absl::Status ListSubscriptions(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::NotificationService::NewStub(inv.Channel());
  v1::ListSubscriptionsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListSubscriptionsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListSubscriptionsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListSubscriptions(inv.NewContext().get(), request, out);
      },
      [](v1::ListSubscriptionsResponse* all,
         v1::ListSubscriptionsResponse* page) {
        for (auto& item : *page->mutable_subscriptions()) {
          *all->add_subscriptions() = std::move(item);
        }
        return all->subscriptions_size();
      });
}

absl::Status GetSubscription(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name,
                   inv.OnePositional("subscription name"));
  v1::GetSubscriptionRequest request;
  request.set_name(name);
  return CallServiceAndPrint(inv, &NotificationStub::GetSubscription, request);
}

absl::Status UpdateSubscription(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name,
                   inv.OnePositional("subscription name"));
  ASSIGN_OR_RETURN(const v1::UpdateSubscriptionRequest request,
                   SubscriptionUpdateFrom(inv.args, name));
  return CallServiceAndPrint(inv, &NotificationStub::UpdateSubscription,
                             request);
}

absl::Status DeleteSubscription(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name,
                   inv.OnePositional("subscription name"));
  v1::DeleteSubscriptionRequest request;
  request.set_name(name);
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &NotificationStub::DeleteSubscription,
                             request);
}

absl::Status ListInbox(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string inbox_text, inv.OnePositional("INBOX"));
  ASSIGN_OR_RETURN(const std::string inbox, InboxName(inv.args, inbox_text));
  ASSIGN_OR_RETURN(const bool unread_only, BoolOption(inv.args, "unread"));
  ASSIGN_OR_RETURN(PageRequest page, PageRequestFrom(inv.args));
  if (!page.single_page) page.page_size = kMaxInboxPage;
  auto stub = v1::NotificationService::NewStub(inv.Channel());
  v1::ListNotificationsRequest request;
  request.set_parent(inbox);
  request.set_unread_only(unread_only);
  request.set_page_size(page.page_size);
  // With defaults: an unread count of 0 is an answer, not a missing one.
  return ListPages<v1::ListNotificationsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListNotificationsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListNotifications(inv.NewContext().get(), request, out);
      },
      [](v1::ListNotificationsResponse* all,
         v1::ListNotificationsResponse* page) {
        all->set_unread_count(page->unread_count());
        for (auto& item : *page->mutable_notifications()) {
          *all->add_notifications() = std::move(item);
        }
        return all->notifications_size();
      },
      /*with_defaults=*/true);
}

// The newest message of the inbox, or "" when it is empty.
absl::StatusOr<std::string> NewestMessage(const Invocation& inv,
                                          const std::string& inbox) {
  v1::ListNotificationsRequest request;
  request.set_parent(inbox);
  request.set_page_size(1);
  ASSIGN_OR_RETURN(
      const v1::ListNotificationsResponse newest,
      CallService(inv, &NotificationStub::ListNotifications, request));
  return newest.notifications().empty() ? std::string()
                                        : newest.notifications(0).name();
}

absl::Status MarkRead(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string inbox,
                   InboxName(inv.args, inv.positional[0]));
  const std::vector<std::string> names(inv.positional.begin() + 1,
                                       inv.positional.end());
  ASSIGN_OR_RETURN(const bool all, BoolOption(inv.args, "all"));
  const std::optional<std::string> up_to = inv.args.Get("all-up-to");
  if ((!names.empty()) + up_to.has_value() + all != 1) {
    return absl::InvalidArgumentError(
        "say which messages: their NAMEs, --all-up-to NAME (it and every "
        "older one) or --all");
  }
  v1::MarkNotificationsReadRequest request;
  request.set_parent(inbox);
  for (const std::string& name : names) {
    request.add_names(ChildName(inbox, "notifications", name));
  }
  if (up_to.has_value()) {
    if (up_to->empty())
      return absl::InvalidArgumentError("missing --all-up-to");
    request.set_all_up_to(ChildName(inbox, "notifications", *up_to));
  }
  if (all) {
    ASSIGN_OR_RETURN(const std::string newest, NewestMessage(inv, inbox));
    if (newest.empty()) {
      return PrintJson(v1::MarkNotificationsReadResponse(),
                       /*with_defaults=*/true);
    }
    request.set_all_up_to(newest);
  }
  return CallServiceAndPrint(inv, &NotificationStub::MarkNotificationsRead,
                             request, /*with_defaults=*/true);
}

absl::Status Watch(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string inbox_text, inv.OnePositional("INBOX"));
  InboxWatchOptions options;
  ASSIGN_OR_RETURN(options.inbox, InboxName(inv.args, inbox_text));
  options.cursor = inv.args.GetOr("cursor", "");
  ASSIGN_OR_RETURN(const std::optional<int64_t> count,
                   IntOption(inv.args, "count", 1, INT64_MAX));
  options.count = count.value_or(0);
  ASSIGN_OR_RETURN(options.heartbeats, BoolOption(inv.args, "heartbeats"));
  options.token = inv.token;
  options.connect_timeout = inv.timeout;

  std::optional<InboxWatcher> watcher;  // outlives the signal waiter
  // Before the channel: gRPC's threads must inherit the blocked signals.
  StopSignals signals;
  grpc::ChannelArguments channel_args;
  channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
                      kWatchMaxReconnectBackoffMs);
  watcher.emplace(
      grpc::CreateCustomChannel(inv.address, grpc::InsecureChannelCredentials(),
                                channel_args),
      options, std::cout, std::cerr);
  signals.Start([&watcher] { watcher->Stop(); });
  const grpc::Status status = watcher->Run();
  if (!status.ok()) return CallStatus(status, inv);
  return absl::OkStatus();
}

absl::Status GetPreferences(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string inbox_text, inv.OnePositional("INBOX"));
  ASSIGN_OR_RETURN(const std::string inbox, InboxName(inv.args, inbox_text));
  v1::GetNotificationPreferencesRequest request;
  request.set_name(absl::StrCat(inbox, "/preferences"));
  // With defaults: max_per_hour 0 and digest_hour 0 mean something.
  return CallServiceAndPrint(inv, &NotificationStub::GetNotificationPreferences,
                             request, /*with_defaults=*/true);
}

absl::Status SetPreferences(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string inbox_text, inv.OnePositional("INBOX"));
  ASSIGN_OR_RETURN(const std::string inbox, InboxName(inv.args, inbox_text));
  ASSIGN_OR_RETURN(const v1::UpdateNotificationPreferencesRequest request,
                   PreferencesUpdateFrom(inv.args, inbox));
  return CallServiceAndPrint(inv,
                             &NotificationStub::UpdateNotificationPreferences,
                             request, /*with_defaults=*/true);
}

std::vector<absl::string_view> WithParent(
    std::vector<absl::string_view> options) {
  options.push_back("parent");
  return options;
}

}  // namespace

std::vector<Command> NotificationCommands() {
  const absl::string_view kAddress = kDefaultNotificationsAddress;
  return {
      {.name = "notifications subscribe",
       .synopsis = "--parent municipalities/ID (--subscriber ACTOR | "
                   "--webhook WEBHOOK) --topics activities,matches "
                   "[--areas \"Vester Hassing,Hals\"] "
                   "[--categories language-cafe,...] [--forums F,...] "
                   "[--request-id UUID]",
       .summary = "Subscribes an actor's inbox or a webhook to topics: "
                  "activities, newcomer-placed, matches, forums, broadcasts, "
                  "concerns (ACTOR, WEBHOOK and forums by id or full name).",
       .options = {"parent", "subscriber", "webhook", "topics", "areas",
                   "categories", "forums", "request-id"},
       .run = Subscribe,
       .default_address = kAddress},
      {.name = "notifications subscriptions list",
       .synopsis = "--parent municipalities/ID [--filter EXPR] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists subscriptions. Filter fields: subscriber, webhook, "
                  "topic (e.g. 'subscriber = \"municipalities/aalborg/"
                  "actors/42\"').",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = ListSubscriptions,
       .default_address = kAddress},
      {.name = "notifications subscriptions get",
       .synopsis = "municipalities/ID/subscriptions/N",
       .summary = "Prints a subscription.",
       .min_positional = 1,
       .max_positional = 1,
       .run = GetSubscription,
       .default_address = kAddress},
      {.name = "notifications subscriptions update",
       .synopsis = "municipalities/ID/subscriptions/N [--topics T,...] "
                   "[--areas A,...|none] [--categories C,...|none] "
                   "[--forums F,...|none] [--etag E]",
       .summary = "Changes only the lists given (none clears a filter).",
       .options = {"topics", "areas", "categories", "forums", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = UpdateSubscription,
       .default_address = kAddress},
      {.name = "notifications subscriptions delete",
       .synopsis = "municipalities/ID/subscriptions/N [--etag E]",
       .summary = "Deletes a subscription.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = DeleteSubscription,
       .default_address = kAddress},
      {.name = "notifications inbox list",
       .synopsis = "INBOX [--unread] [--page-size N] [--page-token T]",
       .summary = "An inbox's messages, newest first, with its unread count. "
                  "INBOX: municipalities/ID/inboxes/N, the actor "
                  "municipalities/ID/actors/N, or N with --parent ID.",
       .options = {"parent", "unread", "page-size", "page-token"},
       .min_positional = 1,
       .max_positional = 1,
       .run = ListInbox,
       .default_address = kAddress},
      {.name = "notifications inbox read",
       .synopsis = "INBOX (NAME... | --all-up-to NAME | --all)",
       .summary = "Marks messages read (by name or id): the ones given (at "
                  "most 500), one and every older one, or all.",
       .options = {"parent", "all-up-to", "all"},
       .min_positional = 1,
       .max_positional = 1 + kMaxInboxPage,
       .run = MarkRead,
       .default_address = kAddress},
      {.name = "notifications watch",
       .synopsis = "INBOX [--cursor C] [--count N] [--heartbeats]",
       .summary = "Prints an inbox's messages as they arrive, one JSON line "
                  "each, until Ctrl-C or --count messages; after a dropped "
                  "stream it reconnects from the last cursor (said on "
                  "stderr). --timeout bounds only connecting, never the "
                  "watch. --cursor resumes after a cursor printed earlier.",
       .options = WithParent({"cursor", "count", "heartbeats"}),
       .min_positional = 1,
       .max_positional = 1,
       .run = Watch,
       .default_address = kAddress},
      {.name = "notifications preferences get",
       .synopsis = "INBOX",
       .summary = "How the inbox's owner wants to be told.",
       .options = {"parent"},
       .min_positional = 1,
       .max_positional = 1,
       .run = GetPreferences,
       .default_address = kAddress},
      {.name = "notifications preferences set",
       .synopsis = "INBOX [--email a@b.dk] [--channels email|none] "
                   "[--urgent-channels email|none] "
                   "[--quiet-hours 21:00-08:00|none|default] "
                   "[--max-per-hour N] [--digest daily|weekly|none] "
                   "[--digest-weekday 1-7] [--digest-hour H] [--etag E]",
       .summary = "Changes only the preferences given.",
       .options = WithParent(PreferenceOptions()),
       .min_positional = 1,
       .max_positional = 1,
       .run = SetPreferences,
       .default_address = kAddress},
  };
}

}  // namespace brobygger::broctl
