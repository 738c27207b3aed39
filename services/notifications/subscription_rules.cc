#include "services/notifications/subscription_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/api/field_checks.h"
#include "common/text/fold.h"
#include "services/notifications/notification_names.h"

namespace brobygger::notifications {
namespace {

namespace cv1 = ::brobygger::catalogue::v1;

std::string Indexed(const std::string& field, int i) {
  return absl::StrCat(field, "[", i, "]");
}

void CheckTopics(const v1::Subscription& subscription, const std::string& field,
                 FieldViolations* violations) {
  if (subscription.topics().empty()) {
    violations->Add(field,
                    "is required: at least one topic, e.g. TOPIC_ACTIVITIES");
    return;
  }
  std::set<int> seen;
  for (int i = 0; i < subscription.topics_size(); ++i) {
    const int topic = subscription.topics(i);
    if (topic == v1::TOPIC_UNSPECIFIED || !v1::Topic_IsValid(topic)) {
      violations->Add(Indexed(field, i),
                      "must be a topic such as TOPIC_ACTIVITIES or "
                      "TOPIC_MATCHES");
    } else if (!seen.insert(topic).second) {
      violations->Add(Indexed(field, i), "is listed twice; list it once");
    } else if (topic == v1::TOPIC_NEWCOMER_PLACED &&
               subscription.has_webhook()) {
      violations->Add(
          Indexed(field, i),
          "TOPIC_NEWCOMER_PLACED is for people (local welcome contacts), "
          "never for a webhook: newcomers' data does not leave for external "
          "systems");
    }
  }
}

void CheckAreas(const v1::Subscription& subscription, const std::string& field,
                FieldViolations* violations) {
  if (subscription.areas_size() > kMaxAreas) {
    violations->Add(field, absl::StrCat("has ", subscription.areas_size(),
                                        " areas; at most ", kMaxAreas));
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < subscription.areas_size(); ++i) {
    const std::string& area = subscription.areas(i);
    const std::string entry = Indexed(field, i);
    const size_t before = violations->violations().size();
    api::CheckText(area, kMaxAreaLength, /*required=*/true, entry,
                   "a town or district, e.g. \"Vester Hassing\"", violations);
    if (violations->violations().size() != before) continue;
    if (!seen.insert(text::FoldForSearch(area)).second) {
      violations->Add(entry, "is listed twice; list each area once");
    }
  }
}

void CheckCategories(const v1::Subscription& subscription,
                     const std::string& field, FieldViolations* violations) {
  if (subscription.categories().empty()) return;
  if (subscription.categories_size() > kMaxCategories) {
    violations->Add(field,
                    absl::StrCat("has ", subscription.categories_size(),
                                 " categories; at most ", kMaxCategories));
    return;
  }
  if (!HasTopic(subscription, v1::TOPIC_ACTIVITIES)) {
    violations->Add(field,
                    "filters TOPIC_ACTIVITIES only: add that topic or leave "
                    "categories empty");
  }
  std::set<int> seen;
  for (int i = 0; i < subscription.categories_size(); ++i) {
    const int category = subscription.categories(i);
    if (category == cv1::CATEGORY_UNSPECIFIED ||
        !cv1::Category_IsValid(category)) {
      violations->Add(Indexed(field, i),
                      "must be an activity category such as "
                      "CATEGORY_LANGUAGE_CAFE");
    } else if (!seen.insert(category).second) {
      violations->Add(Indexed(field, i), "is listed twice; list it once");
    }
  }
}

void CheckForums(const v1::Subscription& subscription,
                 absl::string_view municipality, const std::string& field,
                 FieldViolations* violations) {
  if (subscription.forums().empty()) return;
  if (subscription.forums_size() > kMaxForums) {
    violations->Add(field, absl::StrCat("has ", subscription.forums_size(),
                                        " fora; at most ", kMaxForums));
    return;
  }
  if (!HasTopic(subscription, v1::TOPIC_FORUMS)) {
    violations->Add(field,
                    "filters TOPIC_FORUMS only: add that topic or leave "
                    "forums empty");
  }
  std::set<std::string> seen;
  for (int i = 0; i < subscription.forums_size(); ++i) {
    const std::string entry = Indexed(field, i);
    auto id = ParseForumId(subscription.forums(i), municipality, entry);
    if (!id.ok()) {
      for (const FieldViolation& v : FieldViolationsOf(id.status())) {
        violations->Add(v.field, v.description);
      }
    } else if (!seen.insert(*id).second) {
      violations->Add(entry, "is listed twice; list each forum once");
    }
  }
}

}  // namespace

bool HasTopic(const v1::Subscription& subscription, v1::Topic topic) {
  for (int listed : subscription.topics()) {
    if (listed == topic) return true;
  }
  return false;
}

void NormalizeSubscription(v1::Subscription* subscription) {
  for (std::string& area : *subscription->mutable_areas()) {
    area = std::string(absl::StripAsciiWhitespace(area));
  }
}

void CheckSubscriptionFilters(const v1::Subscription& subscription,
                              absl::string_view municipality,
                              const std::string& prefix,
                              FieldViolations* violations) {
  CheckTopics(subscription, absl::StrCat(prefix, ".topics"), violations);
  CheckAreas(subscription, absl::StrCat(prefix, ".areas"), violations);
  CheckCategories(subscription, absl::StrCat(prefix, ".categories"),
                  violations);
  CheckForums(subscription, municipality, absl::StrCat(prefix, ".forums"),
              violations);
}

}  // namespace brobygger::notifications
