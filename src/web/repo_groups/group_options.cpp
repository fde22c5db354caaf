// The repository-group <select> options.
#include "web/repo_groups/group_options.hpp"

#include <string>

namespace kallithea::web {

std::vector<View> group_options(const std::vector<service::GroupChoice>& groups,
                                std::optional<int64_t> selected) {
    std::vector<View> out;
    for (const auto& group : groups) {
        View option;
        option.set("id", std::to_string(group.group_id))
            .set("name", group.name)
            .set("selected", selected == group.group_id);
        out.push_back(std::move(option));
    }
    return out;
}

}  // namespace kallithea::web
