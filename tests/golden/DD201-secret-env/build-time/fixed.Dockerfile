# syntax=docker/dockerfile:1
# An ENV secret that RUN lines use ($NPM_TOKEN, or npm, which reads it itself), in its stage and in a stage built on it, becomes a secret mount on them
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm -f .npmrc

FROM deps AS build
COPY src ./src
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm run build
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm publish --//registry.npmjs.org/:_authToken=$NPM_TOKEN

FROM node:22-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
USER 1000
CMD ["node", "dist/server.js"]
