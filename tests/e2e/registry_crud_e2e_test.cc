// End-to-end: the standard methods of the registry over gRPC against the
// real binary: create, get, list, update with field mask and etag, delete,
// idempotent creates, duplicate detection and validation errors that name
// the offending field.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"

namespace brobygger::test {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

class RegistryCrudE2eTest : public RegistryE2eTest {};

TEST_F(RegistryCrudE2eTest, MunicipalityLifecycle) {
  rv1::CreateMunicipalityRequest create;
  create.set_municipality_id("esbjerg");
  create.mutable_municipality()->set_display_name("Esbjerg Kommune");
  create.mutable_municipality()->add_areas("Ribe");
  auto created =
      Call(*stub_, &RegistryStub::CreateMunicipality, operator_, create);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "municipalities/esbjerg");
  EXPECT_EQ(created->time_zone(), "Europe/Copenhagen");
  EXPECT_FALSE(created->etag().empty());

  rv1::GetMunicipalityRequest get;
  get.set_name("municipalities/esbjerg");
  auto got = Call(*stub_, &RegistryStub::GetMunicipality, operator_, get);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*got, *created))
      << "got " << got->DebugString() << "\ncreated " << created->DebugString();

  rv1::ListMunicipalitiesRequest list;
  auto listed =
      Call(*stub_, &RegistryStub::ListMunicipalities, operator_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> names;
  for (const auto& municipality : listed->municipalities()) {
    names.push_back(municipality.name());
  }
  EXPECT_THAT(names, Contains("municipalities/esbjerg"));
  EXPECT_THAT(names, Contains("municipalities/aalborg"));

  // Only display_name is in the mask: the new areas must be ignored.
  rv1::UpdateMunicipalityRequest update;
  update.mutable_municipality()->set_name("municipalities/esbjerg");
  update.mutable_municipality()->set_display_name("Esbjerg Kommune (ny)");
  update.mutable_municipality()->add_areas("Bramming");
  update.mutable_municipality()->set_etag(created->etag());
  update.mutable_update_mask()->add_paths("display_name");
  auto updated =
      Call(*stub_, &RegistryStub::UpdateMunicipality, operator_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Esbjerg Kommune (ny)");
  EXPECT_THAT(updated->areas(), ElementsAre("Ribe"));
  EXPECT_NE(updated->etag(), created->etag());

  rv1::DeleteMunicipalityRequest remove;
  remove.set_name("municipalities/esbjerg");
  remove.set_etag(updated->etag());
  auto removed =
      Call(*stub_, &RegistryStub::DeleteMunicipality, operator_, remove);
  ASSERT_TRUE(removed.ok()) << removed.status();
  auto gone = Call(*stub_, &RegistryStub::GetMunicipality, operator_, get);
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound) << gone.status();
}

TEST_F(RegistryCrudE2eTest, ActorLifecycle) {
  rv1::Actor branch = Organisation(rv1::ACTOR_KIND_NGO_BRANCH,
                                   "Røde Kors Aalborg", {"Aalborg C"});
  branch.set_description("Besøgstjeneste og lektiehjælp");
  AddLanguage(&branch, "da", true);
  branch.add_competences("Homework");
  auto created = CreateActor(coordinator_, "aalborg", branch);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->name(), StartsWith("municipalities/aalborg/actors/"));
  EXPECT_EQ(created->display_name(), "Røde Kors Aalborg");
  EXPECT_THAT(created->competences(), ElementsAre("homework"));  // normalised
  EXPECT_EQ(created->view(), rv1::DISCLOSURE_VIEW_PUBLIC);
  EXPECT_FALSE(created->etag().empty());
  EXPECT_TRUE(created->has_create_time());

  auto got = GetActor(coordinator_, created->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*got, *created))
      << "got " << got->DebugString() << "\ncreated " << created->DebugString();

  // The patch changes two fields, the mask names one: only that one changes.
  rv1::Actor patch;
  patch.set_name(created->name());
  patch.set_display_name("Røde Kors, Aalborg afdeling");
  patch.set_description("overwritten?");
  patch.set_etag(created->etag());
  auto updated = UpdateActor(coordinator_, patch, {"display_name"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Røde Kors, Aalborg afdeling");
  EXPECT_EQ(updated->description(), "Besøgstjeneste og lektiehjælp");
  EXPECT_THAT(updated->areas(), ElementsAre("Aalborg C"));
  EXPECT_NE(updated->etag(), created->etag());

  auto reread = GetActor(coordinator_, created->name());
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(reread->display_name(), "Røde Kors, Aalborg afdeling");
  EXPECT_EQ(reread->etag(), updated->etag());

  ASSERT_TRUE(DeleteActor(coordinator_, created->name(), updated->etag()).ok());
  auto gone = GetActor(coordinator_, created->name());
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound) << gone.status();
  auto names = ListNames(coordinator_, "aalborg", "");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, IsEmpty());
}

