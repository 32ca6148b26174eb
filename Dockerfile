# syntax=docker/dockerfile:1
# Multi-stage build of the `innsyn` binary (package innsyn-server).
#   docker build -t innsyn .
#   docker run --rm innsyn --help

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p innsyn-server \
 && cp target/release/innsyn /usr/local/bin/innsyn

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --create-home innsyn
COPY --from=build /usr/local/bin/innsyn /usr/local/bin/innsyn
COPY crates/innsyn-server/config /app/config
WORKDIR /app
USER innsyn
EXPOSE 8080 8443
# Configure with INNSYN_PROFILE (prod, ver2, yt2, local), a mounted
# /app/innsyn.toml, and INNSYN__SECTION__KEY variables (secrets).
ENTRYPOINT ["/usr/local/bin/innsyn"]
CMD ["serve"]
