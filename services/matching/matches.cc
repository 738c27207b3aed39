#include "services/matching/matches.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/filter.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "services/matching/match_access.h"
#include "services/matching/match_lifecycle.h"
#include "services/matching/matching_names.h"

namespace brobygger::matching {
namespace {

// A List call examines at most this many matches (then returns a shorter
// page with a token to go on).
constexpr int kMaxScannedPerPage = 5000;

struct MatchFilter {
  v1::Match::State state = v1::Match::STATE_UNSPECIFIED;
  v1::MatchKind kind = v1::MATCH_KIND_UNSPECIFIED;
  std::string volunteer;
  std::string newcomer;
  std::string organisation;
  std::string volunteer_request;
};

absl::StatusOr<MatchFilter> CompileFilter(absl::string_view text) {
  ASSIGN_OR_RETURN(std::vector<api::Restriction> restrictions,
                   api::ParseFilter(text));
  MatchFilter filter;
  for (const api::Restriction& r : restrictions) {
    if (r.op != "=") {
      return InvalidFieldError("filter", "supports only `field = value`");
    }
    if (r.field == "state") {
      if (!v1::Match::State_Parse(absl::StrCat("STATE_", r.value),
                                  &filter.state)) {
        return InvalidFieldError("filter",
                                 "state must be PROPOSED, ACCEPTED, ACTIVE, "
                                 "DECLINED, EXPIRED or ENDED");
      }
    } else if (r.field == "kind") {
      if (!v1::MatchKind_Parse(absl::StrCat("MATCH_KIND_", r.value),
                               &filter.kind)) {
        return InvalidFieldError("filter", "kind is not a kind of match");
      }
    } else if (r.field == "volunteer") {
      filter.volunteer = r.value;
    } else if (r.field == "newcomer") {
      filter.newcomer = r.value;
    } else if (r.field == "organisation") {
      filter.organisation = r.value;
    } else if (r.field == "volunteer_request") {
      filter.volunteer_request = r.value;
    } else {
      return InvalidFieldError(
          "filter", absl::StrCat("cannot filter on `", r.field,
                                 "`; use state, kind, volunteer, newcomer, "
                                 "organisation or volunteer_request"));
    }
  }
  return filter;
}

bool Accepts(const MatchFilter& f, const v1::Match& match) {
  return (f.state == v1::Match::STATE_UNSPECIFIED ||
          match.state() == f.state) &&
         (f.kind == v1::MATCH_KIND_UNSPECIFIED || match.kind() == f.kind) &&
         (f.volunteer.empty() || match.volunteer() == f.volunteer) &&
         (f.newcomer.empty() || match.newcomer() == f.newcomer) &&
         (f.organisation.empty() || match.organisation() == f.organisation) &&
         (f.volunteer_request.empty() ||
          match.volunteer_request() == f.volunteer_request);
}

}  // namespace

absl::StatusOr<v1::Match> Matches::Get(const auth::Principal& principal,
                                       absl::string_view name) {
  ASSIGN_OR_RETURN(ParsedName parsed, ParseMatchName(name, "name"));
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, parsed.municipality));
  ASSIGN_OR_RETURN(StoredMatch stored,
                   store_.LoadMatch(parsed.municipality, parsed.id));
  if (!MaySee(principal, stored.resource)) {
    return PermissionDeniedError(
        "NOT_YOUR_MATCH",
        "volunteers see their own matches and organisations their "
        "volunteers' matches");
  }
  return WithEtag(stored);
}

