// The people and events notifications_bench routes: volunteers spread
// over the towns of the benchmark municipality, newcomers placed in a town
// with consent to volunteer contact, and catalogue activities published in
// a town, as the registry and the catalogue publish them. Deterministic
// for a given seed, so every run routes the same events to the same
// inboxes.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_POPULATION_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_POPULATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/registry/v1/actor.pb.h"

namespace brobygger::bench {

// The first `count` areas of the benchmark municipality (actor_mix.h), at
// most all 14 of them.
std::vector<std::string> Towns(int count);

// "municipalities/<m>/actors/<id>".
std::string ActorName(const std::string& municipality, int64_t id);

// A volunteer with actor id `id` living in `town`, as the registry
// describes one (languages, capacity, availability left out: routing does
// not look at them).
registry::v1::Actor Volunteer(const std::string& municipality, int64_t id,
                              const std::string& town);

// A newcomer placed in `town` who consents to volunteer contact and to
// data sharing, so that local contacts subscribed to
// TOPIC_NEWCOMER_PLACED are told (redacted). `name` may be empty (the
// registry names it on CreateActor).
registry::v1::Actor PlacedNewcomer(const std::string& name,
                                   const std::string& town, int sequence);

// The registry's ActorCreated event for `actor`, as the registry publishes
// it (source "registry"); `request_id` is carried in the envelope.
events::v1::Event ActorCreatedEvent(const std::string& municipality,
                                    const registry::v1::Actor& actor,
                                    const std::string& request_id = "",
                                    absl::Time now = absl::Now());

// The catalogue's ActivityPublished event of activity `id`, a language
// café in `town` (source "catalogue").
events::v1::Event ActivityPublishedEvent(const std::string& municipality,
                                         int64_t id, const std::string& town);

// Which town each of `count` items lives in: a uniform pick per item from
// `towns`, reproducible from `seed`.
std::vector<int> SpreadOverTowns(int count, int towns, uint32_t seed);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_POPULATION_H_
