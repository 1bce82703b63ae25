#include "util/embedded.hpp"

namespace sitegen::embedded {

std::optional<std::string_view> find(std::string_view path) {
  for (const File& file : files()) {
    if (file.path == path) return file.content;
  }
  return std::nullopt;
}

}  // namespace sitegen::embedded
