# DD303: a builder FROM with no tag, on a repository the tables know, is pinned (golang → golang:1.27); --platform and the alias stay
FROM --platform=$BUILDPLATFORM golang:1.27 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
CMD ["/app"]
