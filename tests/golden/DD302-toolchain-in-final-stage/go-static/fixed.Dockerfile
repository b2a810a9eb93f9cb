# DD302: Go built with CGO_ENABLED=0 → builder + distroless static; EXPOSE, ENV, LABEL and WORKDIR carried over, CMD kept
FROM golang:1.27 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/server ./cmd/server
LABEL org.opencontainers.image.title="server"
ENV APP_ENV=production
EXPOSE 8080
USER 10001:10001
CMD ["/out/server", "--listen", ":8080"]

FROM gcr.io/distroless/static-debian13:nonroot
LABEL org.opencontainers.image.title="server"
ENV APP_ENV=production
EXPOSE 8080
WORKDIR /src
COPY --from=build /out/server /out/server
USER 65532:65532
CMD ["/out/server", "--listen", ":8080"]
