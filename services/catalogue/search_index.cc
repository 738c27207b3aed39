#include "services/catalogue/search_index.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/pagination.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/resource_io.h"
#include "services/catalogue/activity_access.h"
#include "services/catalogue/activity_rules.h"
#include "services/catalogue/activity_schedule.h"
#include "services/catalogue/local_time_text.h"

namespace brobygger::catalogue {
namespace {

constexpr int kStreamBatch = 1000;
constexpr int kDefaultOccurrencePageSize = 100;
constexpr int64_t kNoOccurrence = std::numeric_limits<int64_t>::max();

// "municipalities/aalborg/activities/12" -> "12"; "" for other resources.
std::string ActivityIdOf(absl::string_view resource) {
  const std::vector<absl::string_view> parts = absl::StrSplit(resource, '/');
  if (parts.size() == 4 && parts[2] == "activities") {
    return std::string(parts[3]);
  }
  return "";
}

// The activity an event entry is about.
std::string EntryResource(const events::StreamEntry& entry) {
  events::v1::Event event;
  if (event.ParseFromString(std::string(entry.Field("event")))) {
    return event.resource();
  }
  return "";
}

bool IsCancelled(const IndexedActivity& entry, absl::CivilSecond local) {
  return std::binary_search(entry.cancelled.begin(), entry.cancelled.end(),
                            local);
}

// The sort key of a search result: next start (or none), then id.
struct SearchKey {
  int64_t start_nanos = kNoOccurrence;
  int64_t id = 0;
  bool operator<(const SearchKey& other) const {
    return std::tie(start_nanos, id) < std::tie(other.start_nanos, other.id);
  }
};

std::string EncodeKey(absl::Time basis, const SearchKey& key) {
  return absl::StrCat(absl::ToUnixNanos(basis), "|", key.start_nanos, "|",
                      key.id);
}

bool DecodeKey(absl::string_view cursor, absl::Time* basis, SearchKey* key) {
  const std::vector<absl::string_view> parts = absl::StrSplit(cursor, '|');
  int64_t basis_nanos = 0;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[0], &basis_nanos) ||
      !absl::SimpleAtoi(parts[1], &key->start_nanos) ||
      !absl::SimpleAtoi(parts[2], &key->id)) {
    return false;
  }
  *basis = absl::FromUnixNanos(basis_nanos);
  return true;
}

std::string QueryFingerprint(absl::string_view kind,
                             absl::string_view municipality,
                             const google::protobuf::Message& query) {
  std::string serialized;
  google::protobuf::io::StringOutputStream stream(&serialized);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  query.SerializeToCodedStream(&coded);
  coded.Trim();
  return absl::StrCat(kind, "|", municipality, "|", serialized);
}

// The first uncancelled occurrence overlapping [start, end), if any.
std::optional<Occurrence> FirstInWindow(const IndexedActivity& entry,
                                        absl::Time start, absl::Time end) {
  // An occurrence overlaps iff it starts before `end` and ends after
  // `start`, i.e. starts after start - duration.
  std::optional<Occurrence> next =
      entry.NextFrom(start - entry.schedule.duration + absl::Nanoseconds(1));
  if (!next.has_value() || next->start >= end) return std::nullopt;
  return next;
}

}  // namespace

std::optional<Occurrence> IndexedActivity::NextFrom(absl::Time after) const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (cache_basis_ <= after &&
      (!cache_next_.has_value() || cache_next_->start >= after) &&
      cache_basis_ != absl::InfinitePast()) {
    return cache_next_;
  }
  std::optional<Occurrence> next = NextOccurrence(schedule, after);
  // Cancelled occurrences are skipped; the list is bounded, so is this.
  while (next.has_value() && IsCancelled(*this, next->local_start)) {
    next = NextOccurrence(schedule, next->start + absl::Nanoseconds(1));
  }
  cache_basis_ = after;
  cache_next_ = next;
  return next;
}

