FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/app
USER 10001
CMD ["/app"]

FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /src
COPY --from=build /app /app
USER 65532:65532
CMD ["/app"]
