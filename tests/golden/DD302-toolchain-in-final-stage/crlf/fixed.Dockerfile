# DD302: CRLF line endings: the inserted stage uses CRLF too, every other byte stays
FROM golang:1.27 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 \
    go build -o /app .
EXPOSE 8080
USER 10001:10001
CMD ["/app"]

FROM gcr.io/distroless/static-debian13:nonroot
EXPOSE 8080
WORKDIR /src
COPY --from=build /app /app
USER 65532:65532
CMD ["/app"]
