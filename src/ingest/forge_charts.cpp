// feRpicoral/forge derived chart data (results/charts/*.json): quality retention (lm-eval scores
// of a candidate quantisation against its baseline) becomes quality results; the cost chart is
// derived from other files and holds no measurement. FORMATS.md section 10.3.

#include "ingest/fields.hpp"
#include "util/error.hpp"

namespace sitegen::ingest {

namespace {

class ForgeChartsImporter : public Importer {
 public:
  std::string name() const override { return "forge-charts"; }
  std::string description() const override {
    return "forge results/charts/*.json: quality retention (lm-eval scores, baseline vs candidate)";
  }
  std::string detect(const Json& j) const override {
    if (!j.is_object()) return "not a JSON object";
    if (j.contains("per_task") && j.contains("baseline_label")) return "";
    if (j.contains("self_hosted") && j.contains("api")) return "";
    return "lacks per_task/baseline_label (quality retention) or self_hosted/api (cost chart)";
  }
  Conversion convert(const Source& source) const override {
    Conversion c;
    const Json& j = source.values.front().value;
    if (const std::string why = detect(j); !why.empty()) throw Error(source.file + ": not forge chart data: " + why);
    if (j.contains("self_hosted")) {
      throw Error(source.file + ": forge's cost chart data is computed from the benchmark files (USD per 1M tokens "
                  "at an assumed utilisation), not a measurement; import the results/bench files and let "
                  "sitegen compute costs");
    }
    model::Report r = new_report(source, name(), "forge quality retention (lm-eval)");
    Fields f(j, "", c.account);
    const std::string baseline = f.text("baseline_label"), candidate = f.text("candidate_label");
    r.workload.benchmark = "quality";
    r.system.model.precision = candidate;
    r.system.extra["candidate_label"] = candidate;
    const Json* tasks = f.raw("per_task");
    if (!tasks || !tasks->is_array()) throw Error(source.file + ": /per_task: expected an array");
    for (std::size_t i = 0; i < tasks->size(); ++i) {
      const Json& t = (*tasks)[i];
      if (!t.is_object() || !t.contains("task") || !t.at("task").is_string()) {
        throw Error(source.file + ": /per_task/" + std::to_string(i) + ": expected an object with a task name");
      }
      Fields tf(t, "per_task[]/", c.account);
      model::QualityResult q;
      q.task = tf.text("task");
      q.metric = tf.text("metric");
      q.score = tf.number("candidate_score");
      q.baseline_score = tf.number("baseline_score");
      q.baseline_label = baseline;
      tf.take("absolute_delta_pp");  // derived from the two scores
      tf.take("retention_pct");
      r.quality.push_back(q);
    }
    f.take("mean_retention_pct");  // derived from the per-task retention
    r.extra = f.rest();
    note(c.account.unreadable, "system: the chart data names no model or GPU (set them with --set or meta.json)");
    c.reports.push_back(std::move(r));
    return c;
  }
};

}  // namespace

std::unique_ptr<Importer> make_forge_charts_importer() { return std::make_unique<ForgeChartsImporter>(); }

}  // namespace sitegen::ingest
