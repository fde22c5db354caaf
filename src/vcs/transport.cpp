// The VCS-neutral helpers of the wire-protocol interface.
#include "vcs/transport.hpp"

namespace kallithea::vcs {

bool is_null_id(std::string_view id) {
    return !id.empty() && id.find_first_not_of('0') == std::string_view::npos;
}

}  // namespace kallithea::vcs
