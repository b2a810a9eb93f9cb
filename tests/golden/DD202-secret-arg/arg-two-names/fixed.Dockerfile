# syntax=docker/dockerfile:1
# ARG lines declaring several names: only the secret names go, the other names stay and the line stays valid
FROM python:3.12-slim
ARG APP_VERSION=1.0
ARG BUILD_DATE
ARG LOG_LEVEL=info
RUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip install --index-url "https://ci:${PIP_TOKEN}@pypi.example.com/simple" "app==${APP_VERSION}"
RUN --mount=type=secret,id=pypi_password,env=PYPI_PASSWORD twine upload --password "$PYPI_PASSWORD" dist/* && echo "$BUILD_DATE $LOG_LEVEL"
USER 10001
