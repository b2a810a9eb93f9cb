FROM node:20-slim
USER 1000
