# An ENTRYPOINT of its own replaces the image's privilege drop: root again
FROM postgres:17
COPY backup.sh /usr/local/bin/backup.sh
USER 999:999
ENTRYPOINT ["/usr/local/bin/backup.sh"]
