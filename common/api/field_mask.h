// AIP-134 partial updates with google.protobuf.FieldMask.
#ifndef BROBYGGER_COMMON_API_FIELD_MASK_H_
#define BROBYGGER_COMMON_API_FIELD_MASK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace brobygger::api {

struct FieldMaskRules {
  // Paths the client may never set (name, etag, create_time, ...).
  std::vector<std::string> output_only;
  // Paths fixed at creation (e.g. kind).
  std::vector<std::string> immutable;
};

// Copies the fields named by `mask` from `patch` into `target`; repeated and
// message fields named by a path are replaced, not merged. "*" (alone)
// means every field that is neither output-only nor immutable. An empty
// mask, an unknown path, or an output-only/immutable path is
// INVALID_ARGUMENT naming "update_mask" and the path.
absl::Status ApplyFieldMask(const google::protobuf::FieldMask& mask,
                            const google::protobuf::Message& patch,
                            const FieldMaskRules& rules,
                            google::protobuf::Message* target);

// True if `path` or one of its parents is in the mask (after "*" expansion
// by the caller, i.e. `mask` as applied).
bool MaskCovers(const google::protobuf::FieldMask& mask,
                const std::string& path);

}  // namespace brobygger::api

#endif  // BROBYGGER_COMMON_API_FIELD_MASK_H_
