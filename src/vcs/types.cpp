// Helpers of the VCS value types: names of enums, summaries, binary and UTF-8 checks.
#include "vcs/types.hpp"

#include <algorithm>

namespace kallithea::vcs {

std::string_view ref_kind_name(RefKind kind) {
    switch (kind) {
        case RefKind::branch:
            return "branch";
        case RefKind::tag:
            return "tag";
        case RefKind::bookmark:
            return "bookmark";
    }
    return "branch";
}

std::string_view node_kind_name(NodeKind kind) {
    switch (kind) {
        case NodeKind::file:
            return "file";
        case NodeKind::dir:
            return "dir";
        case NodeKind::submodule:
            return "submodule";
        case NodeKind::symlink:
            return "symlink";
    }
    return "file";
}

std::string_view change_kind_name(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::added:
            return "added";
        case ChangeKind::modified:
            return "modified";
        case ChangeKind::deleted:
            return "deleted";
        case ChangeKind::renamed:
            return "renamed";
        case ChangeKind::copied:
            return "copied";
    }
    return "modified";
}

std::string Signature::full() const {
    if (email.empty()) {
        return name;
    }
    return name + " <" + email + ">";
}

std::string ChangesetInfo::summary() const {
    auto end = message.find('\n');
    std::string line = message.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.pop_back();
    }
    return line;
}

std::string Diff::patch_text() const {
    size_t size = 0;
    for (const auto& file : files) {
        size += file.patch.size();
    }
    std::string out;
    out.reserve(size);
    for (const auto& file : files) {
        out += file.patch;
    }
    return out;
}

std::string_view archive_extension(ArchiveFormat format) {
    switch (format) {
        case ArchiveFormat::zip:
            return ".zip";
        case ArchiveFormat::tar:
            return ".tar";
        case ArchiveFormat::tgz:
            return ".tar.gz";
        case ArchiveFormat::tbz2:
            return ".tar.bz2";
    }
    return ".tar";
}

std::optional<ArchiveFormat> archive_format_from_extension(std::string_view ext) {
    if (ext == ".zip") {
        return ArchiveFormat::zip;
    }
    if (ext == ".tar") {
        return ArchiveFormat::tar;
    }
    if (ext == ".tar.gz" || ext == ".tgz") {
        return ArchiveFormat::tgz;
    }
    if (ext == ".tar.bz2" || ext == ".tbz2") {
        return ArchiveFormat::tbz2;
    }
    return std::nullopt;
}

bool looks_binary(std::string_view data) {
    constexpr size_t kProbe = 8000;
    return data.substr(0, std::min(data.size(), kProbe)).find('\0') != std::string_view::npos;
}

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) {
        return 1;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

}  // namespace

std::string to_valid_utf8(std::string_view text) {
    // Most text is ASCII: copy it whole up to the first byte that needs decoding.
    size_t i = 0;
    while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) {
        ++i;
    }
    if (i == text.size()) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    out.append(text.substr(0, i));
    while (i < text.size()) {
        size_t len = utf8_sequence_length(text, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

}  // namespace kallithea::vcs
