// The base of tests that work against a real redis-server: one private
// server per test suite (started on a free port), flushed before every
// test, and a connection pool to it.
#ifndef BROBYGGER_TESTS_SUPPORT_REDIS_TEST_H_
#define BROBYGGER_TESTS_SUPPORT_REDIS_TEST_H_

#include <memory>
#include <utility>

#include "common/redis/redis_pool.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace brobygger::test {

class RedisTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "redis-server did not start";
    ASSERT_TRUE(server_->FlushAll().ok());
    pool_ = std::make_unique<redis::RedisPool>(server_->options());
  }

  redis::RedisPool& pool() { return *pool_; }
  static RedisServer& server() { return *server_; }

  std::unique_ptr<redis::RedisPool> pool_;

 private:
  static inline RedisServer* server_ = nullptr;
};

}  // namespace brobygger::test

#endif  // BROBYGGER_TESTS_SUPPORT_REDIS_TEST_H_
