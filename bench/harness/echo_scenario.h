// The baseline scenario: EchoService/Echo on the bare echo_server, with
// the same bootstrap and the same bearer token as the service calls, so
// that both servers receive the same metadata.
#ifndef BROBYGGER_BENCH_HARNESS_ECHO_SCENARIO_H_
#define BROBYGGER_BENCH_HARNESS_ECHO_SCENARIO_H_

#include <memory>
#include <string>

#include "bench/harness/load.h"

namespace brobygger::bench {

// EchoService/Echo with a 16-byte payload; named kBaselineScenario.
std::unique_ptr<Scenario> EchoScenario(std::string token);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_HARNESS_ECHO_SCENARIO_H_
