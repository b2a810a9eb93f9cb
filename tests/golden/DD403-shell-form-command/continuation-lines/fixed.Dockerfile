# A command over continuation lines becomes one exec-form line
FROM node:22-slim
USER 1000:1000
CMD ["node", "server.js", "--port", "3000"]
