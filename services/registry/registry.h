// The registry's domain, assembled: one object per resource, sharing the
// store. Built once by main() and by tests.
#ifndef BROBYGGER_SERVICES_REGISTRY_REGISTRY_H_
#define BROBYGGER_SERVICES_REGISTRY_REGISTRY_H_

#include "absl/time/time.h"
#include "common/events/event_bus.h"
#include "common/redis/redis_pool.h"
#include "common/store/document_store.h"
#include "services/registry/actors.h"
#include "services/registry/audit_log.h"
#include "services/registry/contact_points.h"
#include "services/registry/forums.h"
#include "services/registry/municipalities.h"
#include "services/registry/newcomer_grants.h"

namespace brobygger::registry {

struct RegistryOptions {
  events::StreamRetention retention;
  // How long reads of newcomers' data stay in the audit log.
  absl::Duration audit_retention = absl::Hours(24 * 365 * 5);
};

class Registry {
 public:
  Registry(redis::RedisPool& pool, RegistryOptions options)
      : store_(pool, RegistryKeys().space(), options.retention),
        grants_(pool),
        audit_(pool, options.audit_retention),
        municipalities_(Context(pool)),
        actors_(Context(pool), municipalities_, grants_, audit_),
        contact_points_(Context(pool), municipalities_, actors_),
        forums_(Context(pool), municipalities_, actors_) {}

  Municipalities& municipalities() { return municipalities_; }
  Actors& actors() { return actors_; }
  ContactPoints& contact_points() { return contact_points_; }
  Forums& forums() { return forums_; }
  NewcomerGrants& grants() { return grants_; }
  AuditLog& audit() { return audit_; }

 private:
  RegistryContext Context(redis::RedisPool& pool) {
    return RegistryContext{pool, store_, RegistryKeys()};
  }

  store::DocumentStore store_;
  NewcomerGrants grants_;
  AuditLog audit_;
  Municipalities municipalities_;
  Actors actors_;
  ContactPoints contact_points_;
  Forums forums_;
};

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_REGISTRY_H_
