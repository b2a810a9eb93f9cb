FROM python:3.12-slim
COPY app /app
USER 10001