TEST_F(RegistryCrudE2eTest, UpdateWithStaleEtagIsAborted) {
  const rv1::Actor original = MustCreate(Organisation(
      rv1::ACTOR_KIND_SPORTS_ASSOCIATION, "Vejgaard Boldklub", {"Vejgaard"}));
  ASSERT_FALSE(original.name().empty());

  rv1::Actor first = original;
  first.set_description("Fodbold for alle");
  auto updated = UpdateActor(coordinator_, first, {"description"});
  ASSERT_TRUE(updated.ok()) << updated.status();

  // A second writer still holds the original etag.
  rv1::Actor second = original;
  second.set_description("Håndbold for alle");
  auto conflict = UpdateActor(caseworker_, second, {"description"});
  EXPECT_EQ(conflict.status().code(), absl::StatusCode::kAborted)
      << conflict.status();

  auto current = GetActor(coordinator_, original.name());
  ASSERT_TRUE(current.ok()) << current.status();
  EXPECT_EQ(current->description(), "Fodbold for alle");

  // A stale etag on delete is refused the same way and deletes nothing.
  EXPECT_EQ(DeleteActor(coordinator_, original.name(), original.etag()).code(),
            absl::StatusCode::kAborted);
  EXPECT_TRUE(GetActor(coordinator_, original.name()).ok());
}

TEST_F(RegistryCrudE2eTest, CreateWithTheSameRequestIdCreatesOnce) {
  const std::string request_id = "5b0c1c5e-9d4e-4c1a-8f0e-3a2b1c0d9e8f";
  const rv1::Actor volunteer = Volunteer("Amira Haddad", {"Kærby"});
  auto first = CreateActor(coordinator_, "aalborg", volunteer, request_id);
  ASSERT_TRUE(first.ok()) << first.status();
  // The retry of a request whose answer got lost.
  auto second = CreateActor(coordinator_, "aalborg", volunteer, request_id);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->name(), first->name());
  EXPECT_EQ(second->etag(), first->etag());

  auto names = ListNames(coordinator_, "aalborg", "");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ElementsAre("Amira Haddad"));

  // A different request id is a different request (a duplicate here).
  auto third = CreateActor(coordinator_, "aalborg", volunteer,
                           "0e7d6c5b-4a39-4281-9f0e-1d2c3b4a5f60");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kAlreadyExists)
      << third.status();
}

TEST_F(RegistryCrudE2eTest, ProbableDuplicateIsRefusedUnlessConfirmed) {
  const rv1::Actor group = MustCreate(Organisation(
      rv1::ACTOR_KIND_VOLUNTEER_GROUP, "Kærby Frivilliggruppe", {"Kærby"}));
  ASSERT_FALSE(group.name().empty());

  // Same kind, same name and area ignoring case and Danish letters.
  const rv1::Actor look_alike = Organisation(
      rv1::ACTOR_KIND_VOLUNTEER_GROUP, "KAERBY frivilliggruppe", {"Kaerby"});
  auto refused = CreateActor(coordinator_, "aalborg", look_alike);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists)
      << refused.status();
  const auto info = ResourceInfoOf(refused.status());
  ASSERT_TRUE(info.has_value())
      << "ALREADY_EXISTS without google.rpc.ResourceInfo: " << refused.status();
  EXPECT_EQ(info->resource_name(), group.name());
  EXPECT_TRUE(absl::StrContains(refused.status().message(), group.name()))
      << refused.status();

  // Another kind with the same name is not a duplicate.
  auto other_kind =
      CreateActor(coordinator_, "aalborg",
                  Organisation(rv1::ACTOR_KIND_SOCIAL_ASSOCIATION,
                               "Kærby Frivilliggruppe", {"Kærby"}));
  EXPECT_TRUE(other_kind.ok()) << other_kind.status();

  // The caller confirms: created, as a separate actor.
  auto confirmed = CreateActor(coordinator_, "aalborg", look_alike, "",
                               /*allow_duplicate=*/true);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_NE(confirmed->name(), group.name());
  auto names = ListNames(coordinator_, "aalborg", "kind = VOLUNTEER_GROUP");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(names->size(), 2u);
}

