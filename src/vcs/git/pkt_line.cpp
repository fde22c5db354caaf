// Pkt-line framing and the stream readers of vcs/git/pkt_line.hpp.
#include "vcs/git/pkt_line.hpp"

namespace kallithea::vcs::git {
namespace {

constexpr size_t kMaxPacket = 65520;

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The 4-hex-digit length prefix of a pkt-line; -1 when malformed.
int packet_length(const char* p) {
    int len = 0;
    for (int i = 0; i < 4; ++i) {
        const int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        len = len * 16 + d;
    }
    return len;
}

bool is_object_id(std::string_view s) {
    if (s.size() != 40 && s.size() != 64)
        return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    return true;
}

std::string_view without_newline(std::string_view line) {
    if (!line.empty() && line.back() == '\n')
        line.remove_suffix(1);
    return line;
}

}  // namespace

bool PktLineReader::feed(std::string_view data, const Sink& sink) {
    if (broken_)
        return false;
    buf_.append(data);
    size_t pos = 0;
    while (buf_.size() - pos >= 4) {
        const int len = packet_length(buf_.data() + pos);
        if (len < 0 || len == 3 || len > static_cast<int>(kMaxPacket)) {
            broken_ = true;
            buf_.clear();
            return false;
        }
        if (len < 4) {
            static constexpr PktKind kSpecial[] = {PktKind::flush, PktKind::delim,
                                                   PktKind::response_end};
            pos += 4;
            sink(kSpecial[len], {});
            continue;
        }
        if (buf_.size() - pos < static_cast<size_t>(len))
            break;
        sink(PktKind::data, std::string_view(buf_.data() + pos + 4, static_cast<size_t>(len) - 4));
        pos += static_cast<size_t>(len);
    }
    buf_.erase(0, pos);
    return true;
}

void PushRequestScanner::feed(std::string_view data) {
    if (done_)
        return;
    // The reader may hold the start of the pack after the flush-pkt; it is never looked at.
    const bool ok = reader_.feed(data, [this](PktKind kind, std::string_view payload) {
        if (done_)
            return;
        if (kind != PktKind::data) {
            done_ = true;
            return;
        }
        std::string_view line = without_newline(payload);
        if (const auto nul = line.find('\0'); nul != std::string_view::npos) {
            if (capabilities_.empty())
                capabilities_ = std::string(line.substr(nul + 1));
            line = line.substr(0, nul);
        }
        // "<old> <new> <ref>"; shallow lines and push-certificate headers do not match.
        const auto first = line.find(' ');
        const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
        if (second == std::string_view::npos)
            return;
        const auto old_id = line.substr(0, first);
        const auto new_id = line.substr(first + 1, second - first - 1);
        const auto ref = line.substr(second + 1);
        if (is_object_id(old_id) && is_object_id(new_id) && ref.starts_with("refs/"))
            commands_.push_back({std::string(old_id), std::string(new_id), std::string(ref)});
    });
    if (!ok)
        done_ = true;
}

bool PushRequestScanner::has_capability(std::string_view name) const {
    std::string_view rest = capabilities_;
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        const std::string_view word = rest.substr(0, space);
        if (word == name ||
            (word.starts_with(name) && word.size() > name.size() && word[name.size()] == '='))
            return true;
        if (space == std::string_view::npos)
            break;
        rest.remove_prefix(space + 1);
    }
    return false;
}

void PushReportScanner::report_line(std::string_view line) {
    line = without_newline(line);
    if (line.starts_with("unpack ")) {
        saw_unpack_ = true;
    } else if (line.starts_with("ok ")) {
        std::string_view ref = line.substr(3);
        ref = ref.substr(0, ref.find(' '));
        ok_refs_.insert(std::string(ref));
    }
}

void PushReportScanner::feed(std::string_view data) {
    outer_.feed(data, [this](PktKind kind, std::string_view payload) {
        if (kind != PktKind::data)
            return;
        if (!side_band_) {
            report_line(payload);
            return;
        }
        // Channel 1 carries the report as its own pkt-line stream; 2 is progress, 3 errors.
        if (!payload.empty() && payload[0] == '\1')
            inner_.feed(payload.substr(1), [this](PktKind inner_kind, std::string_view line) {
                if (inner_kind == PktKind::data)
                    report_line(line);
            });
    });
}

Status HaveCounter::feed(std::string_view data) {
    if (haves_ > max_haves_)
        return fail(Errc::invalid_argument, "Too many have lines");
    const bool parsed = reader_.feed(data, [this](PktKind kind, std::string_view payload) {
        if (kind == PktKind::data && payload.starts_with("have "))
            ++haves_;
    });
    if (!parsed)
        return fail(Errc::invalid_argument, "Malformed request", "not a pkt-line stream");
    if (haves_ > max_haves_)
        return fail(Errc::invalid_argument, "Too many have lines",
                    "more than " + std::to_string(max_haves_) + " in one request");
    return ok();
}

}  // namespace kallithea::vcs::git
