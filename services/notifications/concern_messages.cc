#include "services/notifications/concern_messages.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/store/resource_io.h"

namespace brobygger::notifications {
namespace {

const absl::TimeZone& Denmark() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Europe/Copenhagen", tz)) *tz = absl::UTCTimeZone();
    return tz;
  }();
  return *zone;
}

const std::string& ContactOf(const v1::Concern& concern) {
  return concern.contact_display_name().empty()
             ? concern.contact()
             : concern.contact_display_name();
}

}  // namespace

std::string DanishDay(absl::Time time, absl::Time now) {
  static constexpr const char* kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  const absl::CivilDay day = absl::ToCivilDay(time, Denmark());
  std::string out = absl::StrCat(day.day(), " ", kMonths[day.month() - 1]);
  if (day.year() != absl::ToCivilDay(now, Denmark()).year()) {
    absl::StrAppend(&out, " ", day.year());
  }
  return out;
}

std::string RaisedMessage(const v1::Concern& concern) {
  return absl::StrCat(ContactOf(concern),
                      " handles this and has been told; you will be told "
                      "when it is resolved.");
}

std::string JoinedMessage(const v1::Concern& concern, bool already_on_it,
                          absl::Time now) {
  return absl::StrCat(
      ContactOf(concern), " is already handling this since ",
      DanishDay(store::FromTimestamp(concern.create_time()), now),
      already_on_it ? "; you are already on it" : "; you have been added",
      " and will be told when it is resolved.");
}

}  // namespace brobygger::notifications
