#include "bench/bench.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>

#include "bench/metrics.hpp"
#include "bench/provenance.hpp"
#include "bench/schedule.hpp"
#include "bench/telemetry.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace sitegen::bench {

using model::Json;

void check_options(const BenchOptions& o) {
  parse_sweep(o.max_concurrency, o.request_rate);
  parse_slo(o.goodput);
  if (o.endpoint != "/v1/completions" && o.endpoint != "/v1/chat/completions")
    throw Error("--endpoint: expected /v1/completions or /v1/chat/completions, got '" + o.endpoint + "'");
  if (o.base_url.rfind("http://", 0) != 0 && o.base_url.rfind("https://", 0) != 0)
    throw Error("--base-url: expected http://HOST:PORT, got '" + o.base_url + "'");
  if (o.num_prompts < 1) throw Error("--num-prompts must be >= 1");
  if (o.num_warmups < 0) throw Error("--num-warmups must be >= 0");
  if (!(o.timeout_s > 0)) throw Error("--timeout must be > 0 seconds");
  if (!(o.burstiness > 0) || std::isinf(o.burstiness)) throw Error("--burstiness must be a finite number > 0");
}

std::string request_body(const BenchOptions& o, const std::string& model, const Prompt& prompt) {
  Json body = Json::object();
  body["model"] = model;
  if (o.endpoint == "/v1/chat/completions") {
    body["messages"] = Json::array({Json{{"role", "user"}, {"content", prompt.text}}});
    body["max_completion_tokens"] = prompt.output_len;
  } else {
    body["prompt"] = prompt.text;
    body["max_tokens"] = prompt.output_len;
  }
  body["stream"] = true;
  body["stream_options"] = Json{{"include_usage", true}};
  if (o.continuous_usage) body["stream_options"]["continuous_usage_stats"] = true;
  if (o.ignore_eos || o.dataset.name == "random") body["ignore_eos"] = true;
  return body.dump();
}

namespace {

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

// Everything in the report that does not come from the measurements.
model::Report describe(const BenchOptions& o, const ServerInfo& server, const std::string& model_id, long long started) {
  model::Report r;
  model::Provenance& p = r.provenance;
  p.tool = "sitegen";
  p.tool_version = SITEGEN_VERSION;
  p.run_id = run_id_for(started);
  p.started_at = iso_utc(started);
  p.command = o.command;
  p.target = server.simulator ? "sitegen sim-server" : o.base_url;
  if (server.simulator) p.notes = "Measured against sitegen's simulated engine (sim-server), not a real GPU.";
  apply_ci_environment(p, [](const char* name) -> const char* { return std::getenv(name); });
  p.extra["base_url"] = o.base_url;
  // How receipt times were taken (CurlClient's default stamp), so a reader knows what TTFT and ITL
  // measure from the client's side.
  p.extra["receipt_timestamps"] =
      "the kernel's receive time of each chunk's bytes (SO_TIMESTAMPNS), on CLOCK_MONOTONIC; where the kernel "
      "gave none or more bytes arrived after the socket was checked, the clock when epoll_wait returned or in "
      "curl's write callback (later, never earlier)";
  if (!server.version.empty()) p.extra["server_version"] = server.version;
  if (!server.models_raw.is_null()) p.extra["models"] = server.models;

  model::System& s = r.system;
  s.host = hostname();
  s.model.id = model_id;
  if (server.simulator) {
    s.engine.name = "sitegen-sim";
    s.engine.version = server.version;
  } else {
    s.engine.version = server.version;
    if (const std::optional<GpuInventory> gpus = query_gpus()) {
      s.gpu.model = gpus->model;
      s.gpu.count = gpus->count;
      s.gpu.memory_gb = gpus->memory_gb;
      s.gpu.driver = gpus->driver;
    }
  }

  model::Workload& w = r.workload;
  w.benchmark = o.benchmark;
  w.dataset = o.dataset.name;
  w.endpoint = o.endpoint;
  if (o.dataset.name == "random") {
    w.input_len = o.dataset.random_input_len;
    w.output_len = o.dataset.random_output_len;
  }
  w.arrival = o.request_rate.empty() ? "concurrency" : "rate";
  w.num_prompts = o.num_prompts;
  w.num_warmups = o.num_warmups;
  const Slo slo = parse_slo(o.goodput);
  w.slo_ttft_ms = slo.ttft_ms;
  w.slo_tpot_ms = slo.tpot_ms;
  if (slo.e2el_ms) w.extra["slo_e2el_ms"] = *slo.e2el_ms;
  w.extra["seed"] = o.dataset.seed;
  w.extra["ignore_eos"] = o.ignore_eos || o.dataset.name == "random";
  w.extra["timeout_s"] = o.timeout_s;
  if (!o.request_rate.empty()) {
    w.extra["burstiness"] = o.burstiness;
    w.extra["arrivals"] = "gamma inter-arrival gaps from the seed, rescaled so the last arrival is at num_prompts/rate (as vLLM)";
  }
  if (!o.dataset.path.empty()) w.extra["dataset_path"] = o.dataset.path;
  return r;
}

void log_level(std::ostream* log, const Level& level, const model::Point& p) {
  if (!log) return;
  *log << level.label() << ": " << p.completed.value_or(0) << " completed, " << p.failed.value_or(0) << " failed";
  for (const auto& [kind, n] : p.errors) *log << " (" << kind << " " << n << ")";
  *log << ", " << format::fixed(p.duration_s.value_or(0), 2) << " s";
  if (p.output_throughput_tps) *log << ", " << format::fixed(*p.output_throughput_tps, 1) << " output tok/s";
  if (const auto ttft = p.ttft_ms.percentile(50)) *log << ", median TTFT " << format::fixed(*ttft, 2) << " ms";
  if (const auto tpot = p.tpot_ms.percentile(50)) *log << ", median TPOT " << format::fixed(*tpot, 2) << " ms";
  *log << "\n";
}

}  // namespace

