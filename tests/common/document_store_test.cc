// DocumentStore against a real redis-server: every precondition refuses the
// whole write, and an accepted write lands with its indexes, claims and
// event.
#include "common/store/document_store.h"

#include <memory>

#include "brobygger/events/v1/event.pb.h"
#include "common/events/event_bus.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace brobygger::store {
namespace {

using Outcome = WriteResult::Outcome;

class DocumentStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = test::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server).release();
  }
  static void TearDownTestSuite() { delete server_; }

  void SetUp() override {
    ASSERT_TRUE(server_->FlushAll().ok());
    pool_ = std::make_unique<redis::RedisPool>(server_->options());
    store_ = std::make_unique<DocumentStore>(*pool_, redis::KeySpace("test"),
                                             events::StreamRetention{1000});
  }

  WriteSpec Spec(const std::string& id, const std::string& data) {
    WriteSpec spec;
    spec.municipality = "aalborg";
    spec.collection = "thing";
    spec.id = id;
    spec.data = data;
    google::protobuf::StringValue payload;
    payload.set_value(data);
    spec.event =
        events::MakeEvent({"test", "tester", ""}, "aalborg",
                          "municipalities/aalborg/things/" + id, payload);
    return spec;
  }

  int64_t StreamLength() {
    auto reply = pool_->Run({"XLEN", "test:{aalborg}:events"});
    EXPECT_TRUE(reply.ok());
    return reply->integer;
  }

  bool Exists(const std::string& key) {
    auto reply = pool_->Run({"EXISTS", key});
    EXPECT_TRUE(reply.ok());
    return reply->integer == 1;
  }

  static test::RedisServer* server_;
  std::unique_ptr<redis::RedisPool> pool_;
  std::unique_ptr<DocumentStore> store_;
};

test::RedisServer* DocumentStoreTest::server_ = nullptr;

TEST_F(DocumentStoreTest, CreateWritesDocumentIndexClaimAndEventTogether) {
  WriteSpec spec = Spec("1", "first");
  spec.add_to_indexes.push_back({"test:{aalborg}:idx", 1});
  spec.take_claims.push_back({"test:{aalborg}:names", "first"});
  auto result = store_->Create(spec);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->outcome, Outcome::kOk);
  EXPECT_EQ(result->version, 1);

  auto document = store_->Get("aalborg", "thing", "1");
  ASSERT_TRUE(document.ok());
  ASSERT_TRUE(document->has_value());
  EXPECT_EQ((*document)->data, "first");
  EXPECT_EQ((*document)->version, 1);
  auto ids = store_->Scan("test:{aalborg}:idx", 0, 10);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, std::vector<std::string>{"1"});
  EXPECT_EQ(StreamLength(), 1);

  auto entries = pool_->Run({"XRANGE", "test:{aalborg}:events", "-", "+"});
  ASSERT_TRUE(entries.ok());
  const auto& fields = entries->elements[0].elements[1].elements;
  events::v1::Event event;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].str == "event") {
      ASSERT_TRUE(event.ParseFromString(fields[i + 1].str));
    }
  }
  EXPECT_EQ(event.id(), spec.event->id());
  EXPECT_EQ(event.type(), "google.protobuf.StringValue");
  EXPECT_EQ(event.resource(), "municipalities/aalborg/things/1");
}

TEST_F(DocumentStoreTest, ClaimOwnedByAnotherDocumentRefusesTheWholeCreate) {
  WriteSpec first = Spec("1", "a");
  first.take_claims.push_back({"test:{aalborg}:names", "same"});
  ASSERT_EQ(store_->Create(first)->outcome, Outcome::kOk);

  WriteSpec second = Spec("2", "b");
  second.take_claims.push_back({"test:{aalborg}:names", "same"});
  second.add_to_indexes.push_back({"test:{aalborg}:idx", 2});
  auto result = store_->Create(second);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kDuplicate);
  EXPECT_EQ(result->id, "1");
  EXPECT_FALSE(Exists("test:{aalborg}:thing:2"));
  EXPECT_FALSE(Exists("test:{aalborg}:idx"));
  EXPECT_EQ(StreamLength(), 1);  // only the first create's event

  second.claims_advisory = true;
  EXPECT_EQ(store_->Create(second)->outcome, Outcome::kOk);
  auto owner = pool_->Run({"HGET", "test:{aalborg}:names", "same"});
  EXPECT_EQ(owner->str, "1");  // the claim stays with its first owner
}

