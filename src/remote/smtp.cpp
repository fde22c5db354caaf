// Implementation of remote/smtp.hpp on libcurl's SMTP protocol handler.
#include "remote/smtp.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "core/random.hpp"
#include "core/time.hpp"
#include "remote/curl_easy.hpp"

namespace kallithea::remote {
namespace {

std::string one_line(std::string text) {
    for (char& c : text)
        if (c == '\r' || c == '\n')
            c = ' ';
    return text;
}

std::string base64(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < data.size(); i += 3) {
        const size_t n = std::min<size_t>(3, data.size() - i);
        unsigned v = 0;
        for (size_t k = 0; k < 3; ++k)
            v = (v << 8) | (k < n ? static_cast<unsigned char>(data[i + k]) : 0u);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += n > 1 ? kAlphabet[(v >> 6) & 63] : '=';
        out += n > 2 ? kAlphabet[v & 63] : '=';
    }
    return out;
}

// A subject with non-ASCII bytes as RFC 2047 encoded words of whole UTF-8 characters, each
// short enough for a 78-column header line.
std::string encoded_subject(const std::string& subject) {
    const bool ascii = std::all_of(subject.begin(), subject.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii)
        return subject;
    std::string out;
    size_t start = 0;
    while (start < subject.size()) {
        size_t end = std::min(subject.size(), start + 45);
        // Do not cut a multi-byte character: back up to the start of the one at `end`.
        while (end < subject.size() && end > start + 1 &&
               (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80)
            --end;
        if (!out.empty())
            out += "\r\n ";
        out += "=?utf-8?b?" + base64(std::string_view(subject).substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

std::string rfc5322_date() {
    return timefmt::CivilTime::from(timefmt::Clock::now()).rfc2822();
}

// Body lines with CRLF ends (libcurl dot-stuffs and adds the final "." itself).
std::string crlf_lines(const std::string& body) {
    std::string out;
    out.reserve(body.size() + body.size() / 32 + 2);
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n')
            continue;
        if (c == '\n' || c == '\r')
            out += "\r\n";
        else
            out += c;
    }
    if (!out.empty() && !out.ends_with("\r\n"))
        out += "\r\n";
    return out;
}

struct Upload {
    const std::string* data = nullptr;
    size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    const size_t n = std::min(size * count, upload->data->size() - upload->offset);
    std::memcpy(buffer, upload->data->data() + upload->offset, n);
    upload->offset += n;
    return n;
}

std::string smtp_url(const SmtpSettings& settings) {
    const uint16_t port = settings.port ? settings.port : (settings.implicit_tls ? 465 : 25);
    const bool ipv6 = settings.server.find(':') != std::string::npos;
    return fmt::format("{}://{}{}{}:{}", settings.implicit_tls ? "smtps" : "smtp", ipv6 ? "[" : "",
                       settings.server, ipv6 ? "]" : "", port);
}

}  // namespace

std::string bare_address(const std::string& text) {
    const auto open = text.find('<');
    const auto close = text.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return one_line(text.substr(open + 1, close - open - 1));
    return one_line(text);
}

std::string mail_message(const Mail& mail) {
    std::string recipients;
    for (const auto& to : mail.to)
        recipients += (recipients.empty() ? "" : ", ") + one_line(to);
    return "From: " + one_line(mail.from) + "\r\nTo: " + recipients +
           "\r\nSubject: " + encoded_subject(one_line(mail.subject)) +
           "\r\nDate: " + rfc5322_date() + "\r\nMessage-ID: <" + random::hex(16) +
           "@kallithea>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8"
           "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
           crlf_lines(mail.body);
}

Status send_mail(const SmtpSettings& settings, const Mail& mail) {
    if (settings.server.empty())
        return fail(Errc::config, "no SMTP server is configured");
    if (mail.to.empty())
        return fail(Errc::config, "a mail without recipients cannot be sent");
    const std::string what =
        fmt::format("SMTP server {}:{}", settings.server,
                    settings.port ? settings.port : (settings.implicit_tls ? 465 : 25));
    auto made = detail::new_transfer("smtp,smtps", settings.limits);
    RETURN_IF_ERROR(made);
    detail::Transfer& t = **made;
    const std::string url = smtp_url(settings);
    const std::string from = "<" + bare_address(mail.from) + ">";
    detail::SlistHandle rcpt;
    for (const auto& to : mail.to) {
        // Appending returns the head (unchanged after the first) or null, leaving the list as it
        // was.
        curl_slist* head = curl_slist_append(rcpt.get(), ("<" + bare_address(to) + ">").c_str());
        if (!head)
            return fail(Errc::internal, "out of memory building the recipient list");
        if (!rcpt)
            rcpt.reset(head);
    }
    const std::string message = mail_message(mail);
    Upload upload{&message, 0};
    Status st = detail::set_option(t, CURLOPT_URL, url.c_str(), "URL");
    if (st)
        st = detail::set_option(
            t, CURLOPT_USE_SSL,
            static_cast<long>(settings.starttls || settings.implicit_tls ? CURLUSESSL_ALL
                                                                         : CURLUSESSL_NONE),
            "USE_SSL");
    if (st && !settings.username.empty()) {
        st = detail::set_option(t, CURLOPT_USERNAME, settings.username.c_str(), "USERNAME");
        if (st)
            st = detail::set_option(t, CURLOPT_PASSWORD, settings.password.c_str(), "PASSWORD");
    }
    if (st)
        st = detail::set_option(t, CURLOPT_MAIL_FROM, from.c_str(), "MAIL_FROM");
    if (st)
        st = detail::set_option(t, CURLOPT_MAIL_RCPT, rcpt.get(), "MAIL_RCPT");
    if (st)
        st = detail::set_option(t, CURLOPT_READFUNCTION, &read_upload, "READFUNCTION");
    if (st)
        st = detail::set_option(t, CURLOPT_READDATA, static_cast<void*>(&upload), "READDATA");
    if (st)
        st = detail::set_option(t, CURLOPT_INFILESIZE_LARGE,
                                static_cast<curl_off_t>(message.size()), "INFILESIZE_LARGE");
    if (st)
        st = detail::set_option(t, CURLOPT_UPLOAD, 1L, "UPLOAD");
    if (!st)
        return st;
    const CURLcode rc = curl_easy_perform(t.handle.get());
    if (rc != CURLE_OK)
        return fail(Errc::unavailable, detail::failure_text(t, rc, what, settings.server));
    return ok();
}

}  // namespace kallithea::remote
