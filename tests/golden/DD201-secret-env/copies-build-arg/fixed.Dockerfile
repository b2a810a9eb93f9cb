# syntax=docker/dockerfile:1
# ENV copying a secret build argument: the pair goes, and the RUN that reads the copy mounts the secret under that name
FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NODE_AUTH_TOKEN echo "//npm.pkg.github.com/:_authToken=${NODE_AUTH_TOKEN}" > /root/.npmrc && npm ci && rm /root/.npmrc
USER 1000
CMD ["node", "server.js"]
