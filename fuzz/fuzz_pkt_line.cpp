// Fuzz target: pkt-line framing (protocol v0/v1 and v2's delim/response-end packets) and the
// receive-pack scanners that read a push's commands and report, the `have` counter of fetch
// requests (vcs/git/pkt_line.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "vcs/git/pkt_line.hpp"

using namespace kallithea::vcs;
using namespace kallithea::vcs::git;

namespace {

struct Packet {
    PktKind kind;
    std::string payload;
    bool operator==(const Packet&) const = default;
};

struct Parse {
    std::vector<Packet> packets;
    bool ok = true;
    bool operator==(const Parse&) const = default;
};

// Cuts `input` into pieces whose sizes come from a small generator seeded by the input, so a
// crash reproduces from the input alone.
std::vector<std::string_view> pieces(std::string_view input) {
    uint32_t state = static_cast<uint32_t>(input.size()) * 2654435761u + 1;
    for (size_t i = 0; i < input.size() && i < 16; ++i)
        state = state * 31 + static_cast<unsigned char>(input[i]);
    std::vector<std::string_view> out;
    while (!input.empty()) {
        state = state * 1103515245u + 12345u;
        const size_t n = std::min<size_t>(input.size(), 1 + (state >> 16) % 9);
        out.push_back(input.substr(0, n));
        input.remove_prefix(n);
    }
    return out;
}

Parse read_packets(const std::vector<std::string_view>& parts) {
    Parse parse;
    PktLineReader reader;
    for (auto part : parts) {
        const bool ok = reader.feed(part, [&](PktKind kind, std::string_view payload) {
            FUZZ_CHECK(kind == PktKind::data || payload.empty());
            FUZZ_CHECK(payload.size() <= 65516);
            parse.packets.push_back({kind, std::string(payload)});
        });
        parse.ok = parse.ok && ok;
        FUZZ_CHECK(ok == parse.ok);  // once broken, always broken
    }
    return parse;
}

std::string pkt(std::string_view payload) {
    char head[5];
    std::snprintf(head, sizeof head, "%04zx", payload.size() + 4);
    return std::string(head, 4) + std::string(payload);
}

void check_reader(std::string_view input) {
    // The packets do not depend on how the stream was cut.
    const Parse whole = read_packets({input});
    FUZZ_CHECK(read_packets(pieces(input)) == whole);

    // Payloads framed as pkt-lines (lines of the input, then delim, flush, response-end) come
    // back as they were.
    std::string stream;
    std::vector<Packet> expected;
    for (std::string_view rest = input; !rest.empty();) {
        const size_t newline = rest.find('\n');
        const std::string_view line =
            rest.substr(0, newline == rest.npos ? rest.size() : newline + 1);
        rest.remove_prefix(line.size());
        if (line.size() > 65516)
            return;  // longer than one packet may carry
        stream += pkt(line);
        expected.push_back({PktKind::data, std::string(line)});
    }
    stream += "000100000002";
    expected.push_back({PktKind::delim, {}});
    expected.push_back({PktKind::flush, {}});
    expected.push_back({PktKind::response_end, {}});
    const Parse framed = read_packets(pieces(stream));
    FUZZ_CHECK(framed.ok && framed.packets == expected);
}

bool is_id(std::string_view id) {
    return (id.size() == 40 || id.size() == 64) &&
           id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void check_request_scanner(std::string_view input) {
    PushRequestScanner whole;
    whole.feed(input);
    PushRequestScanner cut;
    for (auto part : pieces(input))
        cut.feed(part);
    FUZZ_CHECK(whole.complete() == cut.complete());
    FUZZ_CHECK(whole.commands().size() == cut.commands().size());
    for (size_t i = 0; i < whole.commands().size(); ++i) {
        const RefUpdate& a = whole.commands()[i];
        const RefUpdate& b = cut.commands()[i];
        FUZZ_CHECK(a.old_id == b.old_id && a.new_id == b.new_id && a.ref == b.ref);
        FUZZ_CHECK(is_id(a.old_id) && is_id(a.new_id) && a.ref.starts_with("refs/"));
        FUZZ_CHECK(is_null_id(a.old_id) == (a.old_id.find_first_not_of('0') == std::string::npos));
    }
    for (const char* cap : {"report-status", "report-status-v2", "side-band-64k", "atomic",
                            "push-options", "object-format", "agent", "quiet"})
        FUZZ_CHECK(whole.has_capability(cap) == cut.has_capability(cap));
}

void check_report_scanner(std::string_view input) {
    for (const bool side_band : {false, true}) {
        PushReportScanner whole(side_band);
        whole.feed(input);
        PushReportScanner cut(side_band);
        for (auto part : pieces(input))
            cut.feed(part);
        FUZZ_CHECK(whole.has_report() == cut.has_report());
        FUZZ_CHECK(whole.updated_refs() == cut.updated_refs());
        // A ref ends at the first space ("ok <ref>" and v2's "ok <ref> <option>").
        for (const auto& ref : whole.updated_refs())
            FUZZ_CHECK(ref.find(' ') == std::string::npos);
    }
}

// The `have` count and the verdict do not depend on how the stream was cut.
void check_have_counter(std::string_view input) {
    HaveCounter whole(100);
    const bool whole_ok = whole.feed(input).has_value();
    HaveCounter cut(100);
    bool cut_ok = true;
    for (auto part : pieces(input))
        cut_ok = cut_ok && cut.feed(part).has_value();
    FUZZ_CHECK(whole_ok == cut_ok);
    if (whole_ok)
        FUZZ_CHECK(whole.haves() == cut.haves() && whole.haves() <= 100);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check_reader(input);
    check_request_scanner(input);
    check_report_scanner(input);
    check_have_counter(input);
    return 0;
}
