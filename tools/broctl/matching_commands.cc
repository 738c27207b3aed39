// broctl matching ...: volunteer requests, explained suggestions, batch
// assignment, and answering, activating and ending matches.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "brobygger/matching/v1/matching_service.grpc.pb.h"
#include "common/status/macros.h"
#include "tools/broctl/catalogue_query.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/file_io.h"
#include "tools/broctl/paging.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::matching::v1;
using MatchingStub = v1::MatchingService::Stub;

// "RECEPTION_BUDDY", "reception-buddy" or "MATCH_KIND_RECEPTION_BUDDY".
absl::StatusOr<v1::MatchKind> ParseKind(absl::string_view text) {
  std::string name = absl::AsciiStrToUpper(text);
  absl::c_replace(name, '-', '_');
  if (!absl::StartsWith(name, "MATCH_KIND_")) name = "MATCH_KIND_" + name;
  v1::MatchKind kind;
  if (!v1::MatchKind_Parse(name, &kind) || kind == v1::MATCH_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "--kind: RECEPTION_BUDDY, MENTOR, NETWORK_FAMILY, FRIENDSHIP_FAMILY or "
        "LOCAL_WELCOME_CONTACT");
  }
  return kind;
}

absl::StatusOr<v1::Match::EndReason> ParseEndReason(absl::string_view text) {
  std::string name = absl::AsciiStrToUpper(text);
  absl::c_replace(name, '-', '_');
  if (!absl::StartsWith(name, "END_REASON_")) name = "END_REASON_" + name;
  v1::Match::EndReason reason;
  if (!v1::Match::EndReason_Parse(name, &reason)) {
    return absl::InvalidArgumentError(
        "--reason: COMPLETED, VOLUNTEER_STOPPED, NEWCOMER_STOPPED, "
        "NEWCOMER_MOVED, CONSENT_WITHDRAWN or OTHER");
  }
  return reason;
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    out.emplace_back(absl::StripAsciiWhitespace(item));
  }
  return out;
}

absl::Status CreateRequest(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const std::string newcomer, inv.args.Require("newcomer"));
  ASSIGN_OR_RETURN(const std::string kind_text, inv.args.Require("kind"));
  ASSIGN_OR_RETURN(const v1::MatchKind kind, ParseKind(kind_text));
  v1::CreateVolunteerRequestRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_request_id(inv.args.GetOr("request-id", ""));
  v1::VolunteerRequest* created = request.mutable_volunteer_request();
  created->set_newcomer(ChildName(request.parent(), "actors", newcomer));
  created->set_kind(kind);
  created->mutable_constraints()->set_language(inv.args.GetOr("language", ""));
  created->mutable_constraints()->set_area(inv.args.GetOr("area", ""));
  for (std::string& need : CommaList(inv.args.GetOr("needs", ""))) {
    created->mutable_wishes()->add_needs(std::move(need));
  }
  created->set_note(inv.args.GetOr("note", ""));
  return CallServiceAndPrint(inv, &MatchingStub::CreateVolunteerRequest,
                             request);
}

absl::Status ListRequests(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::MatchingService::NewStub(inv.Channel());
  v1::ListVolunteerRequestsRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListVolunteerRequestsResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListVolunteerRequestsResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListVolunteerRequests(inv.NewContext().get(), request,
                                           out);
      },
      [](v1::ListVolunteerRequestsResponse* all,
         v1::ListVolunteerRequestsResponse* page) {
        for (auto& item : *page->mutable_volunteer_requests()) {
          *all->add_volunteer_requests() = std::move(item);
        }
        return all->volunteer_requests_size();
      });
}

absl::Status CancelRequest(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("request name"));
  v1::CancelVolunteerRequestRequest request;
  request.set_name(name);
  request.set_reason(inv.args.GetOr("reason", ""));
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &MatchingStub::CancelVolunteerRequest,
                             request);
}

absl::Status Suggest(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("request name"));
  ASSIGN_OR_RETURN(const std::optional<int64_t> top_k,
                   IntOption(inv.args, "top-k", 1, 100));
  v1::SuggestMatchesRequest request;
  request.set_volunteer_request(name);
  request.set_top_k(static_cast<int32_t>(top_k.value_or(0)));
  return CallServiceAndPrint(inv, &MatchingStub::SuggestMatches, request);
}

absl::Status Assign(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const bool validate_only,
                   BoolOption(inv.args, "validate-only"));
  v1::AssignMatchesRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_validate_only(validate_only);
  for (const std::string& name : CommaList(inv.args.GetOr("requests", ""))) {
    request.add_volunteer_requests(
        ChildName(request.parent(), "volunteerRequests", name));
  }
  return CallServiceAndPrint(inv, &MatchingStub::AssignMatches, request);
}

