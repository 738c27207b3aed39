// The municipality (tenant) rules: operators create and delete them; the
// people of a municipality read it and keep its areas and coordinator.
#ifndef BROBYGGER_SERVICES_REGISTRY_MUNICIPALITIES_H_
#define BROBYGGER_SERVICES_REGISTRY_MUNICIPALITIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "brobygger/registry/v1/municipality.pb.h"
#include "common/auth/principal.h"
#include "google/protobuf/field_mask.pb.h"
#include "services/registry/registry_context.h"

namespace brobygger::registry {

inline constexpr int kMaxMunicipalityAreas = 200;

struct MunicipalityPage {
  std::vector<v1::Municipality> municipalities;
  std::string next_cursor;  // last id returned; empty at the end
};

class Municipalities {
 public:
  explicit Municipalities(RegistryContext context) : ctx_(context) {}

  absl::StatusOr<v1::Municipality> Create(const auth::Principal& principal,
                                          const std::string& id,
                                          v1::Municipality municipality,
                                          const std::string& request_id);
  absl::StatusOr<v1::Municipality> Get(const auth::Principal& principal,
                                       absl::string_view id);
  absl::StatusOr<MunicipalityPage> List(const auth::Principal& principal,
                                        int page_size,
                                        absl::string_view cursor);
  absl::StatusOr<v1::Municipality> Update(
      const auth::Principal& principal, const v1::Municipality& patch,
      const google::protobuf::FieldMask& mask);
  absl::Status Delete(const auth::Principal& principal, absl::string_view id,
                      absl::string_view etag);

  // The municipality without access checks, for other domain classes;
  // NOT_FOUND when it does not exist. `version` receives its version.
  absl::StatusOr<v1::Municipality> Load(absl::string_view id,
                                        int64_t* version = nullptr);

 private:
  RegistryContext ctx_;
};

std::string MunicipalityName(absl::string_view id);

}  // namespace brobygger::registry

#endif  // BROBYGGER_SERVICES_REGISTRY_MUNICIPALITIES_H_
