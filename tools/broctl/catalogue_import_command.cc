// broctl catalogue import: loads a municipality's activities and reception
// timeline from a JSON file (format: catalogue_import_file.h),
// idempotently.
//
// Order: the organiser names are looked up in the registry (all of them,
// before anything is written, so a misspelt name changes nothing); the
// activities are created in file order, each with the deterministic
// request_id of its ref, so a re-run returns what the first run created;
// last the timeline template is replaced (skipped when it is unchanged).
// An entry edited in the file after its activity was created is not
// updated: the re-run returns the activity as it is.
//
// The catalogue learns the registry's actors from its events, a moment
// after the registry has them: an organiser the catalogue does not know
// yet is retried for --organiser-wait.
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "brobygger/catalogue/v1/catalogue_service.grpc.pb.h"
#include "brobygger/registry/v1/registry_service.grpc.pb.h"
#include "common/status/macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/rpc/error_details.pb.h"
#include "nlohmann/json.hpp"
#include "tools/broctl/catalogue_import_file.h"
#include "tools/broctl/cli.h"
#include "tools/broctl/import_file.h"

namespace brobygger::broctl {
namespace {

namespace v1 = ::brobygger::catalogue::v1;
namespace registry = ::brobygger::registry::v1;

// Transient failures (a service restarting) are retried: every create is
// idempotent by its request_id, so a retry never creates twice.
constexpr int kAttempts = 4;
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(250);
constexpr absl::Duration kDefaultOrganiserWait = absl::Seconds(30);
constexpr absl::Duration kMaxOrganiserWait = absl::Minutes(10);
constexpr absl::Duration kOrganiserPoll = absl::Milliseconds(500);
// Actors sharing words with one display name: more means a broken registry.
constexpr int kMaxNameLookupPages = 10;

// Prefixes the message with the entry, keeping the details (field
// violations) for PrintError.
absl::Status InEntry(const absl::Status& status, absl::string_view where) {
  absl::Status wrapped(status.code(),
                       absl::StrCat(where, ": ", status.message()));
  status.ForEachPayload(
      [&wrapped](absl::string_view url, const absl::Cord& payload) {
        wrapped.SetPayload(url, payload);
      });
  return wrapped;
}

// Whether the catalogue refused only the activity's organisers: what it
// says while it has not yet learnt of actors the registry just created.
bool OnlyOrganisersRefused(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return false;
  const auto payload = status.GetPayload(
      absl::StrCat("type.googleapis.com/",
                   google::rpc::BadRequest::descriptor()->full_name()));
  if (!payload.has_value()) return false;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload)) ||
      bad_request.field_violations_size() == 0) {
    return false;
  }
  for (const auto& violation : bad_request.field_violations()) {
    if (violation.field() != "activity.organiser" &&
        !absl::StartsWith(violation.field(), "activity.co_organisers[")) {
      return false;
    }
  }
  return true;
}

