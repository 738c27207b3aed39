#include "services/registry/audit_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace brobygger::registry {

absl::Status AuditLog::Append(absl::string_view municipality,
                              const std::vector<v1::AuditEntry>& entries) {
  if (entries.empty()) return absl::OkStatus();
  const std::string key = keys_.AuditLog(municipality);
  // Entries older than the retention period are trimmed as new ones come.
  const std::string min_id = absl::StrCat(
      std::max<int64_t>(0, absl::ToUnixMillis(absl::Now() - retention_)));
  std::vector<redis::Command> commands;
  for (const v1::AuditEntry& entry : entries) {
    commands.push_back({"XADD", key, "MINID", "~", min_id, "*", "e",
                        entry.SerializeAsString()});
  }
  auto replies = pool_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& reply : *replies) {
    if (reply.is_error()) {
      return absl::InternalError(
          absl::StrCat("audit log write failed: ", reply.str));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AuditPage> AuditLog::List(
    absl::string_view municipality, absl::string_view cursor, int page_size,
    absl::string_view newcomer, absl::string_view reader, int max_scan) {
  const std::string key = keys_.AuditLog(municipality);
  AuditPage page;
  std::string upper = cursor.empty() ? "+" : absl::StrCat("(", cursor);
  int scanned = 0;
  while (static_cast<int>(page.entries.size()) < page_size &&
         scanned < max_scan) {
    const int batch = std::min(std::max(page_size * 2, 50), 500);
    auto reply =
        pool_.Run({"XREVRANGE", key, upper, "-", "COUNT", absl::StrCat(batch)});
    if (!reply.ok()) return reply.status();
    if (!reply->is_array()) {
      return absl::InternalError("unexpected reply reading the audit log");
    }
    for (const redis::Reply& item : reply->elements) {
      if (item.elements.size() != 2) continue;
      const std::string& id = item.elements[0].str;
      ++scanned;
      page.next_cursor = id;
      v1::AuditEntry entry;
      const auto& fields = item.elements[1].elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "e") entry.ParseFromString(fields[i + 1].str);
      }
      if ((!newcomer.empty() && entry.newcomer() != newcomer) ||
          (!reader.empty() && entry.reader() != reader)) {
        continue;
      }
      entry.set_name(
          absl::StrCat("municipalities/", municipality, "/auditEntries/", id));
      page.entries.push_back(std::move(entry));
      if (static_cast<int>(page.entries.size()) == page_size) {
        return page;
      }
    }
    if (static_cast<int>(reply->elements.size()) < batch) {
      page.next_cursor.clear();  // reached the oldest entry
      return page;
    }
    upper = absl::StrCat("(", page.next_cursor);
  }
  return page;
}

}  // namespace brobygger::registry
