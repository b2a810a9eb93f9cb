# Amazon Linux 2023 lacks useradd too: shadow-utils comes from dnf
FROM amazonlinux:2023
RUN dnf install -y httpd && dnf clean all
RUN dnf install -y shadow-utils && dnf clean all && groupadd -r -g 10001 app && useradd -r -l -u 10001 -g app -M -d /nonexistent -s /sbin/nologin app
USER 10001:10001
EXPOSE 8080
CMD ["httpd", "-DFOREGROUND"]
