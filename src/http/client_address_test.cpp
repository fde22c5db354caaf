// Tests of the client address and scheme behind proxies.
#include "http/client_address.hpp"

#include <gtest/gtest.h>

using namespace kallithea::http;

TEST(ClientAddress, RemoteAddrAndForwardedHeaders) {
    Request r;
    r.remote_addr = "10.0.0.1";
    r.headers.add("X-Forwarded-For", "1.2.3.4, 5.6.7.8");
    EXPECT_EQ(client_address(r, "REMOTE_ADDR"), "10.0.0.1");
    EXPECT_EQ(client_address(r, "HTTP_X_FORWARDED_FOR"), "5.6.7.8");
    EXPECT_EQ(client_address(r, "HTTP_X_REAL_IP"), "10.0.0.1");
    r.server_vars["REMOTE_ADDR"] = "192.168.0.9";
    EXPECT_EQ(client_address(r, "REMOTE_ADDR"), "192.168.0.9");
}

TEST(ClientAddress, Scheme) {
    Request r;
    EXPECT_FALSE(client_used_https(r, ""));
    r.headers.add("X-Forwarded-Proto", "https");
    EXPECT_TRUE(client_used_https(r, "HTTP_X_FORWARDED_PROTO"));
    EXPECT_FALSE(client_used_https(r, ""));
    r.scheme = "https";
    EXPECT_TRUE(client_used_https(r, ""));
}
