#include "services/notifications/digest_text.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/time/copenhagen_time.h"
#include "services/notifications/plain_text.h"

namespace brobygger::notifications {
namespace {

constexpr size_t kMaxDisplayNameBytes = 100;

absl::string_view TopicHeading(int topic) {
  switch (topic) {
    case v1::TOPIC_ACTIVITIES:
      return "Activities";
    case v1::TOPIC_NEWCOMER_PLACED:
      return "Newcomers placed near you";
    case v1::TOPIC_MATCHES:
      return "Matches";
    case v1::TOPIC_FORUMS:
      return "Fora and networks";
    case v1::TOPIC_BROADCASTS:
      return "Announcements";
    case v1::TOPIC_CONCERNS:
      return "Concerns";
    default:
      return "Other messages";
  }
}

std::string Messages(int64_t count) {
  return absl::StrCat(count, count == 1 ? " message" : " messages");
}

// "Monday 30 March 2026", Danish local date of `now`.
std::string DateText(absl::Time now) {
  constexpr absl::string_view kWeekdays[] = {"Monday",   "Tuesday", "Wednesday",
                                             "Thursday", "Friday",  "Saturday",
                                             "Sunday"};
  constexpr absl::string_view kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const absl::CivilDay day(time::AbsoluteToCopenhagen(now));
  return absl::StrCat(kWeekdays[static_cast<int>(absl::GetWeekday(day))], " ",
                      day.day(), " ", kMonths[day.month() - 1], " ",
                      day.year());
}

std::string Subject(v1::DigestFrequency frequency, int64_t total) {
  switch (frequency) {
    case v1::DIGEST_FREQUENCY_DAILY:
      return absl::StrCat("Your daily Brobygger digest: ", Messages(total));
    case v1::DIGEST_FREQUENCY_WEEKLY:
      return absl::StrCat("Your weekly Brobygger digest: ", Messages(total));
    default:
      return absl::StrCat("Brobygger: ", Messages(total), " collected for you");
  }
}

std::string Introduction(v1::DigestFrequency frequency, int64_t total,
                         absl::Time now) {
  const std::string date = DateText(now);
  switch (frequency) {
    case v1::DIGEST_FREQUENCY_DAILY:
      return absl::StrCat("Your daily digest of ", date, ": ", Messages(total),
                          " arrived in your Brobygger inbox since the last "
                          "one.");
    case v1::DIGEST_FREQUENCY_WEEKLY:
      return absl::StrCat("Your weekly digest of ", date, ": ", Messages(total),
                          " arrived in your Brobygger inbox since the last "
                          "one.");
    default:
      return absl::StrCat(
          "Many messages arrived in a short time, so instead of e-mailing "
          "each of them we collected them here (",
          date, "): ", Messages(total), " in your Brobygger inbox.");
  }
}

constexpr absl::string_view kFooter =
    "--\n"
    "You receive this e-mail because of your notification preferences in "
    "Brobygger. Every message is also in your Brobygger inbox. To get "
    "digests daily, weekly or not at all, move their hour or your quiet "
    "hours, or stop e-mails, change the notification preferences of your "
    "inbox in Brobygger (or ask your coordinator to).\n";

}  // namespace

DigestText RenderDigest(absl::string_view recipient_display_name,
                        const std::vector<v1::Notification>& items,
                        v1::DigestFrequency frequency, absl::Time now,
                        int64_t older_dropped) {
  if (older_dropped < 0) older_dropped = 0;
  const int64_t total = static_cast<int64_t>(items.size()) + older_dropped;

  // Topic -> the items of that topic, in arrival order.
  std::map<int, std::vector<const v1::Notification*>> by_topic;
  for (const v1::Notification& item : items) {
    by_topic[item.topic()].push_back(&item);
  }

  DigestText digest;
  digest.subject = Subject(frequency, total);
  std::string& out = digest.text_body;
  const std::string name =
      ShortenUtf8(OneLine(recipient_display_name), kMaxDisplayNameBytes);
  absl::StrAppend(&out,
                  name.empty() ? "Hello," : absl::StrCat("Hello ", name, ","),
                  "\n\n", Introduction(frequency, total, now), "\n");

  int listed = 0;
  for (const auto& [topic, topic_items] : by_topic) {
    if (listed >= kMaxDigestListedItems) break;
    const std::string heading =
        absl::StrCat(TopicHeading(topic), " (", topic_items.size(), ")");
    absl::StrAppend(&out, "\n", heading, "\n", std::string(heading.size(), '='),
                    "\n");
    for (const v1::Notification* item : topic_items) {
      if (listed >= kMaxDigestListedItems) break;
      ++listed;
      absl::StrAppend(&out, "\n* ",
                      ShortenUtf8(OneLine(item->title()), kMaxDigestTitleBytes),
                      "\n");
      const std::string body =
          ShortenUtf8(OneLine(item->body()), kMaxDigestBodyBytes);
      if (!body.empty()) absl::StrAppend(&out, "  ", body, "\n");
    }
  }
  const int64_t unlisted = static_cast<int64_t>(items.size()) - listed;
  if (unlisted > 0) {
    absl::StrAppend(&out, "\n...and ", unlisted, " more ",
                    unlisted == 1 ? "message is" : "messages are",
                    " waiting in your inbox.\n");
  }
  if (older_dropped > 0) {
    absl::StrAppend(&out, "\n...and ", older_dropped, " older ",
                    older_dropped == 1 ? "message" : "messages",
                    " that did not fit into this digest; read ",
                    older_dropped == 1 ? "it" : "them", " in your inbox.\n");
  }
  absl::StrAppend(&out, "\n", kFooter);
  return digest;
}

}  // namespace brobygger::notifications
