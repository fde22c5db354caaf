// Commits that go with a directory move (see transaction.hpp).
#include "service/transaction.hpp"

#include <system_error>

#include <fmt/format.h>

namespace kallithea::service {

namespace fs = std::filesystem;

Status commit_with_move(db::Transaction& tx, bool move, const fs::path& from, const fs::path& to,
                        std::string_view failure) {
    std::error_code ec;
    if (move) {
        fs::create_directories(to.parent_path(), ec);
        ec.clear();
        fs::rename(from, to, ec);
        if (ec)
            return fail(Errc::io, std::string(failure),
                        fmt::format("rename {} {}: {}", from.string(), to.string(), ec.message()));
    }
    if (auto st = tx.commit(); !st) {
        if (move)
            fs::rename(to, from, ec);
        return fail(std::move(st.error()));
    }
    return ok();
}

}  // namespace kallithea::service
