# DD302: keywords in lower case and a named final stage: the builder is renamed `build`, the new final stage takes the name (for --target)
from golang:1.27 as build
workdir /src
copy . .
run CGO_ENABLED=0 go build -o /app .
user 10001:10001
cmd ["/app"]

from gcr.io/distroless/static-debian13:nonroot as app
workdir /src
copy --from=build /app /app
user 65532:65532
cmd ["/app"]
