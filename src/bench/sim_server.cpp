#include "bench/sim_server.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <ctime>
#include <deque>
#include <optional>
#include <random>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "bench/http_server.hpp"
#include "bench/sim_format.hpp"
#include "model/json_io.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace sitegen::bench {

namespace {

using json = nlohmann::json;

constexpr std::string_view k_json = "application/json";
constexpr std::string_view k_sse = "text/event-stream; charset=utf-8";

// A request the API refuses, answered as an OpenAI-style error object.
struct ApiError {
  int status = 400;
  std::string type = "BadRequestError";
  std::string message;
};

ApiError bad_request(std::string message) { return ApiError{400, "BadRequestError", std::move(message)}; }

// What a generation request asks for, once validated.
struct Generation {
  SimEndpoint endpoint = SimEndpoint::completions;
  int prompt_tokens = 0;
  std::optional<int> max_tokens;
  bool stream = false;
  bool include_usage = false;
  bool continuous_usage = false;
  bool ignore_eos = false;
};

std::optional<bool> get_bool(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw bad_request(std::string("'") + key + "' must be true or false");
  return it->get<bool>();
}

std::optional<int> get_positive_int(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 1'000'000'000) {
    throw bad_request(std::string("'") + key + "' must be a positive integer");
  }
  return static_cast<int>(it->get<long long>());
}

bool is_token_ids(const json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const json& t : v) {
    if (!t.is_number_integer()) return false;
  }
  return true;
}

// Completions prompt: a string, a list of token ids, or a list holding one of those.
int completion_prompt_tokens(const json& body) {
  auto it = body.find("prompt");
  if (it == body.end() || it->is_null()) throw bad_request("'prompt' is required");
  const json* prompt = &*it;
  if (prompt->is_array() && prompt->size() == 1 && ((*prompt)[0].is_string() || (*prompt)[0].is_array())) {
    prompt = &(*prompt)[0];
  } else if (prompt->is_array() && !prompt->empty() && !is_token_ids(*prompt)) {
    throw bad_request("'prompt' with several prompts is not supported by sim-server; send one request per prompt");
  }
  if (prompt->is_string()) {
    if (prompt->get_ref<const std::string&>().empty()) throw bad_request("The prompt cannot be empty");
    return estimate_tokens(prompt->get_ref<const std::string&>());
  }
  if (is_token_ids(*prompt)) return static_cast<int>(prompt->size());
  throw bad_request("'prompt' must be a string or a list of token ids");
}

// Chat prompt: the text of every message (string content or "text" parts), estimated.
int chat_prompt_tokens(const json& body) {
  auto it = body.find("messages");
  if (it == body.end() || !it->is_array() || it->empty()) throw bad_request("'messages' must be a non-empty list");
  int tokens = 0;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& m = (*it)[i];
    const std::string where = "'messages[" + std::to_string(i) + "]'";
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      throw bad_request(where + " must be an object with a 'role'");
    }
    const json content = m.value("content", json());
    if (content.is_string()) {
      tokens += estimate_tokens(content.get_ref<const std::string&>());
    } else if (content.is_array()) {
      for (const json& part : content) {
        if (part.is_object() && part.contains("type") && part["type"] == "text" && part.contains("text") && part["text"].is_string()) {
          tokens += estimate_tokens(part["text"].get_ref<const std::string&>());
        }
      }
    } else if (!content.is_null()) {
      throw bad_request(where + ": 'content' must be a string or a list of parts");
    }
  }
  return std::max(tokens, 1);
}

