FROM debian:12-slim
RUN useradd -r -u 10001 app
USER app
RUN apt-get update
USER 10001
CMD ["/bin/bash"]
