# syntax=docker/dockerfile:1
# The context's .npmrc writes its token out: it ships in the image
FROM node:22-slim
WORKDIR /app
COPY package.json ./
COPY .env /app/.env
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm install --omit=dev
USER 1000