std::shared_ptr<const IndexedActivity> MakeIndexed(v1::Activity activity) {
  auto schedule = ScheduleFromProto(activity.schedule());
  if (!schedule.ok()) return nullptr;
  auto entry = std::make_shared<IndexedActivity>();
  entry->activity = std::move(activity);
  entry->matchable = MakeMatchable(entry->activity);
  entry->schedule = std::move(*schedule);
  (void)absl::SimpleAtoi(store::IdOf(entry->activity.name()),
                         &entry->numeric_id);
  for (const auto& cancelled : entry->activity.cancelled_occurrences()) {
    if (auto local = ParseLocalDateTime(cancelled.start_time(), "");
        local.ok()) {
      entry->cancelled.push_back(*local);
    }
  }
  std::sort(entry->cancelled.begin(), entry->cancelled.end());
  return entry;
}

void SearchIndex::Tenant::Put(const std::string& id,
                              std::shared_ptr<const IndexedActivity> entry) {
  auto [it, inserted] = positions.emplace(id, entries.size());
  if (inserted) {
    entries.push_back(std::move(entry));
  } else {
    entries[it->second] = std::move(entry);
  }
}

void SearchIndex::Tenant::Erase(const std::string& id) {
  auto it = positions.find(id);
  if (it == positions.end()) return;
  const size_t position = it->second;
  positions.erase(it);
  if (position + 1 != entries.size()) {
    entries[position] = std::move(entries.back());
    positions[store::IdOf(entries[position]->activity.name())] = position;
  }
  entries.pop_back();
}

SearchIndex::SearchIndex(CatalogueContext& ctx, Activities& activities)
    : ctx_(ctx), activities_(activities) {}

SearchIndex::Tenant& SearchIndex::TenantOf(absl::string_view municipality) {
  std::lock_guard<std::mutex> lock(tenants_mutex_);
  auto& tenant = tenants_[std::string(municipality)];
  if (tenant == nullptr) tenant = std::make_unique<Tenant>();
  return *tenant;
}

absl::Status SearchIndex::Apply(absl::string_view municipality, Tenant& tenant,
                                const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<v1::Activity> loaded,
                   activities_.LoadMany(municipality, ids));
  std::map<std::string, std::shared_ptr<const IndexedActivity>> fresh;
  for (v1::Activity& activity : loaded) {
    std::string id = store::IdOf(activity.name());
    if (auto entry = MakeIndexed(std::move(activity))) {
      fresh.emplace(std::move(id), std::move(entry));
    }
  }
  std::unique_lock<std::shared_mutex> lock(tenant.entries_mutex);
  for (const std::string& id : ids) {
    auto it = fresh.find(id);
    if (it == fresh.end()) {
      tenant.Erase(id);  // deleted
    } else {
      tenant.Put(id, std::move(it->second));
    }
  }
  return absl::OkStatus();
}

absl::Status SearchIndex::Reload(absl::string_view municipality,
                                 Tenant& tenant) {
  // The position first: changes after it are applied by the next catch-up
  // (re-reading a document twice is harmless).
  tenant.tail = std::make_unique<events::StreamTail>(
      ctx_.pool, ctx_.keys.space().EventStream(municipality));
  RETURN_IF_ERROR(tenant.tail->StartAtEnd());
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   activities_.AllIds(municipality));
  {
    std::unique_lock<std::shared_mutex> lock(tenant.entries_mutex);
    tenant.entries.clear();
    tenant.positions.clear();
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

absl::Status SearchIndex::CatchUp(absl::string_view municipality,
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
      std::string id = ActivityIdOf(EntryResource(entry));
      if (!id.empty()) ids.insert(std::move(id));
    }
    RETURN_IF_ERROR(Apply(municipality, tenant,
                          std::vector<std::string>(ids.begin(), ids.end())));
    if (static_cast<int>(batch.entries.size()) < kStreamBatch) {
      return absl::OkStatus();
    }
  }
}

