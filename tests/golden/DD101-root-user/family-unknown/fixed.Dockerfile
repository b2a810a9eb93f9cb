# A private base image of unknown family: numeric USER (no passwd entry needed) and a note
FROM registry.example.com/platform/base:4.2
COPY service /srv/service
USER 10001:10001
CMD ["/srv/service"]
