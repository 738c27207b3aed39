#include "services/registry/newcomer_grants.h"

#include "absl/strings/str_cat.h"

namespace brobygger::registry {
namespace {

absl::Status CheckReply(const absl::StatusOr<redis::Reply>& reply) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::InternalError(absl::StrCat("Redis: ", reply->str));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status NewcomerGrants::Grant(absl::string_view municipality,
                                   absl::string_view newcomer_id,
                                   absl::string_view volunteer) {
  return CheckReply(
      pool_.Run({"SADD", keys_.NewcomerGrants(municipality, newcomer_id),
                 std::string(volunteer)}));
}

absl::Status NewcomerGrants::Revoke(absl::string_view municipality,
                                    absl::string_view newcomer_id,
                                    absl::string_view volunteer) {
  return CheckReply(
      pool_.Run({"SREM", keys_.NewcomerGrants(municipality, newcomer_id),
                 std::string(volunteer)}));
}

absl::StatusOr<bool> NewcomerGrants::IsGranted(absl::string_view municipality,
                                               absl::string_view newcomer_id,
                                               absl::string_view volunteer) {
  auto reply =
      pool_.Run({"SISMEMBER", keys_.NewcomerGrants(municipality, newcomer_id),
                 std::string(volunteer)});
  if (auto status = CheckReply(reply); !status.ok()) return status;
  return reply->integer == 1;
}

absl::StatusOr<std::set<std::string>> NewcomerGrants::GrantedAmong(
    absl::string_view municipality,
    const std::vector<std::string>& newcomer_ids, absl::string_view volunteer) {
  std::set<std::string> granted;
  if (newcomer_ids.empty()) return granted;
  std::vector<redis::Command> commands;
  for (const std::string& id : newcomer_ids) {
    commands.push_back({"SISMEMBER", keys_.NewcomerGrants(municipality, id),
                        std::string(volunteer)});
  }
  auto replies = pool_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < newcomer_ids.size(); ++i) {
    if ((*replies)[i].is_integer() && (*replies)[i].integer == 1) {
      granted.insert(newcomer_ids[i]);
    }
  }
  return granted;
}

}  // namespace brobygger::registry
