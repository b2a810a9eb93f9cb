# --uid, --gid and --user-name choose the user drydock creates; --writable folders are made and owned
FROM alpine:3.22
COPY app /opt/app
RUN addgroup -S -g 2002 svc && adduser -S -D -H -u 2001 -G svc -h /nonexistent -s /sbin/nologin svc \
    && mkdir -p /var/cache/app && chown 2001:2002 /var/cache/app
USER 2001:2002
CMD ["/opt/app/run"]
