#include "tools/broctl/catalogue_call.h"

#include <iostream>

#include "common/status/macros.h"
#include "nlohmann/json.hpp"
#include "tools/broctl/file_io.h"

namespace brobygger::broctl {

absl::Status WriteCalendarFile(const std::string& out,
                               const catalogue::v1::CalendarFile& calendar) {
  RETURN_IF_ERROR(WriteOutput(out, calendar.data()));
  if (IsStdout(out)) return absl::OkStatus();
  nlohmann::ordered_json summary = {{"file", out},
                                    {"eventCount", calendar.event_count()}};
  std::cout << summary.dump(2) << "\n";
  return absl::OkStatus();
}

}  // namespace brobygger::broctl
