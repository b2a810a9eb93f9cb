FROM golang:1.22 AS build
RUN go version
RUN groupadd --system --gid 10001 app && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app
USER 10001:10001

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /usr/local/go/bin/go /go