absl::StatusOr<MatchPage> Matches::List(const auth::Principal& principal,
                                        absl::string_view municipality,
                                        int32_t page_size,
                                        absl::string_view page_token,
                                        absl::string_view filter) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  if (!api::IsValidMunicipalityId(municipality)) {
    return InvalidFieldError("parent", "is not a municipality");
  }
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(MatchFilter compiled, CompileFilter(filter));
  // The role narrows what is listed, whatever the filter says.
  std::string index = ctx_.keys.AllIndex(municipality, kMatchCollection);
  // A filter naming someone else's matches is ANDed with the caller's own
  // scope, so it finds nothing (it never widens the view).
  MatchPage page;
  if (principal.role == auth::Role::kVolunteer) {
    ASSIGN_OR_RETURN(std::string own,
                     ParseActorId(principal.subject, municipality, "subject"));
    if (!compiled.volunteer.empty() &&
        compiled.volunteer != principal.subject) {
      return page;
    }
    compiled.volunteer = principal.subject;
    index = ctx_.keys.Index(municipality, kMatchCollection, "volunteer", own);
  } else if (principal.role == auth::Role::kNgoApp) {
    if (principal.organisation.empty()) {
      return PermissionDeniedError("NO_ORGANISATION",
                                   "the token names no organisation (claim "
                                   "`org`)");
    }
    ASSIGN_OR_RETURN(std::string own,
                     ParseActorId(principal.organisation, municipality, "org"));
    if (!compiled.organisation.empty() &&
        compiled.organisation != principal.organisation) {
      return page;
    }
    compiled.organisation = principal.organisation;
    index =
        ctx_.keys.Index(municipality, kMatchCollection, "organisation", own);
  } else if (!IsStaff(principal)) {
    return PermissionDeniedError("ROLE", "matches are not for this role");
  } else if (!compiled.volunteer_request.empty()) {
    ASSIGN_OR_RETURN(
        ParsedName request,
        ParseVolunteerRequestName(compiled.volunteer_request, "filter"));
    index =
        ctx_.keys.Index(municipality, kMatchCollection, "request", request.id);
  } else if (!compiled.volunteer.empty()) {
    ASSIGN_OR_RETURN(std::string id,
                     ParseActorId(compiled.volunteer, municipality, "filter"));
    index = ctx_.keys.Index(municipality, kMatchCollection, "volunteer", id);
  } else if (!compiled.newcomer.empty()) {
    ASSIGN_OR_RETURN(std::string id,
                     ParseActorId(compiled.newcomer, municipality, "filter"));
    index = ctx_.keys.Index(municipality, kMatchCollection, "newcomer", id);
  }
  const std::string fingerprint = absl::StrCat("matches\n", municipality, "\n",
                                               principal.subject, "\n", filter);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  if (!cursor.empty() && !api::IsValidNumericId(cursor)) {
    return InvalidFieldError("page_token", "is not a page token of this list");
  }
  // Newest first: scan the index downwards from the cursor.
  double after = cursor.empty() ? std::numeric_limits<double>::max()
                                : store::IdScore(cursor);
  int scanned = 0;
  std::string last;
  while (static_cast<int>(page.matches.size()) < size &&
         scanned < kMaxScannedPerPage) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     ctx_.store.Scan(index, after, store::kMaxScanBatch,
                                     /*descending=*/true));
    if (ids.empty()) {
      last.clear();
      break;
    }
    ASSIGN_OR_RETURN(std::vector<StoredMatch> loaded,
                     store_.LoadMatches(municipality, ids));
    size_t next = 0;
    bool full = false;
    for (const std::string& id : ids) {
      after = store::IdScore(id);
      last = id;
      ++scanned;
      if (next < loaded.size() &&
          store::IdOf(loaded[next].resource.name()) == id) {
        const StoredMatch& match = loaded[next++];
        if (Accepts(compiled, match.resource)) {
          page.matches.push_back(WithEtag(match));
          if (static_cast<int>(page.matches.size()) == size) {
            full = true;
            break;
          }
        }
      }
      if (scanned >= kMaxScannedPerPage) break;
    }
    if (full || scanned >= kMaxScannedPerPage) break;
    if (static_cast<int>(ids.size()) < store::kMaxScanBatch) {
      last.clear();
      break;
    }
  }
  if (!last.empty()) {
    page.next_page_token = api::EncodePageToken(last, fingerprint);
  }
  return page;
}

}  // namespace brobygger::matching
