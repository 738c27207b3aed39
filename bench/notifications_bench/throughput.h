// Scenario 1, throughput: catalogue events through the delivery pipeline
// into inboxes, as fast as the consumers take them.
//
// A municipality of --volunteers volunteers in --towns towns, each
// subscribed (by a coordinator, through Subscriptions::Create) to
// TOPIC_ACTIVITIES in their town; the projection learns them from
// registry ActorCreated events handed to Router::Handle. Then --events
// ActivityPublished events, each in one town, are published to the real
// stream catalogue:{m}:events with events::Publish, and 1, 2, ...
// (--replicas) TenantFollowers of the consumer group "notifications" (one
// thread each, as replicas of the service run them) drain the backlog
// through Router::Handle, for at most --throughput_time (each consumer
// then finishes its batch in hand): the backlog is large on purpose, so
// the consumers never wait for work. Afterwards every inbox is read back:
// its length must equal the number of handled events in its town (nothing
// lost, nothing twice); the result is printed, not asserted.
#ifndef BROBYGGER_BENCH_NOTIFICATIONS_BENCH_THROUGHPUT_H_
#define BROBYGGER_BENCH_NOTIFICATIONS_BENCH_THROUGHPUT_H_

#include "absl/status/status.h"
#include "bench/notifications_bench/config.h"
#include "bench/notifications_bench/measure.h"

namespace brobygger::bench {

// Prints the scenario's section (a Markdown table) to stdout.
absl::Status RunThroughput(const Config& config, BenchRedis& redis);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_NOTIFICATIONS_BENCH_THROUGHPUT_H_
