# The Go toolchain image ships to production: compiler, sources, root.
FROM golang:1.27-bookworm AS build
WORKDIR /src
COPY main.c .
RUN CGO_ENABLED=0 go build -o /out/app .
CMD ["/out/app"]

FROM gcr.io/distroless/static-debian13:nonroot
WORKDIR /src
COPY --from=build /out/app /out/app
USER 65532:65532
CMD ["/out/app"]
