#include <csignal>

#include "bench/sim_server.hpp"
#include "cli/context.hpp"

namespace sitegen::cli {

namespace {

// The server a SIGINT/SIGTERM stops; the handler only writes to its wake-up descriptor.
std::atomic<bench::SimServer*> g_running{nullptr};

extern "C" void stop_on_signal(int) {
  if (bench::SimServer* s = g_running.load()) s->request_stop();
}

// Installs the stop handler for the lifetime of one run and restores the previous ones.
class SignalScope {
 public:
  explicit SignalScope(bench::SimServer& server) {
    g_running = &server;
    struct sigaction sa {};
    sa.sa_handler = stop_on_signal;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &m_old_int);
    ::sigaction(SIGTERM, &sa, &m_old_term);
  }
  ~SignalScope() {
    ::sigaction(SIGINT, &m_old_int, nullptr);
    ::sigaction(SIGTERM, &m_old_term, nullptr);
    g_running = nullptr;
  }
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

 private:
  struct sigaction m_old_int {};
  struct sigaction m_old_term {};
};

void run_sim_server(const bench::SimOptions& options, Context& ctx) {
  bench::SimServer server(options);
  const int port = server.listen();
  ctx.out << "listening on " << options.host << ":" << port << std::endl;
  const bench::EngineConfig& e = options.engine;
  ctx.out << "sitegen sim-server " << SITEGEN_VERSION << ": model " << options.model << ", max batch " << e.max_batch
          << ", decode step " << e.decode_step_ms << " ms + " << e.decode_step_ms_per_seq << " ms/seq, prefill "
          << e.prefill_us_per_token << " us/token, " << e.tokens_per_chunk << " token(s)/chunk" << std::endl;
  {
    SignalScope signals(server);
    server.run();
  }
  const bench::SimStats s = server.stats();
  ctx.out << "stopped: " << s.requests << " request(s), " << s.generations << " generation(s), " << s.completed
          << " completed, " << s.rejected << " rejected, " << s.disconnected << " client disconnect(s), faults: "
          << s.fault_5xx << " 5xx, " << s.fault_drop << " drop, " << s.fault_stall << " stall, " << s.fault_malformed
          << " malformed, " << s.fault_error_event << " error event, " << s.fault_no_response << " no response, "
          << s.fault_close << " closed before first byte" << std::endl;
}

}  // namespace

void add_sim_server(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<bench::SimOptions>();
  CLI::App* sub = app.add_subcommand(
      "sim-server", "Run a simulated OpenAI-compatible streaming engine (vLLM's wire format) for rehearsals and tests");
  sub->add_option("--host", o->host, "IPv4 address to bind")->capture_default_str();
  sub->add_option("--port", o->port, "Port to listen on; 0 picks a free one (printed on the first line)")
      ->capture_default_str();
  sub->add_option("--model", o->model, "Served model name (reports made against it name it)")->capture_default_str();
  sub->add_option("--seed", o->seed, "Seed of the generated text and request ids")->capture_default_str();
  sub->add_flag("--stamp", o->stamp, "Add \"sim_sent_ns\" (CLOCK_MONOTONIC ns at send) to every chunk");
  sub->add_flag("--stagger", o->stagger,
                "Write each step's chunks spread evenly over the next step instead of all at once when it ends "
                "(the same token rate, without the burst)");
  sub->add_option("--eos-after", o->eos_after,
                  "Without ignore_eos, finish with \"stop\" after this many tokens (0: only max_tokens ends a request)")
      ->capture_default_str();

  bench::EngineConfig& e = o->engine;
  sub->add_option("--prefill-us-per-token", e.prefill_us_per_token, "Step time added per prompt token prefilled (us)")
      ->capture_default_str();
  sub->add_option("--decode-step-ms", e.decode_step_ms, "Decode step time with an empty batch (ms)")->capture_default_str();
  sub->add_option("--decode-step-ms-per-seq", e.decode_step_ms_per_seq, "Step time added per running sequence (ms)")
      ->capture_default_str();
  sub->add_option("--max-batch", e.max_batch, "Running sequences at most; later requests queue")->capture_default_str();
  sub->add_option("--tokens-per-chunk", e.tokens_per_chunk, "Tokens per chunk after the first (like speculative decoding)")
      ->capture_default_str();
  sub->add_option("--max-model-len", e.max_model_len, "Prompt plus output tokens at most (longer requests get 400)")
      ->capture_default_str();

  bench::FaultConfig& f = o->faults;
  sub->add_option("--fault-drop-rate", f.drop_rate, "Share of requests whose connection is closed mid-stream");
  sub->add_option("--fault-stall-rate", f.stall_rate, "Share of requests that stop mid-stream, connection kept open");
  sub->add_option("--fault-5xx-rate", f.http_5xx_rate, "Share of requests answered 500 or 503 before streaming");
  sub->add_option("--fault-malformed-rate", f.malformed_rate, "Share of streams with one chunk that is not JSON");
  sub->add_option("--fault-error-event-rate", f.error_event_rate, "Share of streams ended by vLLM's error event");
  sub->add_flag("--fault-no-response", f.no_response, "Read generation requests and never answer them");
  sub->add_flag("--fault-close-before-first-byte", f.close_before_first_byte,
                "Read generation requests and close the connection without answering");
  sub->add_option("--fault-seed", f.seed, "Seed of the fault draws")->capture_default_str();
  sub->callback([o, &ctx] { run_sim_server(*o, ctx); });
}

}  // namespace sitegen::cli
