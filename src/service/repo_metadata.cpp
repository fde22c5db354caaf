// Placeholder until the push processing lands: does nothing yet.
#include "service/repo_metadata.hpp"

namespace kallithea::service {

Status update_repository_metadata(App&, std::string_view) {
    return ok();
}

}  // namespace kallithea::service
