// Calendar feeds: saved queries served as iCalendar at an unguessable
// plain-HTTP path ("/feeds/aalborg/<32 hex>.ics"), because calendar
// programs subscribe by URL and cannot send bearer tokens. The path is a
// capability: whoever has it reads the published activities the query
// selects (which every authenticated user of the municipality may read
// anyway); deleting the feed revokes it.
#ifndef BROBYGGER_SERVICES_CATALOGUE_CALENDAR_FEEDS_H_
#define BROBYGGER_SERVICES_CATALOGUE_CALENDAR_FEEDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"
#include "common/auth/principal.h"
#include "services/catalogue/catalogue_context.h"
#include "services/catalogue/search_index.h"

namespace brobygger::catalogue {

struct FeedPage {
  std::vector<v1::CalendarFeed> feeds;
  std::string next_page_token;
};

struct RenderedFeed {
  std::string body;
  std::string etag;  // strong, quoted: a hash of the body
};

class CalendarFeeds {
 public:
  // `public_base_url` (e.g. "https://kalender.aalborg.dk") prefixes paths
  // into `url`; empty leaves `url` empty.
  CalendarFeeds(CatalogueContext& ctx, SearchIndex& index,
                std::string public_base_url);

  absl::StatusOr<v1::CalendarFeed> Create(const auth::Principal& principal,
                                          absl::string_view municipality,
                                          v1::CalendarFeed feed,
                                          absl::string_view request_id);
  absl::StatusOr<v1::CalendarFeed> Get(const auth::Principal& principal,
                                       absl::string_view municipality,
                                       absl::string_view id);
  absl::StatusOr<FeedPage> List(const auth::Principal& principal,
                                absl::string_view municipality,
                                int32_t page_size,
                                absl::string_view page_token);
  absl::Status Delete(const auth::Principal& principal,
                      absl::string_view municipality, absl::string_view id);

  // Serves "/feeds/{municipality}/{secret}.ics". NOT_FOUND for anything
  // else, including revoked feeds.
  absl::StatusOr<RenderedFeed> Serve(absl::string_view path);

 private:
  absl::Status RequireFeedEditor(const auth::Principal& principal);
  v1::CalendarFeed WithUrl(v1::CalendarFeed feed) const;

  CatalogueContext& ctx_;
  SearchIndex& index_;
  std::string public_base_url_;
};

// The body and a strong ETag for it.
RenderedFeed MakeRenderedFeed(std::string body);

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_CALENDAR_FEEDS_H_
