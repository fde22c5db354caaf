// Changelog graph layout: columns, colours and edges per changeset row (VCS-neutral, pure).
#pragma once

#include <string>
#include <vector>

#include "vcs/types.hpp"

namespace kallithea::vcs {

// A line from this row's column `from` to column `to` of the next row.
struct GraphEdge {
    int from = 0;
    int to = 0;
    int color = 0;

    bool operator==(const GraphEdge&) const = default;
};

struct GraphRow {
    std::string id;
    int column = 0;  // where the changeset's dot is
    int color = 0;   // colour index of the dot, from 1
    std::vector<GraphEdge> edges;
    int width = 0;  // number of columns used by this row and the edges below it
};

// Lays out changesets given newest first (children before parents, as walk_log yields them) the
// way Mercurial's graphmod does and Kallithea's changelog draws: one lane per open line of
// history. Parents that are not in the list keep their lane open to the bottom of the page. A
// parent listed before its child (clock skew) does not break the layout; its lane stays open.
std::vector<GraphRow> graph_layout(const std::vector<ChangesetInfo>& changesets);

}  // namespace kallithea::vcs
