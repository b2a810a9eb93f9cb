# syntax=docker/dockerfile:1
# A global secret ARG redeclared in two stages: every declaration goes, the RUN lines of both stages get the mount
ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
COPY src ./src
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm run build

FROM node:${NODE_VERSION}-slim
WORKDIR /app
COPY --from=build /src/dist ./dist
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN <<EOF
set -e
echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc
npm install --omit=dev private-runtime
rm .npmrc
EOF
USER 1000
CMD ["node", "dist/index.js"]
