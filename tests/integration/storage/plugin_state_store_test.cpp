#include "platform/plugins/plugin_state_store.h"
#include "app/module_list.h"

#include "osp/osp.h"
#include "platform/plugins/plugin_host_services.h"

#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "backend_fixture.h"
#include "platform/storage/migrator.h"

namespace ordersvc::testing {
namespace {

class PluginStateStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    database_ = openFreshDatabase(8);
    ASSERT_TRUE(storage::Migrator(*database_, app::allMigrations()).migrate());
    store_ = std::make_unique<plugins::PluginStateStore>(*database_);
  }
  std::unique_ptr<storage::Database> database_;
  std::unique_ptr<plugins::PluginStateStore> store_;
};

constexpr int64_t kNow = 1'800'000'000'000;

TEST_P(PluginStateStoreTest, PutGetAndVersionsAreScopedByOrganizationAndPlugin) {
  ASSERT_TRUE(store_->put("org_a", "paypal", "token", std::string("tok\0en", 6), 0, kNow));
  auto found = store_->get("org_a", "paypal", "token", kNow);
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->value, std::string("tok\0en", 6));  // bytes, not C strings
  EXPECT_EQ((*found)->version, 1);
  EXPECT_FALSE(store_->get("org_b", "paypal", "token", kNow)->has_value());
  EXPECT_FALSE(store_->get("org_a", "stripe", "token", kNow)->has_value());
  ASSERT_TRUE(store_->put("org_a", "paypal", "token", "new", 0, kNow));
  EXPECT_EQ((*store_->get("org_a", "paypal", "token", kNow))->version, 2);
  ASSERT_TRUE(store_->remove("org_a", "paypal", "token"));
  EXPECT_FALSE(store_->get("org_a", "paypal", "token", kNow)->has_value());
}

TEST_P(PluginStateStoreTest, EntriesExpireAfterTheirTtl) {
  ASSERT_TRUE(store_->put("org_a", "paypal", "token", "abc", 60, kNow));
  EXPECT_TRUE(store_->get("org_a", "paypal", "token", kNow + 59'000)->has_value());
  EXPECT_FALSE(store_->get("org_a", "paypal", "token", kNow + 60'000)->has_value());
}

TEST_P(PluginStateStoreTest, ConcurrentIncrementsNeverRepeatANumber) {
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> seen(4);
  std::atomic<int> errors{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto value = store_->increment("org_a", "sii", "folio:33", 1, kNow);
        if (value) {
          seen[t].push_back(*value);
        } else {
          ++errors;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<int64_t> all;
  for (const auto& list : seen) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), 200u);  // no folio handed out twice
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 200);
  EXPECT_EQ((*store_->get("org_a", "sii", "folio:33", kNow))->value, "200");
}

TEST_P(PluginStateStoreTest, CompareAndSetLetsExactlyOneWriterWin) {
  auto first = store_->compareAndSet("org_a", "paypal", "token", 0, "v1", 0, kNow);
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*store_->compareAndSet("org_a", "paypal", "token", 0, "again", 0, kNow));  // exists now
  EXPECT_TRUE(*store_->compareAndSet("org_a", "paypal", "token", 1, "v2", 0, kNow));
  EXPECT_FALSE(*store_->compareAndSet("org_a", "paypal", "token", 1, "stale", 0, kNow));  // lost the race
  EXPECT_EQ((*store_->get("org_a", "paypal", "token", kNow))->value, "v2");
}

INSTANTIATE_TEST_SUITE_P(Backends, PluginStateStoreTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing

namespace ordersvc::testing {
namespace {

// The C table a plugin sees: the organization comes from the call context, the plugin
// id from the host table, so one tenant's plugin cannot read another tenant's state.
class PluginKvTableTest : public BackendTest {};

TEST_P(PluginKvTableTest, KeysAreScopedByTheCallersOrganizationAndPlugin) {
  auto database = openFreshDatabase();
  ASSERT_TRUE(storage::Migrator(*database, app::allMigrations()).migrate());
  plugins::PluginStateStore store(*database);
  plugins::PluginHostServices sii("sii-cl", "1.0.0", 0, {}, plugins::HostEnvironment{nullptr, &store, nullptr, "t"});
  plugins::PluginHostServices other("other", "1.0.0", 0, {}, plugins::HostEnvironment{nullptr, &store, nullptr, "t"});
  const auto* kv = static_cast<const osp_kv_v1*>(sii.table()->get_service(sii.table(), OSP_SERVICE_KV_V1));
  ASSERT_NE(kv, nullptr);
  plugins::CallState stateA, stateB;
  stateA.organizationId = "org_a";
  stateB.organizationId = "org_b";
  osp_call_ctx orgA{sizeof(osp_call_ctx), {"org_a", 5}, {"i", 1}, {}, {}, 0, &stateA};
  osp_call_ctx orgB{sizeof(osp_call_ctx), {"org_b", 5}, {"i", 1}, {}, {}, 0, &stateB};
  int64_t value = 0;
  ASSERT_EQ(kv->increment(sii.table(), &orgA, {"folio", 5}, 1, &value), OSP_OK);
  ASSERT_EQ(kv->increment(sii.table(), &orgA, {"folio", 5}, 1, &value), OSP_OK);
  EXPECT_EQ(value, 2);
  ASSERT_EQ(kv->increment(sii.table(), &orgB, {"folio", 5}, 1, &value), OSP_OK);
  EXPECT_EQ(value, 1);  // org_b has its own counter
  ASSERT_EQ(kv->increment(other.table(), &orgA, {"folio", 5}, 1, &value), OSP_OK);
  EXPECT_EQ(value, 1);  // and so has another plugin
  struct Found {
    std::string value;
    int64_t version = 0;
  } found;
  const std::string token = "tok";
  ASSERT_EQ(
      kv->put(sii.table(), &orgA, {"token", 5}, {reinterpret_cast<const uint8_t*>(token.data()), token.size()}, 0),
      OSP_OK);
  ASSERT_EQ(kv->get(
                sii.table(), &orgA, {"token", 5},
                [](void* user, osp_bytes v, int64_t version) {
                  auto* f = static_cast<Found*>(user);
                  f->value.assign(reinterpret_cast<const char*>(v.ptr), v.len);
                  f->version = version;
                },
                &found),
            OSP_OK);
  EXPECT_EQ(found.value, "tok");
  Found none;
  ASSERT_EQ(kv->get(
                sii.table(), &orgB, {"token", 5},
                [](void* user, osp_bytes, int64_t) { static_cast<Found*>(user)->version = 99; }, &none),
            OSP_OK);
  EXPECT_EQ(none.version, 0);  // not visible to org_b
  osp_call_ctx noOrg{sizeof(osp_call_ctx), {}, {}, {}, {}, 0, nullptr};
  EXPECT_EQ(kv->increment(sii.table(), &noOrg, {"folio", 5}, 1, &value), OSP_E_INVALID_ARGUMENT);
  // The scope is the host's call state: a plugin that puts another tenant's id into the
  // context text it hands back still reaches only the tenant the host called it for.
  osp_call_ctx forged{sizeof(osp_call_ctx), {"org_b", 5}, {"i", 1}, {}, {}, 0, &stateA};
  ASSERT_EQ(kv->increment(sii.table(), &forged, {"folio", 5}, 1, &value), OSP_OK);
  EXPECT_EQ(value, 3);  // org_a's counter, not org_b's
}

INSTANTIATE_TEST_SUITE_P(Backends, PluginKvTableTest, ::testing::Values("sqlite", "postgresql"), backendName);

}  // namespace
}  // namespace ordersvc::testing
