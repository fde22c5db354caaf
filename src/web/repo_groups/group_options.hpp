// The repository-group <select> of the repository and repository-group forms.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "service/repos/repos.hpp"
#include "web/view.hpp"

namespace kallithea::web {

// One View an option: id, name, selected (the group `selected`).
std::vector<View> group_options(const std::vector<service::GroupChoice>& groups,
                                std::optional<int64_t> selected);

}  // namespace kallithea::web