Generation parse_generation(const HttpRequest& request, SimEndpoint endpoint, const SimOptions& options) {
  json body;
  if (const std::string deep = model::nesting_problem(request.body); !deep.empty()) {
    throw bad_request("request body: " + deep);
  }
  try {
    body = json::parse(request.body);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
    throw bad_request(std::string("request body is not valid JSON: ") + e.what());
  }
  if (!body.is_object()) throw bad_request("request body must be a JSON object");
  if (auto it = body.find("model"); it != body.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>() != options.model) {
      throw ApiError{404, "NotFoundError", "The model `" + (it->is_string() ? it->get<std::string>() : it->dump()) +
                                               "` does not exist. This sim-server serves `" + options.model + "`."};
    }
  }
  if (auto n = get_positive_int(body, "n"); n && *n != 1) throw bad_request("sim-server supports n=1 only");
  Generation g;
  g.endpoint = endpoint;
  g.prompt_tokens = endpoint == SimEndpoint::chat ? chat_prompt_tokens(body) : completion_prompt_tokens(body);
  g.max_tokens = get_positive_int(body, "max_tokens");
  if (endpoint == SimEndpoint::chat) {
    if (auto m = get_positive_int(body, "max_completion_tokens")) g.max_tokens = m;
  }
  g.stream = get_bool(body, "stream").value_or(false);
  g.ignore_eos = get_bool(body, "ignore_eos").value_or(false);
  if (auto it = body.find("stream_options"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) throw bad_request("'stream_options' must be an object");
    if (!g.stream) throw bad_request("Stream options can only be defined when `stream=True`.");
    g.include_usage = get_bool(*it, "include_usage").value_or(true);
    g.continuous_usage = get_bool(*it, "continuous_usage_stats").value_or(false);
  }
  const int limit = options.engine.max_model_len;
  if (g.prompt_tokens >= limit) {
    throw bad_request("This model's maximum context length is " + std::to_string(limit) + " tokens. However, your request has " +
                      std::to_string(g.prompt_tokens) + " input tokens. Please reduce the length of the input messages.");
  }
  if (g.max_tokens && std::int64_t(*g.max_tokens) + g.prompt_tokens > limit) {
    throw bad_request("This model's maximum context length is " + std::to_string(limit) + " tokens. However, you requested " +
                      std::to_string(*g.max_tokens + g.prompt_tokens) + " tokens (" + std::to_string(g.prompt_tokens) +
                      " in the messages, " + std::to_string(*g.max_tokens) +
                      " in the completion). Please reduce the length of the messages or completion.");
  }
  return g;
}

enum class Fault { none, drop, stall, malformed, error_event };

// One request in the engine.
struct Active {
  ConnId conn = 0;
  SimStream stream;
  std::uint64_t number = 0;  // the request's number, which seeds its text
  bool streaming = false;
  std::string finish_reason;
  Fault fault = Fault::none;
  int fault_at = 0;   // the emission (1-based) the fault replaces or precedes
  int emissions = 0;
};

struct Counters {
  std::atomic<std::uint64_t> requests{0}, generations{0}, completed{0}, rejected{0}, disconnected{0};
  std::atomic<std::uint64_t> fault_5xx{0}, fault_drop{0}, fault_stall{0}, fault_malformed{0}, fault_error_event{0},
      fault_no_response{0}, fault_close{0};
};

double unit(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

}  // namespace

void check_sim_options(const SimOptions& o) {
  check_engine_config(o.engine);
  const std::pair<const char*, double> rates[] = {
      {"--fault-drop-rate", o.faults.drop_rate},     {"--fault-stall-rate", o.faults.stall_rate},
      {"--fault-5xx-rate", o.faults.http_5xx_rate},  {"--fault-malformed-rate", o.faults.malformed_rate},
      {"--fault-error-event-rate", o.faults.error_event_rate}};
  for (const auto& [flag, rate] : rates) {
    if (!(rate >= 0 && rate <= 1)) throw Error(std::string(flag) + ": " + format::shortest(rate) + " is not a rate between 0 and 1");
  }
  if (o.model.empty()) throw Error("--model: the served model name cannot be empty");
  if (o.eos_after < 0) throw Error("--eos-after: expected 0 (never) or a positive number of tokens");
}

struct SimServer::Impl : HttpHandler {
  SimOptions options;
  SimEngine engine;
  HttpServer http;
  std::mt19937_64 fault_rng;
  std::uint64_t next_number = 0;
  std::unordered_map<std::uint64_t, Active> active;  // by request number (the engine's id)
  std::unordered_map<ConnId, std::uint64_t> by_conn;
  std::int64_t wake = -1;
  Counters counters;
  // With --stagger, a step's emissions wait here, each with its due time, spread over the next step.
  std::deque<std::pair<std::int64_t, Emission>> staggered;

  explicit Impl(SimOptions o)
      : options(std::move(o)), engine(options.engine), http(HttpServerOptions{options.host, options.port, {}, 16 << 20,
                                                                              std::string("sitegen-sim/") + SITEGEN_VERSION,
                                                                              HttpServerOptions{}.header_timeout_ms},
                                                             *this),
        fault_rng(options.faults.seed) {}

  void reject(ConnId conn, const ApiError& e) {
    ++counters.rejected;
    http.respond(conn, e.status, k_json, sim_error_json(e.message, e.type, e.status));
  }

  void on_request(HttpServer&, ConnId conn, HttpRequest request) override {
    ++counters.requests;
    const std::string_view path = request.path();
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (path == "/v1/completions" || path == "/v1/chat/completions") {
      if (!post) return reject(conn, ApiError{405, "MethodNotAllowed", "Method Not Allowed: use POST " + std::string(path)});
      return generate(conn, request, path == "/v1/chat/completions" ? SimEndpoint::chat : SimEndpoint::completions);
    }
    if (path == "/health" || path == "/version" || path == "/v1/models") {
      if (!get) return reject(conn, ApiError{405, "MethodNotAllowed", "Method Not Allowed: use GET " + std::string(path)});
      if (path == "/health") {
        http.respond(conn, 200, "", "");
      } else if (path == "/version") {
        http.respond(conn, 200, k_json, std::string(R"({"version":"sitegen-sim )") + SITEGEN_VERSION + "\"}");
      } else {
        http.respond(conn, 200, k_json, sim_models_json(options.model, std::time(nullptr), options.engine.max_model_len));
      }
      return;
    }
    reject(conn, ApiError{404, "NotFoundError", "Not Found: " + request.method + " " + std::string(path)});
  }

