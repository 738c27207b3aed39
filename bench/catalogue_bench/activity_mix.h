// The synthetic catalogue the benchmark loads: activities of a
// municipality's organisations as people enter them, deterministic for a
// given seed and start time.
//
// The mix: every category (language cafés, homework help and communal
// dining most often), civil offers and municipal tasks (of the municipal
// departments), the 14 areas (mostly the organiser's own), target groups
// (everyone, children of age ranges, youth, women, men, families),
// languages (Danish and the newcomers' languages), prices (mostly free),
// capacities, contacts, and schedules: weekly (some every other week, some
// on two days, some ending by UNTIL or COUNT), monthly ("2nd Tuesday",
// "last Friday", "the 15th"), daily (short courses, a few open-ended drop-in
// offers) and one-offs, starting across the last year and the next months,
// some recurring ones with exception dates. All are PUBLISHED.
#ifndef BROBYGGER_BENCH_CATALOGUE_BENCH_ACTIVITY_MIX_H_
#define BROBYGGER_BENCH_CATALOGUE_BENCH_ACTIVITY_MIX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/registry/v1/actor.pb.h"

namespace brobygger::bench {

// An organisation of the registry that may organise activities.
struct OrganiserInfo {
  std::string name;  // "municipalities/aalborg/actors/7"
  registry::v1::ActorKind kind = registry::v1::ACTOR_KIND_UNSPECIFIED;
  std::vector<std::string> areas;
};

struct ActivityMix {
  // Activity i < organisers.size() is organised by organiser i, so the
  // first organisers.size() creates meet every organiser once.
  std::vector<catalogue::v1::Activity> activities;
  // Weekly on Tuesdays and daily, both open-ended and started in the past:
  // the subjects of the one-activity occurrence scenarios.
  int weekly_index = 0;
  int daily_index = 1;
  // How many of each schedule kind.
  int weekly = 0, monthly = 0, daily = 0, one_off = 0;
  int with_exception_dates = 0;
};

// `count` activities (at least organisers.size() and 2) for `organisers`
// (not empty), dated around `now`.
ActivityMix MakeActivityMix(int count,
                            const std::vector<OrganiserInfo>& organisers,
                            absl::Time now, uint32_t seed);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_CATALOGUE_BENCH_ACTIVITY_MIX_H_
