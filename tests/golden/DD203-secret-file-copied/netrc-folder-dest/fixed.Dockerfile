# syntax=docker/dockerfile:1
# .netrc copied into a folder: the COPY goes; the mount target is the folder plus the file name
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*
RUN --mount=type=secret,id=netrc,target=/root/.netrc curl -fsS --netrc -o /tmp/app.tgz https://files.example.com/app.tgz
USER 10001
