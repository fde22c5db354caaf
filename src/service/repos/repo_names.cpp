// Repository name rules and deleted-repository backup names (service/repos/repo_names.hpp).
#include "service/repos/repo_names.hpp"

#include <fmt/format.h>

#include "core/time.hpp"

namespace kallithea::service {
namespace {

// Characters Kallithea's repo_name_slug() turns into '-' (besides '/', our path separator).
constexpr std::string_view kForbidden = "`?=[]\\;'\"<>,~!@#$%^&*()+{}|: ";

Status refuse(std::string_view what, std::string_view name, std::string_view why) {
    return fail(Errc::invalid_argument,
                fmt::format("{} name \"{}\" is not allowed: {}", what, name, why));
}

std::string describe_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
        return fmt::format("control character 0x{:02x}", byte);
    if (c == ' ')
        return "spaces";
    return fmt::format("'{}'", c);
}

}  // namespace

Status check_repo_path(std::string_view name, std::string_view what) {
    if (name.empty())
        return fail(Errc::invalid_argument, fmt::format("{} name cannot be empty", what));
    if (name.size() > kMaxRepoNameLength)
        return fail(Errc::invalid_argument,
                    fmt::format("{} name is too long ({} characters; at most {})", what,
                                name.size(), kMaxRepoNameLength));
    if (name.front() == '/' || name.back() == '/')
        return refuse(what, name, "it must not start or end with '/'");
    size_t start = 0;
    bool first = true;
    while (start <= name.size()) {
        const size_t slash = std::min(name.find('/', start), name.size());
        const std::string_view segment = name.substr(start, slash - start);
        if (segment.empty())
            return refuse(what, name, "it must not contain empty path segments (\"//\")");
        if (segment == "." || segment == "..")
            return refuse(what, name, "\".\" and \"..\" are not allowed as path segments");
        if (segment.front() == '.')
            return refuse(what, name, "path segments must not start with '.'");
        if (first && segment.front() == '_')
            return refuse(what, name,
                          "it must not start with '_' (reserved for /_admin and /_<id> URLs)");
        if (segment.starts_with("rm__"))
            return refuse(what, name,
                          "path segments must not start with \"rm__\" (deleted repositories)");
        for (char c : segment) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < 0x20 || byte == 0x7f || kForbidden.find(c) != std::string_view::npos)
                return refuse(what, name, "it must not contain " + describe_char(c));
        }
        first = false;
        start = slash + 1;
    }
    return ok();
}

bool plausible_url_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxUrlNameBytes)
        return false;
    if (name.front() == '_')
        return name.size() >= 2 &&
               name.find_first_not_of("0123456789", 1) == std::string_view::npos;
    size_t segments = 0;
    for (;;) {
        const size_t slash = name.find('/');
        const std::string_view segment = name.substr(0, slash);
        if (segment.empty() || segment == "." || segment == ".." ||
            ++segments > kMaxUrlNameSegments)
            return false;
        if (slash == std::string_view::npos)
            return true;
        name.remove_prefix(slash + 1);
    }
}

std::vector<std::string> parent_groups(std::string_view name) {
    std::vector<std::string> out;
    for (size_t slash = name.find('/'); slash != std::string_view::npos;
         slash = name.find('/', slash + 1))
        out.emplace_back(name.substr(0, slash));
    return out;
}

std::string_view last_segment(std::string_view name) {
    const auto slash = name.rfind('/');
    return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

bool is_removed_backup(std::string_view dirname) {
    return dirname.starts_with("rm__");
}

std::string removed_backup_name(std::string_view just_name,
                                std::chrono::system_clock::time_point when) {
    const auto t = timefmt::CivilTime::from(when);
    return fmt::format("rm__{:04d}{:02d}{:02d}_{:02d}{:02d}{:02d}_{:06d}__{}", t.year, t.month,
                       t.day, t.hour, t.minute, t.second, t.microsecond, just_name);
}

std::optional<std::chrono::system_clock::time_point> removed_backup_time(std::string_view dirname) {
    using namespace std::chrono;
    // rm__YYYYmmdd_HHMMSS_ffffff__
    constexpr std::string_view kShape = "rm__dddddddd_dddddd_dddddd__";
    if (dirname.size() < kShape.size())
        return std::nullopt;
    for (size_t i = 0; i < kShape.size(); ++i) {
        const bool digit = dirname[i] >= '0' && dirname[i] <= '9';
        if (kShape[i] == 'd' ? !digit : dirname[i] != kShape[i])
            return std::nullopt;
    }
    auto num = [&](size_t pos, size_t len) {
        int v = 0;
        for (size_t i = pos; i < pos + len; ++i)
            v = v * 10 + (dirname[i] - '0');
        return v;
    };
    const year_month_day ymd{year(num(4, 4)), month(unsigned(num(8, 2))),
                             day(unsigned(num(10, 2)))};
    if (!ymd.ok() || num(13, 2) > 23 || num(15, 2) > 59 || num(17, 2) > 60)
        return std::nullopt;
    return sys_days(ymd) + hours(num(13, 2)) + minutes(num(15, 2)) + seconds(num(17, 2)) +
           microseconds(num(20, 6));
}

}  // namespace kallithea::service
