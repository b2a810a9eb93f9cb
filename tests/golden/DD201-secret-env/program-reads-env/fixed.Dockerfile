# syntax=docker/dockerfile:1
# ENV secrets that a RUN never names but whose program reads them itself (aws reads AWS_*): those RUN lines get the mounts
FROM debian:12-slim
ENV AWS_DEFAULT_REGION=eu-west-1
RUN apt-get update && apt-get install -y --no-install-recommends awscli && rm -rf /var/lib/apt/lists/*
RUN --mount=type=secret,id=aws_access_key_id,env=AWS_ACCESS_KEY_ID --mount=type=secret,id=aws_secret_access_key,env=AWS_SECRET_ACCESS_KEY aws s3 cp s3://releases.example.com/app.tgz /tmp/app.tgz && tar -xzf /tmp/app.tgz -C /opt
USER 10001
