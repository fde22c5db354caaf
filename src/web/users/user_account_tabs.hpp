// The API-key and extra-email tabs, shared by the user admin pages and "my account": the same
// forms acting on one account, inside whichever page frame the caller draws.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "http/message.hpp"
#include "web/context.hpp"
#include "web/form_values.hpp"

namespace kallithea::web {

struct AccountTab {
    int64_t user_id = 0;
    std::string main_api_key;
    std::string url;  // the tab's own path ("/_admin/users/5/edit/api_keys"), not prefixed
};

// Draws a full page around a rendered tab body.
using TabFrame = std::function<http::Response(int status, const std::string& body_html)>;

// GET: the tab; POST: add (or reset the built-in key); POST .../delete: delete.
http::Response show_api_keys_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame);
http::Response add_api_key_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame);
http::Response delete_api_key_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame);

http::Response show_emails_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame);
http::Response add_email_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame);
http::Response delete_email_tab(Ctx& ctx, const AccountTab& tab, const TabFrame& frame);

}  // namespace kallithea::web
