# sitegen in a container: a build stage that installs the Debian 12 packages with .ci/install,
# builds and runs the tests; a slim runtime stage with only the binary (templates, stylesheet and
# schema are embedded in it) and the shared libraries it needs.
#
#   docker build -t sitegen .
#   docker run --rm -v "$PWD:/data" sitegen build --results /data/results --out /data/_site
#
# The build stage installs no browser: the browser test and the pipeline rehearsal (tags
# [browser] and [rehearsal]) run in CI (.ci/run), not here.

FROM debian:12 AS build
ENV CCACHE_DISABLE=1
WORKDIR /src
COPY .ci/install .ci/install
RUN sh .ci/install --with-ci-tools && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j"$(nproc)" \
 && ./build/sitegen_tests "~[browser]~[rehearsal]" \
 && ./build/sitegen --version

FROM debian:12-slim AS runtime
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      libcurl4 libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/build/sitegen /usr/local/bin/sitegen
WORKDIR /data
ENTRYPOINT ["sitegen"]
CMD ["--help"]
