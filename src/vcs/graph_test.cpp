// Tests of the changelog graph layout.
#include "vcs/graph.hpp"

#include <gtest/gtest.h>

namespace kallithea::vcs {
namespace {

ChangesetInfo cs(std::string id, std::vector<std::string> parents) {
    ChangesetInfo info;
    info.id = std::move(id);
    info.parents = std::move(parents);
    return info;
}

TEST(Graph, EmptyInput) {
    EXPECT_TRUE(graph_layout({}).empty());
}

TEST(Graph, LinearHistoryIsOneColumn) {
    auto rows = graph_layout({cs("c", {"b"}), cs("b", {"a"}), cs("a", {})});
    ASSERT_EQ(rows.size(), 3u);
    for (const auto& row : rows) {
        EXPECT_EQ(row.column, 0);
        EXPECT_EQ(row.color, 1);
        EXPECT_EQ(row.width, 1);
    }
    EXPECT_EQ(rows[0].edges, (std::vector<GraphEdge>{{0, 0, 1}}));
    EXPECT_EQ(rows[1].edges, (std::vector<GraphEdge>{{0, 0, 1}}));
    EXPECT_TRUE(rows[2].edges.empty());  // root: nothing below
}

TEST(Graph, MergeOpensAndClosesASecondLane) {
    // m merges f (feature) into c; both come from a.
    auto rows = graph_layout({cs("m", {"c", "f"}), cs("f", {"a"}), cs("c", {"a"}), cs("a", {})});
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].column, 0);
    EXPECT_EQ(rows[0].edges, (std::vector<GraphEdge>{{0, 0, 1}, {0, 1, 1}}));
    EXPECT_EQ(rows[0].width, 2);
    // f sits in the second lane with a new colour, heading to a.
    EXPECT_EQ(rows[1].column, 1);
    EXPECT_EQ(rows[1].color, 2);
    EXPECT_EQ(rows[1].edges, (std::vector<GraphEdge>{{0, 0, 1}, {1, 1, 2}}));
    // c: both lanes now lead to a, which is found in lane 0; lane 1 joins it.
    EXPECT_EQ(rows[2].column, 0);
    EXPECT_EQ(rows[2].edges, (std::vector<GraphEdge>{{0, 0, 1}, {1, 0, 2}}));
    EXPECT_EQ(rows[3].column, 0);
    EXPECT_EQ(rows[3].width, 1);
    EXPECT_TRUE(rows[3].edges.empty());
}

TEST(Graph, TwoHeadsGetTwoColumns) {
    auto rows = graph_layout({cs("x", {"a"}), cs("y", {"a"}), cs("a", {})});
    EXPECT_EQ(rows[0].column, 0);
    EXPECT_EQ(rows[1].column, 1);
    EXPECT_NE(rows[0].color, rows[1].color);
    EXPECT_EQ(rows[1].edges, (std::vector<GraphEdge>{{0, 0, 1}, {1, 0, 2}}));
    EXPECT_EQ(rows[2].column, 0);
}

TEST(Graph, ParentsOutsideThePageKeepTheirLanesOpen) {
    auto rows = graph_layout({cs("m", {"p1", "p2"})});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].edges, (std::vector<GraphEdge>{{0, 0, 1}, {0, 1, 1}}));
    EXPECT_EQ(rows[0].width, 2);
}

TEST(Graph, OctopusMerge) {
    auto rows = graph_layout({cs("m", {"a", "b", "c"}), cs("a", {}), cs("b", {}), cs("c", {})});
    EXPECT_EQ(rows[0].edges.size(), 3u);
    EXPECT_EQ(rows[0].width, 3);
    EXPECT_EQ(rows[1].column, 0);
    EXPECT_EQ(rows[2].column, 0);  // a's lane closed, b moved left
    EXPECT_EQ(rows[3].column, 0);
}

TEST(Graph, ParentListedBeforeItsChildDoesNotBreak) {
    // Clock skew: a listed before its child b.
    auto rows = graph_layout({cs("c", {"a", "b"}), cs("a", {}), cs("b", {"a"})});
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[2].column, 0);
    // b's edge points at a lane that stays open below the page.
    ASSERT_EQ(rows[2].edges.size(), 1u);
    EXPECT_GE(rows[2].edges[0].to, 0);
}

TEST(Graph, DuplicateParentIsDrawnOnce) {
    auto rows = graph_layout({cs("m", {"a", "a"}), cs("a", {})});
    EXPECT_EQ(rows[0].width, 1);
    EXPECT_EQ(rows[1].column, 0);
}

}  // namespace
}  // namespace kallithea::vcs
