// Keeps service processes started by a test from outliving it.
//
// Children spawned with posix_spawn cannot ask the kernel to kill them when
// their parent dies (there is no PR_SET_PDEATHSIG between fork and exec), so
// a test that crashes would leave a service listening forever. GuardChild
// registers a child; if the test process then receives a fatal signal
// (SIGABRT from a failed CHECK, SIGSEGV, SIGTERM from a runner, ...), the
// handler SIGKILLs every registered child before the process dies as it
// would have. SIGKILL of the test itself cannot be caught; ctest kills the
// whole process tree on a timeout.
#ifndef BROBYGGER_TESTS_SUPPORT_CHILD_GUARD_H_
#define BROBYGGER_TESTS_SUPPORT_CHILD_GUARD_H_

#include <sys/types.h>

namespace brobygger::test {

// Registers `pid`; false if the (fixed-size) table is full, in which case
// the child is simply not guarded.
bool GuardChild(pid_t pid);
// Forgets `pid` (call once it has been reaped, before its id is reused).
void UnguardChild(pid_t pid);

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_CHILD_GUARD_H_
