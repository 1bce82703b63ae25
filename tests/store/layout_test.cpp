#include "store/layout.hpp"

#include <catch2/catch.hpp>

#include "util/error.hpp"

using namespace sitegen;

namespace {

model::Report report(const std::string& model_id, const std::string& precision) {
  model::Report r;
  r.provenance.run_id = "20260101-000000";
  r.system.model.id = model_id;
  r.system.model.precision = precision;
  r.system.gpu.model = "RTX A5000";
  r.system.gpu.count = 1;
  r.system.engine.name = "vLLM";
  r.workload.benchmark = "serving";
  return r;
}

model::Point conc(long long c) {
  model::Point p;
  p.concurrency = c;
  return p;
}

}  // namespace

TEST_CASE("runs of different input lengths are different configurations", "[store][layout]") {
  model::Report a = report("meta-llama/Llama-3.1-8B-Instruct", "bf16");
  a.workload.dataset = "random";
  a.workload.input_len = 64;
  a.workload.output_len = 128;
  a.points.push_back(conc(1));
  model::Report b = a;
  b.workload.input_len = 2048;
  CHECK(store::config_key(a) != store::config_key(b));
  CHECK(store::config_key(a).id() == "llama-3.1-8b-instruct-bf16/rtx-a5000-1gpu/vllm/serving-random-in64-out128-conc");
  CHECK(store::relative_dir(b).generic_string() ==
        "llama-3.1-8b-instruct-bf16/rtx-a5000-1gpu/vllm/serving-random-in2048-out128-conc/20260101-000000");
  CHECK(store::mismatches(store::config_key(a), store::config_key(b)) ==
        std::vector<std::string>{"input length 64 vs 2048"});
}

TEST_CASE("two engines, or two parallelisms, on one model and GPU are two configurations", "[store][layout]") {
  model::Report v = report("Qwen/Qwen2.5-3B-Instruct", "bf16");
  v.points.push_back(conc(8));
  model::Report s = v;
  s.system.engine.name = "sglang";
  CHECK(store::config_key(v).id() == "qwen2.5-3b-instruct-bf16/rtx-a5000-1gpu/vllm/serving-conc");
  CHECK(store::config_key(s).id() == "qwen2.5-3b-instruct-bf16/rtx-a5000-1gpu/sglang/serving-conc");
  CHECK(store::mismatches(store::config_key(v), store::config_key(s)) == std::vector<std::string>{"engine vllm vs sglang"});
  model::Report tp = v;
  tp.system.parallelism.tp = 2;
  tp.system.parallelism.pp = 1;  // a degree of 1 is what an unstated one means
  CHECK(store::config_key(tp).id() == "qwen2.5-3b-instruct-bf16/rtx-a5000-1gpu/vllm-tp2/serving-conc");
  model::Report tp1 = v;
  tp1.system.parallelism.tp = 1;
  CHECK(store::config_key(tp1) == store::config_key(v));
  CHECK(store::config_key(tp).engine_text() == "vllm tp 2");
}

TEST_CASE("the results path repeats no precision and writes no 0gpu", "[store][layout]") {
  model::Report r = report("hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", "int4");
  r.points.push_back(conc(1));
  CHECK(store::config_key(r).id() == "meta-llama-3.1-8b-instruct-awq-int4/rtx-a5000-1gpu/vllm/serving-conc");
  // nvfp4 is not fp4: the precision stays.
  model::Report n = report("nvidia/Nemotron-120B-NVFP4", "fp4");
  n.points.push_back(conc(1));
  CHECK(store::config_key(n).id().starts_with("nemotron-120b-nvfp4-fp4/"));
  model::Report u = report("meta-llama/Llama-2-70b-chat-hf", "");
  u.system.gpu.model.clear();
  u.system.gpu.count.reset();
  u.system.engine.name.clear();
  u.points.push_back(conc(5));
  CHECK(store::config_key(u).id() == "llama-2-70b-chat-hf-unknown/unknown/unknown/serving-conc");
}

TEST_CASE("a report that states no workload still gets a configuration of its own", "[store][layout]") {
  model::Report r = report("Qwen/Qwen3-1.7B", "bf16");
  model::Point p;  // no concurrency, no rate
  r.points.push_back(p);
  const store::ConfigKey k = store::config_key(r);
  CHECK(k.workload_unstated());
  CHECK(k.id() == "qwen3-1.7b-bf16/rtx-a5000-1gpu/vllm/serving-workload-not-stated");
  CHECK(k.workload_text() == "workload not stated");
  model::Report stated = r;
  stated.workload.dataset = "sharegpt";
  CHECK(store::config_key(stated) != k);
  CHECK(store::config_key(stated).workload_text() ==
        "dataset sharegpt, lengths not stated, arrival not stated");
}

TEST_CASE("arrival comes from the workload, else from the points", "[store][layout]") {
  model::Report r = report("m", "bf16");
  model::Point rate;
  rate.request_rate_rps = 4;
  r.points = {rate};
  CHECK(store::config_key(r).arrival == "rate");
  r.points = {conc(4), rate};  // mixed: not stated
  CHECK(store::config_key(r).arrival.empty());
  r.workload.arrival = "concurrency";
  CHECK(store::config_key(r).arrival == "concurrency");
}

TEST_CASE("no key field can make a path segment that leaves the tree", "[store][layout]") {
  model::Report r = report("..", "..");
  r.system.gpu.model = "..";
  r.system.gpu.count.reset();
  r.system.engine.name = "../..";
  r.workload.benchmark = "..";
  r.workload.dataset = ".hidden";
  const std::string id = store::config_key(r).id();
  for (const std::string& segment : {std::string("/") + id + "/"}) {
    CHECK(segment.find("/./") == std::string::npos);
    CHECK(segment.find("/../") == std::string::npos);
    CHECK(segment.find("/.") == std::string::npos);
  }
  CHECK_THROWS_AS(store::relative_dir([] {
                    model::Report bad;
                    bad.provenance.run_id = "../x";
                    return bad;
                  }()),
                  Error);
}
