#include "domain/order_status.h"

#include <set>

#include <gtest/gtest.h>

namespace ordersvc::domain {
namespace {

using S = OrderStatus;
using A = OrderAction;

const std::vector<S> kAll = {
    S::Cart,    S::Pending,   S::PaymentPending, S::PaymentFailed,   S::Confirmed, S::Processing, S::ReadyToShip,
    S::Shipped, S::Delivered, S::Cancelled,      S::ReturnRequested, S::Returned,  S::Refunded};

TEST(OrderStatusTest, ThirteenStatesWithStableNames) {
  std::set<std::string_view> names;
  for (S s : kAll) {
    names.insert(orderStatusName(s));
    EXPECT_EQ(parseOrderStatus(orderStatusName(s)), s);
  }
  EXPECT_EQ(names.size(), 13u);
  EXPECT_EQ(orderStatusName(S::PaymentPending), "payment_pending");
  EXPECT_FALSE(parseOrderStatus("shipping"));
}

TEST(OrderStatusTest, TheHappyPath) {
  S s = S::Cart;
  for (A a : {A::Place, A::StartPayment, A::PaymentSucceeded, A::StartProcessing, A::MarkReadyToShip, A::Ship,
              A::Deliver, A::RequestReturn, A::ReceiveReturn, A::Refund}) {
    const auto next = nextStatus(s, a);
    ASSERT_TRUE(next) << orderStatusName(s) << " --" << orderActionName(a);
    s = *next;
  }
  EXPECT_EQ(s, S::Refunded);
}

TEST(OrderStatusTest, ExactlyTheListedTransitionsExist) {
  // Every (state, action) pair, so a transition added or lost by accident shows here.
  const std::set<std::tuple<S, A, S>> expected = {
      {S::Cart, A::Place, S::Pending},
      {S::Pending, A::StartPayment, S::PaymentPending},
      {S::PaymentFailed, A::StartPayment, S::PaymentPending},
      {S::PaymentPending, A::PaymentSucceeded, S::Confirmed},
      {S::PaymentPending, A::PaymentFailed, S::PaymentFailed},
      {S::Pending, A::ConfirmOnTerms, S::Confirmed},
      {S::Confirmed, A::StartProcessing, S::Processing},
      {S::Processing, A::MarkReadyToShip, S::ReadyToShip},
      {S::ReadyToShip, A::Ship, S::Shipped},
      {S::Shipped, A::Deliver, S::Delivered},
      {S::Pending, A::Cancel, S::Cancelled},
      {S::PaymentFailed, A::Cancel, S::Cancelled},
      {S::PaymentPending, A::Cancel, S::Cancelled},
      {S::Confirmed, A::Cancel, S::Cancelled},
      {S::Processing, A::Cancel, S::Cancelled},
      {S::Delivered, A::RequestReturn, S::ReturnRequested},
      {S::ReturnRequested, A::RejectReturn, S::Delivered},
      {S::ReturnRequested, A::ReceiveReturn, S::Returned},
      {S::Returned, A::Refund, S::Refunded},
  };
  std::set<std::tuple<S, A, S>> actual;
  for (S from : kAll) {
    for (int a = 0; a <= static_cast<int>(A::Refund); ++a) {
      if (auto to = nextStatus(from, static_cast<A>(a))) actual.insert({from, static_cast<A>(a), *to});
    }
  }
  EXPECT_EQ(actual, expected);
}

TEST(OrderStatusTest, ShippedOrdersCannotBeCancelledAndFinalStatesAreFinal) {
  EXPECT_FALSE(nextStatus(S::Shipped, A::Cancel));
  EXPECT_FALSE(nextStatus(S::ReadyToShip, A::Cancel));
  EXPECT_TRUE(isFinal(S::Cancelled));
  EXPECT_TRUE(isFinal(S::Refunded));
  EXPECT_FALSE(isFinal(S::Delivered));
}

TEST(OrderStatusTest, AllowedActionsAreWhatTheMachineAccepts) {
  const auto actions = allowedActions(S::Confirmed);
  EXPECT_EQ(actions, (std::vector<A>{A::StartProcessing, A::Cancel}));
  for (S s : kAll) {
    for (A a : allowedActions(s)) EXPECT_TRUE(nextStatus(s, a));
  }
  EXPECT_EQ(parseOrderAction("mark_ready_to_ship"), A::MarkReadyToShip);
}

}  // namespace
}  // namespace ordersvc::domain
