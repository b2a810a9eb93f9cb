# DD302: Node 21 (odd, no distroless image) whose build needs g++ and make: the final stage is node:21-slim with node's own user 1000
FROM node:21 AS build
RUN apt-get update && apt-get install -y --no-install-recommends g++ make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
USER 1000:1000
CMD ["node", "server.js"]

FROM node:21-slim
EXPOSE 3000
WORKDIR /app
COPY --from=build /app /app
USER 1000:1000
CMD ["node", "server.js"]
