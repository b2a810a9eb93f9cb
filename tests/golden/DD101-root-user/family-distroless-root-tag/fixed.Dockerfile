# distroless :latest runs as root but has the nonroot user 65532: no RUN, just USER
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13
COPY --from=build /out/app /app
USER 65532:65532
ENTRYPOINT ["/app"]
