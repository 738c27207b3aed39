// Inbox entry ids: the Redis stream ids "<ms>-<seq>" that name
// notifications and serve as Watch cursors.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_ENTRY_ID_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_ENTRY_ID_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace brobygger::notifications {

// The id with leading zeros dropped ("007-0" -> "7-0"), as Redis writes
// it; nullopt unless `id` is "<digits>-<digits>" with both parts in the
// 64-bit range Redis accepts. The inbox scripts compare ids as digit
// strings, which is only numeric order in this canonical form.
std::optional<std::string> CanonicalEntryId(absl::string_view id);

// Numeric order of stream ids.
bool EntryIdLess(absl::string_view a, absl::string_view b);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_INBOX_ENTRY_ID_H_