  // Draws this request's fault (precedence: 5xx, drop, stall, error event, malformed) and where
  // in its stream it strikes: a uniform emission, after the first when there are two or more.
  Fault plan_fault(int emissions, int& fault_at, int& status_5xx) {
    const FaultConfig& f = options.faults;
    const double u5xx = unit(fault_rng), udrop = unit(fault_rng), ustall = unit(fault_rng), uerr = unit(fault_rng),
                 umal = unit(fault_rng), upos = unit(fault_rng), ucode = unit(fault_rng);
    status_5xx = u5xx < f.http_5xx_rate ? (ucode < 0.5 ? 500 : 503) : 0;
    const int lo = std::min(2, emissions);
    fault_at = std::min(emissions, lo + int(upos * double(emissions - lo + 1)));
    if (udrop < f.drop_rate) return Fault::drop;
    if (ustall < f.stall_rate) return Fault::stall;
    if (uerr < f.error_event_rate) return Fault::error_event;
    if (umal < f.malformed_rate) return Fault::malformed;
    return Fault::none;
  }

  void generate(ConnId conn, const HttpRequest& request, SimEndpoint endpoint) {
    if (options.faults.no_response) {
      ++counters.fault_no_response;
      return;  // the connection stays open, the request unanswered
    }
    if (options.faults.close_before_first_byte) {
      ++counters.fault_close;
      http.drop(conn);
      return;
    }
    Generation g;
    try {
      g = parse_generation(request, endpoint, options);
    } catch (const ApiError& e) {
      return reject(conn, e);
    }
    const int cap = g.max_tokens.value_or(options.engine.max_model_len - g.prompt_tokens);
    const bool eos = options.eos_after > 0 && !g.ignore_eos && options.eos_after < cap;
    const int target = eos ? options.eos_after : cap;
    const int tpc = options.engine.tokens_per_chunk;
    int fault_at = 0, status_5xx = 0;
    const Fault fault = plan_fault(1 + (target - 1 + tpc - 1) / tpc, fault_at, status_5xx);
    if (status_5xx) {
      ++counters.fault_5xx;
      const char* type = status_5xx == 500 ? "InternalServerError" : "ServiceUnavailableError";
      http.respond(conn, status_5xx, k_json,
                   sim_error_json("simulated server error (sim-server --fault-5xx-rate)", type, status_5xx));
      return;
    }
    const std::uint64_t number = next_number++;
    Active& a = active[number];
    a.conn = conn;
    a.number = number;
    a.streaming = g.stream;
    a.finish_reason = eos ? "stop" : "length";
    a.fault = fault;
    a.fault_at = fault_at;
    a.stream = SimStream{endpoint, sim_request_id(endpoint, options.seed, number), std::time(nullptr), options.model,
                         g.prompt_tokens, g.include_usage, g.continuous_usage};
    by_conn[conn] = number;
    ++counters.generations;
    if (g.stream) http.start_stream(conn, 200, k_sse);
    engine.submit(number, g.prompt_tokens, target, monotonic_ns());
    reschedule();
  }

  void reschedule() {
    std::int64_t next = engine.step_end().value_or(-1);
    if (!staggered.empty() && (next < 0 || staggered.front().first < next)) next = staggered.front().first;
    if (next != wake) http.wake_at(next);
    wake = next;
  }

  void forget(std::uint64_t number) {
    auto it = active.find(number);
    if (it == active.end()) return;
    engine.cancel(number);
    by_conn.erase(it->second.conn);
    active.erase(it);
  }

  // Applies a fault that ends the request. False for a malformed chunk in a stream, which goes on.
  bool apply_fault(Active& a) {
    const std::uint64_t number = a.number;
    switch (a.fault) {
      case Fault::drop:
        ++counters.fault_drop;
        http.drop(a.conn);
        break;
      case Fault::stall:
        ++counters.fault_stall;  // the connection stays open and silent until the client leaves
        break;
      case Fault::error_event: {
        ++counters.fault_error_event;
        const std::string message = "simulated engine error (sim-server --fault-error-event-rate)";
        if (a.streaming) {
          std::string buf;
          append_error_event(buf, message, "InternalServerError", 500, stamp());
          append_done(buf);
          if (http.send_chunk(a.conn, buf)) http.end_stream(a.conn);
        } else {
          http.respond(a.conn, 500, k_json, sim_error_json(message, "InternalServerError", 500));
        }
        break;
      }
      case Fault::malformed:
        ++counters.fault_malformed;
        if (a.streaming) return false;
        http.respond(a.conn, 200, k_json, R"({"id":")" + a.stream.id + R"(","object":"text_completion","choi)");
        break;
      case Fault::none:
        return false;
    }
    forget(number);
    return true;
  }

