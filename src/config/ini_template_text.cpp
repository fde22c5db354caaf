// The ini template of `config-create`: Kallithea 0.7's sections and keys, described in our words.
#include "config/ini_template_text.hpp"

namespace kallithea::config {
namespace {

constexpr std::string_view kTemplate = R"INI(#
# Configuration of a Kallithea server, written by {{generator}}.
#
# Syntax: "key = value" lines grouped in [sections]; lines starting with # or ;
# are comments. %(here)s stands for the directory holding this file and
# %(__file__)s for the file itself. Any other percent sign must be doubled: %%.
# Sections and key names are those of Kallithea 0.7; keys this server does not
# use are kept so that Kallithea's own tools (alembic, kallithea-cli) find them.
#

[DEFAULT]

#---------------------------------------------------------------------------
# Outgoing email. Values here are visible in every section below.
# Without smtp_server, messages are not sent but written to the log.
#---------------------------------------------------------------------------

# Sender of notification mails; a display name may be added, as in
# "Kallithea <noreply@example.com>". When unset, "Kallithea" is used.
#app_email_from = Kallithea

# Text put in front of the subject of every mail, e.g. [Kallithea].
#email_prefix =

# Comma-separated addresses (no display names) that receive error reports
# and the mails that have no other recipient.
email_to =

# Sender of error reports, e.g. kallithea-errors@example.com.
error_email_from =

# Mail server. With a user name and password, also enable SSL (usually port
# 465) or STARTTLS (usually port 587) so the password is not sent in clear.
smtp_server =
smtp_username =
smtp_password =
smtp_port =
smtp_use_ssl = false
smtp_use_tls = false

# Mails wait in a queue in the database and are sent by the server in the
# background. A failed mail is tried again after this many seconds, then after
# twice as long each time (at most an hour apart); after a day it is given up.
#mail_retry_delay = 60

[server:main]

# Address and TCP port the built-in HTTP server listens on. Use 0.0.0.0 to
# listen on all IPv4 interfaces; keep 127.0.0.1 behind a reverse proxy.
host = {{host}}
port = {{port}}

# Number of request workers. Clones, pushes and archive downloads each hold a
# worker for their whole duration. Values below 2 are raised to 4.
threads = 8

# Largest request body accepted, in bytes (pushes of big repositories).
max_request_body_size = 107374182400

# Kallithea's Python server needs the next line; this server is built in and
# ignores it. It is kept, commented, for people who switch back.
#use = egg:waitress#main

[app:main]

# Read by Kallithea's PasteDeploy loader only.
use = egg:kallithea

# Serve the style sheets, scripts and images ourselves. Turn off when a front
# end web server delivers /css, /js and /images directly.
static_files = true

#---------------------------------------------------------------------------
# Files
#---------------------------------------------------------------------------

# Caches and working data.
cache_dir = %(here)s/data
# Full-text search index.
index_dir = %(here)s/data/index
# Finished download archives are kept here and reused; remove the line to
# build every archive afresh.
archive_cache_dir = %(here)s/data/tarballcache

#---------------------------------------------------------------------------
# Secrets (generated for this installation; keep this file private)
#---------------------------------------------------------------------------

# Signs password reset links. Changing it invalidates links already sent.
app_instance_uuid = {{app_instance_uuid}}

#---------------------------------------------------------------------------
# Behind a reverse proxy
#---------------------------------------------------------------------------

# Request variable holding the client address; with a trusted proxy in front,
# HTTP_X_FORWARDED_FOR. Default: the address of the TCP peer.
#remote_addr_variable = HTTP_X_FORWARDED_FOR

# Request variable holding the scheme (http or https) the client used; with a
# trusted proxy, HTTP_X_FORWARDED_PROTO. Default: the scheme of the connection.
#url_scheme_variable = HTTP_X_FORWARDED_PROTO

# Generate https:// links even when the request arrived over plain HTTP.
#force_https = true

# Send a Strict-Transport-Security header (the key name is spelled this way).
#use_htsts = true

# Base address of this site, e.g. https://kallithea.example.com/repos. Links in
# mails (password resets, registration notices) are built from it only, never
# from the Host header of a request: while it is unset such mails are not
# sent. config-create fills it from host and port; change it when users reach
# the site under another name (a reverse proxy, https). Clone URLs and feeds
# use it too (when unset, they follow each request).
{{canonical_url_prefix}}canonical_url = {{canonical_url}}

#---------------------------------------------------------------------------
# Version control
#---------------------------------------------------------------------------

# The git program used for pushes, pulls, blame and history of a path.
git_path = git

# Which refs the changelog walks. Use "--branches --tags" to hide other refs.
#git_rev_filter = --branches --tags

# Diffs bigger than this many bytes are shown cut short.
cut_off_limit = 256000

# Changesets processed per round when computing repository statistics.
commit_parse_limit = 25

# How changesets are named on pages: hash length, and whether the local
# revision number is shown next to it.
show_sha_length = 12
show_revision_number = false

# Encodings tried, in order, for file contents and commit messages; and the
# encoding Mercurial uses (as HGENCODING would set it).
default_encoding = utf-8
hgencoding = utf-8

#---------------------------------------------------------------------------
# Feeds, gists, issue references
#---------------------------------------------------------------------------

rss_cut_off_limit = 256000
rss_items_per_page = 10
rss_include_diff = false

# Public address for gists, with {gistid} where the id goes, when a rewrite
# rule maps it to /_admin/gists/<id>. Empty: use the built-in address.
gist_alias_url =

# Link text that looks like an issue reference to an issue tracker. issue_pat
# is a regular expression; its groups can be used as \1, \2 in the link and
# in the replacement text. {repo} is the full repository name, {repo_name}
# the last part. Add a suffix to define more patterns (issue_pat_wiki ...).
#issue_pat = #(\d+)
#issue_server_link = https://issues.example.com/{repo}/issue/\1
#issue_sub =
#issue_pat_wiki = wiki-(\S+)
#issue_server_link_wiki = https://wiki.example.com/\1
#issue_sub_wiki = WIKI-\1

#---------------------------------------------------------------------------
# Administration
#---------------------------------------------------------------------------

# HTTP status for failed authentication of version control clients: empty for
# 401, or 403 for clients that keep asking for a password on 401.
auth_ret_code =

# Let administrators move the repository root and edit hooks in the web UI.
allow_repo_location_change = True
allow_custom_hooks_settings = True

#---------------------------------------------------------------------------
# SSH access (off until an administrator turns it on)
#---------------------------------------------------------------------------

ssh_enabled = false
# This file is rewritten with the users' public keys when SSH is enabled.
ssh_authorized_keys = {{ssh_authorized_keys}}
# Program named in the authorized_keys command lines.
kallithea_cli_path = {{kallithea_cli_path}}
# Locale for the ssh-serve command, independent of what the client sends.
ssh_locale = {{ssh_locale}}

#---------------------------------------------------------------------------
# Browser sessions
#---------------------------------------------------------------------------

# Name of the session cookie; give each site on the same host its own name.
session.key = kallithea
# Keep the cookie out of reach of scripts in the page.
session.httponly = true
# Lifetime of a session in seconds (30 days).
session.timeout = 2592000
# Signs the session cookie. Changing it logs everybody out.
session.secret = {{session_secret}}
# Send the cookie over HTTPS only; enable when the site is HTTPS-only.
#session.secure = true

#---------------------------------------------------------------------------
# Errors
#---------------------------------------------------------------------------

# Show internal details on error pages. Never enable on a public server.
debug = false

#---------------------------------------------------------------------------
# Database
#---------------------------------------------------------------------------

# SQLite (a file next to this one) suits a single server process. For several
# server processes sharing repositories, use PostgreSQL.
{{sqlite_prefix}}sqlalchemy.url = sqlite:///%(here)s/kallithea.db?timeout=60
{{postgres_prefix}}sqlalchemy.url = postgresql://kallithea:password@localhost/kallithea

# Seconds after which pooled database connections are reopened.
sqlalchemy.pool_recycle = 3600

[alembic]
# Used by Kallithea's migration tool (alembic -c THIS_FILE upgrade head).
script_location = kallithea:alembic

#---------------------------------------------------------------------------
# Logging, in the format of Python's logging.config.fileConfig. This server
# reads the level of logger_kallithea (or logger_root when that is NOTSET).
#---------------------------------------------------------------------------

[loggers]
keys = root, kallithea, sqlalchemy

[handlers]
keys = console, null

[formatters]
keys = generic

[logger_root]
level = NOTSET
handlers = console

[logger_kallithea]
level = INFO
handlers =
qualname = kallithea

[logger_sqlalchemy]
# INFO logs every SQL statement.
level = WARN
handlers =
qualname = sqlalchemy.engine

[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic

[handler_null]
class = NullHandler
args = ()

[formatter_generic]
format = %(asctime)s.%(msecs)03d %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %Y-%m-%d %H:%M:%S

# ssh-serve talks to the SSH client over stdout and stderr, so it must not log
# there: it uses these sections instead of the ones above.
[ssh_serve:logger_root]
level = CRITICAL
handlers = null
)INI";

}  // namespace

std::string_view ini_template_text() {
    return kTemplate;
}

}  // namespace kallithea::config
