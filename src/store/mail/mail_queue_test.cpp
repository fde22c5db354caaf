// Tests of store::MailQueue (mail_queue) on SQLite and PostgreSQL.
#include "store/mail/mail_queue.hpp"

#include <gtest/gtest.h>

#include "core/testing/result_test_macros.hpp"

#include "store/testing/store_test.hpp"

namespace kallithea::store {
namespace {

class MailQueueTest : public testing::StoreTest {};

TEST_P(MailQueueTest, AddsClaimsRetriesAndRemoves) {
    MailQueue queue(conn());
    auto empty = queue.next_due();
    ASSERT_TRUE(empty) << empty.error().detail;
    EXPECT_FALSE(*empty);
    auto first = queue.add("mail", {"a@example.com", "b@example.com"}, "Hi", "body\n", 100);
    auto second = queue.add("password_reset", {"c@example.com"}, "", "", 150);
    ASSERT_TRUE(first && second) << (first ? second.error().detail : first.error().detail);
    ASSERT_OK_AND_ASSIGN(auto count, queue.count());
    EXPECT_EQ(count, 2);
    ASSERT_OK_AND_ASSIGN(auto next_due, queue.next_due());
    EXPECT_EQ(next_due, std::optional<int64_t>(100));

    auto due = queue.due(120, 10);
    ASSERT_TRUE(due) << due.error().detail;
    ASSERT_EQ(due->size(), 1u);
    const QueuedMail& m = due->front();
    EXPECT_EQ(m.mail_id, *first);
    EXPECT_EQ(m.kind, "mail");
    EXPECT_EQ(m.recipients, (std::vector<std::string>{"a@example.com", "b@example.com"}));
    EXPECT_EQ(m.subject, "Hi");
    EXPECT_EQ(m.body, "body\n");
    EXPECT_EQ(m.created_on, 100);
    EXPECT_EQ(m.attempts, 0);

    // Only one claimant wins a row; the claim hides it from due() until it ends.
    ASSERT_OK_AND_ASSIGN(auto got_claim, queue.claim(m.mail_id, 120, 700));
    EXPECT_TRUE(got_claim);
    ASSERT_OK_AND_ASSIGN(got_claim, queue.claim(m.mail_id, 130, 800));
    EXPECT_FALSE(got_claim);
    ASSERT_OK_AND_ASSIGN(auto got_due, queue.due(600, 10));
    EXPECT_EQ(got_due.size(), 1u);  // only the second one
    ASSERT_OK_AND_ASSIGN(next_due, queue.next_due());
    EXPECT_EQ(next_due, std::optional<int64_t>(150));
    ASSERT_TRUE(queue.retry_later(m.mail_id, 1, 300, "connection refused"));
    due = queue.due(300, 10);
    ASSERT_EQ(due->size(), 2u);
    EXPECT_EQ(due->front().mail_id, *second);
    EXPECT_EQ(due->back().attempts, 1);
    EXPECT_EQ(due->back().last_error, "connection refused");
    EXPECT_EQ(due->back().claimed_until, 0);
    // An expired claim (a process that died while sending) can be taken again.
    ASSERT_OK_AND_ASSIGN(got_claim, queue.claim(*second, 150, 200));
    EXPECT_TRUE(got_claim);
    ASSERT_OK_AND_ASSIGN(next_due, queue.next_due());
    EXPECT_EQ(next_due, std::optional<int64_t>(200));
    ASSERT_OK_AND_ASSIGN(got_claim, queue.claim(*second, 250, 900));
    EXPECT_TRUE(got_claim);
    ASSERT_TRUE(queue.retry_later(*second, 1, 150, "x"));

    ASSERT_TRUE(queue.rewrite(*second, "mail", {"c@example.com"}, "Reset", "link"));
    due = queue.due(150, 10);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ(due->front().kind, "mail");
    EXPECT_EQ(due->front().body, "link");

    ASSERT_TRUE(queue.remove(*first));
    ASSERT_TRUE(queue.remove(*first));
    ASSERT_OK_AND_ASSIGN(count, queue.count());
    EXPECT_EQ(count, 1);
}

TEST_P(MailQueueTest, MakeDueSkipsClaimedRows) {
    MailQueue queue(conn());
    auto waiting = queue.add("mail", {"a@example.com"}, "A", "", 100);
    auto sending = queue.add("mail", {"b@example.com"}, "B", "", 100);
    ASSERT_TRUE(waiting && sending);
    ASSERT_TRUE(queue.retry_later(*waiting, 3, 5000, "down"));
    ASSERT_TRUE(queue.retry_later(*sending, 3, 5000, "down"));
    ASSERT_OK_AND_ASSIGN(auto got_claim, queue.claim(*sending, 200, 900));
    ASSERT_TRUE(got_claim);
    ASSERT_OK_AND_ASSIGN(auto make_due, queue.make_due(200));
    EXPECT_EQ(make_due, 1);
    auto due = queue.due(200, 10);
    ASSERT_TRUE(due);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ(due->front().mail_id, *waiting);
}

KALLITHEA_STORE_DIALECTS(MailQueueTest);

}  // namespace
}  // namespace kallithea::store
