#include "services/notifications/inbox_entry_id.h"

#include <cstdint>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/events/stream_tail.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {

std::optional<std::string> CanonicalEntryId(absl::string_view id) {
  if (!IsStreamId(id)) return std::nullopt;
  const size_t dash = id.find('-');
  uint64_t ms = 0;
  uint64_t seq = 0;
  if (!absl::SimpleAtoi(id.substr(0, dash), &ms) ||
      !absl::SimpleAtoi(id.substr(dash + 1), &seq)) {
    return std::nullopt;  // beyond 64 bits
  }
  return absl::StrCat(ms, "-", seq);
}

bool EntryIdLess(absl::string_view a, absl::string_view b) {
  return events::StreamIdLess(a, b);
}

}  // namespace brobygger::notifications