absl::Status Propose(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("request name"));
  v1::ProposeMatchRequest request;
  request.set_volunteer_request(name);
  if (auto volunteer = inv.args.Get("volunteer"); volunteer.has_value()) {
    const std::string parent(name.substr(0, name.find("/volunteerRequests/")));
    request.set_volunteer(ChildName(parent, "actors", *volunteer));
  }
  request.set_request_id(inv.args.GetOr("request-id", ""));
  return CallServiceAndPrint(inv, &MatchingStub::ProposeMatch, request);
}

absl::Status GetMatch(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("match name"));
  v1::GetMatchRequest request;
  request.set_name(name);
  return CallServiceAndPrint(inv, &MatchingStub::GetMatch, request);
}

absl::Status ListMatches(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string parent, inv.args.Require("parent"));
  ASSIGN_OR_RETURN(const PageRequest page, PageRequestFrom(inv.args));
  auto stub = v1::MatchingService::NewStub(inv.Channel());
  v1::ListMatchesRequest request;
  request.set_parent(MunicipalityName(parent));
  request.set_filter(inv.args.GetOr("filter", ""));
  request.set_page_size(page.page_size);
  return ListPages<v1::ListMatchesResponse>(
      page, inv,
      [&](const std::string& token,
          v1::ListMatchesResponse* out) -> grpc::Status {
        request.set_page_token(token);
        return stub->ListMatches(inv.NewContext().get(), request, out);
      },
      [](v1::ListMatchesResponse* all, v1::ListMatchesResponse* page) {
        for (auto& item : *page->mutable_matches()) {
          *all->add_matches() = std::move(item);
        }
        return all->matches_size();
      });
}

absl::Status Accept(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("match name"));
  v1::AcceptMatchRequest request;
  request.set_name(name);
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &MatchingStub::AcceptMatch, request);
}

absl::Status Decline(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("match name"));
  v1::DeclineMatchRequest request;
  request.set_name(name);
  request.set_reason(inv.args.GetOr("reason", ""));
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &MatchingStub::DeclineMatch, request);
}

absl::Status Activate(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("match name"));
  v1::ActivateMatchRequest request;
  request.set_name(name);
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &MatchingStub::ActivateMatch, request);
}

absl::Status End(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("match name"));
  ASSIGN_OR_RETURN(const std::string reason_text, inv.args.Require("reason"));
  ASSIGN_OR_RETURN(const v1::Match::EndReason reason,
                   ParseEndReason(reason_text));
  v1::EndMatchRequest request;
  request.set_name(name);
  request.set_reason(reason);
  request.set_note(inv.args.GetOr("note", ""));
  request.set_etag(inv.args.GetOr("etag", ""));
  return CallServiceAndPrint(inv, &MatchingStub::EndMatch, request);
}

absl::Status Record(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("record name"));
  v1::GetVolunteerRecordRequest request;
  request.set_name(name);
  return CallServiceAndPrint(inv, &MatchingStub::GetVolunteerRecord, request);
}

absl::Status Certificate(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("record name"));
  v1::ExportVolunteerCertificateRequest request;
  request.set_name(name);
  request.set_format(inv.args.GetOr("format", ""));
  request.set_issuer(inv.args.GetOr("issuer", ""));
  ASSIGN_OR_RETURN(
      v1::VolunteerCertificate certificate,
      CallService(inv, &MatchingStub::ExportVolunteerCertificate, request));
  return WriteOutput(inv.args.GetOr("out", "-"), certificate.content());
}

absl::Status Activities(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string name, inv.OnePositional("newcomer name"));
  ASSIGN_OR_RETURN(const std::optional<int64_t> top_k,
                   IntOption(inv.args, "top-k", 1, 50));
  v1::SuggestActivitiesRequest request;
  request.set_newcomer(name);
  request.set_top_k(static_cast<int32_t>(top_k.value_or(0)));
  return CallServiceAndPrint(inv, &MatchingStub::SuggestActivities, request);
}

}  // namespace

