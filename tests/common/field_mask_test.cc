#include "common/api/field_mask.h"

#include "brobygger/registry/v1/actor.pb.h"
#include "common/status/errors.h"
#include "gtest/gtest.h"

namespace brobygger::api {
namespace {

using registry::v1::Actor;

const FieldMaskRules kRules{.output_only = {"name", "etag"},
                            .immutable = {"kind"}};

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

TEST(FieldMaskTest, CopiesOnlyMaskedFieldsAndReplacesLists) {
  Actor target;
  target.set_display_name("Old");
  target.set_description("kept");
  target.add_areas("A");
  target.add_areas("B");
  Actor patch;
  patch.set_display_name("New");
  patch.set_description("ignored");
  patch.add_areas("C");
  patch.mutable_volunteer()->set_capacity(3);
  patch.mutable_volunteer()->set_former_refugee(true);
  ASSERT_TRUE(
      ApplyFieldMask(Mask({"display_name", "areas", "volunteer.capacity"}),
                     patch, kRules, &target)
          .ok());
  EXPECT_EQ(target.display_name(), "New");
  EXPECT_EQ(target.description(), "kept");
  ASSERT_EQ(target.areas_size(), 1);
  EXPECT_EQ(target.areas(0), "C");
  EXPECT_EQ(target.volunteer().capacity(), 3);
  EXPECT_FALSE(target.volunteer().former_refugee());
}

TEST(FieldMaskTest, WildcardSkipsOutputOnlyAndImmutable) {
  Actor target;
  target.set_name("municipalities/a/actors/1");
  target.set_kind(registry::v1::ACTOR_KIND_NGO);
  Actor patch;
  patch.set_name("other");
  patch.set_kind(registry::v1::ACTOR_KIND_VOLUNTEER);
  patch.set_display_name("Replaced");
  ASSERT_TRUE(ApplyFieldMask(Mask({"*"}), patch, kRules, &target).ok());
  EXPECT_EQ(target.name(), "municipalities/a/actors/1");
  EXPECT_EQ(target.kind(), registry::v1::ACTOR_KIND_NGO);
  EXPECT_EQ(target.display_name(), "Replaced");
}

TEST(FieldMaskTest, RefusesEmptyUnknownOutputOnlyAndImmutablePaths) {
  Actor target;
  for (auto mask : {Mask({}), Mask({"no_such_field"}), Mask({"etag"}),
                    Mask({"kind"}), Mask({"display_name", "*"})}) {
    absl::Status status = ApplyFieldMask(mask, Actor(), kRules, &target);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << mask.DebugString();
    auto violations = FieldViolationsOf(status);
    ASSERT_FALSE(violations.empty());
    EXPECT_EQ(violations[0].field, "update_mask");
  }
}

}  // namespace
}  // namespace brobygger::api