TEST_F(DocumentStoreTest, MissingReferenceAndNonEmptyGuardRefuseWrites) {
  WriteSpec spec = Spec("1", "a");
  spec.must_exist.push_back("test:{aalborg}:thing:99");
  auto result = store_->Create(spec);
  EXPECT_EQ(result->outcome, Outcome::kMissing);
  EXPECT_EQ(result->key, "test:{aalborg}:thing:99");
  EXPECT_FALSE(Exists("test:{aalborg}:thing:1"));

  spec.must_exist.clear();
  ASSERT_EQ(store_->Create(spec)->outcome, Outcome::kOk);
  ASSERT_TRUE(pool_->Run({"ZADD", "test:{aalborg}:refs", "5", "5"}).ok());
  WriteSpec remove = Spec("1", "");
  remove.expected_version = 1;
  remove.must_be_empty.push_back("test:{aalborg}:refs");
  result = store_->Delete(remove);
  EXPECT_EQ(result->outcome, Outcome::kNotEmpty);
  EXPECT_TRUE(Exists("test:{aalborg}:thing:1"));
}

TEST_F(DocumentStoreTest, StaleVersionIsAConflictAndChangesNothing) {
  ASSERT_EQ(store_->Create(Spec("1", "v1"))->outcome, Outcome::kOk);
  WriteSpec update = Spec("1", "v2");
  update.expected_version = 1;
  auto result = store_->Update(update);
  ASSERT_EQ(result->outcome, Outcome::kOk);
  EXPECT_EQ(result->version, 2);

  WriteSpec stale = Spec("1", "v3");
  stale.expected_version = 1;
  result = store_->Update(stale);
  EXPECT_EQ(result->outcome, Outcome::kConflict);
  EXPECT_EQ(result->version, 2);
  EXPECT_EQ((*store_->Get("aalborg", "thing", "1"))->data, "v2");

  WriteSpec missing = Spec("7", "x");
  missing.expected_version = 1;
  EXPECT_EQ(store_->Update(missing)->outcome, Outcome::kNotFound);
}

TEST_F(DocumentStoreTest, RequestKeyReplaysTheFirstCreate) {
  WriteSpec spec = Spec("1", "a");
  spec.request_key = "test:{aalborg}:request:abc";
  ASSERT_EQ(store_->Create(spec)->outcome, Outcome::kOk);
  WriteSpec retry = Spec("2", "a");
  retry.request_key = "test:{aalborg}:request:abc";
  auto result = store_->Create(retry);
  EXPECT_EQ(result->outcome, Outcome::kRequestReplayed);
  EXPECT_EQ(result->id, "1");
  EXPECT_FALSE(Exists("test:{aalborg}:thing:2"));
  auto ttl = pool_->Run({"TTL", "test:{aalborg}:request:abc"});
  EXPECT_GT(ttl->integer, 0);
}

TEST_F(DocumentStoreTest, DeleteRemovesIndexesAndOwnClaimsOnly) {
  WriteSpec spec = Spec("1", "a");
  spec.add_to_indexes.push_back({"test:{aalborg}:idx", 1});
  spec.take_claims.push_back({"test:{aalborg}:names", "a"});
  ASSERT_EQ(store_->Create(spec)->outcome, Outcome::kOk);
  ASSERT_TRUE(pool_->Run({"HSET", "test:{aalborg}:names", "b", "2"}).ok());

  WriteSpec remove = Spec("1", "");
  remove.expected_version = 1;
  remove.remove_from_indexes.push_back("test:{aalborg}:idx");
  remove.release_claims = {{"test:{aalborg}:names", "a"},
                           {"test:{aalborg}:names", "b"}};
  remove.also_delete.push_back("test:{aalborg}:extra");
  ASSERT_EQ(store_->Delete(remove)->outcome, Outcome::kOk);
  EXPECT_FALSE(Exists("test:{aalborg}:thing:1"));
  EXPECT_EQ(store_->IndexSize("test:{aalborg}:idx").value(), 0);
  EXPECT_EQ(pool_->Run({"HGET", "test:{aalborg}:names", "b"})->str, "2");
  EXPECT_TRUE(pool_->Run({"HGET", "test:{aalborg}:names", "a"})->is_nil());
  EXPECT_EQ(StreamLength(), 2);
}

