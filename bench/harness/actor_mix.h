// The synthetic municipality the benchmarks load into the registry: a
// realistic mix of actor kinds (municipal departments and employees, NGOs and
// their branches, associations, faith communities, businesses, volunteer
// centres, and mostly volunteers) with the fields users fill in: areas,
// languages with mother tongue, competences, interests, availability, contact
// channels, response time, volunteer capacity. Deterministic for a given seed.
//
// No newcomers: reading a newcomer appends to the audit log (a durable
// write), which would turn the Get/List read benchmark into a write one.
#ifndef BROBYGGER_BENCH_HARNESS_ACTOR_MIX_H_
#define BROBYGGER_BENCH_HARNESS_ACTOR_MIX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "brobygger/registry/v1/actor.pb.h"
#include "brobygger/registry/v1/municipality.pb.h"

namespace brobygger::bench {

inline constexpr char kMunicipalityId[] = "aalborg";

// The municipality's 14 areas, as its actors name them.
const std::vector<std::string>& MunicipalityAreas();

struct PlannedActor {
  registry::v1::Actor actor;
  // Index of the planned actor that is this one's parent, or -1. Parents
  // are always in an earlier wave.
  int parent = -1;
  // Actors of one wave can be created concurrently; wave w only refers to
  // actors of waves < w.
  int wave = 0;
};

struct ActorMix {
  registry::v1::Municipality municipality;
  std::vector<PlannedActor> actors;
  int volunteers = 0;
  // Volunteers whose mother tongue is Arabic: what the benchmark's
  // filter `kind = VOLUNTEER AND mother_tongue = ar` must find.
  int arabic_mother_tongue_volunteers = 0;
  int waves = 0;
};

// `count` actors (at least 50), about 85% volunteers.
ActorMix MakeActorMix(int count, uint32_t seed);

inline constexpr int kMinOrganisations = 20;

// `count` organisations only (at least kMinOrganisations), the actors that
// may organise activities: the municipal departments, NGOs and volunteer
// centres, about 15% NGO branches, and local associations, faith
// communities, local councils and businesses. No persons.
ActorMix MakeOrganisationMix(int count, uint32_t seed);

// The ListActors filter of the benchmark's filtered scenario.
inline constexpr char kArabicVolunteerFilter[] =
    "kind = VOLUNTEER AND mother_tongue = ar";

// True if `actor` matches kArabicVolunteerFilter.
bool IsArabicSpeakingVolunteer(const registry::v1::Actor& actor);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_ACTOR_MIX_H_
