#pragma once
// Files compiled into the binary at build time (templates/, the stylesheet, site/schema/).

#include <optional>
#include <string_view>
#include <vector>

namespace sitegen::embedded {

struct File {
  std::string_view path;     // relative to the source root, e.g. "templates/index.mustache"
  std::string_view content;  // the bytes of the file
};

// Every embedded file, sorted by path.
const std::vector<File>& files();

// The content of one embedded file, or nullopt when no file has that path.
std::optional<std::string_view> find(std::string_view path);

}  // namespace sitegen::embedded
