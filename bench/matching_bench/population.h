// A synthetic municipality for matching_bench: volunteers and newcomers
// as the registry describes them, with the language, town and competence
// mix of a Danish reception (Danish everywhere, the refugee languages of
// recent years among former refugees and newcomers), generated from a
// seed so that every run scores the same people.
#ifndef BROBYGGER_BENCH_MATCHING_BENCH_POPULATION_H_
#define BROBYGGER_BENCH_MATCHING_BENCH_POPULATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "brobygger/registry/v1/actor.pb.h"

namespace brobygger::bench {

// `count` volunteers of `municipality` with actor ids first_id, ...
std::vector<registry::v1::Actor> MakeVolunteers(const std::string& municipality,
                                                int count, int64_t first_id,
                                                uint32_t seed);
// `count` consenting newcomers with actor ids first_id, ...
std::vector<registry::v1::Actor> MakeNewcomers(const std::string& municipality,
                                               int count, int64_t first_id,
                                               uint32_t seed);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_MATCHING_BENCH_POPULATION_H_
