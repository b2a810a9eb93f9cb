# syntax=docker/dockerfile:1
# .npmrc copied with other files: only that source goes; npm's RUN lines mount it where it was, readable by the numeric USER
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci --omit=dev
COPY src ./src
USER 1000:1000
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc,uid=1000,gid=1000 npm run build
CMD ["node", "dist/server.js"]
