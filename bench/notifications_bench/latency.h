// Scenario 2, latency: from a registry write to the message in the inbox.
//
// One local contact per town is subscribed (by a coordinator) to
// TOPIC_NEWCOMER_PLACED in their town; newcomers who consent to volunteer
// contact are then placed in the towns in turn, at a steady rate (open
// loop: a slow write does not delay the next). The notification service's
// follower of the registry stream (a TenantFollower in this process,
// consumer group "notifications") hands each ActorCreated to
// Router::Handle, which tells the town's contact. Per newcomer the
// benchmark takes the time from just before the write to
// - "inbox": Router::Handle returned for the event, so the message is in
//   the inbox (the Lua script that appended it has returned, fsynced);
// - "watcher": a WatchHub watch of the contact's inbox (what a live app's
//   WatchNotifications stream is fed from) handed it over; this adds the
//   hub's polling (--watch_poll_interval, the service default 100 ms).
//
// Variants: the registry event written with events::Publish exactly as
// the registry's script writes it (the registry's own write not included),
// once per follower XREADGROUP BLOCK of --latency_blocks; and, with
// --latency_registry, the real registry binary started on a free port and
// CreateActor called over gRPC, which is "from a registry write" in full.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_LATENCY_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_LATENCY_H_

#include "absl/status/status.h"
#include "bench/harness/bench_environment.h"
#include "bench/harness/supervisor.h"
#include "bench/notifications_bench/config.h"
#include "bench/notifications_bench/measure.h"

namespace brobygger::bench {

// Prints the scenario's section (a Markdown table) to stdout.
absl::Status RunLatency(const Config& config, BenchRedis& redis,
                        BenchEnvironment& env, Supervisor& supervisor);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_LATENCY_H_
