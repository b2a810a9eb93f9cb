# node images ship user node (1000:1000): use it instead of creating one
FROM node:22-bookworm-slim
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER 1000:1000
EXPOSE 3000
CMD ["node", "server.js"]