std::vector<Command> MatchingCommands() {
  const absl::string_view kAddress = kDefaultMatchingAddress;
  return {
      {.name = "matching request create",
       .synopsis = "--parent municipalities/ID --newcomer ACTOR --kind "
                   "RECEPTION_BUDDY|MENTOR|NETWORK_FAMILY|FRIENDSHIP_FAMILY|"
                   "LOCAL_WELCOME_CONTACT [--language ar] [--area A] "
                   "[--needs bank,doctor] [--note T] [--request-id UUID]",
       .summary = "Asks for a volunteer for a newcomer who consented to "
                  "volunteer contact (caseworkers, coordinators).",
       .options = {"parent", "newcomer", "kind", "language", "area", "needs",
                   "note", "request-id"},
       .run = CreateRequest,
       .default_address = kAddress},
      {.name = "matching request list",
       .synopsis = "--parent municipalities/ID [--filter 'state = OPEN'] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists volunteer requests. Filter fields: state, kind, "
                  "newcomer.",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = ListRequests,
       .default_address = kAddress},
      {.name = "matching request cancel",
       .synopsis = "municipalities/ID/volunteerRequests/N [--reason T] "
                   "[--etag E]",
       .summary = "Cancels a request and ends its current match.",
       .options = {"reason", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = CancelRequest,
       .default_address = kAddress},
      {.name = "matching suggest",
       .synopsis = "municipalities/ID/volunteerRequests/N [--top-k N]",
       .summary = "The best volunteers for a request, each criterion scored "
                  "and explained.",
       .options = {"top-k"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Suggest,
       .default_address = kAddress},
      {.name = "matching assign",
       .synopsis = "--parent municipalities/ID [--requests N,N,...] "
                   "[--validate-only]",
       .summary = "Assigns volunteers to open requests with the best total "
                  "score and proposes them (--validate-only: only shows it).",
       .options = {"parent", "requests", "validate-only"},
       .run = Assign,
       .default_address = kAddress},
      {.name = "matching propose",
       .synopsis = "municipalities/ID/volunteerRequests/N [--volunteer ACTOR] "
                   "[--request-id UUID]",
       .summary = "Proposes a volunteer (default: the best suggestion).",
       .options = {"volunteer", "request-id"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Propose,
       .default_address = kAddress},
      {.name = "matching get",
       .synopsis = "municipalities/ID/matches/N",
       .summary = "Prints a match.",
       .min_positional = 1,
       .max_positional = 1,
       .run = GetMatch,
       .default_address = kAddress},
      {.name = "matching list",
       .synopsis = "--parent municipalities/ID [--filter 'state = PROPOSED'] "
                   "[--page-size N] [--page-token T]",
       .summary = "Lists the matches the caller may see, newest first "
                  "(an NGO app: its volunteers'; a volunteer: their own).",
       .options = {"parent", "filter", "page-size", "page-token"},
       .run = ListMatches,
       .default_address = kAddress},
      {.name = "matching accept",
       .synopsis = "municipalities/ID/matches/N [--etag E]",
       .summary = "The volunteer (or their organisation's app) accepts.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Accept,
       .default_address = kAddress},
      {.name = "matching decline",
       .synopsis = "municipalities/ID/matches/N [--reason T] [--etag E]",
       .summary = "The volunteer declines; the next volunteer is proposed.",
       .options = {"reason", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Decline,
       .default_address = kAddress},
      {.name = "matching activate",
       .synopsis = "municipalities/ID/matches/N [--etag E]",
       .summary = "Staff confirm the first meeting: the match is active.",
       .options = {"etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Activate,
       .default_address = kAddress},
      {.name = "matching end",
       .synopsis = "municipalities/ID/matches/N --reason COMPLETED [--note T] "
                   "[--etag E]",
       .summary = "Ends an accepted or active match.",
       .options = {"reason", "note", "etag"},
       .min_positional = 1,
       .max_positional = 1,
       .run = End,
       .default_address = kAddress},
      {.name = "matching record",
       .synopsis = "municipalities/ID/volunteerRecords/ACTOR_ID",
       .summary = "A volunteer's periods of service.",
       .min_positional = 1,
       .max_positional = 1,
       .run = Record,
       .default_address = kAddress},
      {.name = "matching certificate",
       .synopsis = "municipalities/ID/volunteerRecords/ACTOR_ID "
                   "[--format text/html] [--issuer T] [--out FILE]",
       .summary = "The proof of volunteer work for a CV.",
       .options = {"format", "issuer", "out"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Certificate,
       .default_address = kAddress},
      {.name = "matching activities",
       .synopsis = "municipalities/ID/actors/N [--top-k N]",
       .summary = "Published activities that fit a newcomer, with reasons.",
       .options = {"top-k"},
       .min_positional = 1,
       .max_positional = 1,
       .run = Activities,
       .default_address = kAddress},
  };
}

}  // namespace brobygger::broctl
