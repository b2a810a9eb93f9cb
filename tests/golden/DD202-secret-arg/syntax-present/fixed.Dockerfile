# syntax=docker/dockerfile:1.7
# A syntax directive is there already, so none is added; the RUN that mounts the secret already gets no second mount
FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=secret,id=gh_token,env=GH_TOKEN printf 'machine github.com login x password %s\n' "$GH_TOKEN" > /root/.netrc && go mod download && rm /root/.netrc
COPY cmd ./cmd
RUN --mount=type=secret,id=gh_token,env=GH_TOKEN printf 'machine github.com login x password %s\n' "${GH_TOKEN}" > /root/.netrc && CGO_ENABLED=0 go build -o /app ./cmd/app && rm /root/.netrc

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
USER 65532:65532
ENTRYPOINT ["/app"]
