// Rules for repository and repository group names (full paths such as "group/sub/repo"), and the
// `rm__<date>__<name>` names deleted repositories are renamed to.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace kallithea::service {

inline constexpr size_t kMaxRepoNameLength = 255;  // repositories.repo_name is VARCHAR(255)
// Bounds on the names a URL can hold, for route matching: 255 characters of up to 4 bytes each
// (a database Kallithea filled may count characters, not bytes), and so at most 128 segments.
inline constexpr size_t kMaxUrlNameBytes = 4 * kMaxRepoNameLength;
inline constexpr size_t kMaxUrlNameSegments = (kMaxRepoNameLength + 1) / 2;

// Checks the syntax of a full repository (or group) path: not empty, at most 255 bytes, no
// leading or trailing '/', no empty segment, no segment starting with '.' (so no "." or "..")
// or with "rm__" (deleted-repository backups), no first segment starting with '_' (reserved for
// /_admin and the /_<id> permanent URLs), none of the characters Kallithea's repo_name_slug
// replaces (`?=[]\;'"<>,~!@#$%^&*()+{}|: and space) and no control characters.
// Errc::invalid_argument with a message naming the problem ("Repository name ... is not
// allowed: ..."); `what` is the noun used in it ("Repository", "Repository group").
Status check_repo_path(std::string_view name, std::string_view what = "Repository");

// True when a URL could name a repository or group by `name`, judged by shape alone (never by
// what exists, so that answers do not reveal names): at most kMaxUrlNameBytes bytes and
// kMaxUrlNameSegments segments, no empty, "." or ".." segment, and a first segment not starting
// with '_' unless the whole name is a permanent "_<repo_id>". Looser than check_repo_path, so
// names an older Kallithea accepted stay reachable.
bool plausible_url_name(std::string_view name);

// "a/b/c" -> {"a", "a/b"}: the groups a repository at that path lives in, outermost first.
std::vector<std::string> parent_groups(std::string_view name);
// "a/b/c" -> "c".
std::string_view last_segment(std::string_view name);

// True for directory names of Kallithea's deleted-repository backups ("rm__" prefix).
bool is_removed_backup(std::string_view dirname);
// "rm__YYYYmmdd_HHMMSS_ffffff__<just_name>" for a deletion at `when` (UTC).
std::string removed_backup_name(std::string_view just_name,
                                std::chrono::system_clock::time_point when);
// The deletion time encoded in a backup name, nullopt when it has none.
std::optional<std::chrono::system_clock::time_point> removed_backup_time(std::string_view dirname);

}  // namespace kallithea::service
