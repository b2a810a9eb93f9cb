# BusyBox: adduser -S -D (no password prompt), -G names the group
FROM busybox:1.37
COPY www /www
RUN addgroup -S -g 10001 app && adduser -S -D -H -u 10001 -G app -h /nonexistent -s /sbin/nologin app
USER 10001:10001
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
