// broctl notifications broadcast, broadcasts ... and concerns ...: what a
// coordinator tells many actors at once, and worries about one newcomer
// routed to the contact who handles them.
#include <string>
#include <vector>

#include "brobygger/notifications/v1/notification_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/notification_options.h"
#include "tools/broctl/notification_requests.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::notifications::v1;
using NotificationStub = v1::NotificationService::Stub;

absl::Status CreateBroadcast(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  v1::CreateBroadcastRequest request;
  request.set_parent(MunicipalityName(parent));
  ASSIGN_OR_RETURN(*request.mutable_broadcast(),
                   BroadcastFrom(inv.args, parent));
  request.set_request_id(inv.args.GetOr("request-id", ""));
  return CallServiceAndPrint(inv, &NotificationStub::CreateBroadcast, request);
}

absl::Status ListBroadcasts(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::NotificationService::NewStub(inv.Channel());
  v1::ListBroadcastsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListBroadcastsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListBroadcastsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListBroadcasts(inv.NewContext().get(), request, out);
      },
      [](v1::ListBroadcastsResponse* all, v1::ListBroadcastsResponse* page) {
        for (auto& item : *page->mutable_broadcasts()) {
          *all->add_broadcasts() = std::move(item);
        }
        return all->broadcasts_size();
      });
}

absl::Status GetBroadcast(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("broadcast name"));
  v1::GetBroadcastRequest request;
  request.set_name(name);
  return CallServiceAndPrint(inv, &NotificationStub::GetBroadcast, request);
}

absl::Status CancelBroadcast(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("broadcast name"));
  v1::CancelBroadcastRequest request;
  request.set_name(name);
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &NotificationStub::CancelBroadcast, request);
}

absl::Status RaiseConcern(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string newcomer, inv.args.Require("newcomer"));
  v1::RaiseConcernRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_request_id(inv.args.GetOr("request-id", ""));
  v1::Concern* concern = request.mutable_concern();
  concern->set_newcomer(ChildName(request.parent(), "actors", newcomer));
  ASSIGN_OR_RETURN(*concern->mutable_topic(), inv.args.Require("topic"));
  ASSIGN_OR_RETURN(*concern->mutable_description(),
                   inv.args.Require("description"));
  // With defaults: "joinedExisting": false says a new concern was raised.
  return CallServiceAndPrint(inv, &NotificationStub::RaiseConcern, request,
                             /*with_defaults=*/true);
}

absl::Status ListConcerns(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::NotificationService::NewStub(inv.Channel());
  v1::ListConcernsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListConcernsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListConcernsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListConcerns(inv.NewContext().get(), request, out);
      },
      [](v1::ListConcernsResponse* all, v1::ListConcernsResponse* page) {
        for (auto& item : *page->mutable_concerns()) {
          *all->add_concerns() = std::move(item);
        }
        return all->concerns_size();
      });
}

absl::Status GetConcern(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("concern name"));
  v1::GetConcernRequest request;
  request.set_name(name);
  return CallServiceAndPrint(inv, &NotificationStub::GetConcern, request);
}

absl::Status ResolveConcern(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("concern name"));
  v1::ResolveConcernRequest request;
  request.set_name(name);
  ASSIGN_OR_RETURN(*request.mutable_resolution(),
                   inv.args.Require("resolution"));
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &NotificationStub::ResolveConcern, request);
}

}  // namespace

std::vector<Command> NotificationBroadcastCommands() {
  const absl::string_view kAddress = kDefaultNotificationsAddress;
  return {
      {.name = "notifications broadcast",
       .synopsis = "--parent municipalities/ID (--forum FORUM | "
                   "--volunteers-in-area AREA | --actor-kind volunteer) "
                   "--title T --body B [--urgent] "
                   "[--start 2026-12-01T09:00:00Z] [--repeat-count N "
                   "--repeat-interval-days D] [--request-id UUID]",
       .summary = "Sends (or schedules) an announcement; a repeated one "
                  "reaches whoever is in the audience at each sending "
                  "(--volunteers-in-area \"\": the whole municipality). "
                  "Caseworkers, coordinators.",
       .options = {"parent", "forum", "volunteers-in-area", "actor-kind",
                   "title", "body", "urgent", "start", "repeat-count",
                   "repeat-interval-days", "request-id"},
       .run = CreateBroadcast,
       .default_address = kAddress},
      {.name = "notifications broadcasts list",
       .synopsis = "--parent municipalities/ID [--page-size N] "
                   "[--page-token T]",
       .summary = "Lists broadcasts, newest first.",
       .options = {"parent", "page-size", "page-token"},
       .run = ListBroadcasts,
       .default_address = kAddress},
      {.name = "notifications broadcasts get",
       .synopsis = "municipalities/ID/broadcasts/N",
       .summary = "Prints a broadcast: state, next sending, how many it "
                  "reached.",
       .min_positional = 1,
       .max_positional = 1,
       .run = GetBroadcast,
       .default_address = kAddress},
      {.name = "notifications broadcasts cancel",
       .synopsis = "municipalities/ID/broadcasts/N [--etag E]",
       .summary = "Stops further sendings of a scheduled or repeated "
                  "broadcast.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = CancelBroadcast,
       .default_address = kAddress},
      {.name = "notifications concerns raise",
       .synopsis =
           "--parent municipalities/ID --newcomer ACTOR --topic housing "
           "--description D [--request-id UUID]",
       .summary = "Raises a concern about a newcomer with the contact for the "
                  "topic, or joins the open one (the answer says who handles "
                  "it).",
       .options = {"parent", "newcomer", "topic", "description", "request-id"},
       .run = RaiseConcern,
       .default_address = kAddress},
      {.name = "notifications concerns list",
       .synopsis = "--parent municipalities/ID [--filter EXPR] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists concerns, newest first. Filter fields: state, "
                  "newcomer, topic, contact (e.g. 'state = OPEN').",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = ListConcerns,
       .default_address = kAddress},
      {.name = "notifications concerns get",
       .synopsis = "municipalities/ID/concerns/N",
       .summary = "Prints a concern with everyone who raised or joined it.",
       .min_positional = 1,
       .max_positional = 1,
       .run = GetConcern,
       .default_address = kAddress},
      {.name = "notifications concerns resolve",
       .synopsis = "municipalities/ID/concerns/N --resolution R [--etag E]",
       .summary = "Closes an open concern and tells everyone who raised or "
                  "joined it.",
       .options = {"resolution", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = ResolveConcern,
       .default_address = kAddress},
  };
}

}  // namespace brobygger::broctl
