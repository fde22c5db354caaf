// The text of the ini file written by `config-create`, with {{name}} placeholders.
#pragma once

#include <string_view>

namespace kallithea::config {

// Placeholders: host, port, app_instance_uuid, session_secret, sqlite_prefix and
// postgres_prefix ("" for the engine in use, "#" for the other), ssh_authorized_keys,
// kallithea_cli_path, ssh_locale, generator.
std::string_view ini_template_text();

}  // namespace kallithea::config