// An AIP-160 string literal.
std::string Quoted(absl::string_view text) {
  return absl::StrCat(
      "\"", absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
}

class CatalogueImporter {
 public:
  CatalogueImporter(const Invocation& catalogue_inv,
                    const Invocation& registry_inv,
                    absl::Duration organiser_wait)
      : catalogue_inv_(catalogue_inv),
        registry_inv_(registry_inv),
        organiser_wait_(organiser_wait),
        catalogue_(v1::CatalogueService::NewStub(catalogue_inv.Channel())),
        registry_(registry::RegistryService::NewStub(registry_inv.Channel())) {}

  absl::Status Run(const CatalogueImportFile& file) {
    municipality_ = MunicipalityName(file.municipality_id);
    summary_["municipality"] = municipality_;
    summary_["created"] = 0;
    summary_["existing"] = 0;
    RETURN_IF_ERROR(ResolveOrganisers(file));
    RETURN_IF_ERROR(ListExisting());
    RETURN_IF_ERROR(ImportActivities(file));
    RETURN_IF_ERROR(ImportTemplate(file));
    summary_["created"] = created_;
    summary_["existing"] = existing_;
    std::cout << summary_.dump(2) << "\n";
    std::cerr << "catalogue import: " << municipality_ << ": "
              << file.activities.size() << " activities (" << created_
              << " created, " << existing_ << " existing)";
    if (file.timeline_template.has_value()) {
      std::cerr << ", timeline template of "
                << file.timeline_template->items_size() << " items ("
                << (template_updated_ ? "updated" : "unchanged") << ")";
    }
    std::cerr << "\n";
    return absl::OkStatus();
  }

 private:
  // Calls `call` with a fresh context (and deadline) until it succeeds or
  // fails for a reason other than unavailability.
  absl::Status Call(
      const Invocation& inv,
      const std::function<grpc::Status(grpc::ClientContext*)>& call) {
    absl::Duration backoff = kFirstBackoff;
    grpc::Status status;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      status = call(inv.NewContext().get());
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
      if (attempt < kAttempts) {
        absl::SleepFor(backoff);
        backoff *= 2;
      }
    }
    return CallStatus(status, inv);
  }

  // The registry actor whose display name is exactly `name`.
  absl::StatusOr<std::string> FindActor(const std::string& name) {
    registry::ListActorsRequest request;
    request.set_parent(municipality_);
    // The registry's name filter matches words; the exact name is checked
    // here.
    request.set_filter(absl::StrCat("name = ", Quoted(name)));
    request.set_page_size(1000);
    std::vector<std::string> matches;
    for (int page = 0; page < kMaxNameLookupPages; ++page) {
      registry::ListActorsResponse response;
      RETURN_IF_ERROR(Call(registry_inv_, [&](grpc::ClientContext* c) {
        return registry_->ListActors(c, request, &response);
      }));
      for (const registry::Actor& actor : response.actors()) {
        if (actor.display_name() == name) matches.push_back(actor.name());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    if (matches.empty()) {
      return absl::NotFoundError(absl::StrCat(
          "no actor of ", municipality_, " in the registry at ",
          registry_inv_.address, " is called \"", name,
          "\": import the registry first (broctl actors import) or fix the "
          "name"));
    }
    if (matches.size() > 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          matches.size(), " actors of ", municipality_, " are called \"", name,
          "\" (", absl::StrJoin(matches, ", "),
          "): rename one in the registry"));
    }
    return matches.front();
  }

  absl::Status ResolveOrganisers(const CatalogueImportFile& file) {
    for (size_t i = 0; i < file.activities.size(); ++i) {
      const ImportedActivity& entry = file.activities[i];
      const std::string where =
          absl::StrCat("activities[", i, "] (ref \"", entry.ref, "\")");
      std::vector<std::string> names = {entry.organiser_name};
      names.insert(names.end(), entry.co_organiser_names.begin(),
                   entry.co_organiser_names.end());
      for (const std::string& name : names) {
        if (actors_.contains(name)) continue;
        absl::StatusOr<std::string> actor = FindActor(name);
        if (!actor.ok()) return InEntry(actor.status(), where);
        actors_[name] = *actor;
      }
    }
    return absl::OkStatus();
  }

  // The activities that exist before the import, to tell what it created
  // from what an earlier run did.
  absl::Status ListExisting() {
    v1::ListActivitiesRequest request;
    request.set_parent(municipality_);
    request.set_page_size(1000);
    std::set<std::string> tokens;
    while (true) {
      v1::ListActivitiesResponse response;
      RETURN_IF_ERROR(Call(catalogue_inv_, [&](grpc::ClientContext* c) {
        return catalogue_->ListActivities(c, request, &response);
      }));
      for (const v1::Activity& activity : response.activities()) {
        existing_names_.insert(activity.name());
      }
      if (response.next_page_token().empty()) break;
      if (!tokens.insert(response.next_page_token()).second) {
        return absl::InternalError(
            "the catalogue's activity listing does not end");
      }
      request.set_page_token(response.next_page_token());
    }
    return absl::OkStatus();
  }

  absl::Status ImportActivities(const CatalogueImportFile& file) {
    summary_["activities"] = nlohmann::ordered_json::object();
    for (size_t i = 0; i < file.activities.size(); ++i) {
      const ImportedActivity& entry = file.activities[i];
      const std::string where =
          absl::StrCat("activities[", i, "] (ref \"", entry.ref, "\")");
      v1::CreateActivityRequest request;
      request.set_parent(municipality_);
      *request.mutable_activity() = entry.activity;
      request.mutable_activity()->set_organiser(
          actors_.at(entry.organiser_name));
      for (const std::string& name : entry.co_organiser_names) {
        request.mutable_activity()->add_co_organisers(actors_.at(name));
      }
      request.set_request_id(
          ImportRequestId(file.municipality_id, "activities", entry.ref));
      v1::Activity created;
      absl::Status status;
      const absl::Time deadline = absl::Now() + organiser_wait_;
      while (true) {
        status = Call(catalogue_inv_, [&](grpc::ClientContext* c) {
          return catalogue_->CreateActivity(c, request, &created);
        });
        if (!OnlyOrganisersRefused(status) || absl::Now() >= deadline) break;
        absl::SleepFor(kOrganiserPoll);
      }
      std::string name = created.name();
      if (status.code() == absl::StatusCode::kAlreadyExists) {
        // Another activity carries the entry's externalId: that one is the
        // entry's activity.
        name = ExistingResourceOf(status);
        if (!absl::StartsWith(name,
                              absl::StrCat(municipality_, "/activities/"))) {
          return InEntry(status, where);
        }
      } else if (status.code() == absl::StatusCode::kNotFound &&
                 absl::StartsWith(
                     ExistingResourceOf(status),
                     absl::StrCat(municipality_, "/activities/"))) {
        // The request_id's earlier result is gone.
        return InEntry(status,
                       absl::StrCat(where,
                                    " (an earlier import created it and it "
                                    "was deleted since; remove the entry or "
                                    "change its ref)"));
      } else if (!status.ok()) {
        return InEntry(status, where);
      }
      if (existing_names_.contains(name)) {
        ++existing_;
      } else {
        ++created_;
      }
      activity_names_[entry.ref] = name;
      summary_["activities"][entry.ref] = name;
    }
    return absl::OkStatus();
  }

  absl::Status ImportTemplate(const CatalogueImportFile& file) {
    if (!file.timeline_template.has_value()) return absl::OkStatus();
    ASSIGN_OR_RETURN(v1::TimelineTemplate wanted,
                     ResolveTimelineTemplate(file, activity_names_));
    v1::GetTimelineTemplateRequest get;
    get.set_name(wanted.name());
    v1::TimelineTemplate current;
    RETURN_IF_ERROR(InEntry(Call(catalogue_inv_,
                                 [&](grpc::ClientContext* c) {
                                   return catalogue_->GetTimelineTemplate(
                                       c, get, &current);
                                 }),
                            "timelineTemplate"));
    // An update would change the etag and publish an event for nothing.
    current.clear_name();
    current.clear_etag();
    current.clear_update_time();
    v1::TimelineTemplate compared = wanted;
    compared.clear_name();
    // 0 asks for the catalogue's default, which it stores as a number.
    if (compared.max_new_items_per_week() == 0) {
      compared.set_max_new_items_per_week(current.max_new_items_per_week());
    }
    template_updated_ = !google::protobuf::util::MessageDifferencer::Equivalent(
        current, compared);
    if (template_updated_) {
      v1::UpdateTimelineTemplateRequest update;
      *update.mutable_timeline_template() = wanted;
      // A std::string: GCC 12 misreports -Wrestrict for the one-character
      // literal.
      update.mutable_update_mask()->add_paths(std::string("*"));
      v1::TimelineTemplate updated;
      RETURN_IF_ERROR(InEntry(Call(catalogue_inv_,
                                   [&](grpc::ClientContext* c) {
                                     return catalogue_->UpdateTimelineTemplate(
                                         c, update, &updated);
                                   }),
                              "timelineTemplate"));
    }
    summary_["timelineTemplate"] = {{"name", wanted.name()},
                                    {"items", wanted.items_size()},
                                    {"orderRules", wanted.order_rules_size()},
                                    {"updated", template_updated_}};
    return absl::OkStatus();
  }

  const Invocation& catalogue_inv_;
  const Invocation& registry_inv_;
  const absl::Duration organiser_wait_;
  std::unique_ptr<v1::CatalogueService::Stub> catalogue_;
  std::unique_ptr<registry::RegistryService::Stub> registry_;
  std::string municipality_;
  // Display name -> actor name.
  std::map<std::string, std::string> actors_;
  std::set<std::string> existing_names_;
  // Ref -> activity name.
  std::map<std::string, std::string> activity_names_;
  int created_ = 0;
  int existing_ = 0;
  bool template_updated_ = false;
  nlohmann::ordered_json summary_ = nlohmann::ordered_json::object();
};

