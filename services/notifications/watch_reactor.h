// The gRPC edge of WatchNotifications (callback API): a write reactor fed
// by the WatchHub that writes one message at a time.
//
// Lifetime: gRPC owns the reactor from StartWatch until OnDone, which
// removes it from the hub (after which the hub never calls it) and
// deletes it. Finish is called exactly once: on client cancel, on a
// failed write, or when the hub stops (UNAVAILABLE: the client reconnects
// with its last cursor and loses nothing); while a write is in flight the
// Finish waits for its OnWriteDone. Nothing is written after Finish.
//
// Shutdown order: WatchHub::Stop() before grpc::Server::Shutdown(), so
// that open watches finish at once instead of holding the drain until its
// deadline; destroy the hub only after the server shut down (OnDone of the
// last reactors calls it).
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_WATCH_REACTOR_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_WATCH_REACTOR_H_

#include <string>

#include "absl/status/status.h"
#include "brobygger/notifications/v1/notification_service.pb.h"
#include "grpcpp/support/server_callback.h"
#include "services/notifications/inbox_store.h"
#include "services/notifications/watch_hub.h"

namespace brobygger::notifications {

// Starts watching `inbox` (an actor id) after `cursor` (empty: from now);
// the caller has authorised the principal for the inbox. A malformed
// cursor, or one ahead of the inbox, finishes with INVALID_ARGUMENT naming
// "cursor". The first message is a heartbeat carrying the starting cursor.
// Resolving the cursor is one short Redis call on the calling (gRPC
// callback) thread.
grpc::ServerWriteReactor<v1::WatchNotificationsResponse>* StartWatch(
    WatchHub& hub, InboxStore& store, std::string municipality,
    std::string inbox, std::string cursor);

// A reactor that finishes at once with `status` (not OK), for requests
// refused before they watch anything (bad parent, not authorised).
grpc::ServerWriteReactor<v1::WatchNotificationsResponse>* RejectWatch(
    const absl::Status& status);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_WATCH_REACTOR_H_
