# syntax=docker/dockerfile:1
# A Go web service built in one stage and shipped in another: the final image
# holds only the static binary, on a distroless base, as a numeric non-root user.

FROM golang:1.22-bookworm AS build
WORKDIR /src
# Download modules first so that this layer is cached across code changes.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
# 65532 is the "nonroot" user of the distroless images.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/server"]
