#include "site/markdown.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

namespace sitegen::site {

namespace {

// tagfilter also escapes <script>, <iframe>, ... should a later change ever turn off safe mode.
constexpr const char* k_extensions[] = {"table", "autolink", "strikethrough", "tasklist", "tagfilter"};

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

}  // namespace

std::string render_markdown(std::string_view markdown) {
  // cmark-gfm keeps global state: the extension registry, and the table of special inline
  // characters that attaching an extension (strikethrough's '~') adds to and freeing a parser
  // removes from. Parsers on two threads at once race on it (seen: "~~x~~" left unrendered), so
  // one document is rendered at a time; pages are rendered in parallel around this.
  static std::mutex one_at_a_time;
  std::lock_guard lock(one_at_a_time);
  cmark_gfm_core_extensions_ensure_registered();
  // CMARK_OPT_UNSAFE is deliberately absent: without it raw HTML is replaced by a comment.
  const int options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
  for (const char* name : k_extensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> doc(cmark_parser_finish(parser.get()));
  char* html = cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out = html ? html : "";
  std::free(html);
  return out;
}

}  // namespace sitegen::site
