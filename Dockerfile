# sitegen in a container: a build stage that installs the Debian 12 packages with .ci/install and
# compiles the sitegen binary; a slim runtime stage with only the binary (templates, stylesheet and
# schema are embedded in it) and the shared libraries it needs, run as an unprivileged user.
#
#   docker build -t sitegen .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/data" sitegen build --results results --out _site
#
# The build stage runs no tests: CI runs the whole suite natively first (.ci/run), then builds this
# image and compares the site it renders with the native one file for file (.ci/container). So the
# build stage needs neither a browser nor Node.

FROM debian:12 AS build
ENV CCACHE_DISABLE=1
WORKDIR /src
COPY .ci/install .ci/install
RUN sh .ci/install && rm -rf /var/lib/apt/lists/*
# Only what the binary is built from, so a change to tests, docs or results/ reuses this layer.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY src src
COPY templates templates
COPY site site
COPY tools tools
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DSITEGEN_TESTS=OFF \
 && cmake --build build -j"$(nproc)" --target sitegen \
 && ./build/sitegen --version

FROM debian:12-slim AS runtime
ARG SITEGEN_VERSION=unknown
ARG SITEGEN_REVISION=unknown
ARG SITEGEN_SOURCE=unknown
LABEL org.opencontainers.image.title="sitegen" \
      org.opencontainers.image.description="LLM-serving benchmarks to a static site with cost economics" \
      org.opencontainers.image.source="$SITEGEN_SOURCE" \
      org.opencontainers.image.version="$SITEGEN_VERSION" \
      org.opencontainers.image.revision="$SITEGEN_REVISION"
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      libcurl4 libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin sitegen \
 && mkdir -p /data && chown sitegen:sitegen /data
COPY --from=build /src/build/sitegen /usr/local/bin/sitegen
USER sitegen
WORKDIR /data
ENTRYPOINT ["sitegen"]
CMD ["--help"]
