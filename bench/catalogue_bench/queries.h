// The searches the benchmark makes, a mix of what the app and the
// municipality's pages ask, and the check every answer must pass.
#ifndef BROBYGGER_BENCH_CATALOGUE_BENCH_QUERIES_H_
#define BROBYGGER_BENCH_CATALOGUE_BENCH_QUERIES_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "brobygger/catalogue/v1/activity.pb.h"
#include "brobygger/catalogue/v1/catalogue_service.pb.h"

namespace brobygger::bench {

struct SearchKind {
  std::string key;    // for --scenarios, e.g. "area"
  std::string label;  // in the report, e.g. "Search area=Kærby"
  catalogue::v1::ActivityQuery query;
  // Asks for page 2 (with the page_token of page 1) instead of page 1.
  bool second_page = false;
};

// Area only; category + area; the texts "café" and "lektie"; children
// aged 8; Arabic; the week [week_start, week_end); free only; and page 2
// of another area.
std::vector<SearchKind> SearchKinds(absl::Time week_start, absl::Time week_end);

// Whether `activity` has what `query` asks for, apart from its window, as
// the API documents it: areas and words compared ignoring case and
// accents, target groups including the kind or everyone (families and
// the age's children for a child's age).
bool MatchesQuery(const catalogue::v1::ActivityQuery& query,
                  const catalogue::v1::Activity& activity);

}  // namespace brobygger::bench

#endif  // BROBYGGER_BENCH_CATALOGUE_BENCH_QUERIES_H_
