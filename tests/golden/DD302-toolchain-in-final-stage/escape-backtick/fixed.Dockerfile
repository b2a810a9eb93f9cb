# escape=`
# DD302: backtick escape: the continued RUN is untouched, the continued ENV is carried over as one line, the file still parses
FROM golang:1.27 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 `
    go build -o /app .
ENV GREETING=hello `
    TARGET=world
USER 10001:10001
CMD ["/app"]

FROM gcr.io/distroless/static-debian13:nonroot
ENV GREETING=hello     TARGET=world
WORKDIR /src
COPY --from=build /app /app
USER 65532:65532
CMD ["/app"]
