#pragma once
// Markdown to HTML with cmark-gfm: the only file that touches cmark-gfm.

#include <string>
#include <string_view>

namespace sitegen::site {

// GitHub-flavoured markdown (tables, autolinks, strikethrough, task lists) rendered to HTML in
// safe mode: raw HTML blocks and inline HTML are dropped and javascript:/vbscript:/data: links
// are emptied, so text from a results tree can never run script. Never throws for any input.
std::string render_markdown(std::string_view markdown);

}  // namespace sitegen::site
