// The projection of the registry: events and snapshots in any order end
// in the registry's latest state; deleted actors stay deleted; newcomers
// keep only what matching uses.
#include "gtest/gtest.h"
#include "tests/matching/matching_fixture.h"

namespace brobygger::matching {
namespace {

class RegistryProjectionTest : public MatchingFixture {};

TEST_F(RegistryProjectionTest, SnapshotNeitherResurrectsNorOverwritesNewer) {
  VolunteerSpec spec;
  spec.id = "101";
  spec.display_name = "Senait";
  AddVolunteer(spec);
  VolunteerSpec gone;
  gone.id = "102";
  AddVolunteer(gone);
  DeleteVolunteer("102");

  // A snapshot read earlier: 101 under an older name, 102 still there.
  rv1::Actor stale = VolunteerActor(spec);
  stale.set_display_name("Senait (old)");
  *stale.mutable_update_time() =
      store::ToTimestamp(absl::Now() - absl::Hours(1));
  rv1::Actor deleted = VolunteerActor(gone);
  auto written = matching().projection().ApplySnapshot(
      kMunicipality, {stale, deleted}, absl::Now());
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 0);

  auto kept = matching().projection().FindVolunteer(kMunicipality, "101");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->display_name(), "Senait");
  auto still_gone = matching().projection().FindVolunteer(kMunicipality, "102");
  ASSERT_TRUE(still_gone.ok());
  EXPECT_FALSE(still_gone->has_value());
}

TEST_F(RegistryProjectionTest, SnapshotFillsAnEmptyProjection) {
  VolunteerSpec spec;
  spec.id = "101";
  NewcomerSpec newcomer;
  newcomer.id = "200";
  auto written = matching().projection().ApplySnapshot(
      kMunicipality, {VolunteerActor(spec), NewcomerActor(newcomer)},
      absl::Now());
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 2);
  auto as_of = matching().projection().AsOf(kMunicipality);
  ASSERT_TRUE(as_of.ok());
  EXPECT_TRUE(as_of->has_value());
  auto size = matching().index().Size(kMunicipality);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 1u) << "the volunteer is a candidate";
}

TEST_F(RegistryProjectionTest, NewcomersAreMinimised) {
  NewcomerSpec spec;
  spec.id = "200";
  AddNewcomer(spec);
  auto stored = matching().projection().FindNewcomer(kMunicipality, "200");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_TRUE((*stored)->display_name().empty());
  EXPECT_TRUE((*stored)->newcomer().first_name().empty());
  EXPECT_TRUE((*stored)->newcomer().family_name().empty());
  EXPECT_EQ((*stored)->newcomer().needs_size(), 2);
  EXPECT_TRUE((*stored)->newcomer().consent().volunteer_contact());
}

}  // namespace
}  // namespace brobygger::matching
