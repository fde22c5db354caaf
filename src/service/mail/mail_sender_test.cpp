// Tests of the mail sender's retry schedule.
#include "service/mail/mail_sender.hpp"

#include <gtest/gtest.h>

namespace kallithea::service {
namespace {

TEST(MailRetryDelay, DoublesUpToAnHour) {
    EXPECT_EQ(mail_retry_delay(60, 1), 60);
    EXPECT_EQ(mail_retry_delay(60, 2), 120);
    EXPECT_EQ(mail_retry_delay(60, 3), 240);
    EXPECT_EQ(mail_retry_delay(60, 7), 3600);  // 3840 capped
    EXPECT_EQ(mail_retry_delay(60, 1000), kMailMaxRetryDelay);
    EXPECT_EQ(mail_retry_delay(0, 1), 1);
    EXPECT_EQ(mail_retry_delay(5000, 1), kMailMaxRetryDelay);
}

}  // namespace
}  // namespace kallithea::service
