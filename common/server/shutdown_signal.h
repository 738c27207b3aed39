// Process-wide shutdown requests (SIGTERM/SIGINT), shared by every
// ServiceHost. Internal to common/server.
#ifndef BROBYGGER_COMMON_SERVER_SHUTDOWN_SIGNAL_H_
#define BROBYGGER_COMMON_SERVER_SHUTDOWN_SIGNAL_H_

#include "absl/synchronization/mutex.h"

namespace brobygger::server::internal {

// Guards the "a shutdown signal arrived" state. A host holds it to Await
// "signal arrived, or my own Shutdown() ran" on a single mutex; any state
// such a condition reads must be written under this mutex too.
absl::Mutex& ShutdownMutex();

// True once SIGTERM or SIGINT arrived (after InstallSignalHandlers()).
// Call with ShutdownMutex() held when used in an Await condition.
bool SignalReceived();

}  // namespace brobygger::server::internal

#endif  // BROBYGGER_COMMON_SERVER_SHUTDOWN_SIGNAL_H_
