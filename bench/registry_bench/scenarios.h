// The registry calls the benchmark makes (the Echo baseline is in
// harness/echo_scenario.h). Every call carries the same bearer token (a
// client reuses its token; the registry verifies it once and caches it),
// the Echo calls included, so that both servers receive the same metadata.
#ifndef BROBYGGER_BENCH_REGISTRY_BENCH_SCENARIOS_H_
#define BROBYGGER_BENCH_REGISTRY_BENCH_SCENARIOS_H_

#include <memory>
#include <string>
#include <vector>

#include "bench/harness/load.h"

namespace brobygger::bench {

// RegistryService/GetActor of a random actor among `names`.
std::unique_ptr<Scenario> GetActorScenario(
    std::string token, std::shared_ptr<const std::vector<std::string>> names);

// RegistryService/ListActors with `page_size` and `filter`; each slot
// pages through the results with next_page_token, as a client listing
// everything does, and starts over after the last page. With
// `check_arabic_volunteers`, every returned actor must match
// kArabicVolunteerFilter.
std::unique_ptr<Scenario> ListActorsScenario(std::string name,
                                             std::string token,
                                             std::string parent, int page_size,
                                             std::string filter,
                                             bool check_arabic_volunteers);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_REGISTRY_BENCH_SCENARIOS_H_
