// What reaches git from a client's Git-Protocol header, and the service names.
#include "service/git/git_transport.hpp"

#include <gtest/gtest.h>

using namespace kallithea;
using namespace kallithea::service;

TEST(GitTransport, GitProtocolHeaderIsValidatedOrIgnored) {
    EXPECT_EQ(git_protocol_value("version=2"), "version=2");
    EXPECT_EQ(git_protocol_value("version=1"), "version=1");
    EXPECT_EQ(git_protocol_value("version=2:object-format=sha256"),
              "version=2:object-format=sha256");
    for (const char* bad : {"", "version", "=2", "version=2:", "version=2 ", "version=2;x",
                            "version=2\nX=1", "a=$(id)", "version=2::x=1"})
        EXPECT_EQ(git_protocol_value(bad), "") << bad;
    EXPECT_EQ(git_protocol_value(std::string(300, 'a') + "=1"), "");
}

TEST(GitTransport, ProtocolV2IsForUploadPackOnly) {
    GitSession session;
    session.git_protocol = "object-format=sha1:version=2";
    EXPECT_TRUE(uses_protocol_v2(session));
    session.service = GitService::receive_pack;
    EXPECT_FALSE(uses_protocol_v2(session));
    session.service = GitService::upload_pack;
    session.git_protocol = "version=1";
    EXPECT_FALSE(uses_protocol_v2(session));
}

TEST(GitTransport, ServiceNamesAndNeeds) {
    EXPECT_EQ(parse_git_service("git-upload-pack"), GitService::upload_pack);
    EXPECT_EQ(parse_git_service("git-receive-pack"), GitService::receive_pack);
    EXPECT_FALSE(parse_git_service("git-upload-archive"));
    EXPECT_EQ(git_service_name(GitService::receive_pack), "git-receive-pack");
    EXPECT_EQ(git_service_need(GitService::upload_pack), perm::Level::read);
    EXPECT_EQ(git_service_need(GitService::receive_pack), perm::Level::write);
}
