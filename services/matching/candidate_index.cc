#include "services/matching/candidate_index.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"

namespace brobygger::matching {
namespace {

constexpr int kStreamBatch = 1000;

}  // namespace

void CandidateIndex::Tenant::Put(const std::string& id, Candidate candidate) {
  auto [it, inserted] = positions.emplace(id, entries.size());
  if (inserted) {
    entries.push_back(std::move(candidate));
  } else {
    entries[it->second] = std::move(candidate);
  }
}

void CandidateIndex::Tenant::Erase(const std::string& id) {
  auto it = positions.find(id);
  if (it == positions.end()) return;
  const size_t position = it->second;
  positions.erase(it);
  if (position + 1 != entries.size()) {
    entries[position] = std::move(entries.back());
    positions[store::IdOf(entries[position].name)] = position;
  }
  entries.pop_back();
}

CandidateIndex::Tenant& CandidateIndex::TenantOf(
    absl::string_view municipality) {
  std::lock_guard<std::mutex> lock(tenants_mutex_);
  auto& tenant = tenants_[std::string(municipality)];
  if (tenant == nullptr) tenant = std::make_unique<Tenant>();
  return *tenant;
}

absl::Status CandidateIndex::Apply(absl::string_view municipality,
                                   Tenant& tenant,
                                   const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<VolunteerRecord> records,
                   projection_.Volunteers(municipality, ids));
  std::vector<std::string> load_command = {"HMGET",
                                           ctx_.keys.Loads(municipality)};
  load_command.insert(load_command.end(), ids.begin(), ids.end());
  ASSIGN_OR_RETURN(redis::Reply loads, ctx_.pool.Run(load_command));
  if (loads.is_error()) return absl::InternalError(loads.str);
  absl::flat_hash_map<std::string, int> load_of;
  for (size_t i = 0; i < ids.size() && i < loads.elements.size(); ++i) {
    int load = 0;
    if (loads.elements[i].is_string() &&
        absl::SimpleAtoi(loads.elements[i].str, &load)) {
      load_of[ids[i]] = load;
    }
  }
  std::map<std::string, Candidate> fresh;
  for (const VolunteerRecord& record : records) {
    Candidate candidate = CandidateFromActor(record.actor);
    auto load = load_of.find(record.id);
    candidate.load = load == load_of.end() ? 0 : load->second;
    fresh.emplace(record.id, std::move(candidate));
  }
  std::unique_lock<std::shared_mutex> lock(tenant.entries_mutex);
  for (const std::string& id : ids) {
    auto it = fresh.find(id);
    if (it == fresh.end()) {
      tenant.Erase(id);
    } else {
      tenant.Put(id, std::move(it->second));
    }
  }
  return absl::OkStatus();
}

absl::Status CandidateIndex::Reload(absl::string_view municipality,
                                    Tenant& tenant) {
  // The position first: changes after it are applied by the next catch-up
  // (re-reading a volunteer twice is harmless).
  tenant.tail = std::make_unique<events::StreamTail>(
      ctx_.pool, ctx_.keys.CandidateChanges(municipality));
  RETURN_IF_ERROR(tenant.tail->StartAtEnd());
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   projection_.VolunteerIds(municipality));
  std::sort(ids.begin(), ids.end());
  {
    std::unique_lock<std::shared_mutex> lock(tenant.entries_mutex);
    tenant.entries.clear();
    tenant.positions.clear();
    tenant.entries.reserve(ids.size());
  }
  for (size_t begin = 0; begin < ids.size(); begin += store::kMaxScanBatch) {
    const size_t end = std::min(ids.size(), begin + store::kMaxScanBatch);
    RETURN_IF_ERROR(Apply(
        municipality, tenant,
        std::vector<std::string>(ids.begin() + begin, ids.begin() + end)));
  }
  tenant.loaded = true;
  return absl::OkStatus();
}

absl::Status CandidateIndex::CatchUp(absl::string_view municipality,
                                     Tenant& tenant, bool* gap) {
  *gap = false;
  while (true) {
    ASSIGN_OR_RETURN(events::StreamTail::Batch batch,
                     tenant.tail->Next(kStreamBatch));
    if (batch.gap) {
      *gap = true;
      return absl::OkStatus();
    }
    if (batch.entries.empty()) return absl::OkStatus();
    std::set<std::string> ids;
    for (const events::StreamEntry& entry : batch.entries) {
      const absl::string_view id = entry.Field("v");
      if (!id.empty()) ids.insert(std::string(id));
    }
    RETURN_IF_ERROR(Apply(municipality, tenant,
                          std::vector<std::string>(ids.begin(), ids.end())));
    if (static_cast<int>(batch.entries.size()) < kStreamBatch) {
      return absl::OkStatus();
    }
  }
}

absl::StatusOr<CandidateIndex::Tenant*> CandidateIndex::Fresh(
    absl::string_view municipality) {
  Tenant& tenant = TenantOf(municipality);
  const absl::Time arrived = absl::Now();
  std::lock_guard<std::mutex> refresh(tenant.refresh_mutex);
  if (tenant.loaded && tenant.caught_up_from >= arrived) return &tenant;
  const absl::Time started = absl::Now();
  bool gap = false;
  if (tenant.loaded) RETURN_IF_ERROR(CatchUp(municipality, tenant, &gap));
  if (!tenant.loaded || gap) RETURN_IF_ERROR(Reload(municipality, tenant));
  tenant.caught_up_from = started;
  return &tenant;
}

absl::Status CandidateIndex::Read(
    absl::string_view municipality,
    absl::FunctionRef<void(const std::vector<Candidate>&)> read) {
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);
  read(tenant->entries);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Candidate>> CandidateIndex::Find(
    absl::string_view municipality, absl::string_view volunteer_id) {
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);
  auto it = tenant->positions.find(std::string(volunteer_id));
  if (it == tenant->positions.end()) return std::nullopt;
  return tenant->entries[it->second];
}

absl::StatusOr<size_t> CandidateIndex::Size(absl::string_view municipality) {
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);
  return tenant->entries.size();
}

}  // namespace brobygger::matching
