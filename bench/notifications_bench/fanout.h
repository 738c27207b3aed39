// Scenario 3, fan-out: one broadcast to every volunteer of a municipality
// of --fanout_recipients volunteers.
//
// The projection is seeded with the volunteers' registry ActorCreated
// events through RegistryProjection::Apply (--seed_threads at once; timed
// separately). A coordinator creates a broadcast to actor_kind VOLUNTEER
// (Broadcasts::Create), and one Broadcasts::SendDue call, the scheduler's,
// sends it: the audience resolved from the projection, then
// InboxPersonNotifier -> InboxStore::Deliver in atomic Lua chunks of 200
// inboxes, then the sending recorded. Reported: the time of SendDue and
// inbox writes per second, Redis's used memory before and after, the
// resident memory of this process and of redis-server; every inbox is
// read back (exactly one message each), printed, not asserted.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_FANOUT_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_FANOUT_H_

#include "absl/status/status.h"
#include "bench/notifications_bench/config.h"
#include "bench/notifications_bench/measure.h"

namespace brobygger::bench {

// Prints the scenario's section (a Markdown table) to stdout.
absl::Status RunFanout(const Config& config, BenchRedis& redis);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_FANOUT_H_