TEST_F(DocumentStoreTest, ErasingTheEventTrailDeletesItsEventsFromTheStream) {
  WriteSpec create = Spec("1", "personal");
  create.event_trail = "test:{aalborg}:trail:1";
  ASSERT_EQ(store_->Create(create)->outcome, Outcome::kOk);
  WriteSpec other = Spec("2", "not personal");
  ASSERT_EQ(store_->Create(other)->outcome, Outcome::kOk);
  WriteSpec update = Spec("1", "more personal");
  update.expected_version = 1;
  update.event_trail = "test:{aalborg}:trail:1";
  ASSERT_EQ(store_->Update(update)->outcome, Outcome::kOk);
  EXPECT_EQ(StreamLength(), 3);
  EXPECT_EQ(pool_->Run({"LLEN", "test:{aalborg}:trail:1"})->integer, 2);

  WriteSpec erase = Spec("1", "erased");
  erase.expected_version = 2;
  erase.event_trail = "test:{aalborg}:trail:1";
  erase.erase_event_trail = true;
  ASSERT_EQ(store_->Delete(erase)->outcome, Outcome::kOk);
  // Left: the other document's event and the erasure event.
  auto entries = pool_->Run({"XRANGE", "test:{aalborg}:events", "-", "+"});
  ASSERT_EQ(entries->elements.size(), 2u);
  std::vector<std::string> types;
  for (const auto& entry : entries->elements) {
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "id") types.push_back(fields[i + 1].str);
    }
  }
  EXPECT_EQ(types,
            (std::vector<std::string>{other.event->id(), erase.event->id()}));
  EXPECT_FALSE(Exists("test:{aalborg}:trail:1"));
}

TEST_F(DocumentStoreTest, ScanPagesByScoreInBothDirections) {
  for (int i = 1; i <= 5; ++i) {
    WriteSpec spec = Spec(std::to_string(i), "x");
    spec.add_to_indexes.push_back({"test:{aalborg}:idx", double(i)});
    ASSERT_EQ(store_->Create(spec)->outcome, Outcome::kOk);
  }
  EXPECT_EQ(*store_->Scan("test:{aalborg}:idx", 2, 2),
            (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(*store_->Scan("test:{aalborg}:idx", 4, 2, /*descending=*/true),
            (std::vector<std::string>{"3", "2"}));
  auto many = store_->GetMany("aalborg", "thing", {"1", "9", "3"});
  ASSERT_TRUE(many.ok());
  ASSERT_EQ(many->size(), 2u);
  EXPECT_EQ((*many)[0].id, "1");
  EXPECT_EQ((*many)[1].id, "3");
}

TEST_F(DocumentStoreTest, AcknowledgedWriteSurvivesRedisCrash) {
  ASSERT_EQ(store_->Create(Spec("1", "durable"))->outcome, Outcome::kOk);
  ASSERT_TRUE(server_->Kill9().ok());
  ASSERT_TRUE(server_->Restart().ok());
  absl::StatusOr<std::optional<Document>> document;
  for (int attempt = 0; attempt < 3; ++attempt) {  // first call may reconnect
    document = store_->Get("aalborg", "thing", "1");
    if (document.ok()) break;
  }
  ASSERT_TRUE(document.ok()) << document.status();
  ASSERT_TRUE(document->has_value());
  EXPECT_EQ((*document)->data, "durable");
  EXPECT_EQ(StreamLength(), 1);
}

}  // namespace
}  // namespace brobygger::store
