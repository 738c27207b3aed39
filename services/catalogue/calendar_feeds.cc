#include "services/catalogue/calendar_feeds.h"

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/api/field_checks.h"
#include "common/api/pagination.h"
#include "common/api/resource_name.h"
#include "common/auth/authorizer.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/store/etag.h"
#include "common/store/index_page.h"
#include "common/store/resource_io.h"
#include "services/catalogue/activity_rules.h"
#include "services/catalogue/calendar_export.h"

namespace brobygger::catalogue {
namespace {

constexpr char kResourceType[] = "brobygger.catalogue.v1.CalendarFeed";
constexpr int kSecretBytes = 16;

std::string FeedName(absl::string_view municipality, absl::string_view id) {
  return absl::StrCat("municipalities/", municipality, "/calendarFeeds/", id);
}

absl::StatusOr<std::string> NewSecret() {
  unsigned char bytes[kSecretBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::UnavailableError("no randomness for a feed secret");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

bool IsHexSecret(absl::string_view secret) {
  if (secret.size() != 2 * kSecretBytes) return false;
  for (char c : secret) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

RenderedFeed MakeRenderedFeed(std::string body) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(body.data()), body.size(),
       digest);
  RenderedFeed out;
  out.etag = absl::StrCat(
      "\"",
      absl::BytesToHexString(absl::string_view(
          reinterpret_cast<const char*>(digest), sizeof(digest))),
      "\"");
  out.body = std::move(body);
  return out;
}

CalendarFeeds::CalendarFeeds(CatalogueContext& ctx, SearchIndex& index,
                             std::string public_base_url)
    : ctx_(ctx), index_(index), public_base_url_(std::move(public_base_url)) {
  while (absl::EndsWith(public_base_url_, "/")) public_base_url_.pop_back();
}

absl::Status CalendarFeeds::RequireFeedEditor(
    const auth::Principal& principal) {
  switch (principal.role) {
    case auth::Role::kCaseworker:
    case auth::Role::kCoordinator:
    case auth::Role::kNgoApp:
      return absl::OkStatus();
    default:
      return PermissionDeniedError(
          "FEED_EDITOR",
          "calendar feeds are made by caseworkers, coordinators and "
          "organisations' apps; ask one of them for the feed's URL");
  }
}

v1::CalendarFeed CalendarFeeds::WithUrl(v1::CalendarFeed feed) const {
  if (!public_base_url_.empty()) {
    feed.set_url(absl::StrCat(public_base_url_, feed.path()));
  }
  return feed;
}

absl::StatusOr<v1::CalendarFeed> CalendarFeeds::Create(
    const auth::Principal& principal, absl::string_view municipality,
    v1::CalendarFeed feed, absl::string_view request_id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireFeedEditor(principal));
  FieldViolations violations;
  api::CheckText(feed.display_name(), kMaxDisplayNameChars, true,
                 "calendar_feed.display_name",
                 "the calendar's name, e.g. \"Aalborg: language cafés\"",
                 &violations);
  RETURN_IF_ERROR(violations.ToStatus());
  RETURN_IF_ERROR(CompileQuery(feed.query(), "calendar_feed.query").status());

  std::string request_key;
  if (!request_id.empty()) {
    request_key =
        ctx_.keys.Request(municipality, kCalendarFeedCollection, request_id);
    ASSIGN_OR_RETURN(auto earlier, ctx_.store.LookupRequest(request_key));
    if (earlier.has_value()) return Get(principal, municipality, *earlier);
  }
  ASSIGN_OR_RETURN(std::string secret, NewSecret());
  ASSIGN_OR_RETURN(int64_t numeric_id,
                   ctx_.store.NextId(municipality, kCalendarFeedCollection));
  const std::string id = absl::StrCat(numeric_id);
  feed.set_name(FeedName(municipality, id));
  feed.set_path(absl::StrCat("/feeds/", municipality, "/", secret, ".ics"));
  feed.clear_url();
  *feed.mutable_create_time() = store::ToTimestamp(absl::Now());

  store::WriteSpec spec;
  spec.municipality = std::string(municipality);
  spec.collection = kCalendarFeedCollection;
  spec.id = id;
  spec.data = feed.SerializeAsString();
  spec.request_key = request_key;
  spec.add_to_indexes.push_back(
      {ctx_.keys.AllIndex(municipality, kCalendarFeedCollection),
       store::IdScore(id)});
  spec.take_claims.push_back({ctx_.keys.FeedSecrets(municipality), secret});
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Create(spec));
  if (result.outcome == store::WriteResult::Outcome::kRequestReplayed) {
    return Get(principal, municipality, result.id);
  }
  RETURN_IF_ERROR(
      store::StoreOutcomeToStatus(result, kResourceType, feed.name()));
  return WithUrl(std::move(feed));
}

absl::StatusOr<v1::CalendarFeed> CalendarFeeds::Get(
    const auth::Principal& principal, absl::string_view municipality,
    absl::string_view id) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireFeedEditor(principal));
  ASSIGN_OR_RETURN(auto loaded, store::LoadResource<v1::CalendarFeed>(
                                    ctx_.store, municipality,
                                    kCalendarFeedCollection, id,
                                    FeedName(municipality, id), kResourceType,
                                    "calendar feed"));
  return WithUrl(std::move(loaded.resource));
}

