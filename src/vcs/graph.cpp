// Changelog graph layout (Mercurial graphmod's "colored" algorithm over ids and parents).
#include "vcs/graph.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace kallithea::vcs {

namespace {

using Lanes = std::vector<std::string_view>;

int index_of(const Lanes& lanes, std::string_view id) {
    auto it = std::find(lanes.begin(), lanes.end(), id);
    return it == lanes.end() ? -1 : static_cast<int>(it - lanes.begin());
}

}  // namespace

std::vector<GraphRow> graph_layout(const std::vector<ChangesetInfo>& changesets) {
    std::vector<GraphRow> rows;
    rows.reserve(changesets.size());
    Lanes lanes;  // the changeset each open lane is heading to
    std::unordered_map<std::string_view, int> colors;
    int next_color = 1;

    for (const auto& cs : changesets) {
        std::string_view cur = cs.id;
        int col = index_of(lanes, cur);
        if (col < 0) {  // a new head
            lanes.push_back(cur);
            colors[cur] = next_color++;
            col = static_cast<int>(lanes.size()) - 1;
        }
        int color = colors[cur];
        colors.erase(cur);

        Lanes next = lanes;
        Lanes added;
        for (const auto& parent : cs.parents) {
            std::string_view p = parent;
            if (index_of(next, p) < 0 && index_of(added, p) < 0) {
                added.push_back(p);
            }
        }
        next.erase(next.begin() + col);
        next.insert(next.begin() + col, added.begin(), added.end());
        for (size_t i = 0; i < added.size(); ++i) {
            colors[added[i]] = i == 0 ? color : next_color++;
        }

        GraphRow row;
        row.id = cs.id;
        row.column = col;
        row.color = color;
        for (size_t ecol = 0; ecol < lanes.size(); ++ecol) {
            std::string_view eid = lanes[ecol];
            int target = index_of(next, eid);
            if (target >= 0) {
                row.edges.push_back({static_cast<int>(ecol), target, colors[eid]});
            } else if (eid == cur) {
                for (const auto& parent : cs.parents) {
                    row.edges.push_back({static_cast<int>(ecol), index_of(next, parent), color});
                }
            }
        }
        row.width = static_cast<int>(std::max(lanes.size(), next.size()));
        rows.push_back(std::move(row));
        lanes = std::move(next);
    }
    return rows;
}

}  // namespace kallithea::vcs
