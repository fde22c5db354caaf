// `config-create`: writing a new, commented ini file with fresh secrets.
#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"

namespace kallithea::config {

// The ini text `config-create` would write for `args`, the command line's `key=value` pairs as
// Kallithea takes them:
// - before any `[section]` argument, host=, port=, database_engine= (sqlite, the default, or
//   postgres) and http_server= (accepted and ignored: the server is built in) fill the template;
// - every other pair sets a key in [app:main], or in the section named by the last `[section]`
//   argument: an existing line for the key is replaced, a commented example of it is followed by
//   the new line, otherwise the line is added at the end of the section (a missing section is
//   appended to the file). Values are written as given, so %(here)s may be used.
// app_instance_uuid and session.secret get new random values on every call.
// Errc::invalid_argument with a one-line reason for a pair without '=', a bad key, a bad port,
// database_engine=mysql or another unknown engine, or a result that would not load.
Result<std::string> render_config_text(const std::vector<std::string>& args);

// Writes render_config_text(args) to `path`, readable by the owner only (it holds secrets),
// through a temporary file so that no half-written file is ever seen.
// Errc::config "PATH already exists; refusing to overwrite"; Errc::io when the file cannot be
// written; the errors of render_config_text().
Status create_config_file(const std::string& path, const std::vector<std::string>& args);

}  // namespace kallithea::config
