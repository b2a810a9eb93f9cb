# The toolchain image ships to production: compiler, sources, root.
FROM localhost/e2e-gcc:bookworm AS build
WORKDIR /src
COPY main.c .
RUN mkdir -p /out && gcc -O2 -static -o /out/app main.c

FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
