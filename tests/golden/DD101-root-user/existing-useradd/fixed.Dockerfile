# The Dockerfile creates a user but never switches to it: use that user
FROM debian:12-slim
RUN groupadd -g 2000 svc && useradd -u 2000 -g svc -M svc
COPY run.sh /run.sh
USER 2000:2000
CMD ["/run.sh"]
