# RHEL/UBI: shadow-utils is there, useradd -r -l
FROM registry.access.redhat.com/ubi9/ubi:9.5
RUN dnf install -y python3 && dnf clean all
COPY app.py /opt/app/app.py
RUN groupadd -r -g 10001 app && useradd -r -l -u 10001 -g app -M -d /nonexistent -s /sbin/nologin app
USER 10001:10001
CMD ["python3", "/opt/app/app.py"]
