# DD302: Rust (glibc) → distroless cc; the binary is cargo's target/release/<name>, copied out of the cache mount inside the RUN
FROM rust:1.94 AS build
WORKDIR /usr/src/app
COPY . .
RUN --mount=type=cache,target=/usr/src/app/target \
    cargo build --release --locked --bin myapp \
 && cp target/release/myapp /usr/local/bin/myapp
USER 10001:10001
CMD ["myapp"]

FROM gcr.io/distroless/cc-debian13:nonroot
WORKDIR /usr/src/app
COPY --from=build /usr/local/bin/myapp /usr/local/bin/myapp
USER 65532:65532
CMD ["myapp"]
