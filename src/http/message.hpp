// Our HTTP request and response types: what every surface (web, api, wire) sees, whatever the
// front end (Beast standalone server, FastCGI) that produced them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.hpp"

#include "core/error.hpp"

namespace kallithea::http {

enum class Method { get, head, post, put, del, options, patch, other };

Method parse_method(std::string_view name);
std::string_view method_name(Method method);

// Ordered header list with case-insensitive names.
class Headers {
public:
    void add(std::string name, std::string value);
    // Replaces every header of that name with one.
    void set(std::string name, std::string value);
    void remove(std::string_view name);
    // First value of that name, or nullopt.
    std::optional<std::string_view> get(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }
    const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

// A request body as a stream. read() returns the number of bytes put into buf, 0 at the end of
// the body; an error when the connection fails or the body exceeds the server's limit (too_large).
class BodyReader {
public:
    virtual ~BodyReader() = default;
    virtual Result<size_t> read(char* buf, size_t size) = 0;
};

struct Request {
    Method method = Method::get;
    std::string method_text;  // as sent, e.g. "GET"
    std::string target;       // raw request-target as sent
    std::string path;         // percent-decoded path below script_name; starts with '/'
    std::string raw_query;    // text after '?', not decoded
    std::string script_name;  // prefix the application is served under ("" at the root)
    int version = 11;         // 10 or 11
    Headers headers;
    std::string remote_addr;  // peer address (no port)
    std::string scheme = "http";
    std::string request_id;
    std::optional<uint64_t> content_length;
    // CGI-style variables from a FastCGI front end (REMOTE_USER, ...); empty when standalone.
    std::map<std::string, std::string> server_vars;
    BodyReader* body = nullptr;  // never null while a handler runs
    // Set by an Admitter: the most body bytes the server receives for this request (413 beyond),
    // when lower than the server's max_body_bytes.
    std::optional<uint64_t> body_limit;
    // Set by the handler: the user name the access log shows.
    std::string log_user;

    std::string_view header(std::string_view name) const {
        return headers.get(name).value_or(std::string_view{});
    }
    // Reads the whole remaining body; too_large when it is longer than limit.
    Result<std::string> read_body(size_t limit);
    // Decoded query parameters in order ('+' is a space).
    std::vector<std::pair<std::string, std::string>> query() const;
    // First value of a query parameter, or nullopt.
    std::optional<std::string> query_param(std::string_view name) const;
    // Host as the client addressed it (Host header, else "localhost").
    std::string host() const;
};

// Sink for streamed response bodies. write() queues the bytes for the io threads (in memory, then
// in a spool file) and does not wait for the client, except when the spool is full; it returns
// false once the client has gone away or was cut off (the producer should stop).
class BodyWriter {
public:
    virtual ~BodyWriter() = default;
    virtual bool write(std::string_view data) = 0;
};

struct Response {
    int status = 200;
    Headers headers;
    std::string body;
    // When set, the body is produced by calling this (chunked unless a Content-Length header is
    // set) and `body` is ignored.
    std::function<void(BodyWriter&)> stream;

    static Response text(int status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response html(int status, std::string body);
    static Response json(int status, std::string body);
    static Response redirect(std::string location, int status = 302);
};

using Handler = std::function<Response(Request&)>;

// Runs on a worker before a large request body (or one announced with Expect: 100-continue) is
// received, with the head only (path and query parsed, body empty): a response refuses the
// request (it is sent and the connection closed, the body never read), nullopt lets the body
// come. May set Request::body_limit.
using Admitter = std::function<std::optional<Response>(Request& head)>;

// Reason phrase for a status code ("Not Found").
std::string_view status_reason(int status);

// Percent-decodes s; nullopt on a malformed escape (core/text.hpp has the one implementation).
using text::percent_decode;
std::string percent_encode(std::string_view s, bool keep_slash = false);
// Parses application/x-www-form-urlencoded text.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);

}  // namespace kallithea::http
