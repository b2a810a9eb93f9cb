# No shell in distroless: a VOLUME filled by a COPY is owned through COPY --chown
FROM gcr.io/distroless/base-debian13
COPY --from=busybox:1.37 /bin/true /bin/true
COPY --chown=65532:65532 data /data
USER 65532:65532
VOLUME /data
ENTRYPOINT ["/bin/true"]
