# scratch has no passwd and no shell: a numeric USER only
FROM scratch
COPY hello /hello
USER 10001:10001
ENTRYPOINT ["/hello"]
