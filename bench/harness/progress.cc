#include "bench/harness/progress.h"

#include <cstdio>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace brobygger::bench {
namespace {

std::string& Program() {
  static auto* program = new std::string("bench");
  return *program;
}

}  // namespace

void SetProgressProgram(const std::string& program) { Program() = program; }

void Progress(const std::string& message) {
  static const absl::Time start = absl::Now();
  std::fprintf(stderr, "%s [%5.1fs]: %s\n", Program().c_str(),
               absl::ToDoubleSeconds(absl::Now() - start), message.c_str());
}

}  // namespace brobygger::bench
