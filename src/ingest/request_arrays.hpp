#pragma once
// Per-request arrays that vLLM's --save-detailed and SGLang's --output-details write beside the
// summaries (input_lens, output_lens, ttfts, itls, errors, and vLLM's latencies): times in
// seconds, one entry per request, failed requests included. They become a point's samples (ms)
// over the successful requests, so the cross-check can recompute the summaries.

#include "ingest/fields.hpp"

namespace sitegen::ingest {

struct RequestArrayOptions {
  // vLLM measures latency to the last content chunk, so ttft + the chunk gaps is the request
  // latency when `latencies` is absent. SGLang's latency also counts the wait for [DONE], which
  // the arrays do not hold: there no e2el or TPOT samples are derived.
  bool latency_from_gaps = true;
};

// Reads the arrays through f (so they are accounted as mapped) into p.samples. An array of the
// wrong shape or a length that differs from the others is reported unreadable (naming the key)
// and no samples are taken. generated_texts is reported as not kept. Success is an empty
// `errors` entry; without `errors`, a request with 0 output tokens failed when the file says
// fewer completed than requests.
void read_request_arrays(Fields& f, model::Point& p, const RequestArrayOptions& options = {});

}  // namespace sitegen::ingest
