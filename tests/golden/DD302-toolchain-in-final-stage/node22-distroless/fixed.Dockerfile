# DD302: Node 22 (an even LTS with a distroless image) → nodejs22-debian13; the WORKDIR is copied and CMD drops `node`, the image's entrypoint
FROM node:22 AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
EXPOSE 3000
USER 1000:1000
CMD ["node", "dist/server.js"]

FROM gcr.io/distroless/nodejs22-debian13:nonroot
ENV NODE_ENV=production
EXPOSE 3000
WORKDIR /app
COPY --from=build /app /app
USER 65532:65532
CMD ["dist/server.js"]