TEST_F(RegistryCrudE2eTest, InvalidActorNamesEachOffendingField) {
  rv1::Actor actor = Volunteer("", {"Kærby"});
  actor.mutable_volunteer()->set_capacity(0);
  auto created = CreateActor(coordinator_, "aalborg", actor);
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
      << created.status();
  const std::vector<std::string> fields = ViolatedFields(created.status());
  EXPECT_THAT(fields, Contains("actor.display_name")) << created.status();
  EXPECT_THAT(fields, Contains("actor.volunteer.capacity")) << created.status();

  rv1::Actor unknown_area = Volunteer("Lars Østergaard", {"Kærby", "Atlantis"});
  auto refused = CreateActor(coordinator_, "aalborg", unknown_area);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("actor.areas[1]"))
      << refused.status();

  // Nothing was stored.
  auto names = ListNames(coordinator_, "aalborg", "");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, IsEmpty());
}

TEST_F(RegistryCrudE2eTest, BadListRequestsNameTheField) {
  auto too_big = ListActors(coordinator_, "aalborg", "", 1000000);
  ASSERT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(too_big.status()), ElementsAre("page_size"))
      << too_big.status();

  auto negative = ListActors(coordinator_, "aalborg", "", -1);
  ASSERT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(negative.status()), ElementsAre("page_size"));

  for (const char* filter :
       {"shoe_size = 42", "kind = ROBOT", "kind = ", "available_at = \"soon\"",
        "former_refugee = maybe", "(kind = VOLUNTEER"}) {
    auto bad = ListActors(coordinator_, "aalborg", filter);
    ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument)
        << "filter " << filter << ": " << bad.status();
    EXPECT_THAT(ViolatedFields(bad.status()), ElementsAre("filter"))
        << "filter " << filter << ": " << bad.status();
  }

  // A token from another query (another filter) is refused, and so is one
  // that is not a page token at all.
  for (const char* name : {"Amira", "Bashir", "Carla"}) {
    MustCreate(Volunteer(name, {"Kærby"}));
  }
  auto first_page = ListActors(coordinator_, "aalborg", "kind = VOLUNTEER", 2);
  ASSERT_TRUE(first_page.ok()) << first_page.status();
  ASSERT_FALSE(first_page->next_page_token().empty());
  auto foreign = ListActors(coordinator_, "aalborg", "kind = NGO", 2,
                            first_page->next_page_token());
  ASSERT_EQ(foreign.status().code(), absl::StatusCode::kInvalidArgument)
      << foreign.status();
  EXPECT_THAT(ViolatedFields(foreign.status()), ElementsAre("page_token"));
  auto other_parent = ListActors(coordinator_, "kolding", "kind = VOLUNTEER", 2,
                                 first_page->next_page_token());
  // Either refused as a foreign token or as a foreign municipality; never
  // a page of aalborg's actors.
  EXPECT_FALSE(other_parent.ok());
  auto garbage = ListActors(coordinator_, "aalborg", "kind = VOLUNTEER", 2,
                            "not-a-page-token");
  ASSERT_EQ(garbage.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(garbage.status()), ElementsAre("page_token"));

  // The genuine token still works.
  auto second_page = ListActors(coordinator_, "aalborg", "kind = VOLUNTEER", 2,
                                first_page->next_page_token());
  ASSERT_TRUE(second_page.ok()) << second_page.status();
  ASSERT_EQ(second_page->actors_size(), 1);
  EXPECT_EQ(second_page->actors(0).display_name(), "Carla");
}

TEST_F(RegistryCrudE2eTest, BadNamesAreInvalidArguments) {
  for (const char* name :
       {"", "actors/1", "municipalities/aalborg/actors/",
        "municipalities/Aalborg/actors/1", "municipalities/aalborg/forums/1"}) {
    auto got = GetActor(coordinator_, name);
    ASSERT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument)
        << "name \"" << name << "\": " << got.status();
    EXPECT_THAT(ViolatedFields(got.status()), ElementsAre("name"))
        << got.status();
  }
  auto missing = GetActor(coordinator_, "municipalities/aalborg/actors/424242");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound)
      << missing.status();
  EXPECT_THAT(ViolatedFields(missing.status()), Not(Contains("name")));
}

}  // namespace
}  // namespace brobygger::test
