// The repository feeds: RSS 2.0 and Atom 1.0 of the newest changesets, with absolute links.
#include "core/time.hpp"
#include "service/history/history.hpp"
#include "web/history/history_views.hpp"
#include "web/routes.hpp"

namespace kallithea::web {
namespace {

// Escapes for XML text and attributes; drops characters XML 1.0 does not allow.
std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r')
            continue;
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

// At most max characters (UTF-8 aware), "..." marking a cut, like Kallithea's h.shorter.
std::string shorter(const std::string& text, size_t max) {
    size_t chars = 0, cut = text.size();
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            continue;
        if (chars == max - 3)
            cut = i;
        if (++chars > max)
            return text.substr(0, cut) + "...";
    }
    return text;
}

struct FeedEntry {
    std::string title, link, author_name, author_email, description;
    vcs::Signature date;
};

// Kallithea's entry description: who and when, refs, link, message and the changed files.
std::string entry_html(const service::FeedItem& item, const std::string& link) {
    const auto& cs = item.info;
    std::string html = xml_escape(cs.author.full()) + " committed on " +
                       service::display_date(cs.author) + "<br/>";
    for (const auto& b : cs.branches)
        html += "branch: " + xml_escape(b) + "<br/>";
    for (const auto& b : cs.bookmarks)
        html += "bookmark: " + xml_escape(b) + "<br/>";
    for (const auto& t : cs.tags)
        html += "tag: " + xml_escape(t) + "<br/>";
    html += "changeset: <a href=\"" + xml_escape(link) + "\">" + cs.id.substr(0, 8) + "</a>";
    html += "<pre>" + xml_escape(cs.message) + "\n";
    for (const auto& f : item.diff.files) {
        html += "\n " + std::string(vcs::change_kind_name(f.change)) + " " +
                xml_escape(f.new_path) + " (" + std::to_string(f.additions) + " lines added, " +
                std::to_string(f.deletions) + " lines removed)";
    }
    if (item.diff.truncated)
        html += "\n Changeset was too big and was cut off...";
    if (item.include_diff)
        html += "\n\n" + xml_escape(item.diff.patch_text());
    return html + "</pre>";
}

struct FeedData {
    std::string title, link, self, description;
    vcs::Signature updated;
    std::vector<FeedEntry> entries;
};

Result<FeedData> feed_data(Ctx& ctx, std::string_view kind) {
    auto feed = service::repository_feed(ctx.app, *ctx.repo);
    RETURN_IF_ERROR(feed);
    const std::string base = service::site_base_url(ctx.app, request_origin(ctx));
    const std::string repo_path = "/" + http::percent_encode(ctx.repo->name, true);
    FeedData out;
    out.title = feed->site_title + " " + ctx.repo->name + " feed";
    out.link = base + repo_path;
    out.self = base + repo_path + "/feed/" + std::string(kind);
    out.description = "Changes on " + ctx.repo->name + " repository";
    out.updated.time = timefmt::unix_now();
    for (const auto& item : feed->items) {
        FeedEntry e;
        e.link = base + repo_path + "/changeset/" + item.info.id;
        e.title = shorter(item.info.summary(), 160);
        e.author_name = item.info.author.name;
        e.author_email = item.info.author.email;
        e.date = item.info.author;
        e.description = entry_html(item, e.link);
        out.entries.push_back(std::move(e));
    }
    if (!feed->items.empty())
        out.updated = feed->items.front().info.committer;
    return out;
}

http::Response feed_response(std::string body, const char* type) {
    return http::Response::text(200, std::move(body), std::string(type) + "; charset=utf-8");
}

}  // namespace

http::Response show_feed_rss(Ctx& ctx) {
    auto data = feed_data(ctx, "rss");
    if (!data)
        return history_error(ctx, data.error());
    std::string x =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>";
    x += "<title>" + xml_escape(data->title) + "</title>";
    x += "<link>" + xml_escape(data->link) + "</link>";
    x += "<description>" + xml_escape(data->description) + "</description>";
    x += "<atom:link href=\"" + xml_escape(data->self) +
         "\" rel=\"self\" type=\"application/rss+xml\"/>";
    x += "<language>en-us</language>";
    x += "<lastBuildDate>" + service::rfc2822_date(data->updated) + "</lastBuildDate>";
    for (const auto& e : data->entries) {
        x += "\n<item><title>" + xml_escape(e.title) + "</title>";
        x += "<link>" + xml_escape(e.link) + "</link>";
        x += "<description>" + xml_escape(e.description) + "</description>";
        if (!e.author_email.empty())
            x += "<author>" + xml_escape(e.author_email + " (" + e.author_name + ")") + "</author>";
        x += "<pubDate>" + service::rfc2822_date(e.date) + "</pubDate>";
        x += "<guid isPermaLink=\"true\">" + xml_escape(e.link) + "</guid></item>";
    }
    x += "\n</channel></rss>\n";
    return feed_response(std::move(x), "application/rss+xml");
}

http::Response show_feed_atom(Ctx& ctx) {
    auto data = feed_data(ctx, "atom");
    if (!data)
        return history_error(ctx, data.error());
    std::string x =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-us\">";
    x += "<title>" + xml_escape(data->title) + "</title>";
    x += "<link href=\"" + xml_escape(data->link) + "\" rel=\"alternate\"/>";
    x += "<link href=\"" + xml_escape(data->self) + "\" rel=\"self\"/>";
    x += "<id>" + xml_escape(data->link) + "</id>";
    x += "<subtitle>" + xml_escape(data->description) + "</subtitle>";
    x += "<updated>" + service::rfc3339_date(data->updated) + "</updated>";
    for (const auto& e : data->entries) {
        x += "\n<entry><title>" + xml_escape(e.title) + "</title>";
        x += "<link href=\"" + xml_escape(e.link) + "\" rel=\"alternate\"/>";
        x += "<id>" + xml_escape(e.link) + "</id>";
        x += "<published>" + service::rfc3339_date(e.date) + "</published>";
        x += "<updated>" + service::rfc3339_date(e.date) + "</updated>";
        x += "<author><name>" + xml_escape(e.author_name.empty() ? e.author_email : e.author_name) +
             "</name>";
        if (!e.author_email.empty())
            x += "<email>" + xml_escape(e.author_email) + "</email>";
        x += "</author>";
        x += "<summary type=\"html\">" + xml_escape(e.description) + "</summary></entry>";
    }
    x += "\n</feed>\n";
    return feed_response(std::move(x), "application/atom+xml");
}

}  // namespace kallithea::web
