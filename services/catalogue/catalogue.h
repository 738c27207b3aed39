// The catalogue's domain assembled: one object per concern, wired to the
// same Redis pool and document store.
#ifndef BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_H_
#define BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_H_

#include <string>

#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/catalogue/activities.h"
#include "services/catalogue/calendar_feeds.h"
#include "services/catalogue/catalogue_context.h"
#include "services/catalogue/coordination_reports.h"
#include "services/catalogue/hsds_exchange.h"
#include "services/catalogue/personal_plans.h"
#include "services/catalogue/registry_follower.h"
#include "services/catalogue/registry_projection.h"
#include "services/catalogue/search_index.h"
#include "services/catalogue/timeline_templates.h"

namespace brobygger::catalogue {

struct CatalogueOptions {
  events::StreamRetention retention;
  std::string feed_base_url;
  ActivitiesOptions activities;
  FollowerOptions follower;
};

class Catalogue {
 public:
  Catalogue(redis::RedisPool& pool, CatalogueOptions options)
      : store_(pool, redis::KeySpace(kServiceName), options.retention),
        ctx_{pool, store_, CatalogueKeys()},
        projection_(ctx_),
        activities_(ctx_, projection_, options.activities),
        index_(ctx_, activities_),
        feeds_(ctx_, index_, options.feed_base_url),
        reports_(index_, projection_),
        templates_(ctx_),
        plans_(ctx_, templates_,
               [this](absl::string_view m, absl::string_view id) {
                 return projection_.HasNewcomer(m, id);
               }),
        hsds_(activities_, index_, projection_),
        follower_(ctx_, projection_, activities_, plans_, options.follower) {}

  CatalogueContext& context() { return ctx_; }
  RegistryProjection& projection() { return projection_; }
  Activities& activities() { return activities_; }
  SearchIndex& index() { return index_; }
  CalendarFeeds& feeds() { return feeds_; }
  CoordinationReports& reports() { return reports_; }
  TimelineTemplates& templates() { return templates_; }
  PersonalPlans& plans() { return plans_; }
  HsdsExchange& hsds() { return hsds_; }
  RegistryFollower& follower() { return follower_; }

 private:
  store::DocumentStore store_;
  CatalogueContext ctx_;
  RegistryProjection projection_;
  Activities activities_;
  SearchIndex index_;
  CalendarFeeds feeds_;
  CoordinationReports reports_;
  TimelineTemplates templates_;
  PersonalPlans plans_;
  HsdsExchange hsds_;
  RegistryFollower follower_;
};

}  // namespace brobygger::catalogue

#endif  // BROBYGGER_SERVICES_CATALOGUE_CATALOGUE_H_
