#include "cli/app.hpp"

#include <iostream>

#include "cli/context.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace sitegen::cli {

namespace {

std::vector<std::string> subcommand_names(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
  }
  return names;
}

// ninja-style spellcheck: "did you mean 'build'?" for a mistyped subcommand or option.
std::string suggestion(CLI::App& app, const std::vector<std::string>& args) {
  if (args.size() < 2) return "";
  const std::vector<std::string> subs = subcommand_names(app);
  const std::string& first = args[1];
  if (first.rfind("-", 0) != 0 && std::find(subs.begin(), subs.end(), first) == subs.end()) {
    const std::string close = strings::closest(first, subs);
    return close.empty() ? "" : " (did you mean '" + close + "'?)";
  }
  for (CLI::App* sub : app.get_subcommands()) {
    const std::vector<std::string> options = option_names(*sub);
    for (const std::string& extra : sub->remaining()) {
      if (extra.rfind("--", 0) != 0) continue;
      const std::string name = extra.substr(0, extra.find('='));
      const std::string close = strings::closest(name, options);
      if (!close.empty()) return " (did you mean '" + close + "'?)";
    }
  }
  return "";
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Context ctx{out, err, k_exit_ok, args};
  CLI::App app{"sitegen: LLM-serving benchmarks to a published static site with cost economics",
               "sitegen"};
  app.set_version_flag("--version", std::string("sitegen ") + SITEGEN_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  add_validate(app, ctx);
  add_build(app, ctx);
  add_import(app, ctx);
  add_merge(app, ctx);
  add_list(app, ctx);
  add_prune(app, ctx);
  add_migrate(app, ctx);
  add_cost(app, ctx);
  add_bench(app, ctx);
  add_sim_server(app, ctx);
  add_compare(app, ctx);

  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return k_exit_ok;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return k_exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << "sitegen " << SITEGEN_VERSION << "\n";
    return k_exit_ok;
  } catch (const CLI::ParseError& e) {
    const std::vector<std::string> subs = subcommand_names(app);
    if (args.size() > 1 && args[1].rfind("-", 0) != 0 &&
        std::find(subs.begin(), subs.end(), args[1]) == subs.end()) {
      err << "sitegen: error: unknown subcommand '" << args[1] << "'" << suggestion(app, args) << "\n";
      return k_exit_usage;
    }
    err << "sitegen: error: " << e.what() << suggestion(app, args) << "\n"
        << "Run 'sitegen --help' for the subcommands and 'sitegen <subcommand> --help' for their flags.\n";
    return k_exit_usage;
  } catch (const Error& e) {
    err << "sitegen: error: " << e.what() << "\n";
    return ctx.exit_code != k_exit_ok ? ctx.exit_code : k_exit_failed;
  } catch (const std::exception& e) {
    err << "sitegen: error: internal: " << e.what() << "\n";
    return k_exit_failed;
  }
  return ctx.exit_code;
}

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return run(args, std::cout, std::cerr);
}

}  // namespace sitegen::cli
