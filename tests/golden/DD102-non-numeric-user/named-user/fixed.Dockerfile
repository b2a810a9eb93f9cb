FROM node:20-slim
USER 1000:1000
CMD ["node", "server.js"]
