# ubi-minimal has no useradd: the fix installs shadow-utils with microdnf first
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5
COPY server /usr/local/bin/server
RUN microdnf install -y shadow-utils && microdnf clean all && groupadd -r -g 10001 app && useradd -r -l -u 10001 -g app -M -d /nonexistent -s /sbin/nologin app
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/server"]
