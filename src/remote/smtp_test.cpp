// Tests of the SMTP message composition and of send_mail's refusals (no network).
#include "remote/smtp.hpp"

#include <gtest/gtest.h>

namespace kallithea::remote {
namespace {

TEST(SmtpMessage, HeadersAndCrlfBody) {
    Mail mail;
    mail.from = "Kallithea <noreply@example.com>";
    mail.to = {"a@example.com", "B <b@example.com>"};
    mail.subject = "Reset\r\nBcc: evil@example.com";
    mail.body = "line one\n.dot line\r\nlast";
    const std::string text = mail_message(mail);
    EXPECT_NE(text.find("From: Kallithea <noreply@example.com>\r\n"), std::string::npos);
    EXPECT_NE(text.find("To: a@example.com, B <b@example.com>\r\n"), std::string::npos);
    // A line break in the subject cannot add a header.
    EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos);
    EXPECT_NE(text.find("Subject: Reset  Bcc: evil@example.com\r\n"), std::string::npos);
    EXPECT_NE(text.find("\r\nDate: "), std::string::npos);
    EXPECT_NE(text.find("\r\nMessage-ID: <"), std::string::npos);
    EXPECT_TRUE(text.ends_with("\r\n\r\nline one\r\n.dot line\r\nlast\r\n")) << text;
}

TEST(SmtpMessage, NonAsciiSubjectIsEncodedInWholeCharacters) {
    Mail mail;
    mail.from = "x@example.com";
    mail.to = {"y@example.com"};
    mail.subject = "Passwort zurücksetzen";
    std::string text = mail_message(mail);
    EXPECT_NE(text.find("Subject: =?utf-8?b?UGFzc3dvcnQgenVyw7xja3NldHplbg==?=\r\n"),
              std::string::npos)
        << text;
    mail.subject.clear();
    for (int i = 0; i < 40; ++i)
        mail.subject += "ü";  // 80 bytes: two encoded words, no character cut in half
    text = mail_message(mail);
    const auto start = text.find("Subject: ");
    const auto end = text.find("\r\nDate:");
    const std::string header = text.substr(start, end - start);
    EXPECT_NE(header.find("?=\r\n =?utf-8?b?"), std::string::npos) << header;
    for (size_t at = header.find("=?utf-8?b?"); at != std::string::npos;
         at = header.find("=?utf-8?b?", at + 1)) {
        const size_t close = header.find("?=", at + 10);
        // 22 characters of "ü" (2 bytes each) fit in 45 bytes: 44 bytes -> 60 base64 characters.
        EXPECT_EQ((close - at - 10) % 4, 0u);
    }
}

TEST(SmtpMessage, BareAddress) {
    EXPECT_EQ(bare_address("Kallithea <k@example.com>"), "k@example.com");
    EXPECT_EQ(bare_address("k@example.com"), "k@example.com");
    EXPECT_EQ(bare_address("k@example.com\r\nDATA"), "k@example.com  DATA");
}

TEST(SmtpSend, RefusesWithoutServerOrRecipients) {
    SmtpSettings settings;
    Mail mail;
    mail.to = {"y@example.com"};
    auto st = send_mail(settings, mail);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::config);
    settings.server = "127.0.0.1";
    mail.to.clear();
    st = send_mail(settings, mail);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::config);
}

}  // namespace
}  // namespace kallithea::remote