model::Report run_bench(const BenchOptions& o, BenchIo& io) {
  check_options(o);
  const std::vector<Level> levels = parse_sweep(o.max_concurrency, o.request_rate);
  const Slo slo = parse_slo(o.goodput);
  const long long started = unix_now();

  ServerInfo server;
  if (io.query_server) server = query_server(o.base_url, std::min(o.timeout_s, 30.0));
  std::string model_id = o.model;
  if (model_id.empty()) {
    if (server.models.empty()) throw Error(o.base_url + "/v1/models lists no model; name one with --model");
    model_id = server.models.front();
  }

  const std::vector<Prompt> prompts =
      load_prompts(o.dataset, static_cast<std::size_t>(o.num_prompts + o.num_warmups));
  std::vector<RequestSpec> warmups, requests;
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    RequestSpec spec{request_body(o, model_id, prompts[i]), prompts[i].input_len};
    (i < static_cast<std::size_t>(o.num_warmups) ? warmups : requests).push_back(std::move(spec));
  }

  model::Report report = describe(o, server, model_id, started);
  RunnerConfig config;
  config.url = o.base_url + o.endpoint;
  config.headers = o.headers;
  if (const char* key = std::getenv("OPENAI_API_KEY"); key && *key)
    config.headers.push_back(std::string("Authorization: Bearer ") + key);
  config.timeout_s = o.timeout_s;
  config.burstiness = o.burstiness;
  config.seed = o.dataset.seed;
  config.stop = io.stop;
  config.on_progress = io.on_progress;
  config.level_count = levels.size();

  for (std::size_t i = 0; i < levels.size(); ++i) {
    config.level_index = i;
    GpuSampler sampler;
    if (o.telemetry) sampler.start();
    const LevelRun run = run_level(io.client, config, levels[i], requests, warmups);
    const std::string samples = o.telemetry ? sampler.stop() : "";
    model::Point point = make_point(run, slo);
    if (o.telemetry) {
      point.telemetry = summarize_gpu_samples(samples, point.duration_s.value_or(0),
                                              point.input_tokens.value_or(0) + point.output_tokens.value_or(0));
    }
    log_level(io.log, levels[i], point);
    report.points.push_back(std::move(point));
    if (run.interrupted) {
      report.status = "incomplete";
      report.status_detail = "stopped by a signal during level " + levels[i].label() + " (" +
                             std::to_string(i + 1) + " of " + std::to_string(levels.size()) + ")";
      break;
    }
  }
  report.provenance.ended_at = iso_utc(unix_now());
  return apply_overrides(report, o.sets);
}

}  // namespace sitegen::bench