  std::optional<std::int64_t> stamp() const {
    return options.stamp ? std::optional<std::int64_t>(monotonic_ns()) : std::nullopt;
  }

  void emit(const Emission& e) {
    auto it = active.find(e.id);
    if (it == active.end()) return;
    Active& a = it->second;
    ++a.emissions;
    const bool fault_now = a.fault != Fault::none && a.emissions == a.fault_at;
    if (fault_now && apply_fault(a)) return;
    const std::string_view finish = e.finished ? std::string_view(a.finish_reason) : std::string_view();
    if (!a.streaming) {
      if (!e.finished) return;
      const std::string text = sim_text(options.seed, a.number, 0, e.generated);
      if (http.respond(a.conn, 200, k_json, sim_full_response(a.stream, text, e.generated, finish))) ++counters.completed;
      forget(a.number);
      return;
    }
    std::string buf;
    buf.reserve(512);
    const std::optional<std::int64_t> sent = stamp();
    if (fault_now) append_malformed_event(buf, a.stream);
    if (e.first && a.stream.endpoint == SimEndpoint::chat) append_role_event(buf, a.stream, sent);
    append_token_event(buf, a.stream, sim_text(options.seed, a.number, e.generated - e.tokens, e.generated), e.generated,
                       finish, sent);
    if (e.finished) {
      if (a.stream.include_usage) append_usage_event(buf, a.stream, e.generated, sent);
      append_done(buf);
    }
    if (!http.send_chunk(a.conn, buf)) {
      ++counters.disconnected;
      forget(a.number);
      return;
    }
    if (e.finished) {
      // Counted before the stream ends, so a client that has read the end sees the count.
      ++counters.completed;
      http.end_stream(a.conn);
      forget(a.number);
    }
  }

  void on_timer(HttpServer&, std::int64_t now_ns) override {
    wake = -1;
    const std::vector<Emission> out = engine.advance(now_ns);
    if (options.stagger) {
      // Due times only grow: this step's spread ends where the next step's starts.
      const std::int64_t span = engine.step_end() ? *engine.step_end() - now_ns : 0;
      const auto n = static_cast<std::int64_t>(out.size());
      for (std::int64_t i = 0; i < n; ++i) staggered.emplace_back(now_ns + span * i / n, out[std::size_t(i)]);
      while (!staggered.empty() && staggered.front().first <= now_ns) {
        const Emission e = staggered.front().second;
        staggered.pop_front();
        emit(e);
      }
    } else {
      for (const Emission& e : out) emit(e);
    }
    reschedule();
  }

  void on_closed(HttpServer&, ConnId conn) override {
    auto it = by_conn.find(conn);
    if (it == by_conn.end()) return;
    ++counters.disconnected;
    forget(it->second);
    reschedule();
  }
};

SimServer::SimServer(SimOptions options) {
  check_sim_options(options);
  m_impl = std::make_unique<Impl>(std::move(options));
}

SimServer::~SimServer() { stop(); }

int SimServer::listen() { return m_impl->http.listen(); }

void SimServer::run() { m_impl->http.run(); }

void SimServer::request_stop() { m_impl->http.request_stop(); }

int SimServer::start() {
  const int port = listen();
  m_thread = std::thread([this] {
    try {
      run();
    } catch (const std::exception&) {
      // The loop failed (epoll itself); clients see closed connections, stop() still joins.
    }
  });
  return port;
}

void SimServer::stop() {
  if (!m_thread.joinable()) return;
  request_stop();
  m_thread.join();
}

SimStats SimServer::stats() const {
  const Counters& c = m_impl->counters;
  SimStats s;
  s.requests = c.requests;
  s.generations = c.generations;
  s.completed = c.completed;
  s.rejected = c.rejected;
  s.disconnected = c.disconnected;
  s.fault_5xx = c.fault_5xx;
  s.fault_drop = c.fault_drop;
  s.fault_stall = c.fault_stall;
  s.fault_malformed = c.fault_malformed;
  s.fault_error_event = c.fault_error_event;
  s.fault_no_response = c.fault_no_response;
  s.fault_close = c.fault_close;
  return s;
}

const SimOptions& SimServer::options() const { return m_impl->options; }

}  // namespace sitegen::bench
