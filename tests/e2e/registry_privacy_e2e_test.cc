// End-to-end: newcomers' personal data. Every read is audited for the
// operators, who themselves cannot read it; deleting a newcomer erases the
// data and tells the other services on the event stream.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "brobygger/events/v1/event.pb.h"
#include "brobygger/registry/v1/events.pb.h"
#include "common/redis/redis_pool.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/registry_e2e_fixture.h"

namespace brobygger::test {
namespace {

class RegistryPrivacyE2eTest : public RegistryE2eTest {
 protected:
  absl::StatusOr<rv1::ListAuditEntriesResponse> ListAudit(
      const std::string& token, const std::string& filter = "") {
    rv1::ListAuditEntriesRequest request;
    request.set_parent("municipalities/aalborg");
    request.set_filter(filter);
    return Call(*stub_, &RegistryStub::ListAuditEntries, token, request);
  }

  // Every event on aalborg's registry stream, oldest first.
  std::vector<events::v1::Event> AalborgEvents() {
    redis::RedisPool pool(redis_->options());
    absl::StatusOr<redis::Reply> reply =
        pool.Run({"XRANGE", "registry:{aalborg}:events", "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    std::vector<events::v1::Event> events;
    if (!reply.ok()) return events;
    EXPECT_TRUE(reply->is_array()) << reply->str;
    for (const redis::Reply& entry : reply->elements) {
      // [id, [field, value, field, value, ...]]
      if (entry.elements.size() != 2) {
        ADD_FAILURE() << "unexpected XRANGE entry shape";
        continue;
      }
      const std::vector<redis::Reply>& fields = entry.elements[1].elements;
      bool found = false;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str != "event") continue;
        events::v1::Event event;
        EXPECT_TRUE(event.ParseFromString(fields[i + 1].str))
            << "stream entry " << entry.elements[0].str
            << " holds no brobygger.events.v1.Event";
        events.push_back(event);
        found = true;
      }
      EXPECT_TRUE(found) << "stream entry " << entry.elements[0].str
                         << " has no \"event\" field";
    }
    return events;
  }
};

TEST_F(RegistryPrivacyE2eTest, NewcomerReadsAreAuditedForOperators) {
  const rv1::Actor newcomer = MustCreate(Newcomer("Zainab", "Ahmadi", "Kærby"));
  const rv1::Actor club = MustCreate(
      Organisation(rv1::ACTOR_KIND_SPORTS_ASSOCIATION, "Kærby IF", {"Kærby"}));
  ASSERT_FALSE(HasFailure());

  auto before = ListAudit(operator_, "reader = \"caseworker-mette\"");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->audit_entries_size(), 0);

  auto read = GetActor(caseworker_, newcomer.name());
  ASSERT_TRUE(read.ok()) << read.status();
  // Reading an actor that is not a newcomer is not personal data.
  ASSERT_TRUE(GetActor(caseworker_, club.name()).ok());

  auto entries = ListAudit(operator_, "reader = \"caseworker-mette\"");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->audit_entries_size(), 1) << entries->DebugString();
  const rv1::AuditEntry& entry = entries->audit_entries(0);
  EXPECT_EQ(entry.reader(), "caseworker-mette");
  EXPECT_EQ(entry.role(), "caseworker");
  EXPECT_EQ(entry.newcomer(), newcomer.name());
  EXPECT_EQ(entry.method(), "GetActor");
  EXPECT_EQ(entry.view(), rv1::DISCLOSURE_VIEW_FULL);
  EXPECT_TRUE(entry.has_time());

  // The same entry, found by the newcomer.
  auto by_newcomer = ListAudit(
      operator_, absl::StrCat("newcomer = \"", newcomer.name(), "\""));
  ASSERT_TRUE(by_newcomer.ok()) << by_newcomer.status();
  bool found = false;
  for (const rv1::AuditEntry& e : by_newcomer->audit_entries()) {
    EXPECT_EQ(e.newcomer(), newcomer.name());
    found = found || e.reader() == "caseworker-mette";
  }
  EXPECT_TRUE(found) << by_newcomer->DebugString();

  // Listing discloses newcomers too, so it is audited as well.
  ASSERT_TRUE(ListActors(coordinator_, "aalborg", "kind = NEWCOMER").ok());
  auto listed = ListAudit(operator_, "reader = \"coordinator-lis\"");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_GE(listed->audit_entries_size(), 1);
  EXPECT_EQ(listed->audit_entries(0).method(), "ListActors");
  EXPECT_EQ(listed->audit_entries(0).newcomer(), newcomer.name());

  // The operator administers the audit log but may not read the newcomer.
  auto as_operator = GetActor(operator_, newcomer.name());
  EXPECT_EQ(as_operator.status().code(), absl::StatusCode::kPermissionDenied)
      << as_operator.status();
  // And only operators read the audit log.
  EXPECT_EQ(ListAudit(caseworker_).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(RegistryPrivacyE2eTest, DeletingANewcomerErasesItAndPublishesErasure) {
  const rv1::Actor newcomer = MustCreate(Newcomer("Zainab", "Ahmadi", "Kærby"));
  ASSERT_FALSE(newcomer.name().empty());
  const std::string id = newcomer.name().substr(newcomer.name().rfind('/') + 1);
  const std::string key = absl::StrCat("registry:{aalborg}:actor:", id);
  redis::RedisPool pool(redis_->options());
  auto exists = pool.Run({"EXISTS", key});
  ASSERT_TRUE(exists.ok()) << exists.status();
  ASSERT_EQ(exists->integer, 1) << key << " should hold the newcomer";

  ASSERT_TRUE(DeleteActor(caseworker_, newcomer.name()).ok());

  auto gone = GetActor(caseworker_, newcomer.name());
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound) << gone.status();
  exists = pool.Run({"EXISTS", key});
  ASSERT_TRUE(exists.ok()) << exists.status();
  EXPECT_EQ(exists->integer, 0) << key << " still exists after erasure";
  auto names = ListNames(coordinator_, "aalborg", "name = zainab");
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_TRUE(names->empty());

  int erasures = 0;
  for (const events::v1::Event& event : AalborgEvents()) {
    if (event.type() != "brobygger.registry.v1.NewcomerErased") continue;
    ++erasures;
    EXPECT_EQ(event.municipality(), "aalborg");
    EXPECT_EQ(event.resource(), newcomer.name());
    EXPECT_EQ(event.caused_by(), "caseworker-mette");
    EXPECT_FALSE(event.id().empty());
    rv1::NewcomerErased payload;
    ASSERT_TRUE(event.payload().UnpackTo(&payload))
        << "payload is " << event.payload().type_url();
    EXPECT_EQ(payload.name(), newcomer.name());
  }
  EXPECT_EQ(erasures, 1);

  // A second delete finds nothing to erase.
  EXPECT_EQ(DeleteActor(caseworker_, newcomer.name()).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace brobygger::test
