FROM debian:12-slim
RUN mkdir /data && chmod 775 /data
USER 10001
