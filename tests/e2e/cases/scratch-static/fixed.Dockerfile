# A static binary on an empty base, running as root by default.
FROM scratch
COPY e2e-uid /e2e-uid
USER 10001:10001
ENTRYPOINT ["/e2e-uid"]
