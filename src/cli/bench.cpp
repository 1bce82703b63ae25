#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>

#include "bench/bench.hpp"
#include "bench/engine_process.hpp"
#include "bench/http_client_curl.hpp"
#include "bench/progress.hpp"
#include "cli/app.hpp"
#include "cli/context.hpp"
#include "store/merge.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace sitegen::cli {

namespace {

namespace fs = std::filesystem;

constexpr int k_exit_interrupted = 130;

struct BenchCliOptions {
  bench::BenchOptions bench;
  std::string out, into;
  std::string serve_cmd;
  double ready_timeout_s = 600;
};

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop.store(true); }

// SIGINT/SIGTERM set the stop flag for the length of a run; the old handlers come back after.
class SignalGuard {
 public:
  SignalGuard() {
    g_stop.store(false);
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &m_old_int);
    sigaction(SIGTERM, &sa, &m_old_term);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &m_old_int, nullptr);
    sigaction(SIGTERM, &m_old_term, nullptr);
  }

 private:
  struct sigaction m_old_int {}, m_old_term {};
};

std::string quoted_command(const std::vector<std::string>& argv) {
  std::vector<std::string> parts;
  for (const std::string& a : argv) {
    const bool plain = !a.empty() && a.find_first_of(" \t\"'$\\`*?;&|<>()") == std::string::npos;
    parts.push_back(plain ? a : "'" + a + "'");
  }
  return strings::join(parts, " ");
}

// Writes the report where asked and returns its path; the engine log goes beside it.
fs::path write_report(const model::Report& report, const BenchCliOptions& o) {
  if (!o.out.empty()) {
    files::write_atomic(o.out, model::dump(report));
    return o.out;
  }
  const store::MergeSummary summary = store::merge_reports({{report, "sitegen bench"}}, o.into);
  if (summary.outcomes.empty()) throw Error(o.into + ": the report was not written");
  const store::MergeOutcome& outcome = summary.outcomes.front();
  if (!summary.ok()) throw Error(outcome.message);
  return outcome.path;  // already under o.into
}

void run_bench_cli(BenchCliOptions& o, Context& ctx) {
  if (o.out.empty() == o.into.empty()) {
    ctx.exit_code = k_exit_usage;
    throw Error("give exactly one of --out FILE (a report.json) or --into DIR (a results tree)");
  }
  o.bench.command = quoted_command(ctx.argv);
  bench::check_options(o.bench);
  SignalGuard signals;

  // The engine's log is written beside the report; with --into the report's directory is known
  // only at the end, so the log starts in the tree's root and moves there.
  std::unique_ptr<bench::EngineProcess> engine;
  fs::path engine_log;
  if (!o.serve_cmd.empty()) {
    engine_log = !o.out.empty() ? fs::path(o.out).parent_path() / "engine.log" : fs::path(o.into) / "engine.log";
    if (engine_log.parent_path().empty()) engine_log = "engine.log";
    ctx.err << "starting the engine: " << o.serve_cmd << " (log: " << engine_log.string() << ")\n";
    engine = std::make_unique<bench::EngineProcess>(o.serve_cmd, engine_log);
    engine->wait_ready(o.bench.base_url, o.ready_timeout_s, &g_stop);
    ctx.err << "the engine is ready\n";
  }

  const bool live = &ctx.err == &std::cerr && isatty(STDERR_FILENO);
  bench::ProgressPrinter progress(ctx.err, live);
  const std::vector<bench::Level> levels = bench::parse_sweep(o.bench.max_concurrency, o.bench.request_rate);
  long long most = 1;
  for (const bench::Level& l : levels) most = std::max(most, l.concurrency.value_or(o.bench.num_prompts));
  bench::CurlClient client(static_cast<std::size_t>(most));
  bench::BenchIo io{client, &g_stop, [&progress](const bench::Progress& p) { progress(p); }, &ctx.err, true};
  const model::Report report = bench::run_bench(o.bench, io);
  progress.finish();
  if (engine) engine->stop();

  const fs::path written = write_report(report, o);
  if (engine && !o.into.empty() && fs::exists(engine_log)) {
    std::error_code ec;
    fs::rename(engine_log, written.parent_path() / "engine.log", ec);
  }
  ctx.out << "wrote " << written.string() << " (" << report.points.size() << " point(s), "
          << report.completed_requests() << " requests completed, status " << report.status << ")\n";
  if (report.status != "complete") ctx.exit_code = k_exit_interrupted;
}

}  // namespace

void add_bench(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<BenchCliOptions>();
  bench::BenchOptions& b = o->bench;
  CLI::App* sub = app.add_subcommand("bench", "Benchmark an OpenAI-compatible streaming server into a report.json");
  sub->add_option("--base-url", b.base_url, "Server root, e.g. http://127.0.0.1:8000")->capture_default_str();
  sub->add_option("--endpoint", b.endpoint, "/v1/completions or /v1/chat/completions")->capture_default_str();
  sub->add_option("--model", b.model, "Model name to request (default: the first in /v1/models)");
  sub->add_option("--max-concurrency", b.max_concurrency, "Closed-loop sweep, e.g. 1,4,16,64 (with --request-rate: one cap)");
  sub->add_option("--request-rate", b.request_rate, "Open-loop sweep in requests/s, e.g. 2,8,inf");
  sub->add_option("--burstiness", b.burstiness, "Gamma shape of inter-arrival gaps (1 = Poisson)")->capture_default_str();
  sub->add_option("--num-prompts", b.num_prompts, "Measured requests per level")->capture_default_str();
  sub->add_option("--num-warmups", b.num_warmups, "Warmup requests per level, excluded")->capture_default_str();
  sub->add_option("--dataset-name", b.dataset.name, "random, sharegpt or jsonl")->capture_default_str();
  sub->add_option("--dataset-path", b.dataset.path, "ShareGPT JSON or JSON lines of {\"prompt\", \"output_len\"?}");
  sub->add_option("--random-input-len", b.dataset.random_input_len, "Prompt words per random request")->capture_default_str();
  sub->add_option("--random-output-len", b.dataset.random_output_len, "max_tokens per request")->capture_default_str();
  sub->add_flag("--ignore-eos", b.ignore_eos, "Ask the server to ignore EOS (always on for random)");
  sub->add_flag("--continuous-usage", b.continuous_usage, "Ask for per-chunk usage (continuous_usage_stats)");
  sub->add_option("--seed", b.dataset.seed, "Seed for prompts and arrivals")->capture_default_str();
  sub->add_option("--goodput", b.goodput, "SLOs in ms: ttft:500 tpot:50 e2el:10000");
  sub->add_option("--timeout", b.timeout_s, "Per-request timeout in seconds")->capture_default_str();
  sub->add_option("--header", b.headers, "Extra request header 'Name: value' (repeatable)");
  sub->add_option("--set", b.sets, "Report field override PATH=VALUE, e.g. system.gpu.model=H100 (repeatable)");
  sub->add_option("--benchmark", b.benchmark, "workload.benchmark name")->capture_default_str();
  sub->add_flag("--telemetry", b.telemetry, "Sample GPU power/memory/utilisation with nvidia-smi during each level");
  sub->add_option("--serve-cmd", o->serve_cmd, "Start this engine first, wait for it, stop it after");
  sub->add_option("--ready-timeout", o->ready_timeout_s, "Seconds to wait for --serve-cmd to answer")->capture_default_str();
  sub->add_option("--out", o->out, "Write the report to this file");
  sub->add_option("--into", o->into, "Merge the report into this results tree");
  sub->callback([o, &ctx] { run_bench_cli(*o, ctx); });
}

}  // namespace sitegen::cli
