// The text of a digest e-mail: a short newsletter of the messages that
// waited for it, grouped by topic.
#ifndef BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_TEXT_H_
#define BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_TEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "brobygger/notifications/v1/notification.pb.h"
#include "brobygger/notifications/v1/preferences.pb.h"

namespace brobygger::notifications {

// At most this many messages are listed; the rest are counted ("and 37
// more messages are waiting in your inbox").
inline constexpr int kMaxDigestListedItems = 200;
// A message's title and body in the digest are shortened to these many
// bytes (on a character boundary, with "…").
inline constexpr size_t kMaxDigestTitleBytes = 200;
inline constexpr size_t kMaxDigestBodyBytes = 300;

struct DigestText {
  std::string subject;    // one line, no user text
  std::string text_body;  // plain text, "\n" line ends
};

// The digest of `items` (oldest first) for `recipient_display_name` (may be
// empty), as of `now` (its date in Danish time is shown). `frequency`
// words the introduction: DAILY and WEEKLY for digest subscribers, NONE
// (or unspecified) for messages held back by the hourly limit.
// `older_dropped` counts messages that no longer fitted into the pending
// digest (the queue keeps a bounded number) and are only in the inbox.
// Messages are grouped under a heading per topic (in the order of the
// Topic enum) with their count, each listed with its title and a shortened
// body; a footer says how to change the preferences.
DigestText RenderDigest(absl::string_view recipient_display_name,
                        const std::vector<v1::Notification>& items,
                        v1::DigestFrequency frequency, absl::Time now,
                        int64_t older_dropped = 0);

}  // namespace brobygger::notifications

#endif  // BROBYGGER_SERVICES_NOTIFICATIONS_DIGEST_TEXT_H_
