#include "common/time/copenhagen_time.h"

namespace brobygger::time {
namespace {

struct LoadedZone {
  absl::TimeZone zone;
  bool loaded = false;
};

const LoadedZone& Loaded() {
  static const LoadedZone* const loaded = [] {
    auto* result = new LoadedZone;
    result->loaded = absl::LoadTimeZone("Europe/Copenhagen", &result->zone);
    return result;
  }();
  return *loaded;
}

}  // namespace

absl::Status CheckCopenhagenTimeZone() {
  if (Loaded().loaded) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "the time zone Europe/Copenhagen could not be loaded; install the "
      "tzdata package (or set TZDIR to a zoneinfo directory)");
}

const absl::TimeZone& CopenhagenTimeZone() { return Loaded().zone; }

absl::Time CopenhagenToAbsolute(absl::CivilSecond local) {
  // absl's `pre` is computed with the offset in effect before the
  // transition: for a repeated time that is the first instance, for a
  // skipped time it is the RFC 5545 "offset before the gap" reading.
  return CopenhagenTimeZone().At(local).pre;
}

absl::Time CopenhagenFirstReached(absl::CivilSecond local) {
  const absl::TimeZone::TimeInfo info = CopenhagenTimeZone().At(local);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

absl::CivilSecond AbsoluteToCopenhagen(absl::Time time) {
  return absl::ToCivilSecond(time, CopenhagenTimeZone());
}

}  // namespace brobygger::time
