// Archive downloads (/{repo}/archive/{rev}{ext}) and the refs list of the revision switcher.
#include <array>
#include <utility>

#include "core/log.hpp"
#include "db/pool.hpp"
#include "service/files/files.hpp"
#include "service/files/files_internal.hpp"
#include "store/repos/journal.hpp"
#include "vcs/repository.hpp"

namespace kallithea::service {
namespace {

using namespace files_internal;

struct ArchiveSpec {
    std::string_view extension;  // as accepted in the URL
    vcs::ArchiveFormat format;
    std::string_view content_type;  // Kallithea's ARCHIVE_SPECS
};

// Longest extensions first, so ".tar.gz" is not taken for ".gz" after a ".tar" revision.
constexpr std::array kArchiveSpecs = {
    ArchiveSpec{".tar.bz2", vcs::ArchiveFormat::tbz2, "application/x-bzip2"},
    ArchiveSpec{".tar.gz", vcs::ArchiveFormat::tgz, "application/x-gzip"},
    ArchiveSpec{".tbz2", vcs::ArchiveFormat::tbz2, "application/x-bzip2"},
    ArchiveSpec{".tgz", vcs::ArchiveFormat::tgz, "application/x-gzip"},
    ArchiveSpec{".zip", vcs::ArchiveFormat::zip, "application/zip"},
    ArchiveSpec{".tar", vcs::ArchiveFormat::tar, "application/x-tar"},
};

void record_download(App& app, const AuthUser& user, const RepoInfo& repo,
                     std::string_view client_ip, const std::string& file_name) {
    auto conn = app.pool().acquire();
    Status added = conn ? store::Journal(*conn).add(store::JournalEntry{
                              user.user_id, user.username, repo.repo_id, repo.name,
                              std::string(client_ip), "user_downloaded_archive:" + file_name})
                        : Status(fail(std::move(conn.error())));
    if (!added)
        log::warn("journal entry for the download of {} failed: {} ({})", file_name,
                  added.error().message, added.error().detail);
}

}  // namespace

Result<ArchiveDownload> prepare_archive(App& app, const AuthUser& user, const RepoInfo& repo,
                                        std::string_view fname, std::string_view client_ip) {
    if (!repo.downloads)
        return fail(Errc::forbidden, "Downloads disabled");
    const ArchiveSpec* spec = nullptr;
    std::string_view rev;
    for (const auto& candidate : kArchiveSpecs) {
        if (fname.size() > candidate.extension.size() && fname.ends_with(candidate.extension)) {
            spec = &candidate;
            rev = fname.substr(0, fname.size() - candidate.extension.size());
            break;
        }
    }
    if (!spec)
        return fail(Errc::not_found, "Unknown archive type");
    auto vcs = open_vcs(repo);
    RETURN_IF_ERROR(vcs);
    auto empty = (*vcs)->is_empty();
    RETURN_IF_ERROR(empty);
    if (*empty)
        return fail(Errc::not_found, "Empty repository");
    auto changeset = (*vcs)->changeset(rev);
    if (!changeset)
        return lookup_failed(changeset.error())
                   ? fail(Errc::not_found, "Unknown revision " + std::string(rev))
                   : fail(std::move(changeset.error()));
    const std::string short_id = changeset->id.substr(0, 12);
    std::string flat_name = repo.name;
    for (char& c : flat_name)
        c = c == '/' ? '_' : c;
    const auto slash = repo.name.rfind('/');
    const std::string short_name =
        slash == std::string::npos ? repo.name : repo.name.substr(slash + 1);

    ArchiveDownload download;
    download.file_name =
        flat_name + "-" + short_id + std::string(vcs::archive_extension(spec->format));
    download.content_type = std::string(spec->content_type);
    std::shared_ptr<vcs::Repository> shared(std::move(*vcs));
    // Recorded when the bytes are produced, so HEAD requests do not count as downloads.
    download.stream = [&app, user, repo, ip = std::string(client_ip), file = download.file_name,
                       shared, id = changeset->id, format = spec->format,
                       prefix = short_name + "-" + short_id + "/"](const vcs::ByteSink& sink) {
        record_download(app, user, repo, ip, file);
        return shared->archive(id, format, prefix, sink);
    };
    return download;
}

Result<std::vector<vcs::Ref>> repository_refs(const RepoInfo& repo) {
    auto vcs = open_vcs(repo);
    RETURN_IF_ERROR(vcs);
    return (*vcs)->refs();
}

}  // namespace kallithea::service