absl::StatusOr<SearchIndex::Tenant*> SearchIndex::Fresh(
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

absl::StatusOr<SearchPage> SearchIndex::Search(const auth::Principal& principal,
                                               absl::string_view municipality,
                                               const v1::ActivityQuery& query,
                                               int32_t page_size,
                                               absl::string_view page_token) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  ASSIGN_OR_RETURN(CompiledQuery compiled, CompileQuery(query, "query"));
  const std::string fingerprint =
      QueryFingerprint("search", municipality, query);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  // The basis of "next occurrence" is fixed by the first page, so later
  // pages continue the same order.
  absl::Time basis = compiled.window_start.value_or(absl::Now());
  SearchKey after{std::numeric_limits<int64_t>::min(), 0};
  if (!cursor.empty() && !DecodeKey(cursor, &basis, &after)) {
    return InvalidFieldError("page_token", "does not decode; start over");
  }
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);

  struct Hit {
    SearchKey key;
    const IndexedActivity* entry;
    std::optional<Occurrence> next;
  };
  std::vector<Hit> hits;
  int total = 0;
  for (const auto& entry : tenant->entries) {
    if (!IsPublic(entry->activity) ||
        !MatchesAttributes(compiled, entry->matchable)) {
      continue;
    }
    std::optional<Occurrence> next =
        compiled.window_start.has_value()
            ? FirstInWindow(*entry, basis, *compiled.window_end)
            : entry->NextFrom(basis);
    // Without a window, activities with nothing ahead are over in fact.
    if (!next.has_value()) continue;
    ++total;
    Hit hit{
        {absl::ToUnixNanos(next->start), entry->numeric_id}, entry.get(), next};
    if (after < hit.key) hits.push_back(std::move(hit));
  }
  const auto by_key = [](const Hit& a, const Hit& b) { return a.key < b.key; };
  const bool more = static_cast<int>(hits.size()) > size;
  if (more) {
    std::nth_element(hits.begin(), hits.begin() + size, hits.end(), by_key);
    hits.resize(size);
  }
  std::sort(hits.begin(), hits.end(), by_key);

  SearchPage page;
  page.total_size = total;
  for (const Hit& hit : hits) {
    v1::SearchResult result;
    *result.mutable_activity() = hit.entry->activity;
    if (hit.next.has_value()) {
      *result.mutable_next_occurrence() =
          OccurrenceToProto(hit.entry->activity, *hit.next);
    }
    page.results.push_back(std::move(result));
  }
  if (more) {
    page.next_page_token =
        api::EncodePageToken(EncodeKey(basis, hits.back().key), fingerprint);
  }
  return page;
}

