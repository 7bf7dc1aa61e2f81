#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "domain/payment.h"

namespace ordersvc::domain {
namespace {

using S = PaymentStatus;
using Op = GatewayOperation;

const std::vector<S> kAll = {S::Pending,           S::Review,   S::RequiresAction, S::Authorized, S::Captured,
                             S::PartiallyRefunded, S::Refunded, S::Failed,         S::Cancelled,  S::Unknown};

TEST(PaymentStatusTest, NamesRoundTrip) {
  for (S status : kAll) EXPECT_EQ(parsePaymentStatus(paymentStatusName(status)), status);
  EXPECT_EQ(paymentStatusName(S::PartiallyRefunded), "partially_refunded");
  EXPECT_FALSE(parsePaymentStatus("succeeded"));  // the old name; migration 6 renames it to captured
}

TEST(PaymentStatusTest, TheMovesAllowedAreExactlyThese) {
  // Every pair, so a move added or lost by accident shows here.
  std::set<std::pair<S, S>> expected;
  for (S from : {S::Pending, S::RequiresAction, S::Unknown}) {
    for (S to : {S::Pending, S::RequiresAction, S::Authorized, S::Captured, S::Failed, S::Cancelled, S::Unknown}) {
      expected.insert({from, to});
    }
  }
  expected.insert({{S::Review, S::Pending}, {S::Review, S::Failed}, {S::Review, S::Cancelled}});
  expected.insert({{S::Authorized, S::Captured}, {S::Authorized, S::Cancelled}});
  for (S from : {S::Captured, S::PartiallyRefunded}) {
    expected.insert({from, S::PartiallyRefunded});
    expected.insert({from, S::Refunded});
  }
  std::set<std::pair<S, S>> actual;
  for (S from : kAll) {
    for (S to : kAll) {
      if (from != to && canMove(from, to)) actual.insert({from, to});
      if (from == to) {
        EXPECT_TRUE(canMove(from, to)) << "a repeated outcome is always allowed";
      }
    }
  }
  for (const auto& pair : expected) {
    if (pair.first != pair.second) {
      EXPECT_TRUE(actual.count(pair)) << paymentStatusName(pair.first) << " -> " << paymentStatusName(pair.second);
    }
  }
  for (const auto& pair : actual) {
    EXPECT_TRUE(expected.count(pair)) << "unexpected " << paymentStatusName(pair.first) << " -> "
                                      << paymentStatusName(pair.second);
  }
}

TEST(PaymentStatusTest, MoneyComesBackOnlyFromCapturedAndFinalStatesStay) {
  EXPECT_FALSE(canMove(S::Captured, S::Failed)) << "a late decline cannot undo a capture";
  EXPECT_FALSE(canMove(S::Captured, S::Cancelled)) << "captured money is refunded, not voided";
  EXPECT_FALSE(canMove(S::Authorized, S::Failed));
  for (S final : {S::Refunded, S::Failed, S::Cancelled}) {
    EXPECT_TRUE(isFinal(final));
    for (S to : kAll) {
      if (to != final) {
        EXPECT_FALSE(canMove(final, to)) << paymentStatusName(final);
      }
    }
  }
  EXPECT_TRUE(securesFunds(S::Authorized));
  EXPECT_TRUE(securesFunds(S::Refunded)) << "refunds are counted separately";
  EXPECT_FALSE(securesFunds(S::Unknown));
  EXPECT_TRUE(isOpen(S::Unknown)) << "an unknown outcome still speaks for its amount";
  EXPECT_TRUE(isOpen(S::Review));
  EXPECT_FALSE(isOpen(S::Failed));
}

TEST(PaymentStatusTest, WhatEachPluginResultMeansAfterEachOperation) {
  using R = GatewayResult;
  const auto a = CaptureMode::Automatic;
  const auto m = CaptureMode::Manual;
  EXPECT_EQ(statusAfter(Op::Sale, R::Succeeded, a, 0), S::Captured);
  EXPECT_EQ(statusAfter(Op::Authorize, R::Succeeded, m, 0), S::Authorized);
  EXPECT_EQ(statusAfter(Op::Capture, R::Succeeded, m, 0), S::Captured);
  EXPECT_EQ(statusAfter(Op::Void, R::Succeeded, m, 0), S::Cancelled);
  EXPECT_EQ(statusAfter(Op::CreateSession, R::Succeeded, a, 0), S::RequiresAction);
  EXPECT_EQ(statusAfter(Op::CreateSession, R::ActionRequired, a, 0), S::RequiresAction);
  EXPECT_EQ(statusAfter(Op::Sync, R::Succeeded, m, 0), S::Authorized) << "manual and nothing captured yet";
  EXPECT_EQ(statusAfter(Op::Sync, R::Succeeded, m, 500), S::Captured);
  EXPECT_EQ(statusAfter(Op::Sync, R::Succeeded, a, 0), S::Captured);
  for (Op op : {Op::Sale, Op::Authorize, Op::Sync, Op::CreateSession}) {
    EXPECT_EQ(statusAfter(op, R::Declined, a, 0), S::Failed);
    EXPECT_EQ(statusAfter(op, R::NotSubmitted, a, 0), S::Failed);
    EXPECT_EQ(statusAfter(op, R::Unknown, a, 0), S::Unknown);
    EXPECT_EQ(statusAfter(op, R::Pending, a, 0), S::Pending);
  }
  // A refused capture or void leaves the authorization as it was.
  EXPECT_FALSE(statusAfter(Op::Capture, R::Declined, m, 0));
  EXPECT_FALSE(statusAfter(Op::Void, R::NotSubmitted, m, 0));
  EXPECT_FALSE(statusAfter(Op::Sale, parseGatewayResult("bogus"), a, 0));
}

TEST(PaymentTest, GatewayResultNamesAreTheAbisStatuses) {
  using R = GatewayResult;
  EXPECT_EQ(parseGatewayResult("succeeded"), R::Succeeded);
  EXPECT_EQ(parseGatewayResult("pending"), R::Pending);
  EXPECT_EQ(parseGatewayResult("action_required"), R::ActionRequired);
  EXPECT_EQ(parseGatewayResult("declined"), R::Declined);
  EXPECT_EQ(parseGatewayResult("not_submitted"), R::NotSubmitted);
  EXPECT_EQ(parseGatewayResult("unknown"), R::Unknown);
  EXPECT_EQ(parseGatewayResult("Succeeded"), R::Unrecognised);
  EXPECT_EQ(parseGatewayResult(""), R::Unrecognised);
}

}  // namespace
}  // namespace ordersvc::domain
