FROM node:26-slim
USER 1000
