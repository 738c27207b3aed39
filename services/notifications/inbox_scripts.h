// The Lua scripts behind InboxStore. Each one changes or reads an inbox's
// keys in one atomic step; their KEYS and ARGV layouts are documented
// next to each script in inbox_scripts.cc and built only by InboxStore.
//
// Every key a script touches is passed in KEYS (all of one municipality,
// so one hash slot), as Redis Cluster requires.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_SCRIPTS_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_SCRIPTS_H_

#include "common/redis/lua_script.h"

namespace brobygger::notifications::inbox_scripts {

// Appends deliveries not delivered before; trims each inbox to its limit.
const redis::LuaScript& Deliver();
// A page of an inbox, newest first, with read states and the unread count.
const redis::LuaScript& List();
// Marks entries read by id, or everything up to an id.
const redis::LuaScript& MarkRead();
// Entries after a cursor, per inbox, for watchers.
const redis::LuaScript& ReadAfter();
// Removes the entries about a newcomer from some inboxes.
const redis::LuaScript& EraseAbout();

}  // namespace brobygger::notifications::inbox_scripts

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_SCRIPTS_H_
