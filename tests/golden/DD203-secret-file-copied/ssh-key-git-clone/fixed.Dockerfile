# syntax=docker/dockerfile:1
# An SSH key copied for git: the COPY goes, and the RUN that clones uses the SSH agent (--mount=type=ssh)
FROM alpine:3.20 AS src
RUN apk add --no-cache git openssh-client
RUN --mount=type=ssh GIT_SSH_COMMAND="ssh -o StrictHostKeyChecking=accept-new" git clone --depth 1 git@github.com:org/private.git /src

FROM alpine:3.20
COPY --from=src /src/dist /app
USER 10001
