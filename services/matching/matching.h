// The matching service's domain assembled: one object per concern, wired
// to the same Redis pool and document store.
#ifndef BROBYGGER_SERVICES_MATCHING_MATCHING_H_
#define BROBYGGER_SERVICES_MATCHING_MATCHING_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/matching/activity_suggestions.h"
#include "services/matching/batch_assignment.h"
#include "services/matching/candidate_index.h"
#include "services/matching/match_lifecycle.h"
#include "services/matching/match_store.h"
#include "services/matching/matches.h"
#include "services/matching/matching_context.h"
#include "services/matching/matching_settings.h"
#include "services/matching/proposal_expiry.h"
#include "services/matching/registry_follower.h"
#include "services/matching/registry_projection.h"
#include "services/matching/suggestions.h"
#include "services/matching/volunteer_records.h"
#include "services/matching/volunteer_requests.h"

namespace brobygger::matching {

struct MatchingOptions {
  events::StreamRetention retention;
  FollowerOptions follower;
  // How often proposals are checked for expiry.
  absl::Duration expiry_interval = absl::Seconds(30);
};

class Matching {
 public:
  // `activities` is where activity suggestions come from (the catalogue);
  // `registry` (may be null) lists the registry's actors when matching
  // first serves a municipality.
  Matching(redis::RedisPool& pool, ActivitySource& activities,
           MatchingOptions options, ActorSource* registry = nullptr)
      : store_(pool, redis::KeySpace(kServiceName), options.retention),
        ctx_{pool, store_, MatchingKeys(), options.retention},
        projection_(ctx_),
        index_(ctx_, projection_),
        matches_store_(ctx_),
        settings_(ctx_),
        requests_(ctx_, matches_store_, projection_),
        suggestions_(index_, projection_, settings_, requests_, matches_store_),
        lifecycle_(ctx_, matches_store_, index_, suggestions_, settings_),
        matches_(ctx_, matches_store_),
        batch_(ctx_, matches_store_, index_, suggestions_, lifecycle_),
        records_(ctx_, matches_store_, projection_),
        activities_(ctx_, matches_store_, projection_, activities),
        follower_(ctx_, projection_, lifecycle_, options.follower, registry),
        expiry_(ctx_, lifecycle_, options.expiry_interval) {}

  MatchingContext& context() { return ctx_; }
  RegistryProjection& projection() { return projection_; }
  CandidateIndex& index() { return index_; }
  MatchStore& match_store() { return matches_store_; }
  MatchingSettingsStore& settings() { return settings_; }
  VolunteerRequests& requests() { return requests_; }
  Suggestions& suggestions() { return suggestions_; }
  MatchLifecycle& lifecycle() { return lifecycle_; }
  Matches& matches() { return matches_; }
  BatchAssignment& batch() { return batch_; }
  VolunteerRecords& records() { return records_; }
  ActivitySuggestions& activities() { return activities_; }
  RegistryFollower& follower() { return follower_; }
  ProposalExpiry& expiry() { return expiry_; }

 private:
  store::DocumentStore store_;
  MatchingContext ctx_;
  RegistryProjection projection_;
  CandidateIndex index_;
  MatchStore matches_store_;
  MatchingSettingsStore settings_;
  VolunteerRequests requests_;
  Suggestions suggestions_;
  MatchLifecycle lifecycle_;
  Matches matches_;
  BatchAssignment batch_;
  VolunteerRecords records_;
  ActivitySuggestions activities_;
  RegistryFollower follower_;
  ProposalExpiry expiry_;
};

}  // namespace brobygger::matching

#endif  // BROBYGGER_SERVICES_MATCHING_MATCHING_H_