absl::StatusOr<OccurrencePage> SearchIndex::ListOccurrences(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view activity_id, const v1::ActivityQuery& query,
    absl::Time start, absl::Time end, int32_t page_size,
    absl::string_view page_token, bool show_cancelled) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  ASSIGN_OR_RETURN(
      int size, api::ResolvePageSize(page_size == 0 ? kDefaultOccurrencePageSize
                                                    : page_size));
  if (end <= start) {
    return InvalidFieldError("end_time", "must be after start_time");
  }
  if (end - start > kMaxWindow) {
    return InvalidFieldError("end_time",
                             "the window may span at most 400 days; list "
                             "longer periods window by window");
  }
  ASSIGN_OR_RETURN(CompiledQuery compiled, CompileQuery(query, "query"));
  const std::string fingerprint =
      absl::StrCat(QueryFingerprint("occurrences", municipality, query), "|",
                   activity_id, "|", absl::ToUnixNanos(start), "|",
                   absl::ToUnixNanos(end), "|", show_cancelled);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  absl::Time ignored;
  SearchKey after{std::numeric_limits<int64_t>::min(), 0};
  if (!cursor.empty() && !DecodeKey(cursor, &ignored, &after)) {
    return InvalidFieldError("page_token", "does not decode; start over");
  }
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);

  std::vector<const IndexedActivity*> sources;
  if (!activity_id.empty()) {
    auto it = tenant->positions.find(std::string(activity_id));
    if (it != tenant->positions.end()) {
      const auto& entry = tenant->entries[it->second];
      if (MayRead(principal, entry->activity)) sources.push_back(entry.get());
    }
    if (sources.empty()) {
      return ResourceNotFoundError("brobygger.catalogue.v1.Activity",
                                   ActivityName(municipality, activity_id));
    }
  } else {
    for (const auto& entry : tenant->entries) {
      if (IsPublic(entry->activity) &&
          MatchesAttributes(compiled, entry->matchable)) {
        sources.push_back(entry.get());
      }
    }
  }
  // Each source contributes at most size+1 occurrences after the cursor;
  // the page is the smallest `size` of them all.
  const absl::Time from =
      after.start_nanos == std::numeric_limits<int64_t>::min()
          ? start
          : std::max(start, absl::FromUnixNanos(after.start_nanos));
  struct Item {
    SearchKey key;
    const IndexedActivity* entry;
    Occurrence occurrence;
  };
  std::vector<Item> items;
  for (const IndexedActivity* entry : sources) {
    // The expansion also holds occurrences that began before `from` and
    // still run (up to a month's worth of a daily rule), which the cursor
    // skips: expand further until size+1 are taken or there are no more.
    int limit = size + 1 + static_cast<int>(entry->cancelled.size());
    while (true) {
      ASSIGN_OR_RETURN(Expansion expansion,
                       ExpandOccurrences(entry->schedule, from, end, limit));
      std::vector<Item> taken;
      for (const Occurrence& occurrence : expansion.occurrences) {
        if (!show_cancelled && IsCancelled(*entry, occurrence.local_start)) {
          continue;
        }
        SearchKey key{absl::ToUnixNanos(occurrence.start), entry->numeric_id};
        if (!(after < key)) continue;
        taken.push_back({key, entry, occurrence});
        if (static_cast<int>(taken.size()) > size) break;
      }
      if (static_cast<int>(taken.size()) > size || !expansion.truncated) {
        items.insert(items.end(), taken.begin(), taken.end());
        break;
      }
      limit *= 2;
    }
  }
  const auto by_key = [](const Item& a, const Item& b) {
    return a.key < b.key;
  };
  const bool more = static_cast<int>(items.size()) > size;
  if (more) {
    std::nth_element(items.begin(), items.begin() + size, items.end(), by_key);
    items.resize(size);
  }
  std::sort(items.begin(), items.end(), by_key);
  OccurrencePage page;
  for (const Item& item : items) {
    page.occurrences.push_back(
        OccurrenceToProto(item.entry->activity, item.occurrence));
  }
  if (more) {
    page.next_page_token =
        api::EncodePageToken(EncodeKey(start, items.back().key), fingerprint);
  }
  return page;
}

absl::StatusOr<std::vector<v1::Activity>> SearchIndex::Matching(
    absl::string_view municipality, const CompiledQuery& query) {
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);
  std::vector<const IndexedActivity*> matches;
  for (const auto& entry : tenant->entries) {
    if (!IsPublic(entry->activity) ||
        !MatchesAttributes(query, entry->matchable)) {
      continue;
    }
    if (query.window_start.has_value() &&
        !FirstInWindow(*entry, *query.window_start, *query.window_end)) {
      continue;
    }
    matches.push_back(entry.get());
  }
  std::sort(matches.begin(), matches.end(),
            [](const IndexedActivity* a, const IndexedActivity* b) {
              return a->numeric_id < b->numeric_id;
            });
  std::vector<v1::Activity> out;
  out.reserve(matches.size());
  for (const IndexedActivity* entry : matches) out.push_back(entry->activity);
  return out;
}

absl::StatusOr<std::vector<v1::Activity>> SearchIndex::All(
    absl::string_view municipality) {
  ASSIGN_OR_RETURN(Tenant * tenant, Fresh(municipality));
  std::shared_lock<std::shared_mutex> lock(tenant->entries_mutex);
  std::vector<v1::Activity> out;
  out.reserve(tenant->entries.size());
  for (const auto& entry : tenant->entries) out.push_back(entry->activity);
  std::sort(out.begin(), out.end(),
            [](const v1::Activity& a, const v1::Activity& b) {
              return store::IdScore(store::IdOf(a.name())) <
                     store::IdScore(store::IdOf(b.name()));
            });
  return out;
}

}  // namespace brobygger::catalogue
