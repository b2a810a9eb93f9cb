# DD302: Go with cgo (ENV CGO_ENABLED=1) links glibc → distroless base, not static; the binary is found through cp and PATH
FROM golang:1.27-bookworm AS build
ENV CGO_ENABLED=1
WORKDIR /src
COPY . .
RUN go build -o app ./cmd/app && cp app /usr/local/bin/
USER 10001:10001
ENTRYPOINT ["app"]
CMD ["serve"]

FROM gcr.io/distroless/base-debian13:nonroot
ENV CGO_ENABLED=1
WORKDIR /src
COPY --from=build /usr/local/bin/app /usr/local/bin/app
USER 65532:65532
ENTRYPOINT ["app"]
CMD ["serve"]