absl::Status Import(const Invocation& inv) {
  ASSIGN_OR_RETURN(const std::string path, inv.args.Require("file"));
  std::string default_id;
  if (auto parent = inv.args.Get("parent"); parent.has_value()) {
    default_id = MunicipalityName(*parent).substr(
        absl::string_view("municipalities/").size());
  }
  absl::Duration organiser_wait = kDefaultOrganiserWait;
  if (auto text = inv.args.Get("organiser-wait");
      text.has_value() && (!absl::ParseDuration(*text, &organiser_wait) ||
                           organiser_wait < absl::ZeroDuration() ||
                           organiser_wait > kMaxOrganiserWait)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--organiser-wait must be a duration from 0s to 10m such as 30s, not "
        "\"",
        text->substr(0, 64), "\""));
  }
  ASSIGN_OR_RETURN(const CatalogueImportFile file,
                   ReadCatalogueImportFile(path, default_id));
  const Invocation registry_inv{
      .args = inv.args,
      .positional = inv.positional,
      .address = inv.args.GetOr("registry-addr", kDefaultAddress),
      .token = inv.token,
      .timeout = inv.timeout};
  CatalogueImporter importer(inv, registry_inv, organiser_wait);
  return importer.Run(file);
}

}  // namespace

std::vector<Command> CatalogueImportCommands() {
  return {
      {.name = "catalogue import",
       .synopsis = "--file FILE.json [--registry-addr HOST:PORT] "
                   "[--parent municipalities/ID] [--organiser-wait 30s]",
       .summary = "Imports a municipality's activities and reception "
                  "timeline (format: deploy/demo/aalborg-catalogue.json); "
                  "safe to repeat. Organisers are looked up by display name "
                  "in the registry (--registry-addr, default "
                  "127.0.0.1:50051) with the same --token (a coordinator's).",
       .options = {"file", "registry-addr", "parent", "organiser-wait"},
       .run = Import,
       .default_address = kDefaultCatalogueAddress},
  };
}

}  // namespace brobygger::broctl