absl::StatusOr<FeedPage> CalendarFeeds::List(const auth::Principal& principal,
                                             absl::string_view municipality,
                                             int32_t page_size,
                                             absl::string_view page_token) {
  RETURN_IF_ERROR(auth::RequireMunicipality(principal, municipality));
  RETURN_IF_ERROR(RequireFeedEditor(principal));
  ASSIGN_OR_RETURN(int size, api::ResolvePageSize(page_size));
  const std::string fingerprint = absl::StrCat("feeds|", municipality);
  ASSIGN_OR_RETURN(std::string cursor,
                   api::DecodePageToken(page_token, fingerprint));
  ASSIGN_OR_RETURN(
      store::IndexPage<v1::CalendarFeed> page,
      store::ScanIndexPage<v1::CalendarFeed>(
          ctx_.store, municipality, kCalendarFeedCollection,
          ctx_.keys.AllIndex(municipality, kCalendarFeedCollection), size,
          cursor, size, [](const v1::CalendarFeed&) { return true; }));
  FeedPage out;
  for (v1::CalendarFeed& feed : page.items) {
    out.feeds.push_back(WithUrl(std::move(feed)));
  }
  if (!page.next_cursor.empty()) {
    out.next_page_token = api::EncodePageToken(page.next_cursor, fingerprint);
  }
  return out;
}

absl::Status CalendarFeeds::Delete(const auth::Principal& principal,
                                   absl::string_view municipality,
                                   absl::string_view id) {
  ASSIGN_OR_RETURN(v1::CalendarFeed feed, Get(principal, municipality, id));
  ASSIGN_OR_RETURN(auto loaded, store::LoadResource<v1::CalendarFeed>(
                                    ctx_.store, municipality,
                                    kCalendarFeedCollection, id, feed.name(),
                                    kResourceType, "calendar feed"));
  std::vector<absl::string_view> parts = absl::StrSplit(feed.path(), '/');
  absl::string_view secret = parts.empty() ? "" : parts.back();
  absl::ConsumeSuffix(&secret, ".ics");
  store::WriteSpec spec = store::VersionedWriteSpec(
      municipality, kCalendarFeedCollection, id, loaded.version);
  spec.remove_from_indexes.push_back(
      ctx_.keys.AllIndex(municipality, kCalendarFeedCollection));
  spec.release_claims.push_back(
      {ctx_.keys.FeedSecrets(municipality), std::string(secret)});
  ASSIGN_OR_RETURN(store::WriteResult result, ctx_.store.Delete(spec));
  return store::StoreOutcomeToStatus(result, kResourceType, feed.name());
}

absl::StatusOr<RenderedFeed> CalendarFeeds::Serve(absl::string_view path) {
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  // "", "feeds", municipality, "<secret>.ics"
  absl::string_view file = parts.size() == 4 ? parts[3] : "";
  if (parts.size() != 4 || !parts[0].empty() || parts[1] != "feeds" ||
      !api::IsValidMunicipalityId(parts[2]) ||
      !absl::ConsumeSuffix(&file, ".ics") || !IsHexSecret(file)) {
    return absl::NotFoundError("no such feed");
  }
  const absl::string_view municipality = parts[2];
  ASSIGN_OR_RETURN(redis::Reply id,
                   ctx_.pool.Run({"HGET", ctx_.keys.FeedSecrets(municipality),
                                  std::string(file)}));
  if (id.is_error()) return absl::InternalError(id.str);
  if (!id.is_string()) return absl::NotFoundError("no such feed");
  ASSIGN_OR_RETURN(auto feed, store::LoadResource<v1::CalendarFeed>(
                                  ctx_.store, municipality,
                                  kCalendarFeedCollection, id.str,
                                  FeedName(municipality, id.str),
                                  kResourceType, "calendar feed"));
  ASSIGN_OR_RETURN(CompiledQuery query,
                   CompileQuery(feed.resource.query(), "query"));
  ASSIGN_OR_RETURN(std::vector<v1::Activity> activities,
                   index_.Matching(municipality, query));
  return MakeRenderedFeed(
      RenderActivitiesCalendar(feed.resource.display_name(), activities));
}

}  // namespace brobygger::catalogue
